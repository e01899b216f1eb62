/**
 * Words and numbers of the analytics canvas: counts, rates, money, skip reasons, branch
 * shares and date ranges. Pure, so the card, the edge and the tests share them.
 */
import { BRANCHING_KINDS as BRANCHING, MESSAGE_KINDS as MESSAGE } from "@/server/engine/nodes";

import { formatCount, formatMoney, formatRate, formatShare } from "@/components/format";
import { END_REASON_LABELS, isoDay, METRICS, rangeOfPreset, type EndReason } from "@/server/engine/metrics";

/**
 * Why a message was not sent, as a marketer says it. The engine skips for no consent,
 * suppression, smart sending and a missing address; a queued message is cancelled when its
 * contact leaves the flow first. (Quiet hours hold a message rather than skip it: those
 * contacts count as waiting.)
 */
const SKIP_REASONS: Record<string, string> = {
  no_consent: "No consent",
  suppressed: "Suppressed",
  smart_sending: "Smart sending",
  quiet_hours: "Quiet hours",
  no_address: "No address",
  cancelled: "Left the flow first",
  coupon_pool_empty: "Coupon pool empty",
  other: "Other",
};

export function skipReasonLabel(reason: string): string {
  return SKIP_REASONS[reason] ?? reason.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());
}

/** The skip reasons with a count, most common first, in marketer wording. */
export function skipReasons(
  skipped: Record<string, number>,
): { key: string; label: string; count: number }[] {
  return Object.entries(skipped)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key, n]) => ({ key, label: skipReasonLabel(key), count: n }));
}

/** The label on an edge out of a branching step: "62% · 1,204". */
export function edgeShareLabel(outcome: { count: number; share: number } | undefined): string {
  if (!outcome) return "0% · 0";
  return `${formatShare(outcome.share)} · ${formatCount(outcome.count)}`;
}

/** Steps whose outputs are choices, so each edge out of them carries its share (from the kinds' traits). */
export const BRANCHING_KINDS: ReadonlySet<string> = BRANCHING;

export type RangePreset = "7d" | "30d" | "90d" | "all" | "custom";

export const RANGE_PRESETS: { value: Exclude<RangePreset, "custom">; label: string }[] = [
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "90d", label: "Last 90 days" },
  { value: "all", label: "All time" },
];

/** A day as `YYYY-MM-DD` (UTC, like the daily rollups). */
export { isoDay };

/** The from/to days of a preset, today included: the same days the flows list and the dashboard use. */
export function presetRange(
  preset: Exclude<RangePreset, "custom">,
  now: number,
): { from?: string; to?: string } {
  return rangeOfPreset(preset, now);
}

/** A custom range the server will take: both ends real days, the end not before the start; a missing end is open. */
export function customRange(
  from: string,
  to: string,
): { range: { from?: string; to?: string } } | { error: string } {
  const valid = (d: string) =>
    /^\d{4}-\d{2}-\d{2}$/.test(d) &&
    !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
    isoDay(Date.parse(`${d}T00:00:00Z`)) === d;
  if (from && !valid(from)) return { error: "The start date is not a date" };
  if (to && !valid(to)) return { error: "The end date is not a date" };
  if (from && to && from > to) return { error: "The end date is before the start date" };
  return { range: { ...(from ? { from } : {}), ...(to ? { to } : {}) } };
}

export type StatCell = { key: string; label: string; value: string; detail?: string; title?: string };

export type NodeStatsLike = {
  exitedBy?: Record<string, number>;
  finished?: number;
  entered: number;
  waiting: number;
  passed: number;
  exited: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  bounced: number;
  unsubscribed: number;
  skipped: Record<string, number>;
  conversions: number;
  revenueCents: number;
};

export const MESSAGE_KINDS: ReadonlySet<string> = MESSAGE;

/**
 * The cells of a card's stats block. Every step: entered, now waiting, passed on, exited
 * here. Messages also: sent, delivered, opened and clicked (unique, with their rate of the
 * delivered — of the sent while no delivery reports came in), bounced, unsubscribed,
 * conversions and revenue; and the skips by reason.
 */
export function nodeStatCells(kind: string, s: NodeStatsLike, currency = "USD") {
  const exitedBy = Object.entries(s.exitedBy ?? {})
    .filter(([, n]) => n > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, n]) => `${END_REASON_LABELS[reason as EndReason] ?? reason} ${formatCount(n)}`);
  const flow: StatCell[] = [
    { key: "entered", label: "Entered", value: formatCount(s.entered), title: METRICS.entered.help },
    { key: "waiting", label: "Waiting", value: formatCount(s.waiting), title: METRICS.waiting.help },
    {
      key: "passed",
      label: "Passed on",
      value: formatCount(s.passed),
      title: s.finished
        ? `${METRICS.passed.help} ${formatCount(s.finished)} of them finished the flow here (no step after this one).`
        : METRICS.passed.help,
    },
    {
      key: "exited",
      label: "Exited",
      value: formatCount(s.exited),
      title: exitedBy.length ? `${METRICS.exited.help} ${exitedBy.join(" · ")}` : METRICS.exited.help,
    },
  ];
  if (!MESSAGE_KINDS.has(kind)) return { flow, message: null };
  const base = s.delivered > 0 ? s.delivered : s.sent;
  const skipped = skipReasons(s.skipped);
  return {
    flow,
    message: {
      cells: [
        { key: "sent", label: "Sent", value: formatCount(s.sent), title: METRICS.sent.help },
        {
          key: "delivered",
          label: "Delivered",
          value: formatCount(s.delivered),
          detail: formatRate(s.delivered, s.sent),
          title: METRICS.delivered.help,
        },
        { key: "bounced", label: "Bounced", value: formatCount(s.bounced), title: METRICS.bounced.help },
        {
          key: "opened",
          label: "Opened",
          value: formatCount(s.opened),
          detail: formatRate(s.opened, base),
          title: METRICS.opened.help,
        },
        {
          key: "clicked",
          label: "Clicked",
          value: formatCount(s.clicked),
          detail: formatRate(s.clicked, base),
          title: METRICS.clicked.help,
        },
        {
          key: "unsubscribed",
          label: "Unsubs",
          value: formatCount(s.unsubscribed),
          title: METRICS.unsubscribed.help,
        },
      ] satisfies StatCell[],
      conversions: { count: formatCount(s.conversions), revenue: formatMoney(s.revenueCents, currency) },
      skipped: { total: skipped.reduce((n, r) => n + r.count, 0), reasons: skipped },
    },
  };
}
