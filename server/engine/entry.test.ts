import { describe, expect, it } from "vitest";
import { evaluateEntry, migrateEnrollment, startEnrollment, type EntryInput } from "./entry";
import type { FlowGraph } from "./graph";
import { when } from "./predicate";
import type { FlowSettings } from "./settings";
import { getFlowTemplate } from "./templates";
import { chain, graph, node } from "./templates/build";
import { at, contact, event } from "./testing/fixtures";
import { DAY } from "./time";

const NOW = at("2025-06-10T16:00:00Z");
const checkout = (props: Record<string, unknown> = { cart_id: "c_1", value: 80 }) =>
  event("Started Checkout", NOW, props, "ev_checkout");

function cartFlow(settings: Partial<FlowSettings> = {}): FlowGraph {
  return graph(
    [
      node("t", "trigger", 0, 0, {
        type: "event",
        event: "Started Checkout",
        filter: when.event("value", "gt", 50),
      }),
      node("x", "exit", 0, 1, {}),
    ],
    chain("t", "x"),
    settings,
  );
}

function input(overrides: Partial<EntryInput> = {}): EntryInput {
  return {
    contact: contact(),
    event: checkout(),
    activeEnrollmentKeys: [],
    pastEnrollments: [],
    ...overrides,
  };
}

describe("evaluateEntry", () => {
  it("enters when the trigger matches", () => {
    expect(evaluateEntry(cartFlow(), input(), NOW)).toEqual({ enter: true, entryKey: "", reason: "ok" });
  });

  it("refuses an event the trigger does not match", () => {
    expect(evaluateEntry(cartFlow(), input({ event: checkout({ value: 10 }) }), NOW).reason).toBe(
      "trigger_mismatch",
    );
    expect(evaluateEntry(cartFlow(), input({ event: event("Viewed Product", NOW) }), NOW).reason).toBe(
      "trigger_mismatch",
    );
    expect(evaluateEntry(cartFlow(), input({ event: null }), NOW).reason).toBe("trigger_mismatch");
  });

  it("allows one active enrollment per contact", () => {
    expect(evaluateEntry(cartFlow(), input({ activeEnrollmentKeys: [""] }), NOW)).toEqual({
      enter: false,
      entryKey: "",
      reason: "already_active",
    });
  });

  it("with an entry key, allows one active enrollment per key value (several carts at once)", () => {
    const flow = cartFlow({ entryKey: "cart_id" });
    expect(evaluateEntry(flow, input({ activeEnrollmentKeys: ["c_0"] }), NOW)).toEqual({
      enter: true,
      entryKey: "c_1",
      reason: "ok",
    });
    expect(evaluateEntry(flow, input({ activeEnrollmentKeys: ["c_0", "c_1"] }), NOW)).toEqual({
      enter: false,
      entryKey: "c_1",
      reason: "already_active",
    });
    // An event without the property falls back to the contact-wide key.
    expect(evaluateEntry(flow, input({ event: checkout({ value: 90 }) }), NOW)).toMatchObject({
      enter: true,
      entryKey: "",
    });
    expect(
      evaluateEntry(
        cartFlow({ entryKey: "cart.id" }),
        input({ event: checkout({ value: 90, cart: { id: 7 } }) }),
        NOW,
      ).entryKey,
    ).toBe("7");
  });

  it("once: never again after any earlier entry", () => {
    const flow = cartFlow({ reentry: { mode: "once" } });
    expect(evaluateEntry(flow, input(), NOW).enter).toBe(true);
    expect(
      evaluateEntry(flow, input({ pastEnrollments: [{ enteredAt: NOW - 400 * DAY }] }), NOW),
    ).toMatchObject({ enter: false, reason: "already_entered" });
  });

  it("once per period: again only after N days", () => {
    const flow = cartFlow({ reentry: { mode: "once_per_period", periodDays: 30 } });
    expect(
      evaluateEntry(flow, input({ pastEnrollments: [{ enteredAt: NOW - 29 * DAY }] }), NOW),
    ).toMatchObject({ enter: false, reason: "entered_recently" });
    expect(evaluateEntry(flow, input({ pastEnrollments: [{ enteredAt: NOW - 30 * DAY }] }), NOW).enter).toBe(
      true,
    );
    expect(
      evaluateEntry(
        flow,
        input({ pastEnrollments: [{ enteredAt: NOW - 90 * DAY }, { enteredAt: NOW - 45 * DAY }] }),
        NOW,
      ).enter,
    ).toBe(true);
  });

  it("once per period counts in event time: trigger timestamps, not when the events arrived", () => {
    const flow = cartFlow({ reentry: { mode: "once_per_period", periodDays: 7 } });
    // The first checkout happened 8 days ago but arrived (entered) only 2 days ago: 8 days apart.
    expect(
      evaluateEntry(
        flow,
        input({ pastEnrollments: [{ enteredAt: NOW - 2 * DAY, triggerAt: NOW - 8 * DAY }] }),
        NOW,
      ).enter,
    ).toBe(true);
    // Out of order: a checkout 3 days ago arrives after one from today was already taken.
    const late = event("Started Checkout", NOW - 3 * DAY, { cart_id: "c_0", value: 80 }, "ev_late");
    expect(
      evaluateEntry(flow, input({ event: late, pastEnrollments: [{ enteredAt: NOW, triggerAt: NOW }] }), NOW),
    ).toMatchObject({ enter: false, reason: "entered_recently" });
    // A late event 8 days before the earlier entry's checkout is outside the period.
    const older = event("Started Checkout", NOW - 8 * DAY, { cart_id: "c_0", value: 80 }, "ev_older");
    expect(
      evaluateEntry(flow, input({ event: older, pastEnrollments: [{ enteredAt: NOW, triggerAt: NOW }] }), NOW)
        .enter,
    ).toBe(true);
    // Without a trigger time (schedules, older rows) the entry time stands in.
    expect(
      evaluateEntry(flow, input({ pastEnrollments: [{ enteredAt: NOW - 6 * DAY, triggerAt: null }] }), NOW)
        .reason,
    ).toBe("entered_recently");
  });

  it("every time: as often as the trigger fires, one at a time", () => {
    const flow = cartFlow({ reentry: { mode: "every_time" } });
    expect(evaluateEntry(flow, input({ pastEnrollments: [{ enteredAt: NOW - 60_000 }] }), NOW).enter).toBe(
      true,
    );
    expect(
      evaluateEntry(
        flow,
        input({ pastEnrollments: [{ enteredAt: NOW - 60_000 }], activeEnrollmentKeys: [""] }),
        NOW,
      ).enter,
    ).toBe(false);
  });

  it("checks a schedule's segment against the contact", () => {
    const seasonal = getFlowTemplate("seasonal_offer")!.graph;
    expect(evaluateEntry(seasonal, input({ event: null }), NOW)).toMatchObject({ enter: true, reason: "ok" });
    expect(
      evaluateEntry(seasonal, input({ event: null, contact: contact({ country: "CA" }) }), NOW),
    ).toMatchObject({ enter: false, reason: "not_in_segment" });
    expect(evaluateEntry(seasonal, input({ event: null, contact: null }), NOW).reason).toBe("not_in_segment");
  });

  it("refuses a flow without a trigger", () => {
    expect(evaluateEntry(graph([], []), input(), NOW).reason).toBe("no_trigger");
  });
});

