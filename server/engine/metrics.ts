/**
 * What each number a marketer reads means: one definition per metric, with its time basis,
 * shared by every page that shows it (flows list, dashboard, canvas header, step stats,
 * contact page) and by the queries in server/analytics/metrics.ts. Pure: words, ranges and
 * step titles only.
 *
 * Time basis, one per metric:
 * - the journey (entered, waiting, passed on, exited, finished) counts the contacts who
 *   ENTERED the flow in the range, wherever they are now, so every step's numbers add up:
 *   entered = waiting + passed on + exited, and what a step passes on is what its next
 *   steps received;
 * - messages (sent, delivered, opened, clicked, unsubscribed, skipped) count by the day
 *   the thing HAPPENED (the provider's event time), as inboxes report them;
 * - conversions and revenue count by the day of the order (the goal event's own time),
 *   credited to the flow's message the contact last opened or clicked within the flow's
 *   attribution window (email: the flow's days; SMS and push: 24 hours after a click).
 * Days are UTC calendar days.
 */
import type { StepNames } from "./predicate";
import type { FlowNode } from "./graph";
import { definitionOf, isNodeKind } from "./nodes";

export type MetricBasis = "entry" | "event" | "order" | "now";

export type MetricKey =
  | "entered"
  | "waiting"
  | "passed"
  | "exited"
  | "finished"
  | "sent"
  | "delivered"
  | "opened"
  | "clicked"
  | "bounced"
  | "unsubscribed"
  | "skipped"
  | "recipients"
  | "conversions"
  | "revenue"
  | "conversionRate"
  | "revenuePerRecipient";

export interface MetricDefinition {
  label: string;
  basis: MetricBasis;
  /** One sentence, for a tooltip: what is counted and on which date. */
  help: string;
}

const BASIS_WORDS: Record<MetricBasis, string> = {
  entry: "Counts contacts who entered the flow in the dates shown.",
  event: "Counted on the day it happened.",
  order: "Counted on the day of the order, within the flow's attribution window.",
  now: "Right now, for contacts who entered in the dates shown.",
};

function define(label: string, basis: MetricBasis, what: string): MetricDefinition {
  return { label, basis, help: `${what} ${BASIS_WORDS[basis]}` };
}

export const METRICS: Record<MetricKey, MetricDefinition> = {
  entered: define("Entered", "entry", "Contacts who reached this step."),
  waiting: define("Waiting", "now", "Contacts at this step now."),
  passed: define("Passed on", "entry", "Contacts who went on from this step."),
  exited: define(
    "Exited",
    "entry",
    "Contacts whose journey stopped at this step: goal reached, filtered out, an Exit step, an error.",
  ),
  finished: define("Finished", "entry", "Contacts who passed this step with no step after it."),
  sent: define("Sent", "event", "Messages handed to the provider."),
  delivered: define("Delivered", "event", "Messages the provider reported delivered (first report)."),
  opened: define("Opened", "event", "Messages opened at least once (first open)."),
  clicked: define("Clicked", "event", "Messages clicked at least once (first click)."),
  bounced: define("Bounced", "event", "Messages the provider reported bounced."),
  unsubscribed: define("Unsubscribed", "event", "Messages whose reader unsubscribed."),
  skipped: define("Skipped", "event", "Messages not sent, by reason."),
  recipients: define("Recipients", "event", "Contacts who were sent at least one message of the flow."),
  conversions: define(
    "Conversions",
    "order",
    "Goal orders credited to a message of this flow the contact opened or clicked.",
  ),
  revenue: define("Revenue", "order", "The value of those credited orders."),
  conversionRate: define(
    "Conversion rate",
    "order",
    "Credited conversions divided by the contacts who were sent a message in the dates shown.",
  ),
  revenuePerRecipient: define(
    "Revenue per recipient",
    "order",
    "Credited revenue divided by the contacts who were sent a message in the dates shown.",
  ),
};

/** The ranges every page offers. */
export type RangePresetKey = "7d" | "30d" | "90d" | "all";

export const RANGE_LABELS: Record<RangePresetKey, string> = {
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  all: "All time",
};

