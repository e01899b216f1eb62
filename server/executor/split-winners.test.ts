import { describe, expect, it } from "vitest";
import { compareBranches, significantWinner, type BranchCounts } from "@/server/analytics/splits";
import { twoProportionTest } from "@/server/analytics/stats";
import type { SplitConfig } from "@/server/engine/nodes/split";
import { conditionMet, splitDecision } from "./split-winners";

const DAY = 86_400_000;
const config = (after: NonNullable<SplitConfig["autoWinner"]>["after"]): SplitConfig => ({
  branches: [
    { id: "a", label: "A", percent: 50 },
    { id: "b", label: "B", percent: 50 },
  ],
  autoWinner: { after, metric: "conversion_rate" },
});
const counts = (a: [number, number], b: [number, number]) =>
  new Map<string, BranchCounts>([
    ["a", { contacts: a[0], conversions: a[1], revenueCents: 0, firstAt: 0 }],
    ["b", { contacts: b[0], conversions: b[1], revenueCents: 0, firstAt: 0 }],
  ]);

describe("automatic split winner", () => {
  it("waits for every threshold the split names", () => {
    const now = 10 * DAY;
    expect(conditionMet(config({ contacts: 100 }), { contacts: 99, firstAt: 0, now })).toBe(false);
    expect(conditionMet(config({ contacts: 100 }), { contacts: 100, firstAt: 0, now })).toBe(true);
    expect(conditionMet(config({ days: 7 }), { contacts: 5, firstAt: now - 7 * DAY + 1, now })).toBe(false);
    expect(conditionMet(config({ days: 7 }), { contacts: 5, firstAt: now - 7 * DAY, now })).toBe(true);
    expect(conditionMet(config({ days: 7 }), { contacts: 0, firstAt: null, now })).toBe(false);
    expect(conditionMet(config({ days: 7, contacts: 100 }), { contacts: 50, firstAt: 0, now })).toBe(false);
    expect(conditionMet(config({}), { contacts: 1_000, firstAt: 0, now })).toBe(false);
    expect(conditionMet({ branches: config({}).branches }, { contacts: 1_000, firstAt: 0, now })).toBe(false);
  });

  it("picks a branch only when it is significantly better than every other", () => {
    expect(
      significantWinner(compareBranches(config({ contacts: 10 }), counts([1000, 80], [1000, 120]))),
    ).toBe("b");
    expect(
      significantWinner(compareBranches(config({ contacts: 10 }), counts([1000, 120], [1000, 80]))),
    ).toBe("a");
    expect(
      significantWinner(compareBranches(config({ contacts: 10 }), counts([100, 9], [100, 11]))),
    ).toBeNull();
    expect(significantWinner(compareBranches(config({ contacts: 10 }), counts([0, 0], [0, 0])))).toBeNull();
    const three: SplitConfig = { branches: [...config({}).branches, { id: "c", label: "C", percent: 0 }] };
    // C beats A clearly but not B: no winner yet.
    const close = new Map([
      ...counts([1000, 80], [1000, 118]),
      ["c", { contacts: 1000, conversions: 120, revenueCents: 0, firstAt: 0 }],
    ]);
    expect(significantWinner(compareBranches(three, close))).toBeNull();
  });

  it("does not call a winner on a handful of contacts, however lopsided", () => {
    // 3 of 4 against 0 of 8: p ≈ 0.005, but a branch expects 1 conversion at the pooled rate.
    const few = counts([8, 0], [4, 3]);
    expect(twoProportionTest(few.get("b")!, few.get("a")!).pValue).toBeLessThan(0.01);
    expect(twoProportionTest(few.get("b")!, few.get("a")!).significant).toBe(false);
    expect(significantWinner(compareBranches(config({ contacts: 10 }), few))).toBeNull();
    // The same rates on 10× the contacts are enough.
    expect(significantWinner(compareBranches(config({ contacts: 10 }), counts([80, 0], [40, 30])))).toBe("b");
  });

  it("says how sure we are against the control", () => {
    const [a, b] = compareBranches(config({ contacts: 10 }), counts([1000, 80], [1000, 120]));
    expect(a?.vsControl).toBeNull();
    expect(b?.vsControl?.verdict).toBe("95% confident B beats A");
    expect(
      compareBranches(config({ contacts: 10 }), counts([1000, 120], [1000, 80]))[1]?.vsControl?.verdict,
    ).toBe("95% confident A beats B");
    expect(
      compareBranches(config({ contacts: 10 }), counts([100, 9], [100, 11]))[1]?.vsControl?.verdict,
    ).toBe("Not enough data yet");
  });

  describe("decided once, at a fixed horizon", () => {
    const clear = counts([500, 20], [500, 80]);
    it("runs no test before the horizon, however lopsided the numbers", () => {
      expect(splitDecision(config({ contacts: 1001 }), clear, 10 * DAY)).toEqual({ kind: "wait" });
      expect(splitDecision(config({ days: 11 }), clear, 10 * DAY)).toEqual({ kind: "wait" });
      expect(splitDecision(config({ days: 3, contacts: 2000 }), clear, 10 * DAY)).toEqual({ kind: "wait" });
    });

    it("decides at the horizon: the winner, or no winner when the one test finds none", () => {
      expect(splitDecision(config({ contacts: 1000 }), clear, 10 * DAY)).toEqual({
        kind: "decide",
        branchId: "b",
        contacts: 1000,
      });
      expect(splitDecision(config({ contacts: 1000 }), counts([500, 40], [500, 45]), 10 * DAY)).toEqual({
        kind: "decide",
        branchId: null,
        contacts: 1000,
      });
    });

    it("calls about 5% false winners on A/A data with one test, fewer than re-testing at every look", () => {
      // mulberry32: a seeded generator, so the figures are the same on every run.
      let state = 7;
      const random = () => {
        state = (state + 0x6d2b79f5) | 0;
        let x = Math.imul(state ^ (state >>> 15), 1 | state);
        x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
        return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
      };
      const runs = 300;
      let once = 0;
      let peeking = 0;
      for (let r = 0; r < runs; r++) {
        const conv = { a: 0, b: 0 };
        let called = false;
        for (let n = 1; n <= 1000; n++) {
          if (random() < 0.1) conv.a++;
          if (random() < 0.1) conv.b++;
          if (n % 50 === 0 && !called)
            called =
              significantWinner(compareBranches(config({}), counts([n, conv.a], [n, conv.b]))) !== null;
        }
        if (called) peeking++;
        const decision = splitDecision(config({ contacts: 2000 }), counts([1000, conv.a], [1000, conv.b]), 0);
        expect(decision.kind).toBe("decide");
        if (decision.kind === "decide" && decision.branchId) once++;
      }
      expect(once / runs).toBeLessThan(0.09);
      expect(peeking / runs).toBeGreaterThan(2 * (once / runs));
    });
  });
});
