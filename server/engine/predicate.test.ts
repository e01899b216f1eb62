import { describe, expect, it } from "vitest";
import type { EventFact } from "./facts";
import {
  compare,
  describePredicate,
  evaluatePredicate,
  Predicate,
  predicateEventNames,
  predicateProblems,
  when,
  type PredicateScope,
} from "./predicate";
import { at, contact, event } from "./testing/fixtures";
import { DAY } from "./time";

const NOW = at("2025-06-20T12:00:00Z");
const ENTERED = at("2025-06-10T12:00:00Z");

function scope(overrides: Partial<PredicateScope> = {}): PredicateScope {
  return {
    contact: contact({
      properties: { vip_tier: "gold", lifetime_value: 420, loyalty: { points: 80 } },
      tags: ["vip", "newsletter"],
    }),
    trigger: {
      eventId: "trig",
      name: "Started Checkout",
      properties: { value: 75, cart_id: "c_1", items: [{ sku: "TEA-1" }] },
      occurredAt: ENTERED,
    },
    event: null,
    events: [],
    enteredAt: ENTERED,
    now: NOW,
    ...overrides,
  };
}

const yes = (p: Predicate, s = scope()) => expect(evaluatePredicate(p, s)).toBe(true);
const no = (p: Predicate, s = scope()) => expect(evaluatePredicate(p, s)).toBe(false);

describe("property comparisons", () => {
  it("reads contact fields, consent, tags and custom properties", () => {
    yes(when.contact("email", "eq", "MAYA@example.com")); // case-insensitive
    yes(when.contact("country", "eq", "us"));
    yes(when.contact("first_name", "eq", "Maya"));
    yes(when.contact("consent.email", "eq", "subscribed"));
    no(when.contact("suppressed.sms", "eq", true));
    yes(when.contact("tags", "contains", "vip"));
    no(when.contact("tags", "contains", "wholesale"));
    yes(when.contact("vip_tier", "eq", "gold"));
    yes(when.contact("properties.vip_tier", "in", ["gold", "platinum"]));
    yes(when.contact("loyalty.points", "gte", 80));
    no(when.contact("loyalty.points", "gt", 80));
  });

  it("reads the trigger event's data (trigger.value > 50)", () => {
    yes(when.trigger("value", "gt", 50));
    no(when.trigger("value", "gt", 75));
    yes(when.trigger("value", "lte", "75")); // numeric text compares as a number
    yes(when.trigger("items.0.sku", "eq", "TEA-1"));
    yes(when.trigger("cart_id", "exists"));
    yes(when.trigger("coupon", "not_exists"));
  });

  it("has typed operators", () => {
    expect(compare("eq", 5, "5")).toBe(true);
    expect(compare("eq", "5", 6)).toBe(false);
    expect(compare("neq", undefined, "x")).toBe(true);
    expect(compare("gt", "abc", 5)).toBe(false);
    expect(compare("lt", "2025-01-01", "2025-02-01")).toBe(true); // ISO dates order as text
    expect(compare("contains", "Summer Sale", "sale")).toBe(true);
    expect(compare("contains", 42, "4")).toBe(false);
    expect(compare("exists", "", undefined)).toBe(false);
    expect(compare("exists", [], undefined)).toBe(false);
    expect(compare("exists", 0, undefined)).toBe(true);
    expect(compare("in", "DE", ["US", "de"])).toBe(true);
    expect(compare("in", ["a", "b"], ["b"])).toBe(true);
    expect(compare("eq", true, "true")).toBe(true);
    expect(compare("eq", { a: 1 }, "x")).toBe(false);
  });

  it("combines with all / any / not", () => {
    yes(when.all(when.contact("country", "eq", "US"), when.trigger("value", "gt", 50)));
    no(when.all(when.contact("country", "eq", "US"), when.trigger("value", "gt", 500)));
    yes(when.any(when.contact("country", "eq", "DE"), when.trigger("value", "gt", 50)));
    no(when.any());
    yes(when.all());
    yes(when.not(when.contact("country", "eq", "DE")));
  });
});

