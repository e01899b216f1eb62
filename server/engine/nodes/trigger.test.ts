import { describe, expect, it } from "vitest";
import { when } from "../predicate";
import { at, contact, event } from "../testing/fixtures";
import { DAY } from "../time";
import {
  BACK_IN_STOCK_EVENT,
  inactivityDueAt,
  matchesEventTrigger,
  nextOccurrence,
  trigger,
  type TriggerConfig,
} from "./trigger";

const NY = "America/New_York";
const birthdayTrigger = (daysBefore: number, time = "09:00"): TriggerConfig => ({
  type: "date_property",
  property: "birthday",
  daysBefore,
  time,
  yearly: true,
});

describe("trigger: event", () => {
  const started: TriggerConfig = {
    type: "event",
    event: "Started Checkout",
    filter: when.event("value", "gt", 50),
  };

  it("matches by name and property filters (Started Checkout with value > 50)", () => {
    expect(matchesEventTrigger(started, event("Started Checkout", 0, { value: 80 }))).toBe(true);
    expect(matchesEventTrigger(started, event("Started Checkout", 0, { value: 20 }))).toBe(false);
    expect(matchesEventTrigger(started, event("Started Checkout", 0, {}))).toBe(false);
    expect(matchesEventTrigger(started, event("Viewed Product", 0, { value: 80 }))).toBe(false);
    expect(matchesEventTrigger({ type: "event", event: "", filter: null }, event("", 0))).toBe(false);
  });

  it("can filter on the contact and on behaviour when given them", () => {
    const repeat: TriggerConfig = {
      type: "event",
      event: "Placed Order",
      filter: when.all(when.contact("country", "eq", "US"), when.count("Placed Order", "gte", 2)),
    };
    const second = event("Placed Order", 100, {}, "o2");
    const history = [event("Placed Order", 10, {}, "o1"), second];
    expect(matchesEventTrigger(repeat, second, { contact: contact(), events: history, now: 100 })).toBe(true);
    expect(
      matchesEventTrigger(repeat, second, { contact: contact({ country: "DE" }), events: history, now: 100 }),
    ).toBe(false);
    expect(matchesEventTrigger(repeat, second, { contact: contact(), events: [second], now: 100 })).toBe(
      false,
    );
  });

  it("reads as a sentence", () => {
    expect(trigger.summary(started)).toBe("When Started Checkout where value > 50");
    expect(trigger.summary({ type: "event", event: "Signed Up", filter: null })).toBe("When Signed Up");
  });
});

describe("trigger: back in stock", () => {
  it("matches the restock event, optionally for chosen products or categories", () => {
    const any: TriggerConfig = { type: "back_in_stock", productIds: [], categories: [] };
    const teapots: TriggerConfig = { type: "back_in_stock", productIds: ["p_teapot"], categories: [] };
    const tea: TriggerConfig = { type: "back_in_stock", productIds: [], categories: ["Tea"] };
    const restock = event(BACK_IN_STOCK_EVENT, 0, { product_id: "p_teapot", category: "tea" });
    expect(matchesEventTrigger(any, restock)).toBe(true);
    expect(matchesEventTrigger(teapots, restock)).toBe(true);
    expect(matchesEventTrigger(tea, restock)).toBe(true);
    expect(matchesEventTrigger(teapots, event(BACK_IN_STOCK_EVENT, 0, { product_id: "p_mug" }))).toBe(false);
    expect(matchesEventTrigger(any, event("Viewed Product", 0, { product_id: "p_teapot" }))).toBe(false);
    expect(trigger.summary(teapots)).toBe("Back in stock (1 product)");
  });
});

