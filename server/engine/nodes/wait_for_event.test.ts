import { describe, expect, it } from "vitest";
import type { Effect } from "../effects";
import type { EventFact } from "../facts";
import type { FlowGraph } from "../graph";
import { advance } from "../step";
import { getFlowTemplate } from "../templates";
import { edge, graph, node } from "../templates/build";
import { at, carry, enrollment, event, facts, runToEnd, triggerData } from "../testing/fixtures";
import { DAY, HOUR } from "../time";
import { wait_for_event, type WaitForEventConfig } from "./wait_for_event";

const T0 = at("2025-06-10T16:00:00Z");
const delivered = event("Order Delivered", T0, { order_id: "1042" }, "ev_delivered");

function flow(config: WaitForEventConfig): FlowGraph {
  return graph(
    [
      node("t", "trigger", 0, 0, { type: "event", event: "Order Delivered", filter: null }),
      node("w", "wait_for_event", 0, 1, config),
      node("got", "exit", -1, 2, {}),
      node("none", "exit", 1, 2, {}),
    ],
    [edge("t", "next", "w"), edge("w", "event", "got"), edge("w", "timeout", "none")],
  );
}

const review: WaitForEventConfig = {
  event: "Review Submitted",
  filter: null,
  matchTriggerProperty: "order_id",
  timeout: { amount: 5, unit: "days" },
};
const outcomeAt = (effects: readonly Effect[], nodeId: string) =>
  effects.find((e) => e.type === "step" && e.nodeId === nodeId && e.outcome !== "wait");

describe("wait_for_event", () => {
  it("takes the event path when the event arrives before the timeout", () => {
    const g = flow(review);
    const start = enrollment(g, triggerData(delivered), T0);
    const parked = advance(g, start, facts(), T0);
    expect(parked.nextRunAt).toBe(T0 + 5 * DAY);
    expect(parked.state.waiting).toMatchObject({ reason: "event", since: T0, then: "timeout" });
    const reviewed = event("Review Submitted", T0 + 2 * DAY, { order_id: "1042", rating: 5 }, "ev_review");
    const woken = advance(g, carry(start, parked), facts({ wakeEvent: reviewed }), T0 + 2 * DAY);
    expect(outcomeAt(woken.effects, "w")).toMatchObject({ outcome: "event" });
  });

  it("times out when nothing (matching) arrives", () => {
    const g = flow(review);
    const otherOrder = event("Review Submitted", T0 + DAY, { order_id: "9999", rating: 5 }, "ev_other");
    const run = runToEnd(
      g,
      enrollment(g, triggerData(delivered), T0),
      () => facts({ events: [otherOrder] }),
      T0,
    );
    expect(run.times).toEqual([T0, T0 + 5 * DAY]);
    expect(outcomeAt(run.final.effects, "w")).toMatchObject({ outcome: "timeout" });
  });

  it("ignores events from before the wait began, and the trigger event itself", () => {
    const g = flow({
      event: "Order Delivered",
      filter: null,
      matchTriggerProperty: null,
      timeout: { amount: 1, unit: "days" },
    });
    const before = event("Order Delivered", T0 - HOUR, {}, "ev_before");
    const run = runToEnd(
      g,
      enrollment(g, triggerData(delivered), T0),
      () => facts({ events: [before, delivered] }),
      T0,
    );
    expect(outcomeAt(run.final.effects, "w")).toMatchObject({ outcome: "timeout" });
  });

  it("prefers the event when it happened before the timeout, even if the run is late", () => {
    const g = flow(review);
    const reviewed = event("Review Submitted", T0 + 4 * DAY, { order_id: "1042" }, "ev_r");
    const late = event("Review Submitted", T0 + 6 * DAY, { order_id: "1042" }, "ev_late");
    const start = enrollment(g, triggerData(delivered), T0);
    const parked = advance(g, start, facts(), T0);
    expect(
      outcomeAt(advance(g, carry(start, parked), facts({ events: [reviewed] }), T0 + 7 * DAY).effects, "w"),
    ).toMatchObject({ outcome: "event" });
    expect(
      outcomeAt(advance(g, carry(start, parked), facts({ events: [late] }), T0 + 7 * DAY).effects, "w"),
    ).toMatchObject({ outcome: "timeout" });
  });

  it("applies the event filter", () => {
    const g = flow({
      ...review,
      filter: { type: "property", source: "event", path: "rating", op: "exists" },
    });
    const noRating = event("Review Submitted", T0 + DAY, { order_id: "1042" }, "ev_nr");
    const run = runToEnd(
      g,
      enrollment(g, triggerData(delivered), T0),
      () => facts({ events: [noRating] }),
      T0,
    );
    expect(outcomeAt(run.final.effects, "w")).toMatchObject({ outcome: "timeout" });
  });

  it("describes itself and checks its settings", () => {
    expect(wait_for_event.outputs(review)).toEqual(["event", "timeout"]);
    expect(wait_for_event.summary(review)).toBe("Wait for Review Submitted (same order_id), up to 5 days");
    expect(wait_for_event.outputLabel(review, "timeout")).toBe("No event in 5 days");
    const scheduleTrigger = {
      type: "schedule" as const,
      schedule: { frequency: "daily" as const, time: "09:00" },
      timezone: "contact" as const,
      segment: null,
    };
    expect(
      wait_for_event.validate(review, { nodeId: "w", trigger: scheduleTrigger }).map((i) => i.code),
    ).toEqual(["invalid_value"]);
    expect(
      wait_for_event.validate({ ...review, event: "" }, { nodeId: "w", trigger: null }).map((i) => i.code),
    ).toContain("missing_field");
  });
});