describe("behaviour", () => {
  const order = (days: number, id: string, props: Record<string, unknown> = {}): EventFact =>
    event("Placed Order", ENTERED + days * DAY, props, id);

  it("has done <event> since entering this flow — not before, not in the future, never the trigger event", () => {
    const p = when.hasDone("Placed Order", "flow_start");
    no(p, scope({ events: [order(-3, "before")] }));
    yes(p, scope({ events: [order(2, "after")] }));
    no(p, scope({ events: [order(20, "future")] })); // after `now`
    no(p, scope({ events: [{ ...order(0, "trig"), id: "trig" }] }));
  });

  it("has done <event> ever / in the last N days, with a where clause", () => {
    yes(when.hasDone("Placed Order", "ever"), scope({ events: [order(-300, "old")] }));
    no(when.hasDone("Placed Order", "last_days", null, 30), scope({ events: [order(-300, "old")] }));
    yes(when.hasDone("Placed Order", "last_days", null, 30), scope({ events: [order(-5, "recent")] }));
    const big = when.hasDone("Placed Order", "ever", when.event("value", "gte", 100));
    no(big, scope({ events: [order(1, "small", { value: 40 })] }));
    yes(big, scope({ events: [order(1, "small", { value: 40 }), order(2, "large", { value: 140 })] }));
  });

  it("counts events in the last N days", () => {
    const views = [1, 2, 3].map((h) => event("Viewed Product", NOW - h * 3_600_000, {}, `v${h}`));
    const old = event("Viewed Product", NOW - 3 * DAY, {}, "v_old");
    yes(when.count("Viewed Product", "gte", 3, 1), scope({ events: [...views, old] }));
    no(when.count("Viewed Product", "gte", 4, 1), scope({ events: [...views, old] }));
    yes(when.count("Viewed Product", "eq", 4), scope({ events: [...views, old] }));
    yes(when.count("Viewed Product", "eq", 0, 7), scope({ events: [] }));
  });

  it("knows a first-time buyer has exactly one Placed Order ever", () => {
    yes(when.firstTimeBuyer(), scope({ events: [order(0, "first")] }));
    no(when.firstTimeBuyer(), scope({ events: [] }));
    no(when.firstTimeBuyer(), scope({ events: [order(-100, "earlier"), order(0, "first")] }));
  });
});

describe("checks and words", () => {
  it("reads as a marketer would say it", () => {
    expect(describePredicate(when.hasDone("Placed Order"))).toBe("Placed Order since start");
    expect(describePredicate(when.trigger("value", "gt", 50))).toBe("trigger.value > 50");
    expect(describePredicate(when.event("value", "gt", 50))).toBe("value > 50");
    expect(
      describePredicate(
        when.all(
          when.contact("country", "eq", "US"),
          when.any(when.firstTimeBuyer(), when.contact("tags", "contains", "vip")),
        ),
      ),
    ).toBe("country is US and (first-time buyer or tags contains vip)");
    expect(describePredicate(when.count("Viewed Product", "gte", 2, 1))).toBe(
      "Viewed Product count ≥ 2 in the last 1 day",
    );
    expect(describePredicate(when.count("Placed Order", "eq", 0))).toBe("no Placed Order ever");
    expect(describePredicate(when.count("Viewed Product", "eq", 0, 7))).toBe(
      "no Viewed Product in the last 7 days",
    );
  });

  it("finds what is incomplete", () => {
    expect(predicateProblems(when.all())).toEqual(["Add at least one condition."]);
    expect(predicateProblems(when.contact("", "eq", "x"))).toEqual(["Choose a property to compare."]);
    expect(predicateProblems(when.contact("country", "eq"))).toEqual([
      "Enter a value to compare 'country' with.",
    ]);
    expect(predicateProblems(when.contact("country", "in", []))).toEqual([
      "List the values 'country' may be one of.",
    ]);
    expect(predicateProblems(when.hasDone(""))).toEqual(["Choose an event."]);
    expect(predicateProblems(when.contact("country", "exists"))).toEqual([]);
  });

  it("lists the events it reads", () => {
    const p = when.any(
      when.hasDone("Started Checkout"),
      when.not(when.count("Viewed Product", "gt", 1)),
      when.firstTimeBuyer(),
    );
    expect([...predicateEventNames(p)].sort()).toEqual([
      "Placed Order",
      "Started Checkout",
      "Viewed Product",
    ]);
  });

  it("is a strict schema", () => {
    expect(
      Predicate.safeParse({ type: "property", source: "contact", path: "country", op: "eq", value: "US" })
        .success,
    ).toBe(true);
    expect(
      Predicate.safeParse({
        type: "property",
        source: "contact",
        path: "country",
        op: "eq",
        value: "US",
        extra: 1,
      }).success,
    ).toBe(false);
    expect(Predicate.safeParse({ type: "property", source: "planet", path: "x", op: "eq" }).success).toBe(
      false,
    );
    expect(
      Predicate.safeParse({
        type: "all",
        conditions: [{ type: "not", condition: { type: "first_time_buyer" } }],
      }).success,
    ).toBe(true);
    expect(Predicate.safeParse({ type: "xor", conditions: [] }).success).toBe(false);
  });
});
