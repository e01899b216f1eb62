import { describe, expect, it } from "vitest";
import { twoProportionTest } from "./stats";

describe("twoProportionTest", () => {
  it("gives two-sided normal p-values, within [0, 1]", () => {
    // 120/1000 vs 80/1000: pooled 0.1, se = sqrt(0.1 · 0.9 · 2/1000), z = 0.04 / se ≈ 2.98.
    const t = twoProportionTest({ conversions: 120, contacts: 1000 }, { conversions: 80, contacts: 1000 });
    expect(t.z).toBeCloseTo(2.9814, 3);
    expect(t.pValue).toBeCloseTo(0.00287, 4);
    const far = twoProportionTest({ conversions: 300, contacts: 1000 }, { conversions: 200, contacts: 1000 });
    expect(far.pValue).toBeGreaterThan(0);
    expect(far.pValue).toBeLessThan(1e-5);
    expect(
      twoProportionTest({ conversions: 10, contacts: 100 }, { conversions: 10, contacts: 100 }).pValue,
    ).toBe(1);
  });
});
