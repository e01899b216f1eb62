/**
 * Property: whatever the flow and whatever the customers do, a flow's numbers add up. Random
 * flows (waits, emails, conditions, A/B splits, exits, with or without a goal) run through
 * the real executor on a fake clock while random customers check out, order (on time, late,
 * out of order, twice), and open emails; then for all time and for a window that starts
 * mid-history, every step keeps entered = waiting + passed on + exited, what a step passes
 * on is what its next steps received, and the steps' sends, conversions and revenue sum to
 * the flow's (which the dashboard and the list read from the same definition).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { and, eq, isNull } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { messageEvents, messages } from "@/server/db/schema";
import type { FlowGraph, FlowNode } from "@/server/engine/graph";
import { getFlowTemplate } from "@/server/engine";
import { isoDay } from "@/server/engine/metrics";
import { at, Shop } from "@/server/scenarios/shop";
import { conservationProblems } from "./consistency";
import { dashboardSummary } from "./dashboard";
import { flowStats } from "./stats";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

type Shape =
  | { kind: "wait"; hours: number; then: Shape }
  | { kind: "email"; then: Shape }
  | { kind: "condition"; yes: Shape; no: Shape }
  | { kind: "split"; a: Shape; b: Shape }
  | { kind: "exit" }
  | { kind: "end" };

const shape: fc.Arbitrary<Shape> = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant<Shape>({ kind: "end" }),
    fc.constant<Shape>({ kind: "exit" }),
    fc.record({
      kind: fc.constant("wait" as const),
      hours: fc.integer({ min: 1, max: 48 }),
      then: tie("shape"),
    }),
    fc.record({ kind: fc.constant("email" as const), then: tie("shape") }),
    fc.record({ kind: fc.constant("condition" as const), yes: tie("shape"), no: tie("shape") }),
    fc.record({ kind: fc.constant("split" as const), a: tie("shape"), b: tie("shape") }),
  ),
})).shape;

const email = getFlowTemplate("abandoned_cart")!.graph.nodes.find((n) => n.kind === "email")!;

/** A flow triggered by Started Checkout with the drawn steps under it. */
function toGraph(root: Shape, goal: boolean): FlowGraph {
  const nodes: FlowNode[] = [
    {
      id: "trigger",
      kind: "trigger",
      position: { x: 0, y: 0 },
      config: { type: "event", event: "Started Checkout", filter: null },
    },
  ];
  const edges: FlowGraph["edges"] = [];
  let count = 0;
  const add = (s: Shape, from: string, handle: string, depth: number) => {
    // Every output must lead somewhere to publish: a path's end is an Exit step.
    if (s.kind === "end") return add({ kind: "exit" }, from, handle, depth);
    const id = `${s.kind}_${++count}`;
    const position = { x: count * 40, y: depth * 250 };
    edges.push({ id: `e_${from}_${handle}`, source: from, sourceHandle: handle, target: id });
    if (s.kind === "exit") nodes.push({ id, kind: "exit", position, config: {} });
    if (s.kind === "wait") {
      nodes.push({
        id,
        kind: "wait",
        position,
        config: { mode: "duration", amount: s.hours, unit: "hours" },
      });
      add(s.then, id, "next", depth + 1);
    }
    if (s.kind === "email") {
      nodes.push({ ...email, id, position });
      add(s.then, id, "next", depth + 1);
    }
    if (s.kind === "condition") {
      nodes.push({
        id,
        kind: "condition",
        position,
        config: {
          mode: "if",
          predicate: { type: "has_done", event: "Placed Order", since: "flow_start", where: null },
        },
      });
      add(s.yes, id, "yes", depth + 1);
      add(s.no, id, "no", depth + 1);
    }
    if (s.kind === "split") {
      nodes.push({
        id,
        kind: "split",
        position,
        config: {
          branches: [
            { id: "a", label: "A", percent: 50 },
            { id: "b", label: "B", percent: 50 },
          ],
        },
      });
      add(s.a, id, "a", depth + 1);
      add(s.b, id, "b", depth + 1);
    }
  };
  add(root, "trigger", "next", 1);
  const settings = {
    ...getFlowTemplate("abandoned_cart")!.graph.settings,
    quietHours: { enabled: false, start: "21:00", end: "08:00" },
    smartSendingHours: 0,
  };
  return { schema: 1, nodes, edges, settings: goal ? settings : { ...settings, goal: null } };
}

type Act =
  | { type: "checkout"; customer: number; cart: number; hour: number }
  | { type: "order"; customer: number; cart: number; hour: number; lateHours: number }
  | { type: "open"; customer: number; hour: number };

const act: fc.Arbitrary<Act> = fc.oneof(
  fc.record({
    type: fc.constant("checkout" as const),
    customer: fc.integer({ min: 0, max: 3 }),
    cart: fc.integer({ min: 0, max: 2 }),
    hour: fc.integer({ min: 0, max: 120 }),
  }),
  fc.record({
    type: fc.constant("order" as const),
    customer: fc.integer({ min: 0, max: 3 }),
    cart: fc.integer({ min: 0, max: 2 }),
    hour: fc.integer({ min: 0, max: 120 }),
    /** Arrives this many hours after it happened (0: on time). */
    lateHours: fc.integer({ min: 0, max: 30 }),
  }),
  fc.record({
    type: fc.constant("open" as const),
    customer: fc.integer({ min: 0, max: 3 }),
    hour: fc.integer({ min: 0, max: 120 }),
  }),
);

