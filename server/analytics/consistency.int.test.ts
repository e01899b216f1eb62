/**
 * One set of numbers everywhere: on the seeded demo shop (its history run through the real
 * executor), for every flow and for the last 7 days, the last 30 days and all time, the
 * flows list, the dashboard, the canvas header and the sums of the canvas steps agree, and
 * every step's numbers add up (entered = waiting + passed on + exited; what a step passes
 * on is what the next steps received).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { flows, flowVersions } from "@/server/db/schema";
import { seedDemoShop } from "@/server/seed/demo-shop";
import { FlowGraph } from "@/server/engine/graph";
import { LIST_RANGE, rangeOfPreset, type RangePresetKey } from "@/server/engine/metrics";
import { dashboardSummary } from "./dashboard";
import { listFlowsWithNumbers } from "./metrics";
import { flowStats } from "./stats";
import { conservationProblems } from "./consistency";

let t: TestDb;
let workspaceId: string;
const now = new Date("2026-11-20T15:00:00Z");

beforeAll(async () => {
  t = await createTestDb();
  const seeded = await seedDemoShop(t.db, { now, contacts: 150, days: 40 });
  workspaceId = seeded.workspaceId;
}, 240_000);
afterAll(() => t.close());

const RANGES: { preset: RangePresetKey; days: 7 | 30 | "all" }[] = [
  { preset: "7d", days: 7 },
  { preset: "30d", days: 30 },
  { preset: "all", days: "all" },
];

describe(`one set of numbers on the demo shop (${testDriver()})`, () => {
  it("list, dashboard, canvas header and step sums agree for every flow and range", async () => {
    const list = await listFlowsWithNumbers(t.db, { workspaceId, now: now.getTime() });
    expect(list.length).toBeGreaterThan(3);
    expect(list[0]!.range).toEqual(rangeOfPreset(LIST_RANGE, now.getTime()));
    let withConversions = 0;
    for (const row of list) {
      for (const { preset, days } of RANGES) {
        const label = `${row.name}, ${preset}`;
        const range = rangeOfPreset(preset, now.getTime());
        const [dashboard, canvas] = await Promise.all([
          dashboardSummary(t.db, { workspaceId, flowId: row.id, days, now: now.getTime() }),
          flowStats(t.db, { workspaceId, flowId: row.id, ...range }),
        ]);
        // The dashboard and the canvas header.
        expect(dashboard.totals, label).toEqual(canvas.flow);
        if (preset === LIST_RANGE) expect(row.numbers, label).toEqual(canvas.flow);
        // The dashboard's days add up to its totals.
        const series = dashboard.series.reduce(
          (s, p) => ({
            entered: s.entered + p.entered,
            sent: s.sent + p.sent,
            conversions: s.conversions + p.conversions,
            revenueCents: s.revenueCents + p.revenueCents,
          }),
          { entered: 0, sent: 0, conversions: 0, revenueCents: 0 },
        );
        expect(series, label).toEqual({
          entered: canvas.flow.entered,
          sent: canvas.flow.sent,
          conversions: canvas.flow.conversions,
          revenueCents: canvas.flow.revenueCents,
        });
        // The steps add up, and sum to the flow.
        const [flow] = await t.db.select().from(flows).where(eq(flows.id, row.id));
        const [version] = await t.db
          .select({ graph: flowVersions.graph })
          .from(flowVersions)
          .where(eq(flowVersions.id, flow!.liveVersionId!));
        const graph = FlowGraph.parse(version!.graph);
        expect(conservationProblems(graph, canvas), label).toEqual([]);
        if (preset === "all" && canvas.flow.conversions > 0) withConversions++;
        if (preset === "all" && flow!.templateKey === "abandoned_cart") {
          // The journey is really counted: contacts passed the waits and emails, some stopped on the way.
          expect(canvas.flow.entered, label).toBeGreaterThan(10);
          expect(canvas.nodes.email_1?.passed, label).toBeGreaterThan(0);
          expect(Object.values(canvas.nodes).some((n) => n.exited > 0)).toBe(true);
        }
      }
    }
    // The check means something: the seeded shop converts.
    expect(withConversions).toBeGreaterThan(0);
  }, 240_000);

  it("the ranges nest: 7 days ≤ 30 days ≤ all time", async () => {
    const list = await listFlowsWithNumbers(t.db, { workspaceId, now: now.getTime() });
    for (const row of list) {
      const [d7, d30, all] = await Promise.all(
        RANGES.map(({ preset }) =>
          flowStats(t.db, { workspaceId, flowId: row.id, ...rangeOfPreset(preset, now.getTime()) }),
        ),
      );
      for (const key of ["entered", "sent", "conversions", "revenueCents", "recipients"] as const) {
        expect(d7!.flow[key]).toBeLessThanOrEqual(d30!.flow[key]);
        expect(d30!.flow[key]).toBeLessThanOrEqual(all!.flow[key]);
      }
    }
  });
});
