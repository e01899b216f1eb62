import { describe, expect, it } from "vitest";
import { nextCronTime, parseCron } from "./cron";
import { at } from "./testing/fixtures";

const next = (expr: string, from: string, zone = "UTC") => {
  const spec = parseCron(expr);
  if (!spec) throw new Error(`bad cron ${expr}`);
  return nextCronTime(spec, at(from), zone);
};

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