describe("review request: rating ≥ 4 / < 4 / no review", () => {
  const template = getFlowTemplate("review_request");
  if (!template) throw new Error("missing template");
  const g = template.graph;

  function runWith(reviews: EventFact[]) {
    return runToEnd(
      g,
      enrollment(g, triggerData(delivered), T0),
      () => facts({ events: [delivered, ...reviews] }),
      T0,
    );
  }
  const sentNodes = (r: ReturnType<typeof runWith>) =>
    r.results.flatMap((x) => x.effects).flatMap((e) => (e.type === "send" ? [e.nodeId] : []));

  it("rating 5 → thank-you", () => {
    const r = runWith([event("Review Submitted", T0 + DAY, { order_id: "1042", rating: 5 }, "rv5")]);
    expect(sentNodes(r)).toEqual(["ask_email", "thanks_email"]);
    expect(r.final.currentNodeId).toBe("exit_thanks");
  });

  it("rating 2 → recovery offer", () => {
    const r = runWith([event("Review Submitted", T0 + DAY, { order_id: "1042", rating: 2 }, "rv2")]);
    expect(sentNodes(r)).toEqual(["ask_email", "recovery_email"]);
    const recovery = r.results
      .flatMap((x) => x.effects)
      .find((e) => e.type === "send" && e.nodeId === "recovery_email");
    expect(recovery?.type === "send" && recovery.channel === "email" && recovery.content.couponCode).toBe(
      "SORRY15",
    );
  });

  it("no review → reminder after the 5-day timeout", () => {
    const r = runWith([]);
    expect(sentNodes(r)).toEqual(["ask_email", "reminder_email"]);
    expect(r.times).toEqual([T0, T0 + 5 * DAY]);
  });
});

describe("wait_for_event in event time", () => {
  /** Delivered → ask → wait 2 days for a review → reminder → wait 3 more days (optionally looking back). */
  function twoWaits(sinceFlowStart: boolean): FlowGraph {
    const wait = (days: number, look: boolean): WaitForEventConfig => ({
      event: "Review Submitted",
      filter: null,
      matchTriggerProperty: null,
      timeout: { amount: days, unit: "days" },
      ...(look && { sinceFlowStart: true }),
    });
    return graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Order Delivered", filter: null }),
        node("w1", "wait_for_event", 0, 1, wait(2, false)),
        node("w2", "wait_for_event", 1, 2, wait(3, sinceFlowStart)),
        node("got", "exit", -1, 3, {}),
        node("none", "exit", 1, 3, {}),
      ],
      [
        edge("t", "next", "w1"),
        edge("w1", "event", "got"),
        edge("w1", "timeout", "w2"),
        edge("w2", "event", "got"),
        edge("w2", "timeout", "none"),
      ],
    );
  }

  it("times out counting from the trigger's time, not from when it arrived", () => {
    const g = twoWaits(false);
    const parked = advance(g, enrollment(g, triggerData(delivered), T0 + 3 * HOUR), facts(), T0 + 3 * HOUR);
    expect(parked.nextRunAt).toBe(T0 + 2 * DAY);
  });

  it("a review made before the first wait ran out but delivered after it: only a wait that looks back takes it", () => {
    const late = event("Review Submitted", T0 + 2 * DAY - HOUR, { rating: 5 }, "ev_late");
    for (const [look, outcome] of [
      [false, "timeout"],
      [true, "event"],
    ] as const) {
      const g = twoWaits(look);
      const start = enrollment(g, triggerData(delivered), T0);
      const first = advance(g, start, facts(), T0);
      const timedOut = advance(g, carry(start, first), facts(), T0 + 2 * DAY);
      expect(timedOut.currentNodeId).toBe("w2");
      // The second wait counts from when the first ran out, the journey's time.
      expect(timedOut.state.waiting?.since).toBe(T0 + 2 * DAY);
      expect(timedOut.nextRunAt).toBe(T0 + 5 * DAY);
      const woken = advance(
        g,
        carry(start, timedOut),
        facts({ events: [late], wakeEvent: late }),
        T0 + 2 * DAY + HOUR,
      );
      const final = look ? woken : advance(g, carry(start, woken), facts({ events: [late] }), T0 + 5 * DAY);
      expect(outcomeAt(final.effects, "w2")).toMatchObject({ outcome });
    }
  });

  it("says when it looks back", () => {
    expect(
      wait_for_event.summary({
        event: "Referral Completed",
        filter: null,
        matchTriggerProperty: null,
        timeout: { amount: 23, unit: "days" },
        sinceFlowStart: true,
      }),
    ).toBe("Wait for Referral Completed since the flow started, up to 23 days");
  });
});
