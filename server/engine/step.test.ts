import { describe, expect, it } from "vitest";
import type { Advance, Effect, SendEffect } from "./effects";
import { emptyState } from "./facts";
import type { FlowGraph } from "./graph";
import { when } from "./predicate";
import { advance, MAX_STEPS_PER_ADVANCE, requiredEventNames } from "./step";
import { getFlowTemplate } from "./templates";
import { chain, edge, emailCopy, graph, node } from "./templates/build";
import { at, carry, contact, enrollment, event, facts, runToEnd, triggerData } from "./testing/fixtures";
import { DAY, HOUR } from "./time";

function template(key: string): FlowGraph {
  const t = getFlowTemplate(key);
  if (!t) throw new Error(`no template ${key}`);
  return t.graph;
}

const sends = (effects: readonly Effect[]) => effects.filter((e): e is SendEffect => e.type === "send");
const allEffects = (results: readonly Advance[]) => results.flatMap((r) => r.effects);
const path = (effects: readonly Effect[]) =>
  effects.flatMap((e) => (e.type === "step" ? [`${e.nodeId}:${e.outcome}`] : []));

// 14:00 EDT on Tuesday 10 June 2025: a contact in New York starts checking out.
const T0 = at("2025-06-10T18:00:00Z");
const checkout = event(
  "Started Checkout",
  T0,
  { value: 80, currency: "USD", cart_id: "c_1", checkout_url: "https://shop.example/c/c_1" },
  "ev_checkout",
);

describe("abandoned cart, run on a fake clock", () => {
  const cart = template("abandoned_cart");

  it("sends email 1 after an hour, email 2 + SMS a day later, email 3 with the coupon two days after that", () => {
    const run = runToEnd(
      cart,
      enrollment(cart, triggerData(checkout), T0),
      () => facts({ events: [checkout] }),
      T0,
    );
    expect(run.times).toEqual([T0, T0 + HOUR, T0 + HOUR + DAY, T0 + HOUR + 3 * DAY]);
    expect(run.results.map((r) => r.status)).toEqual(["active", "active", "active", "completed"]);

    const sent = sends(allEffects(run.results));
    expect(sent.map((s) => [s.nodeId, s.channel, s.to])).toEqual([
      ["email_1", "email", "maya@example.com"],
      ["email_2", "email", "maya@example.com"],
      ["sms_reminder", "sms", "+15555550100"],
      ["email_3", "email", "maya@example.com"],
    ]);
    const last = sent[3];
    expect(last?.channel === "email" && last.content.couponCode).toBe("COMEBACK10");
    expect(path(allEffects(run.results))).toEqual([
      "trigger:next",
      "wait_1h:wait",
      "wait_1h:next",
      "email_1:next",
      "wait_1d:wait",
      "wait_1d:next",
      "email_2:next",
      "sms_reminder:next",
      "wait_2d:wait",
      "wait_2d:next",
      "never_ordered:yes",
      "email_3:next",
      "exit:exit",
    ]);
    expect(run.final.effects.at(-1)).toEqual({ type: "exit", nodeId: "exit", reason: "exit_node" });
    expect(run.final.nextRunAt).toBeNull();
  });

  it("gives a returning customer the reminders but not the coupon", () => {
    const earlier = event("Placed Order", T0 - 30 * DAY, { value: 42 }, "ev_earlier_order");
    const run = runToEnd(
      cart,
      enrollment(cart, triggerData(checkout), T0),
      () => facts({ events: [earlier, checkout] }),
      T0,
    );
    expect(run.results.at(-1)?.status).toBe("completed");
    expect(sends(allEffects(run.results)).map((s) => s.nodeId)).toEqual([
      "email_1",
      "email_2",
      "sms_reminder",
    ]);
    expect(path(allEffects(run.results)).slice(-2)).toEqual(["never_ordered:no", "exit_returning:exit"]);
  });

  it("stops when a Placed Order shows up: the goal converts with its value in cents and exits", () => {
    const order = event(
      "Placed Order",
      T0 + 6 * HOUR,
      { value: 80.5, currency: "eur", order_id: "1042" },
      "ev_order",
    );
    // The order is in the list from the start; the engine only sees it once the clock passes it.
    const run = runToEnd(
      cart,
      enrollment(cart, triggerData(checkout), T0),
      () => facts({ events: [checkout, order] }),
      T0,
    );
    expect(run.results.map((r) => r.status)).toEqual(["active", "active", "exited"]);
    expect(sends(allEffects(run.results)).map((s) => s.nodeId)).toEqual(["email_1"]);
    expect(run.final.effects).toEqual([
      {
        type: "convert",
        nodeId: "wait_1d",
        eventId: "ev_order",
        valueCents: 8050,
        currency: "EUR",
        occurredAt: T0 + 6 * HOUR,
      },
      { type: "exit", nodeId: "wait_1d", reason: "goal" },
    ]);
    expect(run.final.state.waiting).toBeNull();
  });

  it("exits as soon as the executor wakes it with the order", () => {
    const order = event("Placed Order", T0 + 6 * HOUR, { value_cents: 1999 }, "ev_order_2");
    const first = advance(
      cart,
      enrollment(cart, triggerData(checkout), T0),
      facts({ events: [checkout] }),
      T0,
    );
    const woken = advance(
      cart,
      carry(enrollment(cart, triggerData(checkout), T0), first),
      facts({ events: [checkout], wakeEvent: order }),
      T0 + 6 * HOUR,
    );
    expect(woken.status).toBe("exited");
    expect(woken.effects[0]).toMatchObject({
      type: "convert",
      eventId: "ev_order_2",
      valueCents: 1999,
      currency: "USD",
    });
  });

  it("does not count an order placed before the contact entered", () => {
    const earlier = event("Placed Order", T0 - DAY, { value: 10 }, "ev_old_order");
    const first = advance(
      cart,
      enrollment(cart, triggerData(checkout), T0),
      facts({ events: [earlier, checkout] }),
      T0,
    );
    expect(first.status).toBe("active");
  });
});

