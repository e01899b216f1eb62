import { describe, expect, it } from "vitest";
import { cronToRules, describeRule, nextRuleTime, ruleProblem } from "./schedule-rule";
import { at } from "./testing/fixtures";

/** Cron expressions run as the recurrence rules they convert to (there is no cron evaluator left). */
const parseCron = cronToRules;
const next = (expr: string, from: string, zone = "UTC") => {
  const rules = cronToRules(expr);
  if (!rules) throw new Error(`bad cron ${expr}`);
  return nextRuleTime(rules, at(from), zone);
};
const nextRule = (rule: string, from: string, zone: string) => nextRuleTime([rule], at(from), zone);

describe("cron-like schedules", () => {
  it("accepts the simple five-field form and rejects the rest", () => {
    for (const ok of [
      "0 9 * * 1",
      "*/15 * * * *",
      "0 9,18 1-7 * 1-5",
      "30 8 * 11 0",
      "0 0 29 2 *",
      "0 9 * * 7",
    ])
      expect(parseCron(ok)).not.toBeNull();
    for (const bad of [
      "",
      "0 9 * *",
      "60 9 * * *",
      "0 24 * * *",
      "0 9 0 * *",
      "0 9 * 13 *",
      "0 9 * * 8",
      "0 9 * * mon",
      "*/0 * * * *",
      "5-1 * * * *",
    ]) {
      expect(parseCron(bad)).toBeNull();
    }
  });

  it("fires at the next matching minute, strictly after now", () => {
    // Wednesday 11 June 2025 → Monday 16 June 09:00.
    expect(next("0 9 * * 1", "2025-06-11T10:00:00Z")).toBe(at("2025-06-16T09:00:00Z"));
    expect(next("*/15 * * * *", "2025-06-11T10:00:00Z")).toBe(at("2025-06-11T10:15:00Z"));
    expect(next("0 9 * * *", "2025-06-11T09:00:00Z")).toBe(at("2025-06-12T09:00:00Z"));
  });

  it("reads the wall clock of the zone", () => {
    expect(next("0 9 * * *", "2025-06-11T00:00:00Z", "America/New_York")).toBe(at("2025-06-11T13:00:00Z"));
    expect(next("0 9 * * *", "2025-03-09T05:00:00Z", "America/New_York")).toBe(at("2025-03-09T13:00:00Z"));
  });

  it("matches either day field when both are restricted, as classic cron does", () => {
    // The 1st of the month or a Friday: from Tue 3 June → Fri 6 June.
    expect(next("0 9 1 * 5", "2025-06-03T00:00:00Z")).toBe(at("2025-06-06T09:00:00Z"));
  });

  it("finds 29 February, and treats 7 as Sunday", () => {
    expect(next("0 0 29 2 *", "2025-03-01T00:00:00Z")).toBe(at("2028-02-29T00:00:00Z"));
    expect(next("0 9 * * 7", "2025-06-11T00:00:00Z")).toBe(at("2025-06-15T09:00:00Z"));
  });

  it("never fires for a date that does not exist", () => {
    expect(next("0 0 30 2 *", "2025-01-01T00:00:00Z")).toBeNull();
  });
});

