import { describe, expect, it } from "vitest";
import { at } from "./testing/fixtures";
import {
  addDuration,
  anniversary,
  dateOccurrence,
  DAY,
  localInstant,
  nextLocalTime,
  parseCalendarDate,
  parseClock,
  quietHoursEnd,
  resolveZone,
} from "./time";

const NY = "America/New_York";
const KOLKATA = "Asia/Kolkata";
const nine = { hour: 9, minute: 0 };
const night = { enabled: true, start: "21:00", end: "08:00" };

describe("zones", () => {
  it("uses the contact's zone, then the workspace's, then UTC", () => {
    expect(resolveZone("Asia/Kolkata", NY)).toBe(KOLKATA);
    expect(resolveZone(null, NY)).toBe(NY);
    expect(resolveZone("Mars/Olympus", "Europe/Berlin")).toBe("Europe/Berlin");
    expect(resolveZone("Mars/Olympus", "")).toBe("UTC");
    expect(resolveZone(undefined, "not a zone")).toBe("UTC");
  });

  it("reads an invalid zone as UTC rather than failing", () => {
    expect(localInstant({ year: 2025, month: 1, day: 15 }, nine, "Mars/Olympus")).toBe(
      at("2025-01-15T09:00:00Z"),
    );
    expect(nextLocalTime(at("2025-01-15T10:00:00Z"), nine, [], "Nowhere/Land")).toBe(
      at("2025-01-16T09:00:00Z"),
    );
  });

  it("parses HH:MM and nothing else", () => {
    expect(parseClock("09:30")).toEqual({ hour: 9, minute: 30 });
    expect(parseClock("23:59")).toEqual({ hour: 23, minute: 59 });
    for (const bad of ["9:30", "24:00", "12:60", "noon", ""]) expect(parseClock(bad)).toBeNull();
  });
});

describe("durations", () => {
  it("adds minutes and hours as elapsed time", () => {
    const from = at("2025-03-08T15:00:00Z"); // 10:00 EST, the day before spring-forward
    expect(addDuration(from, { amount: 90, unit: "minutes" }, NY)).toBe(from + 90 * 60_000);
    expect(addDuration(from, { amount: 24, unit: "hours" }, NY)).toBe(at("2025-03-09T15:00:00Z")); // 11:00 EDT
  });

  it("adds days and weeks on the contact's calendar across spring-forward and fall-back", () => {
    // 10:00 EST + 1 day = 10:00 EDT: only 23 hours elapse.
    expect(addDuration(at("2025-03-08T15:00:00Z"), { amount: 1, unit: "days" }, NY)).toBe(
      at("2025-03-09T14:00:00Z"),
    );
    // 10:00 EDT + 1 day = 10:00 EST: 25 hours elapse.
    expect(addDuration(at("2025-11-01T14:00:00Z"), { amount: 1, unit: "days" }, NY)).toBe(
      at("2025-11-02T15:00:00Z"),
    );
    expect(addDuration(at("2025-03-03T15:00:00Z"), { amount: 1, unit: "weeks" }, NY)).toBe(
      at("2025-03-10T14:00:00Z"),
    );
    // In UTC a day is always 24 hours.
    expect(addDuration(at("2025-03-08T15:00:00Z"), { amount: 1, unit: "days" }, "UTC")).toBe(
      at("2025-03-08T15:00:00Z") + DAY,
    );
  });
});