describe("the interpreter", () => {
  const mail = (subject: string) => emailCopy({ template: "welcome", subject, body: "Hi" });
  const signup = event("Signed Up", T0, {}, "ev_signup");

  it("returns to where it parked without redoing anything when woken early", () => {
    const cart = template("abandoned_cart");
    const start = enrollment(cart, triggerData(checkout), T0);
    const first = advance(cart, start, facts(), T0);
    const early = advance(cart, carry(start, first), facts(), T0 + 10 * 60_000);
    expect(early).toEqual({ ...first, effects: [] });
  });

  it("is deterministic: the same inputs give the same output", () => {
    const cart = template("abandoned_cart");
    const start = {
      ...enrollment(cart, triggerData(checkout), T0),
      currentNodeId: "wait_1h",
      state: {
        visits: { trigger: 1, wait_1h: 1 },
        waiting: {
          nodeId: "wait_1h",
          visit: 1,
          reason: "delay" as const,
          since: T0,
          until: T0 + HOUR,
          then: "next",
        },
      },
    };
    expect(advance(cart, start, facts(), T0 + HOUR)).toEqual(advance(cart, start, facts(), T0 + HOUR));
  });

  it("checks the flow filter before every step and exits (counted) when it fails", () => {
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("tag", "action", 0, 1, { type: "add_tag", tag: "do_not_market" }),
        node("m", "email", 0, 2, mail("Hello")),
        node("x", "exit", 0, 3, {}),
      ],
      chain("t", "tag", "m", "x"),
      { filter: when.not(when.contact("tags", "contains", "do_not_market")) },
    );
    const result = advance(g, enrollment(g, triggerData(signup), T0), facts(), T0);
    // The tag added by the action is seen before the email step.
    expect(path(result.effects)).toEqual(["t:next", "tag:next"]);
    expect(result.effects.at(-1)).toEqual({ type: "exit", nodeId: "m", reason: "filter" });
    expect(result.status).toBe("exited");
    expect(sends(result.effects)).toEqual([]);

    const blocked = advance(
      g,
      enrollment(g, triggerData(signup), T0),
      facts({ contact: contact({ tags: ["do_not_market"] }) }),
      T0,
    );
    expect(blocked.effects).toEqual([{ type: "exit", nodeId: "t", reason: "filter" }]);
  });

  it("fails with a reason after the step bound instead of looping forever", () => {
    const loop = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("c", "condition", 0, 1, { mode: "if", predicate: when.contact("tags", "contains", "never") }),
        node("a", "action", 0, 2, { type: "add_tag", tag: "looped" }),
        node("x", "exit", 1, 2, {}),
      ],
      [edge("t", "next", "c"), edge("c", "no", "a"), edge("a", "next", "c"), edge("c", "yes", "x")],
    );
    const result = advance(loop, enrollment(loop, triggerData(signup), T0), facts(), T0);
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/Stopped after 100 steps/);
    expect(path(result.effects)).toHaveLength(MAX_STEPS_PER_ADVANCE);
    expect(result.nextRunAt).toBeNull();
    // Visits count every pass: trigger once, then the condition and the action in turn.
    expect(result.state.visits).toEqual({ t: 1, c: 50, a: 49 });
  });

  it("exits with node_removed when its node is gone", () => {
    const g = template("welcome_series");
    const result = advance(
      g,
      { ...enrollment(g, triggerData(signup), T0), currentNodeId: "deleted_step" },
      facts(),
      T0,
    );
    expect(result).toMatchObject({ status: "exited", currentNodeId: "deleted_step", nextRunAt: null });
    expect(result.effects).toEqual([{ type: "exit", nodeId: "deleted_step", reason: "node_removed" }]);
  });

  it("completes with reason end at an unconnected output (a draft run)", () => {
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("m", "email", 0, 1, mail("Hi")),
      ],
      chain("t", "m"),
    );
    const result = advance(g, enrollment(g, triggerData(signup), T0), facts(), T0);
    expect(result.status).toBe("completed");
    expect(result.effects.at(-1)).toEqual({ type: "exit", nodeId: "m", reason: "end" });
  });

  it("keys each pass through a loop by its visit, so a message in a loop is sent once per pass", () => {
    const weekly = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("m", "email", 0, 1, mail("Weekly tip")),
        node("w", "wait", 0, 2, { mode: "duration", amount: 7, unit: "days" }),
        node("c", "condition", 0, 3, { mode: "if", predicate: when.count("Signed Up", "gte", 1) }),
        node("x", "exit", 1, 4, {}),
      ],
      [...chain("t", "m", "w", "c"), edge("c", "yes", "m"), edge("c", "no", "x")],
      { smartSendingHours: 0 },
    );
    const run = runToEnd(weekly, enrollment(weekly, triggerData(signup), T0), () => facts(), T0, 4);
    expect(sends(allEffects(run.results)).map((s) => [s.nodeId, s.visit])).toEqual([
      ["m", 1],
      ["m", 2],
      ["m", 3],
      ["m", 4],
    ]);
  });

  it("applies actions for later steps in the same run and hands them to the executor", () => {
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("a", "action", 0, 1, { type: "update_property", property: "vip_tier", value: "gold" }),
        node("c", "condition", 0, 2, { mode: "if", predicate: when.contact("vip_tier", "eq", "gold") }),
        node("yes", "exit", -1, 3, {}),
        node("no", "exit", 1, 3, {}),
      ],
      [...chain("t", "a", "c"), edge("c", "yes", "yes"), edge("c", "no", "no")],
    );
    const result = advance(g, enrollment(g, triggerData(signup), T0), facts(), T0);
    expect(result.effects).toContainEqual({
      type: "action",
      nodeId: "a",
      visit: 1,
      action: { type: "update_property", property: "vip_tier", value: "gold" },
    });
    expect(path(result.effects)).toContain("c:yes");
  });

  it("starts fresh from an empty state", () => {
    expect(emptyState()).toEqual({ visits: {}, waiting: null });
  });

  it("lists the events the executor must load", () => {
    expect(requiredEventNames(template("abandoned_cart"))).toEqual(["Placed Order"]);
    expect(requiredEventNames(template("review_request"))).toEqual(["Review Submitted"]);
    expect(requiredEventNames(template("browse_abandonment"))).toEqual([
      "Placed Order",
      "Started Checkout",
      "Viewed Product",
    ]);
    expect(requiredEventNames(template("referral"))).toEqual([
      "Placed Order",
      "Referral Completed",
      "Review Submitted",
    ]);
  });
});