describe("startEnrollment", () => {
  it("starts at the trigger with an empty state", () => {
    const flow = cartFlow();
    const e = checkout();
    const triggerData = { eventId: e.id, name: e.name, properties: e.properties, occurredAt: e.occurredAt };
    expect(startEnrollment(flow, { id: "enr_1", enteredAt: NOW, triggerData })).toEqual({
      id: "enr_1",
      currentNodeId: "t",
      enteredAt: NOW,
      state: { visits: {}, waiting: null },
      triggerData,
    });
    expect(startEnrollment(graph([], []), { id: "x", enteredAt: NOW, triggerData })).toBeNull();
  });
});

describe("migrateEnrollment", () => {
  const v1 = getFlowTemplate("abandoned_cart")!.graph;

  it("moves an enrollment whose node still exists (matched by id)", () => {
    const v2: FlowGraph = {
      ...v1,
      nodes: v1.nodes.map((n) =>
        n.id === "wait_1d" && n.kind === "wait"
          ? { ...n, config: { mode: "duration", amount: 2, unit: "days" } }
          : n,
      ),
    };
    expect(migrateEnrollment(v1, v2, "wait_1d")).toEqual({ action: "move", reason: "same_node" });
  });

  it("exits an enrollment whose node was removed", () => {
    const v2: FlowGraph = {
      ...v1,
      nodes: v1.nodes.filter((n) => n.id !== "email_2"),
      edges: v1.edges.filter((e) => e.source !== "email_2" && e.target !== "email_2"),
    };
    expect(migrateEnrollment(v1, v2, "email_2")).toEqual({ action: "exit", reason: "node_removed" });
  });

  it("keeps an enrollment on its version when its node became a different kind", () => {
    const v2: FlowGraph = {
      ...v1,
      nodes: v1.nodes.map((n) =>
        n.id === "wait_1d" ? { id: "wait_1d", kind: "exit", position: n.position, config: {} } : n,
      ),
    };
    expect(migrateEnrollment(v1, v2, "wait_1d")).toEqual({ action: "stay", reason: "kind_changed" });
  });
});