describe("recurrence rules (RFC 5545)", () => {
  const THANKSGIVING = "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;BYHOUR=9;BYMINUTE=0";

  it("says the fourth Thursday of November at 09:00, contact-local, and says it in words", () => {
    expect(ruleProblem(THANKSGIVING)).toBeNull();
    expect(describeRule(THANKSGIVING)).toBe("every November on the 4th Thursday at 09:00");
    expect(nextRule(THANKSGIVING, "2026-01-01T00:00:00Z", "America/New_York")).toBe(
      at("2026-11-26T14:00:00Z"),
    );
    expect(nextRule(THANKSGIVING, "2026-11-26T14:00:00Z", "America/New_York")).toBe(
      at("2027-11-25T14:00:00Z"),
    );
    expect(nextRule(THANKSGIVING, "2026-01-01T00:00:00Z", "Asia/Tokyo")).toBe(at("2026-11-26T00:00:00Z"));
  });

  it("refuses what is not a rule, what never fires, and what leaves the time or day unsaid", () => {
    expect(ruleProblem("every monday")).toMatch(/recurrence rule/);
    expect(ruleProblem("")).toMatch(/recurrence rule/);
    expect(ruleProblem("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=9;BYMINUTE=0")).toMatch(/never fires/);
    expect(ruleProblem("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0;UNTIL=19990101T000000Z")).toMatch(
      /never fires/,
    );
    expect(ruleProblem("FREQ=WEEKLY;BYHOUR=9;BYMINUTE=0")).toMatch(/weekdays/);
    expect(ruleProblem("FREQ=DAILY")).toMatch(/time of day/);
    expect(ruleProblem("FREQ=YEARLY;BYMONTH=11;BYHOUR=9;BYMINUTE=0")).toMatch(/month and the day/);
    expect(ruleProblem("FREQ=DAILY;BYHOUR=9;BYMINUTE=0;COUNT=3")).toMatch(/COUNT/);
    expect(ruleProblem("FREQ=SECONDLY")).toMatch(/every minute/);
    expect(ruleProblem("DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0")).toMatch(
      /recurrence rule/,
    );
    expect(
      nextRule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=9;BYMINUTE=0", "2026-01-01T00:00:00Z", "UTC"),
    ).toBeNull();
  });

  // 09:00 and 02:30 local, every day, across each zone's spring and autumn changes.
  const zones: Array<{ zone: string; spring: string; autumn: string; before: number; after: number }> = [
    // offsets in hours (local = UTC + offset) before and after the spring change
    { zone: "America/New_York", spring: "2026-03-08", autumn: "2026-11-01", before: -5, after: -4 },
    { zone: "Europe/London", spring: "2026-03-29", autumn: "2026-10-25", before: 0, after: 1 },
    { zone: "Europe/Berlin", spring: "2026-03-29", autumn: "2026-10-25", before: 1, after: 2 },
    { zone: "Australia/Sydney", spring: "2026-10-04", autumn: "2026-04-05", before: 10, after: 11 },
  ];
  const utc = (day: string, hour: number, minute: number, offset: number) =>
    Date.parse(`${day}T00:00:00Z`) + (hour - offset) * 3_600_000 + minute * 60_000;
  const dayBefore = (day: string) =>
    new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const dayAfter = (day: string) =>
    new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

  for (const z of zones) {
    it(`keeps 09:00 at 09:00 on ${z.zone}'s wall clock across its DST changes`, () => {
      const nine = "FREQ=DAILY;BYHOUR=9;BYMINUTE=0";
      // The day before spring forward, that day, and the day after.
      const from = utc(dayBefore(z.spring), 12, 0, z.before);
      const first = nextRuleTime([nine], from, z.zone)!;
      expect(first).toBe(utc(z.spring, 9, 0, z.after));
      expect(nextRuleTime([nine], first, z.zone)).toBe(utc(dayAfter(z.spring), 9, 0, z.after));
      // Across the autumn change: back to the standard offset.
      const autumnFrom = utc(dayBefore(z.autumn), 12, 0, z.after);
      expect(nextRuleTime([nine], autumnFrom, z.zone)).toBe(utc(z.autumn, 9, 0, z.before));
    });

    it(`fires once, just after the gap, when 02:30 does not exist on ${z.zone}'s spring-forward day`, () => {
      const rule = "FREQ=DAILY;BYHOUR=2;BYMINUTE=30";
      const from = utc(dayBefore(z.spring), 12, 0, z.before);
      const at = nextRuleTime([rule], from, z.zone)!;
      // Never before the change and never skipped: within the hour after local 02:00 that day.
      expect(at).toBeGreaterThan(from);
      expect(at).toBeLessThan(utc(z.spring, 4, 0, z.after));
      const following = nextRuleTime([rule], at, z.zone)!;
      expect(following).toBe(utc(dayAfter(z.spring), 2, 30, z.after));
    });
  }

  it("finds the next occurrence of dense and sparse rules alike", () => {
    const from = at("2026-06-11T10:07:00Z");
    expect(nextRuleTime(["FREQ=MINUTELY;BYMINUTE=0,15,30,45"], from, "Europe/Berlin")).toBe(
      at("2026-06-11T10:15:00Z"),
    );
    const thanksgiving = nextRuleTime([THANKSGIVING], from, "America/New_York");
    expect(thanksgiving).not.toBeNull();
    expect(new Date(thanksgiving!).getUTCMonth()).toBe(10);
  });
});
