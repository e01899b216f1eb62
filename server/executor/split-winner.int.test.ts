/**
 * An A/B split with an automatic winner decided once, at a fixed horizon (N contacts), on
 * scripted histories: before the horizon new contacts split at random however clear the
 * difference already is; at it the branches are tested once and the decision — B, or no
 * winner — is recorded; it is never re-tested, whatever happens later.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import {
  createContact,
  FakeClock,
  HOUR,
  publishGraph,
  storeEvent,
  testExecutor,
} from "@/server/testing/flows";
import { appSettings, enrollments, enrollmentSteps } from "@/server/db/schema";
import { edge, graph, node, orderGoal } from "@/server/engine/templates/build";
import { splitWinnerKey } from "@/server/analytics/splits";

let t: TestDb;
const T0 = Date.UTC(2026, 4, 4, 9, 0, 0);

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const abGraph = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
    node("split", "split", 0, 1, {
      branches: [
        { id: "a", label: "A", percent: 50 },
        { id: "b", label: "B", percent: 50 },
      ],
      autoWinner: { after: { contacts: 40 }, metric: "conversion_rate" },
    }),
    node("wait_a", "wait", -1, 2, { mode: "duration", amount: 3, unit: "days" }),
    node("wait_b", "wait", 1, 2, { mode: "duration", amount: 3, unit: "days" }),
    node("exit_a", "exit", -1, 3, {}),
    node("exit_b", "exit", 1, 3, {}),
  ],
  [
    edge("trigger", "next", "split"),
    edge("split", "a", "wait_a"),
    edge("split", "b", "wait_b"),
    edge("wait_a", "next", "exit_a"),
    edge("wait_b", "next", "exit_b"),
  ],
  { goal: orderGoal() },
);

/** The same flow with its horizon at 80 contacts. */
const abGraph80 = {
  ...abGraph,
  nodes: abGraph.nodes.map((n) =>
    n.kind === "split" && n.config.autoWinner
      ? { ...n, config: { ...n.config, autoWinner: { ...n.config.autoWinner, after: { contacts: 80 } } } }
      : n,
  ),
};

