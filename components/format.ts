/**
 * The one place numbers become words in the UI: counts, shares and rates, money. The
 * dashboard, the builder's analytics, the flows list and the contact page all use these,
 * so one figure reads the same wherever it is shown.
 */

const count = new Intl.NumberFormat("en");
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

/** "1,204"; from 100,000 on "123.4K", so a stat cell keeps its width. */
export function formatCount(n: number): string {
  return Math.abs(n) >= 100_000 ? compact.format(n) : count.format(n);
}

/** A share as a percentage: "62%", "4.3%", "<0.1%"; "—" when there is nothing to divide by. */
export function formatShare(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return "—";
  if (share === 0) return "0%";
  if (share < 0.001) return "<0.1%";
  const pct = share * 100;
  return `${pct >= 10 || Number.isInteger(pct) ? Math.round(pct) : pct.toFixed(1)}%`;
}

/** `part` of `whole` as a percentage, "—" when the whole is zero. */
export function formatRate(part: number, whole: number): string {
  return whole > 0 ? formatShare(part / whole) : "—";
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Money in the shop's currency (USD when unknown or not a currency code): "$1,240", "$12.50". */
export function formatMoney(cents: number, currency = "USD"): string {
  const whole = cents % 100 === 0;
  const key = `${currency}:${whole}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat("en", {
        style: "currency",
        currency,
        minimumFractionDigits: whole ? 0 : 2,
        maximumFractionDigits: whole ? 0 : 2,
      });
    } catch {
      return formatMoney(cents, "USD");
    }
    moneyFormats.set(key, format);
  }
  return format.format(cents / 100);
}

/** An amount in currency units as events carry it (`value: 12.5`) — not cents. */
export function formatAmount(amount: number, currency = "USD"): string {
  return formatMoney(Math.round(amount * 100), currency);
}

/** Revenue in several currencies: the first, and "+n" for the others. */
export function formatRevenue(revenue: ReadonlyArray<{ currency: string; cents: number }>): string {
  const [main, ...rest] = revenue;
  if (!main) return "—";
  const text = formatMoney(main.cents, main.currency);
  return rest.length ? `${text} +${rest.length}` : text;
}
