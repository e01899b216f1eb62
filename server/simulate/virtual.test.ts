import { describe, expect, it } from "vitest";
import { FlowGraph } from "@/server/engine/graph";
import { abandonedCart } from "@/server/engine/templates/abandoned-cart";
import type { ContactFacts, EventFact } from "@/server/engine/facts";
import { runVirtual, type VirtualContact } from "./virtual";
import { ForecastCounter } from "./forecast";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = Date.parse("2026-11-02T14:00:00Z");
const cart = FlowGraph.parse(abandonedCart);

const contact: ContactFacts = {
  id: "c1",
  email: "ana@example.com",
  phone: "+15550001111",
  firstName: "Ana",
  timezone: "UTC",
  birthday: null,
  country: "US",
  properties: {},
  tags: [],
  consent: { email: "subscribed", sms: "subscribed", push: "subscribed" },
  suppressed: { email: false, sms: false, push: false },
};

const ev = (id: string, name: string, at: number, properties: Record<string, unknown> = {}): EventFact => ({
  id,
  name,
  properties,
  occurredAt: at,
});

const subject = (events: EventFact[], more: Partial<VirtualContact> = {}): VirtualContact => ({
  contact,
  workspaceTimezone: "UTC",
  events,
  engagement: [],
  pastSends: [],
  ...more,
});

const sendsOf = (run: ReturnType<typeof runVirtual>) =>
  run.journeys.flatMap((j) =>
    j.records.filter((r) => r.effect.type === "send").map((r) => [r.effect.type === "send" ? r.effect.nodeId : "", r.at]),
  );