const NAMES = ["Ada", "Ben", "Cleo", "Dev"];

describe(`a flow's numbers add up, whatever happens (${testDriver()})`, () => {
  it("random flows through random checkouts, orders and opens keep every identity", async () => {
    const seen = { entered: 0, sent: 0, conversions: 0, exited: 0, waiting: 0 };
    await fc.assert(
      fc.asyncProperty(
        shape,
        fc.boolean(),
        fc.array(act, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 24, max: 200 }),
        fc.integer({ min: 12, max: 96 }),
        async (drawn, goal, acts, stopHour, firstWait) => {
          // Every flow opens with an email and a wait, so there is always something sent, opened and waited on.
          const root: Shape = { kind: "email", then: { kind: "wait", hours: firstWait, then: drawn } };
          const graph = toGraph(root, goal);
          const shop = await Shop.open(t, "abandoned_cart", graph);
          for (const name of NAMES) await shop.customer(name);
          const stop = at(0, "01:00") + stopHour * 3_600_000;
          // Everyone checks out early, opens what came, and two of them order; the drawn acts come on top.
          const prelude: Act[] = [
            ...NAMES.map((_, customer): Act => ({ type: "checkout", customer, cart: 0, hour: customer * 2 })),
            { type: "open", customer: 0, hour: 20 },
            { type: "open", customer: 0, hour: 50 },
            { type: "order", customer: 0, cart: 0, hour: 52, lateHours: 0 },
            { type: "order", customer: 1, cart: 0, hour: 53, lateHours: 6 },
          ];
          // Arrival order: by when each thing reaches the shop; a late order arrives after its time.
          const arrivals = [...prelude, ...acts]
            .map((a) => ({
              a,
              arrives: at(0, "01:00") + (a.hour + (a.type === "order" ? a.lateHours : 0)) * 3_600_000,
            }))
            .sort((x, y) => x.arrives - y.arrives)
            // The story stops at a drawn hour, so some contacts are still waiting somewhere.
            .filter((x) => x.arrives <= stop);
          for (const { a, arrives } of arrivals) {
            await shop.runUntil(Math.max(arrives, shop.clock.t));
            const customer = NAMES[a.customer]!;
            if (a.type === "checkout")
              await shop.deliver({
                customer,
                event: "Started Checkout",
                properties: { cart_id: `c${a.customer}_${a.cart}`, value: 40 },
              });
            if (a.type === "order")
              await shop.deliver({
                customer,
                event: "Placed Order",
                properties: {
                  cart_id: `c${a.customer}_${a.cart}`,
                  order_id: `o${a.customer}_${a.cart}_${a.hour}`,
                  value: 25 + a.cart,
                },
                timestamp: at(0, "01:00") + a.hour * 3_600_000,
              });
            if (a.type === "open") {
              // Up to three of the flow's unopened emails are opened now.
              const unopened = await t.db
                .select({ id: messages.id })
                .from(messages)
                .where(
                  and(
                    eq(messages.flowId, shop.flowId),
                    eq(messages.status, "sent"),
                    isNull(messages.openedAt),
                  ),
                );
              const mine = unopened.slice(0, 3);
              if (mine.length)
                await t.db.insert(messageEvents).values(
                  mine.map((m) => ({
                    workspaceId: shop.workspaceId,
                    messageId: m.id,
                    type: "opened" as const,
                    occurredAt: new Date(shop.clock.t),
                  })),
                );
            }
          }
          await shop.runUntil(Math.max(shop.clock.t, stop));
          const now = shop.clock.t;
          for (const range of [{}, { from: isoDay(at(1, "00:00")), to: isoDay(now) }]) {
            const stats = await flowStats(t.db, {
              workspaceId: shop.workspaceId,
              flowId: shop.flowId,
              ...range,
            });
            expect(conservationProblems(graph, stats), JSON.stringify({ root, goal, acts, range })).toEqual(
              [],
            );
          }
          const all = await dashboardSummary(t.db, {
            workspaceId: shop.workspaceId,
            flowId: shop.flowId,
            days: "all",
            now,
          });
          const canvas = await flowStats(t.db, {
            workspaceId: shop.workspaceId,
            flowId: shop.flowId,
            to: isoDay(now),
          });
          expect(all.totals).toEqual(canvas.flow);
          seen.entered += canvas.flow.entered;
          seen.sent += canvas.flow.sent;
          seen.conversions += canvas.flow.conversions;
          for (const n of Object.values(canvas.nodes)) {
            seen.exited += n.exited;
            seen.waiting += n.waiting;
          }
        },
      ),
      { numRuns: 12, seed: 1203, endOnFailure: true },
    );
    // The runs exercised what they claim to: entries, sends, credited orders, exits and waits.
    console.log("conservation runs saw", seen);
    for (const [key, value] of Object.entries(seen)) expect(value, key).toBeGreaterThan(0);
  }, 600_000);
});