describe("local time-of-day", () => {
  it("lands at 09:00 local on the March spring-forward day", () => {
    // Midnight EST on 9 March 2025; at 02:00 clocks jump to 03:00 EDT.
    expect(nextLocalTime(at("2025-03-09T05:00:00Z"), nine, [], NY)).toBe(at("2025-03-09T13:00:00Z"));
  });

  it("lands at 09:00 local on the November fall-back day", () => {
    expect(nextLocalTime(at("2025-11-02T04:00:00Z"), nine, [], NY)).toBe(at("2025-11-02T14:00:00Z"));
  });

  it("moves a time that does not exist (02:30 on spring-forward) to just after the gap", () => {
    expect(nextLocalTime(at("2025-03-09T05:00:00Z"), { hour: 2, minute: 30 }, [], NY)).toBe(
      at("2025-03-09T07:30:00Z"),
    ); // 03:30 EDT
  });

  it("handles a half-hour offset (Asia/Kolkata, UTC+05:30)", () => {
    expect(nextLocalTime(at("2025-06-01T00:00:00Z"), nine, [], KOLKATA)).toBe(at("2025-06-01T03:30:00Z"));
    // Already past 09:00 IST (04:00Z = 09:30 IST): the next day.
    expect(nextLocalTime(at("2025-06-01T04:00:00Z"), nine, [], KOLKATA)).toBe(at("2025-06-02T03:30:00Z"));
  });

  it("skips to an allowed weekday", () => {
    // Friday 13 June 2025, 10:00 EDT → Monday 16 June 09:00 EDT.
    expect(nextLocalTime(at("2025-06-13T14:00:00Z"), nine, [1, 2, 3, 4, 5], NY)).toBe(
      at("2025-06-16T13:00:00Z"),
    );
    // Saturdays only.
    expect(nextLocalTime(at("2025-06-13T14:00:00Z"), nine, [6], NY)).toBe(at("2025-06-14T13:00:00Z"));
  });

  it("is inclusive of now unless told otherwise", () => {
    const exactly = at("2025-06-16T13:00:00Z");
    expect(nextLocalTime(exactly, nine, [], NY)).toBe(exactly);
    expect(nextLocalTime(exactly, nine, [], NY, false)).toBe(exactly + DAY);
  });
});

describe("quiet hours", () => {
  it("holds until 08:00 local when inside 21:00–08:00", () => {
    expect(quietHoursEnd(at("2025-06-11T03:00:00Z"), night, NY)).toBe(at("2025-06-11T12:00:00Z")); // 23:00 → 08:00 EDT
    expect(quietHoursEnd(at("2025-06-11T11:59:00Z"), night, NY)).toBe(at("2025-06-11T12:00:00Z")); // 07:59 → 08:00
    expect(quietHoursEnd(at("2025-06-11T01:00:00Z"), night, NY)).toBe(at("2025-06-11T12:00:00Z")); // 21:00 exactly is quiet
  });

  it("lets a daytime message through", () => {
    expect(quietHoursEnd(at("2025-06-11T16:00:00Z"), night, NY)).toBeNull(); // 12:00
    expect(quietHoursEnd(at("2025-06-11T12:00:00Z"), night, NY)).toBeNull(); // 08:00 exactly is open
    expect(quietHoursEnd(at("2025-06-11T00:59:00Z"), night, NY)).toBeNull(); // 20:59
  });

  it("ends at 08:00 local on the night clocks fall back", () => {
    // 01:30 EDT on 2 November 2025 (before the change); 08:00 that morning is EST.
    expect(quietHoursEnd(at("2025-11-02T05:30:00Z"), night, NY)).toBe(at("2025-11-02T13:00:00Z"));
  });

  it("ends at 08:00 local on the night clocks spring forward", () => {
    // 01:30 EST on 9 March 2025; 08:00 that morning is EDT.
    expect(quietHoursEnd(at("2025-03-09T06:30:00Z"), night, NY)).toBe(at("2025-03-09T12:00:00Z"));
  });

  it("reads the contact's own clock (Asia/Kolkata)", () => {
    // 20:00Z is 01:30 IST: quiet until 08:00 IST = 02:30Z.
    expect(quietHoursEnd(at("2025-06-11T20:00:00Z"), night, KOLKATA)).toBe(at("2025-06-12T02:30:00Z"));
    // 20:00Z is 16:00 in New York: not quiet there.
    expect(quietHoursEnd(at("2025-06-11T20:00:00Z"), night, NY)).toBeNull();
  });

  it("supports a window that does not wrap midnight, and can be off", () => {
    const lunch = { enabled: true, start: "12:00", end: "14:00" };
    expect(quietHoursEnd(at("2025-06-11T13:00:00Z"), lunch, "UTC")).toBe(at("2025-06-11T14:00:00Z"));
    expect(quietHoursEnd(at("2025-06-11T15:00:00Z"), lunch, "UTC")).toBeNull();
    expect(quietHoursEnd(at("2025-06-11T03:00:00Z"), { ...night, enabled: false }, NY)).toBeNull();
    expect(
      quietHoursEnd(at("2025-06-11T03:00:00Z"), { enabled: true, start: "08:00", end: "08:00" }, NY),
    ).toBeNull();
  });

  it("falls back to UTC for an unknown zone", () => {
    expect(quietHoursEnd(at("2025-06-11T23:00:00Z"), night, "Mars/Olympus")).toBe(at("2025-06-12T08:00:00Z"));
  });
});

