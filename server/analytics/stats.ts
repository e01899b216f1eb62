/**
 * Per-step flow statistics for the canvas, from the one definition of each metric
 * (./metrics): the journey of the contacts who entered in the range (entered, waiting now,
 * passed on per output, exited per reason, finished), the messages by the day things
 * happened, and the credited conversions by the order's day.
 */
import type { DbOrTx } from "@/server/db/client";
import { errorFunction } from "simple-statistics";
import {
  creditedConversions,
  flowHeadline,
  journeyCounts,
  messageCounts,
  type FlowHeadline,
} from "./metrics";

export interface NodeStats {
  /** Contacts who reached the step: waiting + passed + exited. */
  entered: number;
  waiting: number;
  /** Contacts who went on from the step (including those with no step after it: `finished`). */
  passed: number;
  /** Contacts whose journey stopped at the step (goal, filter, exit step, error…). */
  exited: number;
  /** Exits by reason (`goal`, `filter`, `exit_node`, `failed`…). */
  exitedBy: Record<string, number>;
  /** Contacts who passed the step with no step after it (the flow's end). */
  finished: number;
  /** Contacts per output handle (`next`, `yes`, `no`, a branch id…) and its share of those who passed. */
  outcomes: Record<string, { count: number; share: number }>;
  sent: number;
  failed: number;
  delivered: number;
  opened: number;
  clicked: number;
  clicks: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
  skipped: Record<string, number>;
  conversions: number;
  revenueCents: number;
}

export interface FlowStats {
  nodes: Record<string, NodeStats>;
  flow: FlowHeadline;
}

export const emptyNodeStats = (): NodeStats => ({
  entered: 0,
  waiting: 0,
  passed: 0,
  exited: 0,
  exitedBy: {},
  finished: 0,
  outcomes: {},
  sent: 0,
  failed: 0,
  delivered: 0,
  opened: 0,
  clicked: 0,
  clicks: 0,
  bounced: 0,
  complained: 0,
  unsubscribed: 0,
  skipped: {},
  conversions: 0,
  revenueCents: 0,
});

const SIMPLE = [
  "sent",
  "failed",
  "delivered",
  "opened",
  "clicked",
  "clicks",
  "bounced",
  "complained",
  "unsubscribed",
] as const;

export async function flowStats(
  db: DbOrTx,
  input: {
    workspaceId: string;
    flowId: string;
    from?: string | undefined;
    to?: string | undefined;
    versionId?: string | undefined;
  },
): Promise<FlowStats> {
  const scope = {
    workspaceId: input.workspaceId,
    flowId: input.flowId,
    range: { ...(input.from ? { from: input.from } : {}), ...(input.to ? { to: input.to } : {}) },
    versionId: input.versionId,
  };
  const [journey, sent, credited, flow] = await Promise.all([
    journeyCounts(db, scope),
    messageCounts(db, scope),
    creditedConversions(db, { ...scope, flowIds: [input.flowId] }),
    flowHeadline(db, scope),
  ]);

  const nodes: Record<string, NodeStats> = {};
  const node = (id: string) => (nodes[id] ??= emptyNodeStats());
  for (const [nodeId, outcomes] of Object.entries(journey.outcomes)) {
    const n = node(nodeId);
    for (const [outcome, count] of Object.entries(outcomes)) {
      n.passed += count;
      n.outcomes[outcome] = { count, share: 0 };
    }
  }
  for (const [nodeId, byReason] of Object.entries(journey.exited)) {
    const n = node(nodeId);
    for (const [reason, count] of Object.entries(byReason)) {
      n.exited += count ?? 0;
      n.exitedBy[reason] = (n.exitedBy[reason] ?? 0) + (count ?? 0);
    }
  }
  for (const [nodeId, count] of Object.entries(journey.finished)) node(nodeId).finished += count;
  for (const [nodeId, count] of Object.entries(journey.waiting)) node(nodeId).waiting += count;
  for (const [nodeId, metrics] of Object.entries(sent)) {
    const n = node(nodeId);
    for (const [metric, value] of Object.entries(metrics)) {
      if (metric.startsWith("skipped:"))
        n.skipped[metric.slice(8)] = (n.skipped[metric.slice(8)] ?? 0) + value;
      else if ((SIMPLE as readonly string[]).includes(metric)) n[metric as (typeof SIMPLE)[number]] += value;
    }
  }
  for (const r of credited) {
    if (!r.nodeId) continue;
    const n = node(r.nodeId);
    n.conversions += r.conversions;
    if (r.currency === flow.currency) n.revenueCents += r.cents;
  }
  for (const n of Object.values(nodes)) {
    n.entered = n.passed + n.exited + n.waiting;
    for (const o of Object.values(n.outcomes)) o.share = n.passed ? o.count / n.passed : 0;
  }
  return { nodes, flow };
}

/** Below this many expected conversions (and non-conversions) per branch the normal approximation does not hold. */
export const MIN_EXPECTED_PER_BRANCH = 5;

/**
 * Two-proportion z-test: how sure we are that branch A's conversion rate differs from B's.
 * It only calls a difference significant (p < 0.05) once each branch expects at least
 * MIN_EXPECTED_PER_BRANCH conversions and non-conversions at the pooled rate; with a
 * handful of contacts the approximation would claim confidence it does not have.
 */
export function twoProportionTest(
  a: { conversions: number; contacts: number },
  b: { conversions: number; contacts: number },
) {
  if (a.contacts === 0 || b.contacts === 0) return { z: 0, pValue: 1, significant: false };
  const p1 = a.conversions / a.contacts;
  const p2 = b.conversions / b.contacts;
  const pooled = (a.conversions + b.conversions) / (a.contacts + b.contacts);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.contacts + 1 / b.contacts));
  if (se === 0) return { z: 0, pValue: 1, significant: false };
  const z = (p1 - p2) / se;
  const pValue = Math.min(1, Math.max(0, 2 * (1 - normalCdf(Math.abs(z)))));
  const enough = [a.contacts, b.contacts].every(
    (n) => n * pooled >= MIN_EXPECTED_PER_BRANCH && n * (1 - pooled) >= MIN_EXPECTED_PER_BRANCH,
  );
  return { z, pValue, significant: enough && pValue < 0.05 };
}

/** The standard normal CDF, from simple-statistics' error function (its table-based CDF rounds z to 0.01). */
function normalCdf(x: number): number {
  return 0.5 * (1 + errorFunction(x / Math.SQRT2));
}
