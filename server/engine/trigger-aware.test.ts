/**
 * Event time and trigger-aware predicates: goals, "since entering this flow", trigger
 * filters, wait-for-event and conditions reason on each event's own timestamp and can
 * compare an event with the trigger ("this order", "this cart", "this product").
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EventFact } from "./facts";
import type { FlowGraph } from "./graph";
import { matchesEventTrigger } from "./nodes/trigger";
import { evaluatePredicate, Predicate, predicateProblems, when, type PredicateScope } from "./predicate";
import { advance, matchesTriggerProperty } from "./step";
import { getFlowTemplate } from "./templates";
import { chain, edge, emailCopy, graph, node } from "./templates/build";
import { at, contact, enrollment, event, facts, triggerData } from "./testing/fixtures";
import { DAY, HOUR, MINUTE } from "./time";
import { validateGraph } from "./validate";

const T0 = at("2026-03-02T20:30:00Z");
const checkout = event("Started Checkout", T0, { cart_id: "cart_77", product_id: "p1" }, "ev_checkout");

function template(key: string): FlowGraph {
  const t = getFlowTemplate(key);
  if (!t) throw new Error(`no template ${key}`);
  return t.graph;
}

function scope(overrides: Partial<PredicateScope> = {}): PredicateScope {
  return {
    contact: contact(),
    trigger: triggerData(checkout),
    event: null,
    events: [],
    enteredAt: T0,
    now: T0 + HOUR,
    ...overrides,
  };
}

describe("comparing with the trigger", () => {
  const sameCart = when.sameAsTrigger("cart_id");

  it("event.cart_id = trigger.cart_id", () => {
    const mine = event("Placed Order", T0, { cart_id: "CART_77 " });
    const other = event("Placed Order", T0, { cart_id: "cart_12" });
    const none = event("Placed Order", T0, {});
    expect(evaluatePredicate(sameCart, scope({ event: mine }))).toBe(true); // text compares as a marketer expects
    expect(evaluatePredicate(sameCart, scope({ event: other }))).toBe(false);
    expect(evaluatePredicate(sameCart, scope({ event: none }))).toBe(false);
    expect(evaluatePredicate(when.sameAsTrigger("cart_id", "cart_id", "neq"), scope({ event: other }))).toBe(
      true,
    );
  });

  it("a trigger without the property matches nothing (but 'is set' still reads the event)", () => {
    const s = scope({ trigger: { ...triggerData(checkout), properties: {} } });
    const mine = event("Placed Order", T0, { cart_id: "cart_77" });
    expect(evaluatePredicate(sameCart, { ...s, event: mine })).toBe(false);
    expect(evaluatePredicate(when.sameAsTrigger("cart_id", "cart_id", "neq"), { ...s, event: mine })).toBe(
      false,
    );
    const isSet: Predicate = { ...(sameCart as object), op: "exists" } as Predicate;
    expect(evaluatePredicate(isSet, { ...s, event: mine })).toBe(true);
  });

  it("a trigger list reads as 'is one of': the event's product is among the order's products", () => {
    const s = scope({ trigger: { ...triggerData(checkout), properties: { product_ids: ["p1", "p2"] } } });
    const p = when.sameAsTrigger("product_id", "product_ids");
    expect(evaluatePredicate(p, { ...s, event: event("Viewed Product", T0, { product_id: "p2" }) })).toBe(
      true,
    );
    expect(evaluatePredicate(p, { ...s, event: event("Viewed Product", T0, { product_id: "p3" }) })).toBe(
      false,
    );
  });

  it("a contact or trigger property can be compared with the trigger too (numbers, order)", () => {
    const s = scope({ trigger: { ...triggerData(checkout), properties: { value: 50, threshold: 40 } } });
    const p: Predicate = {
      type: "property",
      source: "trigger",
      path: "value",
      op: "gt",
      valueFrom: { source: "trigger", path: "threshold" },
    };
    expect(evaluatePredicate(p, s)).toBe(true);
  });

  it("counts events like the trigger: viewed this product at least twice in the last 24 h", () => {
    const view = (h: number, product: string) =>
      event("Viewed Product", T0 - h * HOUR, { product_id: product });
    const twice = when.count("Viewed Product", "gte", 2, 1, when.sameAsTrigger("product_id"));
    const trigger = event("Viewed Product", T0, { product_id: "p1" }, "ev_view");
    const ctx = (events: EventFact[]) => ({ events: [...events, trigger], now: T0 + 5 * MINUTE });
    const filtered = { type: "event" as const, event: "Viewed Product", filter: twice };
    expect(matchesEventTrigger(filtered, trigger, ctx([]))).toBe(false);
    expect(matchesEventTrigger(filtered, trigger, ctx([view(3, "p2"), view(30, "p1")]))).toBe(false);
    expect(matchesEventTrigger(filtered, trigger, ctx([view(3, "p1")]))).toBe(true);
  });

  it("a trigger filter reads the contact's events as of the trigger's own time", () => {
    const twice = when.count("Viewed Product", "gte", 2, 1, when.sameAsTrigger("product_id"));
    const first = event("Viewed Product", T0, { product_id: "p1" }, "ev_first");
    const second = event("Viewed Product", T0 + MINUTE, { product_id: "p1" }, "ev_second");
    const filtered = { type: "event" as const, event: "Viewed Product", filter: twice };
    // Both views arrive in one batch: the first is not a second view, the second is.
    const context = { events: [first, second], now: T0 + 2 * MINUTE };
    expect(matchesEventTrigger(filtered, first, context)).toBe(false);
    expect(matchesEventTrigger(filtered, second, context)).toBe(true);
  });

  it("a comparison with the trigger needs the trigger property named", () => {
    const p: Predicate = {
      type: "property",
      source: "event",
      path: "cart_id",
      op: "eq",
      valueFrom: { source: "trigger", path: " " },
    };
    expect(predicateProblems(p)).toEqual(["Choose the trigger property to compare 'cart_id' with."]);
    expect(predicateProblems(when.sameAsTrigger("cart_id"))).toEqual([]);
    expect(Predicate.safeParse({ ...p, valueFrom: { source: "contact", path: "x" } }).success).toBe(false);
  });
});

describe("event time", () => {
  const cart = template("abandoned_cart");

  it("an order placed after the checkout but stored before the enrollment began is the goal", () => {
    const order = event("Placed Order", T0 + 10 * MINUTE, { cart_id: "cart_77", value: 20 }, "ev_order");
    // Entered at 20:41 (the batch's arrival), the order happened at 20:40.
    const result = advance(
      cart,
      enrollment(cart, triggerData(checkout), T0 + 11 * MINUTE),
      facts({ events: [checkout, order] }),
      T0 + 11 * MINUTE,
    );
    expect(result.status).toBe("exited");
    // The steps due at the checkout ran as of its time; at the first wait the order ends it.
    expect(result.effects.find((e) => e.type === "convert")).toMatchObject({
      eventId: "ev_order",
      valueCents: 2000,
    });
    expect(result.effects.filter((e) => e.type === "send")).toEqual([]);
  });

  it("a sign-up at 10:00 and an order at 10:05 stored together: the welcome due at 10:00 goes out, then the order ends the journey", () => {
    const welcome = template("welcome_series");
    const signUp = event("Signed Up", T0, {}, "ev_signup");
    const order = event("Placed Order", T0 + 5 * MINUTE, { value: 30 }, "ev_order");
    const result = advance(
      welcome,
      enrollment(welcome, triggerData(signUp), T0 + 5 * MINUTE),
      facts({ events: [signUp, order] }),
      T0 + 5 * MINUTE,
    );
    expect(result.effects.filter((e) => e.type === "send").map((e) => e.nodeId)).toEqual(["welcome_email"]);
    expect(result.status).toBe("exited");
    expect(result.effects.at(-1)).toEqual({ type: "exit", nodeId: "wait_2d", reason: "goal" });
    expect(result.effects.find((e) => e.type === "convert")).toMatchObject({
      eventId: "ev_order",
      valueCents: 3000,
    });
  });

  it("an order of another cart is not this cart's goal; an order before the checkout never is", () => {
    const other = event("Placed Order", T0 + 10 * MINUTE, { cart_id: "cart_12" }, "ev_other");
    const before = event("Placed Order", T0 - MINUTE, { cart_id: "cart_77" }, "ev_before");
    const result = advance(
      cart,
      enrollment(cart, triggerData(checkout), T0),
      facts({ events: [before, checkout, other] }),
      T0 + 11 * MINUTE,
    );
    expect(result.status).toBe("active");
  });

  it("property: the cart goal fires iff an order of this cart (or of no named cart) happened between the checkout and now", () => {
    const order = fc.record({
      offset: fc.integer({ min: -3 * 60, max: 3 * 60 }), // minutes from the checkout
      cart: fc.constantFrom("cart_77", "cart_12", null),
    });
    fc.assert(
      fc.property(
        fc.array(order, { maxLength: 4 }),
        fc.integer({ min: 0, max: 120 }), // arrival delay of the checkout, minutes
        fc.integer({ min: 0, max: 3 * 60 }), // minutes after the checkout the step runs
        (orders, delay, runAfter) => {
          const enteredAt = T0 + delay * MINUTE;
          const now = Math.max(enteredAt, T0 + runAfter * MINUTE);
          const list = orders.map((o, i) =>
            event("Placed Order", T0 + o.offset * MINUTE, o.cart ? { cart_id: o.cart } : {}, `ord_${i}`),
          );
          const result = advance(
            cart,
            enrollment(cart, triggerData(checkout), enteredAt),
            facts({ events: [checkout, ...list] }),
            now,
          );
          const expected = orders.some(
            (o) => o.offset >= 0 && T0 + o.offset * MINUTE <= now && o.cart !== "cart_12",
          );
          expect(result.status === "exited" && result.effects.some((e) => e.type === "convert")).toBe(
            expected,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("'since entering this flow' starts at the trigger's time, never counting the trigger", () => {
    const since = when.hasDone("Started Checkout", "flow_start");
    const ordered = when.hasDone("Placed Order", "flow_start");
    const order = event("Placed Order", T0 + MINUTE, {}, "ev_o");
    const s = scope({ enteredAt: T0, events: [checkout, order], now: T0 + HOUR });
    expect(evaluatePredicate(since, s)).toBe(false);
    expect(evaluatePredicate(ordered, s)).toBe(true);
  });

  it("after an order trigger, 'first-time buyer' is about that order even when a later one is already in", () => {
    const a = event("Placed Order", T0, { order_id: "A" }, "ev_a");
    const b = event("Placed Order", T0 + 5 * MINUTE, { order_id: "B" }, "ev_b");
    const both = { events: [a, b], now: T0 + 6 * MINUTE, enteredAt: T0 };
    expect(evaluatePredicate(when.firstTimeBuyer(), scope({ ...both, trigger: triggerData(a) }))).toBe(true);
    expect(evaluatePredicate(when.firstTimeBuyer(), scope({ ...both, trigger: triggerData(b) }))).toBe(false);
    // Without an order trigger it is read as of now.
    expect(evaluatePredicate(when.firstTimeBuyer(), scope({ ...both, trigger: null }))).toBe(false);
  });

  it("a wait for this order's review accepts one that happened after the delivery but before the wait began", () => {
    const review = event("Review Submitted", T0 + MINUTE, { order_id: "A", rating: 5 }, "ev_review");
    const delivered = event("Order Delivered", T0, { order_id: "A" }, "ev_delivered");
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Order Delivered", filter: null }),
        node("w", "wait_for_event", 0, 1, {
          event: "Review Submitted",
          filter: null,
          matchTriggerProperty: "order_id",
          timeout: { amount: 5, unit: "days" },
        }),
        node("got", "exit", -1, 2, {}),
        node("none", "exit", 1, 2, {}),
      ],
      [edge("t", "next", "w"), edge("w", "event", "got"), edge("w", "timeout", "none")],
    );
    // Delivered and reviewed in one batch that arrives at T0 + 2 min.
    const result = advance(
      g,
      enrollment(g, triggerData(delivered), T0 + 2 * MINUTE),
      facts({ events: [delivered, review] }),
      T0 + 2 * MINUTE,
    );
    expect(result.effects.some((e) => e.type === "step" && e.nodeId === "w" && e.outcome === "event")).toBe(
      true,
    );
    // An unscoped wait begins at the journey's event time (here the delivery, T0), not when
    // the batch was processed: the review one minute after the delivery answers it too, but a
    // review from before the delivery does not.
    const unscoped = {
      ...g,
      nodes: g.nodes.map((n) =>
        n.id === "w" && n.kind === "wait_for_event"
          ? { ...n, config: { ...n.config, matchTriggerProperty: null } }
          : n,
      ),
    } as FlowGraph;
    const answered = advance(
      unscoped,
      enrollment(unscoped, triggerData(delivered), T0 + 2 * MINUTE),
      facts({ events: [delivered, review] }),
      T0 + 2 * MINUTE,
    );
    expect(answered.effects.some((e) => e.type === "step" && e.nodeId === "w" && e.outcome === "event")).toBe(
      true,
    );
    const earlier = { ...review, occurredAt: T0 - MINUTE };
    const parked = advance(
      unscoped,
      enrollment(unscoped, triggerData(delivered), T0 + 2 * MINUTE),
      facts({ events: [delivered, earlier] }),
      T0 + 2 * MINUTE,
    );
    expect(parked.status).toBe("active");
    // It times out five days after the delivery, not after the batch arrived.
    expect(parked.nextRunAt).toBe(T0 + 5 * 24 * 60 * MINUTE);
  });

  it("goal scope: only a different value rules an event out", () => {
    const trigger = triggerData(checkout);
    expect(
      matchesTriggerProperty(event("Placed Order", T0, { cart_id: "cart_77" }), trigger, "cart_id"),
    ).toBe(true);
    expect(
      matchesTriggerProperty(event("Placed Order", T0, { cart_id: "cart_12" }), trigger, "cart_id"),
    ).toBe(false);
    expect(matchesTriggerProperty(event("Placed Order", T0, {}), trigger, "cart_id")).toBe(true);
    expect(matchesTriggerProperty(event("Placed Order", T0, { cart_id: "x" }), trigger, null)).toBe(true);
  });
});

describe("validation of comparisons with the trigger", () => {
  const mail = emailCopy({ template: "welcome", subject: "Hello", body: "Hi" });
  const flowWith = (trigger: FlowGraph["nodes"][number]["config"], predicate: Predicate): FlowGraph =>
    graph(
      [
        node("t", "trigger", 0, 0, trigger as never),
        node("same_order", "condition", 0, 1, { mode: "if", predicate }),
        node("m", "email", -1, 2, mail),
        node("x", "exit", 1, 2, {}),
        node("x2", "exit", -1, 3, {}),
      ],
      [
        ...chain("t", "same_order"),
        edge("same_order", "yes", "m"),
        edge("same_order", "no", "x"),
        ...chain("m", "x2"),
      ],
    );
  const reviewOfThisOrder = when.hasDone("Review Submitted", "ever", when.sameAsTrigger("order_id"));

  it("an event-triggered flow may compare with its trigger", () => {
    const g = flowWith({ type: "event", event: "Order Delivered", filter: null }, reviewOfThisOrder);
    expect(validateGraph(g)).toEqual([]);
  });

  it("a scheduled flow has no trigger event: the step that compares with it is named", () => {
    const g = flowWith(
      {
        type: "schedule",
        schedule: { frequency: "daily", time: "09:00" },
        timezone: "contact",
        segment: null,
      },
      reviewOfThisOrder,
    );
    const issues = validateGraph(g);
    expect(issues).toEqual([
      {
        code: "invalid_condition",
        nodeId: "same_order",
        message:
          "Condition “same_order” compares with the trigger's “order_id”, but a scheduled trigger has no event to read it from. Compare with a fixed value instead.",
      },
    ]);
  });

  it("a date trigger reading trigger.value in a condition, and a goal tied to the trigger, are refused", () => {
    const g = flowWith(
      { type: "date_property", property: "birthday", daysBefore: 0, time: "09:00", yearly: true },
      when.trigger("value", "gt", 5),
    );
    g.settings.goal = { event: "Placed Order", filter: null, matchTriggerProperty: "order_id" };
    const issues = validateGraph(g);
    expect(issues.map((i) => [i.code, i.nodeId ?? null])).toEqual([
      ["invalid_condition", "same_order"],
      ["invalid_settings", null],
    ]);
    expect(issues[1]?.message).toBe(
      "Flow settings: a goal tied to the trigger needs a flow triggered by an event.",
    );
  });

  it("every shipped template validates", () => {
    for (const key of ["abandoned_cart", "review_request", "post_purchase"])
      expect(validateGraph(template(key))).toEqual([]);
  });
});

describe("templates say what the shop means", () => {
  it("abandoned cart's goal is this cart's order; post-purchase has no goal that a second order would trip", () => {
    expect(template("abandoned_cart").settings.goal).toMatchObject({
      event: "Placed Order",
      matchTriggerProperty: "cart_id",
    });
    expect(template("post_purchase").settings.goal).toBeNull();
    expect(template("post_purchase").settings.entryKey).toBe("order_id");
  });

  it("review request branches on this order's review", () => {
    const rating = template("review_request").nodes.find((n) => n.id === "rating");
    expect(JSON.stringify(rating?.config)).toContain('"valueFrom":{"source":"trigger","path":"order_id"}');
  });

  it("a day-long run is not needed to see it: a review of another order does not make the customer happy", () => {
    const g = template("review_request");
    const delivered = event("Order Delivered", T0, { order_id: "A" }, "ev_del");
    const other = event("Review Submitted", T0 + DAY, { order_id: "B", rating: 5 }, "ev_r_b");
    const mine = event("Review Submitted", T0 + 2 * DAY, { order_id: "A", rating: 1 }, "ev_r_a");
    const result = advance(
      g,
      { ...enrollment(g, triggerData(delivered), T0), currentNodeId: "rating" },
      facts({ events: [delivered, other, mine] }),
      T0 + 2 * DAY,
    );
    expect(result.effects.find((e) => e.type === "step" && e.nodeId === "rating")).toMatchObject({
      outcome: "unhappy",
    });
  });
});