describe("trigger: date property (birthday)", () => {
  const maya = contact({ birthday: "1992-07-04", timezone: NY });

  it("fires N days before, at the local hour, every year", () => {
    expect(nextOccurrence(birthdayTrigger(3), maya, at("2025-06-01T00:00:00Z"))).toBe(
      at("2025-07-01T13:00:00Z"),
    );
    // Already past this year: next year.
    expect(nextOccurrence(birthdayTrigger(3), maya, at("2025-07-02T00:00:00Z"))).toBe(
      at("2026-07-01T13:00:00Z"),
    );
    // Strictly after now: a scheduler that fires at the instant asks again and gets next year.
    expect(nextOccurrence(birthdayTrigger(3), maya, at("2025-07-01T13:00:00Z"))).toBe(
      at("2026-07-01T13:00:00Z"),
    );
  });

  it("handles a 29 February birthday", () => {
    const leapling = contact({ birthday: "2000-02-29", timezone: "UTC" });
    expect(nextOccurrence(birthdayTrigger(0), leapling, at("2025-01-01T00:00:00Z"))).toBe(
      at("2025-02-28T09:00:00Z"),
    );
    expect(nextOccurrence(birthdayTrigger(0), leapling, at("2027-03-01T00:00:00Z"))).toBe(
      at("2028-02-29T09:00:00Z"),
    );
    expect(nextOccurrence(birthdayTrigger(1), leapling, at("2028-01-01T00:00:00Z"))).toBe(
      at("2028-02-28T09:00:00Z"),
    );
  });

  it("keeps the local hour when the day is a DST change", () => {
    const marchBaby = contact({ birthday: "1990-03-12", timezone: NY });
    // 9 March 2025 (3 days before) is spring-forward: 09:00 EDT.
    expect(nextOccurrence(birthdayTrigger(3), marchBaby, at("2025-01-01T00:00:00Z"))).toBe(
      at("2025-03-09T13:00:00Z"),
    );
    const novemberBaby = contact({ birthday: "1990-11-02", timezone: NY });
    expect(nextOccurrence(birthdayTrigger(0), novemberBaby, at("2025-10-01T00:00:00Z"))).toBe(
      at("2025-11-02T14:00:00Z"),
    );
  });

  it("uses the workspace zone when the contact has none (or an invalid one), and custom date properties", () => {
    const noZone = contact({ birthday: "1992-07-04", timezone: null });
    expect(nextOccurrence(birthdayTrigger(0), noZone, at("2025-06-01T00:00:00Z"), "Asia/Kolkata")).toBe(
      at("2025-07-04T03:30:00Z"),
    );
    const badZone = contact({ birthday: "1992-07-04", timezone: "Mars/Olympus" });
    expect(nextOccurrence(birthdayTrigger(0), badZone, at("2025-06-01T00:00:00Z"), "Nowhere")).toBe(
      at("2025-07-04T09:00:00Z"),
    );
    const anniversary: TriggerConfig = {
      type: "date_property",
      property: "first_order_date",
      daysBefore: 0,
      time: "10:00",
      yearly: true,
    };
    const customer = contact({ timezone: "UTC", properties: { first_order_date: "2021-09-15" } });
    expect(nextOccurrence(anniversary, customer, at("2025-06-01T00:00:00Z"))).toBe(
      at("2025-09-15T10:00:00Z"),
    );
  });

  it("never fires without the date, and once-only dates do not repeat", () => {
    expect(
      nextOccurrence(birthdayTrigger(3), contact({ birthday: null }), at("2025-06-01T00:00:00Z")),
    ).toBeNull();
    const once: TriggerConfig = {
      type: "date_property",
      property: "renewal",
      daysBefore: 7,
      time: "09:00",
      yearly: false,
    };
    const renewing = contact({ timezone: "UTC", properties: { renewal: "2025-08-01" } });
    expect(nextOccurrence(once, renewing, at("2025-06-01T00:00:00Z"))).toBe(at("2025-07-25T09:00:00Z"));
    expect(nextOccurrence(once, renewing, at("2025-07-26T00:00:00Z"))).toBeNull();
    expect(trigger.summary(birthdayTrigger(3))).toBe("3 days before birthday at 09:00, every year");
  });
});

