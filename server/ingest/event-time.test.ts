import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventTime, FUTURE_TOLERANCE_MS, ORIGINAL_TIMESTAMP_PROPERTY } from "./event-time";

const NOW = new Date("2026-03-02T20:30:00Z");

describe("eventTime", () => {
  it("takes the arrival time when the event has no timestamp", () => {
    expect(eventTime(undefined, { a: 1 }, NOW)).toEqual({
      occurredAt: NOW,
      properties: { a: 1 },
      clamped: false,
    });
  });

  it("keeps a past timestamp, and one up to 5 minutes ahead (clock skew)", () => {
    const past = new Date("2026-03-02T20:10:00Z");
    expect(eventTime(past, {}, NOW).occurredAt).toEqual(past);
    const ahead = new Date(NOW.getTime() + FUTURE_TOLERANCE_MS);
    expect(eventTime(ahead, {}, NOW)).toEqual({ occurredAt: ahead, properties: {}, clamped: false });
  });

  it("clamps a timestamp more than 5 minutes ahead to the arrival time, keeping the one sent", () => {
    const ahead = new Date("2026-03-02T22:30:00Z");
    expect(eventTime(ahead, { cart_id: "c" }, NOW)).toEqual({
      occurredAt: NOW,
      properties: { cart_id: "c", [ORIGINAL_TIMESTAMP_PROPERTY]: "2026-03-02T22:30:00.000Z" },
      clamped: true,
    });
  });

  it("never places an event more than 5 minutes after its arrival", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10 * 86_400_000, max: 86_400_000 }), (offset) => {
        const t = eventTime(new Date(NOW.getTime() + offset), {}, NOW);
        expect(t.occurredAt.getTime()).toBeLessThanOrEqual(NOW.getTime() + FUTURE_TOLERANCE_MS);
        expect(t.clamped).toBe(offset > FUTURE_TOLERANCE_MS);
      }),
    );
  });
});
