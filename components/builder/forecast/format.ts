/**
 * Words and numbers of the Forecast view: a step's forecast cells, its difference from the
 * live version ("+38 emails, −2 conversions") and the note on steps whose way depends on
 * opens or clicks ("uses observed open rate 41 %"). Pure, so the card and the tests share them.
 */
import type { FlowGraph } from "@/server/engine/graph";
import { definitionOf, isNodeKind, MESSAGE_KINDS } from "@/server/engine/nodes";
import { engagementPredicatesIn } from "@/server/engine/predicate";
import { END_REASON_LABELS, type EndReason } from "@/server/engine/metrics";
import { formatCount, formatMoney, formatShare } from "@/components/format";
import { skipReasons } from "../analytics/format";

/** A step's forecast as the job stores it (the replay's NodeForecast). */
export type NodeForecastLike = {
  entered: number;
  waiting: number;
  passedOn: number;
  outcomes?: Record<string, number>;
  exited: Record<string, number | undefined>;
  sent: number;
  skipped: Record<string, number | undefined>;
  conversions: number;
  revenueCents: number;
  estimated: boolean;
  /** Sends and skips decided on consent or suppression as they were then (not today's). */
  asOf?: { consent: number; suppression: number };
};

/**
 * Where consent or suppression as of the window, not today's, decided this step's messages:
 * "3 decided on consent as it was then (changed since)". Null where it made no difference.
 */
export function asOfNote(f: Pick<NodeForecastLike, "asOf">): string | null {
  const consent = f.asOf?.consent ?? 0;
  const suppression = f.asOf?.suppression ?? 0;
  const parts = [
    consent > 0 ? `${consent} on consent` : null,
    suppression > 0 ? `${suppression} on suppression` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? `${parts.join(", ")} as it was then (changed since)` : null;
}

/** The workspace's observed open and click rates per channel, when the replay reports them. */
export type ObservedRatesLike = Partial<Record<string, { opened: number; clicked: number }>>;

export const EMPTY_FORECAST: NodeForecastLike = {
  entered: 0,
  waiting: 0,
  passedOn: 0,
  outcomes: {},
  exited: {},
  sent: 0,
  skipped: {},
  conversions: 0,
  revenueCents: 0,
  estimated: false,
};

/** The windows a forecast can cover. */
export const FORECAST_WINDOWS = [7, 30, 60, 90] as const;

function total(counts: Record<string, number | undefined>): number {
  return Object.values(counts).reduce<number>((n, v) => n + (v ?? 0), 0);
}

function defined(counts: Record<string, number | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) if (v) out[k] = v;
  return out;
}

/** The channel a message step sends on (email, sms, push), from the kinds' traits. */
export function channelOfKind(kind: string): string | null {
  return isNodeKind(kind) ? definitionOf(kind).traits.channel : null;
}

const MESSAGE_NOUNS: Record<string, [string, string]> = {
  email: ["email", "emails"],
  sms: ["SMS", "SMS"],
  push: ["push notification", "push notifications"],
};

/** "+38 emails", "−1 SMS", "+5 entered": a signed count with its noun; null when there is no change. */
function signed(n: number, [one, many]: [string, string]): string | null {
  if (n === 0) return null;
  return `${n > 0 ? "+" : "−"}${formatCount(Math.abs(n))} ${Math.abs(n) === 1 ? one : many}`;
}

/**
 * How the draft differs from the live version at a step over the same window: messages and
 * conversions on a message step, contacts entering on any other; "same as live" when nothing differs.
 */
export function forecastDifference(kind: string, draft: NodeForecastLike, live: NodeForecastLike): string {
  const channel = channelOfKind(kind);
  const parts = channel
    ? [
        signed(draft.sent - live.sent, MESSAGE_NOUNS[channel] ?? ["message", "messages"]),
        signed(draft.conversions - live.conversions, ["conversion", "conversions"]),
      ]
    : [signed(draft.entered - live.entered, ["entered", "entered"])];
  const said = parts.filter((p): p is string => p !== null);
  return said.length ? `${said.join(", ")} vs live` : "Same as live";
}

