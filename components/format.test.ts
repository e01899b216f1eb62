import { describe, expect, it } from "vitest";
import { formatAmount, formatCount, formatMoney, formatRate, formatRevenue, formatShare } from "./format";

describe("number formatting", () => {
  it("counts with separators, compact from 100,000 on", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(1204)).toBe("1,204");
    expect(formatCount(99_999)).toBe("99,999");
    expect(formatCount(123_456)).toBe("123.5K");
    expect(formatCount(2_000_000)).toBe("2M");
  });

  it("shares and rates: whole percent from 10 %, one decimal below, a dash with nothing to divide by", () => {
    expect(formatShare(0.62)).toBe("62%");
    expect(formatShare(0.6249)).toBe("62%");
    expect(formatShare(0.043)).toBe("4.3%");
    expect(formatShare(0.05)).toBe("5%");
    expect(formatShare(1)).toBe("100%");
    expect(formatShare(0)).toBe("0%");
    expect(formatShare(0.0004)).toBe("<0.1%");
    expect(formatShare(null)).toBe("—");
    expect(formatRate(1, 3)).toBe("33%");
    expect(formatRate(5, 0)).toBe("—");
  });

  it("money in the shop's currency, cents only when there are any, USD when the code is unknown", () => {
    expect(formatMoney(124_000)).toBe("$1,240");
    expect(formatMoney(1250)).toBe("$12.50");
    expect(formatMoney(0)).toBe("$0");
    expect(formatMoney(9900, "EUR")).toBe("€99");
    expect(formatMoney(1999, "GBP")).toBe("£19.99");
    expect(formatMoney(500, "not a currency")).toBe("$5");
  });

  it("amounts in currency units (as events carry them) and revenue in several currencies", () => {
    expect(formatAmount(12.5)).toBe("$12.50");
    expect(formatAmount(49.99, "EUR")).toBe("€49.99");
    expect(formatAmount(20, "USD")).toBe("$20");
    expect(formatRevenue([])).toBe("—");
    expect(formatRevenue([{ currency: "USD", cents: 124_000 }])).toBe("$1,240");
    expect(
      formatRevenue([
        { currency: "USD", cents: 1250 },
        { currency: "EUR", cents: 900 },
      ]),
    ).toBe("$12.50 +1");
  });
});
