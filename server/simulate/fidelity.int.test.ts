/**
 * Replay fidelity: backtesting each live flow over the window the demo shop's history was
 * replayed in must reproduce what the executor recorded there — per step, the same
 * entries, outputs taken, exits by reason, contacts still waiting, sends and skips (read
 * through the one metrics module), and for every contact the same path.
 *
 * The window is 14 days (the seed's 60 take minutes per driver on this machine); the
 * forecast runs on the replay's 30-minute clock (HISTORY_STEP_MS), as the executor did.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, isNotNull } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { enrollments, enrollmentSteps, flows, flowVersions, messages } from "@/server/db/schema";
import { journeyCounts } from "@/server/analytics/metrics";
import { FlowGraph } from "@/server/engine/graph";
import { seedDemoShop } from "@/server/seed/demo-shop";
import { HISTORY_STEP_MS } from "@/server/seed/history";
import { backtest } from "./backtest";

const NOW = new Date("2026-11-20T15:00:00Z");
const DAYS = 14;
const HOUR = 3_600_000;

/**
 * Differences the forecast is allowed, each with its reason. Empty: every step and every
 * path agrees on this history.
 */
const EXPLAINED: ReadonlyArray<{ flow: string; contact?: string; why: string }> = [];

let t: TestDb;
let workspaceId: string;
beforeAll(async () => {
  t = await createTestDb();
  const seeded = await seedDemoShop(t.db, { now: NOW, contacts: 120, days: DAYS });
  workspaceId = seeded.workspaceId;
}, 600_000);
afterAll(() => t.close());

describe(`replay fidelity (${testDriver()})`, () => {
  it("the forecast of each live flow over the replayed window is what the executor did", async () => {
    const from = NOW.getTime() - DAYS * 24 * HOUR - HOUR;
    const to = NOW.getTime();
    const live = await t.db
      .select({ id: flows.id, key: flows.templateKey, graph: flowVersions.graph })
      .from(flows)
      .innerJoin(flowVersions, eq(flowVersions.id, flows.liveVersionId))
      .where(and(eq(flows.workspaceId, workspaceId), isNotNull(flows.liveVersionId)));
    expect(live.length).toBe(6);
    let entered = 0;
    let sends = 0;
    let stepsCompared = 0;

    for (const flow of live) {
      const graph = FlowGraph.parse(flow.graph);
      const explained = EXPLAINED.filter((e) => e.flow === flow.key);
      const forecast = await backtest(
        t.db,
        { workspaceId, graph, settings: graph.settings, from, to, flowId: flow.id },
        { collectPaths: true, grid: { origin: from, stepMs: HISTORY_STEP_MS } },
      );
      const real = await journeyCounts(t.db, { workspaceId, range: {}, flowId: flow.id });
      entered += real.entered;

      const label = (node: string, what: string) => `${flow.key} · ${node} · ${what}`;
      for (const node of graph.nodes) {
        const f = forecast.nodes[node.id]!;
        expect(f.outcomes, label(node.id, "outputs taken")).toEqual(real.outcomes[node.id] ?? {});
        expect(f.waiting, label(node.id, "waiting")).toBe(real.waiting[node.id] ?? 0);
        const { end, ...exits } = f.exited;
        expect(exits, label(node.id, "exited")).toEqual(real.exited[node.id] ?? {});
        expect(end ?? 0, label(node.id, "finished")).toBe(real.finished[node.id] ?? 0);
      }
      const trigger = graph.nodes.find((n) => n.kind === "trigger")!;
      expect(forecast.nodes[trigger.id]!.entered, label(trigger.id, "entered")).toBe(real.entered);

      // Sends and skips per step, from the messages the executor wrote.
      const sent = await t.db
        .select({ nodeId: messages.nodeId, status: messages.status, reason: messages.skipReason })
        .from(messages)
        .where(eq(messages.flowId, flow.id));
      for (const node of graph.nodes) {
        const mine = sent.filter((m) => m.nodeId === node.id);
        const f = forecast.nodes[node.id]!;
        expect(f.sent, label(node.id, "sent")).toBe(mine.filter((m) => m.status !== "skipped").length);
        const skipped: Record<string, number> = {};
        for (const m of mine.filter((m) => m.status === "skipped"))
          skipped[m.reason ?? "other"] = (skipped[m.reason ?? "other"] ?? 0) + 1;
        expect(f.skipped, label(node.id, "skipped")).toEqual(skipped);
        sends += f.sent;
      }

      // Every contact's path, step by step.
      const rows = await t.db
        .select({
          contactId: enrollments.contactId,
          triggerEventId: enrollments.triggerEventId,
          nodeId: enrollmentSteps.nodeId,
          visit: enrollmentSteps.visit,
        })
        .from(enrollmentSteps)
        .innerJoin(enrollments, eq(enrollments.id, enrollmentSteps.enrollmentId))
        .where(eq(enrollments.flowId, flow.id))
        .orderBy(asc(enrollmentSteps.id));
      const realPaths = new Map<string, string[]>();
      const seen = new Set<string>();
      for (const r of rows) {
        const key = `${r.contactId}|${r.triggerEventId}`;
        if (seen.has(`${key}|${r.nodeId}#${r.visit}`)) continue;
        seen.add(`${key}|${r.nodeId}#${r.visit}`);
        realPaths.set(key, [...(realPaths.get(key) ?? []), r.nodeId]);
      }
      const paths = forecast.paths!;
      const unexplained = (key: string) => !explained.some((e) => e.contact && key.startsWith(e.contact));
      for (const [key, path] of realPaths)
        if (unexplained(key)) {
          expect(paths.get(key), `${flow.key} path of ${key}`).toEqual(path);
          stepsCompared += path.length;
        }
      expect([...paths.keys()].filter(unexplained).sort()).toEqual([...realPaths.keys()].filter(unexplained).sort());
    }
    expect(entered).toBeGreaterThan(20);
    expect(sends).toBeGreaterThan(10);
    expect(stepsCompared).toBeGreaterThan(entered);
  }, 600_000);
});