const ENGAGEMENT_WORDS: Record<string, string> = { opened: "open", clicked: "click" };

/**
 * On a step whose way depends on opens or clicks of the forecast's own messages: which of the
 * shop's observed rates it used ("uses observed open rate 41 %"), from the step's conditions.
 */
export function estimateNote(graph: FlowGraph, nodeId: string, rates: ObservedRatesLike | null): string {
  const node = graph.nodes.find((n) => n.id === nodeId);
  const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  const notes = new Set<string>();
  for (const p of engagementPredicatesIn([node?.config])) {
    const word = ENGAGEMENT_WORDS[p.engagement];
    if (!word) continue;
    const channel = (p.step ? channelOfKind(kinds.get(p.step) ?? "") : p.channel) ?? "email";
    const rate = rates?.[channel]?.[p.engagement as "opened" | "clicked"];
    const where = channel === "email" ? "" : ` (${MESSAGE_NOUNS[channel]?.[0] ?? channel})`;
    notes.add(
      rate === undefined
        ? `uses the shop's observed ${word} rate${where}`
        : `uses observed ${word} rate ${formatShare(rate)}${where}`,
    );
  }
  return notes.size
    ? `Estimate: ${[...notes].join(", ")}`
    : "Estimate: uses the shop's observed open and click rates";
}

export type ForecastCell = { key: string; label: string; value: string; title?: string };

/**
 * The cells of a card's forecast block. Every step: entered, waiting at the window's end,
 * passed on, exited (by reason in the title). Message steps also: would send, skipped by
 * reason, goal conversions and their revenue from the contacts' real later orders.
 */
export function forecastCells(kind: string, f: NodeForecastLike, currency = "USD") {
  const exitedBy = Object.entries(defined(f.exited))
    .sort(([, a], [, b]) => b - a)
    .map(([reason, n]) => `${END_REASON_LABELS[reason as EndReason] ?? reason} ${formatCount(n)}`);
  const flow: ForecastCell[] = [
    {
      key: "entered",
      label: "Entered",
      value: formatCount(f.entered),
      title: "Contacts who would have reached this step in the window",
    },
    {
      key: "waiting",
      label: "Waiting",
      value: formatCount(f.waiting),
      title: "Still here at the window's end",
    },
    {
      key: "passed",
      label: "Passed on",
      value: formatCount(f.passedOn),
      title: "Went on to a next step",
    },
    {
      key: "exited",
      label: "Exited",
      value: formatCount(total(f.exited)),
      title: exitedBy.length ? `Left the flow here: ${exitedBy.join(" · ")}` : "Left the flow here",
    },
  ];
  if (!(MESSAGE_KINDS as ReadonlySet<string>).has(kind)) return { flow, message: null, exitedBy };
  const skipped = skipReasons(defined(f.skipped));
  return {
    flow,
    exitedBy,
    message: {
      sent: formatCount(f.sent),
      skipped: { total: skipped.reduce((n, r) => n + r.count, 0), reasons: skipped },
      conversions: formatCount(f.conversions),
      revenue: formatMoney(f.revenueCents, currency),
    },
  };
}

/** The label on an edge out of a branching step in the forecast: "62% · 1,204". */
export function forecastEdgeLabel(f: NodeForecastLike | undefined, handle: string): string {
  const outcomes = f?.outcomes ?? {};
  const all = total(outcomes);
  const n = outcomes[handle] ?? 0;
  return `${formatShare(all > 0 ? n / all : null)} · ${formatCount(n)}`;
}

/** The one number a zoomed-out card shows: would send · conversions on a message step, entered on any other. */
export function forecastHeadline(kind: string, f: NodeForecastLike): string {
  if ((MESSAGE_KINDS as ReadonlySet<string>).has(kind))
    return `${formatCount(f.sent)} would send · ${formatCount(f.conversions)} conv.`;
  return `${formatCount(f.entered)} entered`;
}