/** The flows list's range. */
export const LIST_RANGE: RangePresetKey = "30d";

/** A range of UTC days, both ends included; a missing end is open. */
export interface DayRange {
  from?: string;
  to?: string;
}

const DAY_MS = 86_400_000;

/** A day as `YYYY-MM-DD` (UTC). */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The days of a preset, today included: "Last 7 days" is today and the 6 days before. */
export function rangeOfPreset(preset: RangePresetKey, now: number): DayRange {
  if (preset === "all") return {};
  const days = preset === "7d" ? 7 : preset === "30d" ? 30 : 90;
  return { from: isoDay(now - (days - 1) * DAY_MS), to: isoDay(now) };
}

/** The first instant of `from` and the first instant after `to` (UTC), for timestamp filters. */
export function rangeBounds(range: DayRange): { start: Date | null; end: Date | null } {
  return {
    start: range.from ? new Date(Date.parse(`${range.from}T00:00:00Z`)) : null,
    end: range.to ? new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS) : null,
  };
}

/** How an enrollment's journey ended, as the metrics group it. */
export type EndReason =
  "goal" | "filter" | "exit_node" | "end" | "node_removed" | "cancelled" | "failed" | "other";

export const END_REASON_LABELS: Record<EndReason, string> = {
  goal: "Reached the goal",
  filter: "No longer matched the filter",
  exit_node: "Exit step",
  end: "Finished the flow",
  node_removed: "Step removed in a new version",
  cancelled: "Stopped by hand",
  failed: "Stopped by an error",
  other: "Stopped",
};

/** The reason an ended enrollment is counted under, from its status and exit reason. */
export function endReasonOf(status: string, exitReason: string | null): EndReason {
  if (status === "failed") return "failed";
  if (exitReason && exitReason in END_REASON_LABELS) return exitReason as EndReason;
  return "other";
}

/** Longest step title before it is shortened with "…". */
const TITLE_MAX = 60;

/**
 * A step as the marketer knows it: the card's title ("Wait 1 hour", "Email: Your cart is
 * waiting"), shortened past 60 characters. Never the internal id.
 */
export function stepTitle(
  node: Pick<FlowNode, "kind" | "config"> | undefined,
  /** The flow's other steps by id, so a step that points at one names it by its title. */
  steps?: ReadonlyMap<string, Pick<FlowNode, "kind" | "config">>,
): string {
  if (!node || !isNodeKind(node.kind)) return "A removed step";
  const definition = definitionOf(node.kind);
  const names = steps && stepNames(steps);
  let summary = "";
  try {
    summary = definition.summary(node.config, names).trim();
  } catch {
    summary = "";
  }
  if (!summary) return definition.label;
  return summary.length > TITLE_MAX ? `${summary.slice(0, TITLE_MAX - 1).trimEnd()}…` : summary;
}

/** Steps' titles by id, for a step that points at another ("opened “Email: Happy birthday”"). */
export function stepNames(steps: ReadonlyMap<string, Pick<FlowNode, "kind" | "config">>): StepNames {
  return (id) => (steps.has(id) ? stepTitle(steps.get(id)) : undefined);
}

/** The words of a step's output ("Yes", "Timed out", "Branch A"), never the handle id when a label exists. */
export function outputTitle(node: Pick<FlowNode, "kind" | "config"> | undefined, handle: string): string {
  if (!node || !isNodeKind(node.kind)) return handle;
  try {
    return definitionOf(node.kind).outputLabel(node.config, handle) || handle;
  } catch {
    return handle;
  }
}

/** What a contact did at a step, in words: "waiting", "passed on", "took Yes", "reached an Exit step". */
export function stepOutcomeWords(
  node: Pick<FlowNode, "kind" | "config"> | undefined,
  outcome: string,
): string {
  if (outcome === "wait") return "waiting";
  if (outcome === "exit") return "reached an Exit step";
  if (outcome === "goal") return "reached the goal";
  if (outcome === "next") return "passed on";
  return `took “${outputTitle(node, outcome)}”`;
}
