import { describe, expect, it } from "vitest";
import { InactivityTrigger } from "@/server/engine/nodes/trigger";
import { inactivityOccurrences } from "./inactivity";

const DAY = 86_400_000;
const FROM = Date.parse("2026-10-01T00:00:00Z");
const TO = FROM + 30 * DAY;
const trigger = InactivityTrigger.parse({ type: "inactivity", event: "Placed Order", days: 10 });

describe("inactivity occurrences in a forecast window", () => {
  it("fires where a gap reaches the days, once per gap, from the last order before the window too", () => {
    const at = inactivityOccurrences(
      trigger,
      { lastBefore: FROM - 5 * DAY, times: [FROM + 12 * DAY, FROM + 2 * DAY], joinedAt: 0, hasEmail: true },
      FROM,
      TO,
    );
    // The gap from the order before the window ends on day 2 (7 days), day 2 → 12 is exactly
    // 10 days but the order comes at the moment it would lapse, so only day 12 + 10 fires.
    expect(at).toEqual([FROM + 22 * DAY]);
  });

  it("counts contacts who never ordered from when they joined only when asked, and only with an email", () => {
    const never = { lastBefore: null, times: [], joinedAt: FROM - 3 * DAY, hasEmail: true };
    expect(inactivityOccurrences(trigger, never, FROM, TO)).toEqual([]);
    const including = InactivityTrigger.parse({ ...trigger, includeNeverDone: true });
    expect(inactivityOccurrences(including, never, FROM, TO)).toEqual([FROM + 7 * DAY]);
    expect(inactivityOccurrences(including, { ...never, hasEmail: false }, FROM, TO)).toEqual([]);
  });

  it("a lapse before or after the window does not fire in it", () => {
    expect(
      inactivityOccurrences(
        trigger,
        { lastBefore: FROM - 20 * DAY, times: [], joinedAt: 0, hasEmail: true },
        FROM,
        TO,
      ),
    ).toEqual([]);
    expect(
      inactivityOccurrences(
        trigger,
        { lastBefore: null, times: [TO - DAY], joinedAt: 0, hasEmail: true },
        FROM,
        TO,
      ),
    ).toEqual([]);
  });
});