describe("date occurrences", () => {
  const rule = (offsetDays: number, yearly = true) => ({ offsetDays, clock: nine, yearly });

  it("reads dates from properties", () => {
    expect(parseCalendarDate("1990-07-04")).toEqual({ year: 1990, month: 7, day: 4 });
    expect(parseCalendarDate("1990-07-04T23:00:00-05:00")).toEqual({ year: 1990, month: 7, day: 4 });
    expect(parseCalendarDate(at("2025-01-01T03:00:00Z"), NY)).toEqual({ year: 2024, month: 12, day: 31 });
    expect(parseCalendarDate("1990-02-30")).toBeNull();
    expect(parseCalendarDate("soon")).toBeNull();
  });

  it("celebrates 29 February on 28 February in common years", () => {
    const leapling = { year: 2000, month: 2, day: 29 };
    expect(anniversary(leapling, 2025)).toEqual({ year: 2025, month: 2, day: 28 });
    expect(anniversary(leapling, 2028)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(dateOccurrence(leapling, rule(0), at("2025-01-01T00:00:00Z"), NY)).toBe(
      at("2025-02-28T14:00:00Z"),
    );
    expect(dateOccurrence(leapling, rule(0), at("2028-01-01T00:00:00Z"), NY)).toBe(
      at("2028-02-29T14:00:00Z"),
    );
  });

  it("counts days before across the year boundary", () => {
    // Born 2 January; 5 days before is 28 December of the year before.
    expect(
      dateOccurrence({ year: 1990, month: 1, day: 2 }, rule(-5), at("2025-12-01T00:00:00Z"), "UTC"),
    ).toBe(at("2025-12-28T09:00:00Z"));
  });

  it("moves to next year once this year's occurrence has passed", () => {
    const date = { year: 1990, month: 6, day: 10 };
    expect(dateOccurrence(date, rule(0), at("2025-06-10T12:00:00Z"), "UTC")).toBe(at("2026-06-10T09:00:00Z"));
    // Strictly after: the same instant is not "next".
    expect(dateOccurrence(date, rule(0), at("2025-06-10T09:00:00Z"), "UTC", false)).toBe(
      at("2026-06-10T09:00:00Z"),
    );
    expect(dateOccurrence(date, rule(0), at("2025-06-10T09:00:00Z"), "UTC", true)).toBe(
      at("2025-06-10T09:00:00Z"),
    );
  });

  it("keeps the local hour on a DST day", () => {
    // 9 March 2025 is the US spring-forward day.
    expect(dateOccurrence({ year: 1990, month: 3, day: 9 }, rule(0), at("2025-01-01T00:00:00Z"), NY)).toBe(
      at("2025-03-09T13:00:00Z"),
    );
  });

  it("gives the single date (possibly past) when not yearly", () => {
    expect(
      dateOccurrence({ year: 2020, month: 5, day: 1 }, rule(2, false), at("2025-01-01T00:00:00Z"), "UTC"),
    ).toBe(at("2020-05-03T09:00:00Z"));
  });
});