describe(`automatic split winner (${testDriver()})`, () => {
  it("sends everyone new down the branch that converts significantly better, once the threshold is met", async () => {
    const member = await createMember(t.db, "Tester");
    const ws = member.workspace.id;
    const clock = new FakeClock(T0);
    const flow = await publishGraph(t.db, {
      workspaceId: ws,
      userId: member.user.id,
      graph: abGraph80,
      now: T0,
    });
    const executor = testExecutor(t, clock);

    const signUp = async (n: number, at: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        clock.t = at + i * 1000;
        const contact = await createContact(t.db, ws);
        await executor.handleEvents([
          await storeEvent(t.db, { workspaceId: ws, contactId: contact.id, name: "Signed Up", at: clock.t }),
        ]);
        ids.push(contact.id);
      }
      return ids;
    };
    const branches = async (contactIds: string[]) => {
      const rows = await t.db
        .select({ contactId: enrollments.contactId, branch: enrollmentSteps.outcome })
        .from(enrollmentSteps)
        .innerJoin(enrollments, eq(enrollments.id, enrollmentSteps.enrollmentId))
        .where(
          and(
            eq(enrollmentSteps.flowId, flow.flowId),
            eq(enrollmentSteps.nodeId, "split"),
            inArray(enrollments.contactId, contactIds),
          ),
        );
      expect(rows).toHaveLength(contactIds.length);
      return new Map(rows.map((r) => [r.contactId, r.branch]));
    };
    const winnerRow = async () =>
      t.db
        .select()
        .from(appSettings)
        .where(eq(appSettings.key, splitWinnerKey(flow.versionId, "split")));

    // 60 contacts: below the horizon — random, nothing decided.
    const first = await branches(await signUp(60, T0));
    expect(new Set(first.values())).toEqual(new Set(["a", "b"]));

    // Everyone who took B orders; nobody on A does. B is already far ahead…
    const bTakers = [...first].filter(([, b]) => b === "b").map(([id]) => id);
    clock.t = T0 + HOUR;
    for (const id of bTakers) {
      await executor.handleEvents([
        await storeEvent(t.db, {
          workspaceId: ws,
          contactId: id,
          name: "Placed Order",
          properties: { value: 25, currency: "USD" },
          at: clock.t,
        }),
      ]);
    }
    // …but the horizon is not reached: 20 more split at random and nothing is decided.
    const second = await branches(await signUp(20, T0 + 90 * 60_000));
    expect(new Set(second.values())).toEqual(new Set(["a", "b"]));
    expect(await winnerRow()).toEqual([]);

    // At the horizon (80 contacts) the one test finds B: recorded once, everyone new takes B.
    const decidedAt = T0 + 2 * HOUR;
    const third = await branches(await signUp(20, decidedAt));
    expect([...third.values()]).toEqual(Array(20).fill("b"));
    const [row] = await winnerRow();
    expect(JSON.parse(row!.value)).toEqual({
      branchId: "b",
      decidedAt: new Date(decidedAt).toISOString(),
      contacts: 80,
    });

    // Later sign-ups keep going down B; the dashboard shows the winner and the results.
    const fourth = await branches(await signUp(5, T0 + 3 * HOUR));
    expect([...fourth.values()]).toEqual(Array(5).fill("b"));
    expect(await winnerRow()).toHaveLength(1);
    const summary = await member.caller.dashboard.summary({ flowId: flow.flowId, days: 7, to: "2026-05-04" });
    const [split] = summary.splits;
    expect(split?.winner).toMatchObject({
      branchId: "b",
      label: "B",
      decidedAt: new Date(decidedAt).toISOString(),
    });
    const aCount = [...first.values(), ...second.values()].filter((b) => b === "a").length;
    expect(split?.branches[0]).toMatchObject({ branchId: "a", contacts: aCount, conversions: 0 });
    expect(split?.branches[1]).toMatchObject({
      branchId: "b",
      contacts: 105 - aCount,
      conversions: bTakers.length,
      revenueCents: bTakers.length * 2500,
    });
    expect(split?.branches[1]?.vsControl?.verdict).toBe("95% confident B beats A");
  });

  it("records “no winner” when the one test at the horizon finds none, and never tests again", async () => {
    const member = await createMember(t.db, "Tester 2");
    const ws = member.workspace.id;
    const clock = new FakeClock(T0);
    const flow = await publishGraph(t.db, {
      workspaceId: ws,
      userId: member.user.id,
      graph: abGraph,
      now: T0,
    });
    const executor = testExecutor(t, clock);
    const signUp = async (n: number, at: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        clock.t = at + i * 1000;
        const contact = await createContact(t.db, ws);
        await executor.handleEvents([
          await storeEvent(t.db, { workspaceId: ws, contactId: contact.id, name: "Signed Up", at: clock.t }),
        ]);
        ids.push(contact.id);
      }
      return ids;
    };
    const takenBranches = async (contactIds: string[]) => {
      const rows = await t.db
        .select({ contactId: enrollments.contactId, branch: enrollmentSteps.outcome })
        .from(enrollmentSteps)
        .innerJoin(enrollments, eq(enrollments.id, enrollmentSteps.enrollmentId))
        .where(
          and(
            eq(enrollmentSteps.flowId, flow.flowId),
            eq(enrollmentSteps.nodeId, "split"),
            inArray(enrollments.contactId, contactIds),
          ),
        );
      return new Map(rows.map((r) => [r.contactId, r.branch]));
    };
    const decisionRows = async () =>
      t.db
        .select()
        .from(appSettings)
        .where(eq(appSettings.key, splitWinnerKey(flow.versionId, "split")));

    // 40 contacts, nobody converts; the first look past the horizon decides: no winner.
    const before = await takenBranches(await signUp(40, T0));
    const decidedAt = T0 + HOUR;
    await signUp(1, decidedAt);
    const [row] = await decisionRows();
    expect(JSON.parse(row!.value)).toEqual({
      branchId: null,
      decidedAt: new Date(decidedAt).toISOString(),
      contacts: 40,
    });

    // Then B's contacts all order: B would now look significant, but the test is not run again.
    const bTakers = [...before].filter(([, b]) => b === "b").map(([id]) => id);
    clock.t = T0 + 2 * HOUR;
    for (const id of bTakers)
      await executor.handleEvents([
        await storeEvent(t.db, {
          workspaceId: ws,
          contactId: id,
          name: "Placed Order",
          properties: { value: 25, currency: "USD" },
          at: clock.t,
        }),
      ]);
    const later = await takenBranches(await signUp(30, T0 + 3 * HOUR));
    expect(new Set(later.values())).toEqual(new Set(["a", "b"]));
    const rows = await decisionRows();
    expect(rows).toHaveLength(1);
    expect((JSON.parse(rows[0]!.value) as { branchId: unknown }).branchId).toBeNull();
    const summary = await member.caller.dashboard.summary({ flowId: flow.flowId, days: 7, to: "2026-05-04" });
    expect(summary.splits[0]).toMatchObject({ winner: null, noWinnerAt: new Date(decidedAt).toISOString() });
  });
});