describe("trigger: schedule", () => {
  const schedule = (
    s: Extract<TriggerConfig, { type: "schedule" }>["schedule"],
    timezone: "contact" | "workspace" = "workspace",
  ): TriggerConfig => ({
    type: "schedule",
    schedule: s,
    timezone,
    segment: when.contact("country", "eq", "US"),
  });
  const from = at("2025-06-11T15:00:00Z"); // Wednesday, 11:00 EDT

  it("fires once at a date-time, then never", () => {
    const once = schedule({ frequency: "once", at: "2025-11-28T09:00" });
    expect(nextOccurrence(once, null, from, NY)).toBe(at("2025-11-28T14:00:00Z"));
    expect(nextOccurrence(once, null, at("2025-11-28T14:00:00Z"), NY)).toBeNull();
  });

  it("recurs daily, weekly, monthly and yearly on the wall clock", () => {
    expect(nextOccurrence(schedule({ frequency: "daily", time: "09:00" }), null, from, NY)).toBe(
      at("2025-06-12T13:00:00Z"),
    );
    expect(
      nextOccurrence(schedule({ frequency: "weekly", time: "09:00", weekdays: [1, 4] }), null, from, NY),
    ).toBe(at("2025-06-12T13:00:00Z"));
    expect(
      nextOccurrence(schedule({ frequency: "monthly", time: "09:00", dayOfMonth: 31 }), null, from, NY),
    ).toBe(at("2025-06-30T13:00:00Z"));
    expect(
      nextOccurrence(schedule({ frequency: "yearly", time: "09:00", month: 11, day: 28 }), null, from, NY),
    ).toBe(at("2025-11-28T14:00:00Z"));
    expect(nextOccurrence(schedule({ frequency: "cron", expression: "0 9 * * 1" }), null, from, NY)).toBe(
      at("2025-06-16T13:00:00Z"),
    );
  });

  it("can read each contact's own clock", () => {
    const daily = schedule({ frequency: "daily", time: "09:00" }, "contact");
    expect(nextOccurrence(daily, contact({ timezone: "Asia/Kolkata" }), from, NY)).toBe(
      at("2025-06-12T03:30:00Z"),
    );
    expect(nextOccurrence(daily, contact({ timezone: null }), from, NY)).toBe(at("2025-06-12T13:00:00Z"));
  });

  it("summarises the schedule and its segment", () => {
    expect(trigger.summary(schedule({ frequency: "weekly", time: "09:00", weekdays: [1, 4] }))).toBe(
      "Every Mon, Thu at 09:00 · country is US",
    );
  });

  it("validates schedules", () => {
    const ctx = { nodeId: "t", trigger: null };
    expect(
      trigger.validate(schedule({ frequency: "cron", expression: "every monday" }), ctx).map((i) => i.code),
    ).toEqual(["invalid_value"]);
    expect(
      trigger
        .validate(schedule({ frequency: "weekly", time: "09:00", weekdays: [] }), ctx)
        .map((i) => i.code),
    ).toEqual(["missing_field"]);
    expect(
      trigger
        .validate(schedule({ frequency: "yearly", time: "09:00", month: 2, day: 30 }), ctx)
        .map((i) => i.code),
    ).toEqual(["invalid_value"]);
    expect(trigger.validate(schedule({ frequency: "once", at: "2025-11-28T09:00" }), ctx)).toEqual([]);
  });
});

describe("trigger: inactivity", () => {
  it("is due N days after the last order (or after the contact appeared)", () => {
    const config = { type: "inactivity" as const, event: "Placed Order", days: 45, segment: null };
    expect(inactivityDueAt(config, 1_000, 0)).toBe(1_000 + 45 * DAY);
    expect(inactivityDueAt(config, null, 5_000)).toBe(5_000 + 45 * DAY);
    expect(trigger.summary(config)).toBe("No Placed Order for 45 days");
    expect(nextOccurrence(config, contact(), 0)).toBeNull();
  });
});

describe("trigger node", () => {
  it("has one output and moves straight on", () => {
    expect(trigger.outputs(trigger.defaultConfig())).toEqual(["next"]);
    expect(
      trigger.validate(trigger.defaultConfig(), { nodeId: "t", trigger: null }).map((i) => i.message),
    ).toEqual(["Choose the event that starts this flow."]);
  });
});