describe("the virtual executor", () => {
  it("runs waits on the virtual clock: each email at its event-time due moment", () => {
    const run = runVirtual(subject([ev("e1", "Started Checkout", T, { cart_id: "a" })]), {
      graph: cart,
      from: T - HOUR,
      to: T + 30 * DAY,
      entries: { kind: "events" },
    });
    expect(run.journeys).toHaveLength(1);
    expect(sendsOf(run)).toEqual([
      ["email_1", T + HOUR],
      ["email_2", T + 25 * HOUR],
      ["sms_reminder", T + 25 * HOUR],
      ["email_3", T + 73 * HOUR],
    ]);
    expect(run.journeys[0]!.status).toBe("completed");
  });

  it("an event injected later wakes the journey at its own time and the goal stops it", () => {
    const run = runVirtual(
      subject([
        ev("e1", "Started Checkout", T, { cart_id: "a" }),
        ev("o1", "Placed Order", T + 30 * HOUR, { cart_id: "a", value: 12 }),
      ]),
      { graph: cart, from: T - HOUR, to: T + 30 * DAY, entries: { kind: "events" } },
    );
    const journey = run.journeys[0]!;
    expect(journey.status).toBe("exited");
    expect(journey.exitReason).toBe("goal");
    expect(journey.currentNodeId).toBe("wait_2d");
    const convert = journey.records.find((r) => r.effect.type === "convert")!;
    expect(convert.at).toBe(T + 30 * HOUR);
    expect(convert.effect).toMatchObject({ valueCents: 1200 });
  });

  it("an order placed before the window's end but after it is not seen; the journey waits", () => {
    const run = runVirtual(
      subject([
        ev("e1", "Started Checkout", T, { cart_id: "a" }),
        ev("o1", "Placed Order", T + 3 * DAY, { cart_id: "a" }),
      ]),
      { graph: cart, from: T - HOUR, to: T + 2 * HOUR, entries: { kind: "events" } },
    );
    expect(run.journeys[0]!.status).toBe("active");
    expect(run.journeys[0]!.currentNodeId).toBe("wait_1d");
  });

  it("smart sending counts the workspace's real sends and the journey's own", () => {
    const run = runVirtual(
      subject([ev("e1", "Started Checkout", T, { cart_id: "a" })], {
        pastSends: [{ channel: "email", at: T + 30 * 60_000 }],
      }),
      { graph: cart, from: T - HOUR, to: T + 30 * DAY, entries: { kind: "events" } },
    );
    const skip = run.journeys[0]!.records.find((r) => r.effect.type === "skip")!;
    expect(skip.effect).toMatchObject({ nodeId: "email_1", reason: "smart_sending" });
  });

  it("re-entry: every checkout enters; a coupon pool counted down skips when empty", () => {
    const pool = "11111111-1111-4111-8111-111111111111";
    const graph = FlowGraph.parse({
      ...abandonedCart,
      nodes: abandonedCart.nodes.map((n) =>
        n.id === "email_3" ? { ...n, config: { ...(n.config as object), couponPool: pool } } : n,
      ),
      settings: { ...abandonedCart.settings, smartSendingHours: 0 },
    });
    const couponsLeft = new Map([[pool, 1]]);
    const run = runVirtual(
      subject([ev("e1", "Started Checkout", T, { cart_id: "a" }), ev("e2", "Started Checkout", T + 10 * DAY, { cart_id: "b" })]),
      { graph, from: T - HOUR, to: T + 30 * DAY, entries: { kind: "events" }, couponsLeft },
    );
    expect(run.journeys).toHaveLength(2);
    const email3 = run.journeys.map((j) => j.records.find((r) => "nodeId" in r.effect && r.effect.nodeId === "email_3" && r.effect.type !== "step")!.effect.type);
    expect(email3).toEqual(["send", "skip"]);
    expect(couponsLeft.get(pool)).toBe(0);
  });

  it("a fixed trigger enters once at its time, with or without the flow's re-entry rules", () => {
    const trigger = { eventId: "e1", name: "Started Checkout", properties: { cart_id: "a" }, occurredAt: T };
    const run = runVirtual(subject([ev("e1", "Started Checkout", T, { cart_id: "a" })]), {
      graph: cart,
      from: T,
      to: T + 2 * HOUR,
      entries: { kind: "fixed", trigger, entryRules: false },
    });
    expect(run.journeys).toHaveLength(1);
    expect(run.journeys[0]!.path).toEqual(["trigger", "wait_1h", "email_1", "wait_1d"]);
  });

  it("engagement the model gives decides a branch on opens", () => {
    const graph = FlowGraph.parse({
      schema: 1,
      nodes: [
        { id: "trigger", kind: "trigger", position: { x: 0, y: 0 }, config: { type: "event", event: "Started Checkout", filter: null } },
        { ...abandonedCart.nodes.find((n) => n.id === "email_1")!, position: { x: 0, y: 1 } },
        { id: "wait", kind: "wait", position: { x: 0, y: 2 }, config: { mode: "duration", amount: 1, unit: "days" } },
        {
          id: "opened",
          kind: "condition",
          position: { x: 0, y: 3 },
          config: { mode: "if", predicate: { type: "engaged", engagement: "opened", step: "email_1", channel: null, days: null } },
        },
      ],
      edges: [
        { id: "a", source: "trigger", sourceHandle: "next", target: "email_1" },
        { id: "b", source: "email_1", sourceHandle: "next", target: "wait" },
        { id: "c", source: "wait", sourceHandle: "next", target: "opened" },
      ],
      settings: {},
    });
    const opens = (yes: boolean) =>
      runVirtual(subject([ev("e1", "Started Checkout", T)]), {
        graph,
        from: T - HOUR,
        to: T + 5 * DAY,
        entries: { kind: "events" },
        engagementOf: (send) =>
          yes ? [{ messageId: "m", enrollmentId: send.enrollmentId, nodeId: send.nodeId, channel: send.channel, type: "opened", occurredAt: send.at + HOUR }] : [],
      });
    const outcome = (run: ReturnType<typeof runVirtual>) =>
      run.journeys[0]!.records.find((r) => r.effect.type === "step" && r.effect.nodeId === "opened")!.effect;
    expect(outcome(opens(true))).toMatchObject({ outcome: "yes" });
    expect(outcome(opens(false))).toMatchObject({ outcome: "no" });
    const counter = new ForecastCounter(graph, true);
    counter.add(opens(true).journeys[0]!);
    expect(counter.nodes.opened).toMatchObject({ entered: 1, passedOn: 1, outcomes: { yes: 1 }, estimated: true });
    expect(counter.nodes.email_1).toMatchObject({ sent: 1, estimated: false });
  });

  it("on a grid, the executor acts at the first grid point after each moment", () => {
    const run = runVirtual(subject([ev("e1", "Started Checkout", T + 7 * 60_000, { cart_id: "a" })]), {
      graph: cart,
      from: T - HOUR,
      to: T + 3 * HOUR,
      entries: { kind: "events" },
      grid: { origin: T - HOUR, stepMs: 30 * 60_000 },
    });
    expect(run.journeys[0]!.enteredAt).toBe(T + 30 * 60_000);
    expect(sendsOf(run)).toEqual([["email_1", T + 90 * 60_000]]);
  });
});
