/**
 * Per-node flow statistics for the canvas: read from the trigger-kept daily rollups (a few
 * rows per node and day, whatever the number of messages) plus a live count of who waits
 * where. Waiting is "now"; everything else counts what happened in the date range.
 */
import { and, count, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { enrollments, flowStatsDaily } from "@/server/db/schema";
import { errorFunction } from "simple-statistics";

export interface NodeStats {
  entered: number;
  waiting: number;
  passed: number;
  exited: number;
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
  flow: { conversions: number; revenueCents: number; entered: number };
}

const emptyNode = (): NodeStats => ({
  entered: 0,
  waiting: 0,
  passed: 0,
  exited: 0,
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
  "conversions",
] as const;

export async function flowStats(
  db: DbOrTx,
  input: {
    workspaceId: string;
    flowId: string;
    from?: string;
    to?: string;
    versionId?: string;
    triggerNodeId?: string;
  },
): Promise<FlowStats> {
  const where: SQL[] = [
    eq(flowStatsDaily.workspaceId, input.workspaceId),
    eq(flowStatsDaily.flowId, input.flowId),
  ];
  if (input.from) where.push(gte(flowStatsDaily.day, input.from));
  if (input.to) where.push(lte(flowStatsDaily.day, input.to));
  if (input.versionId) where.push(eq(flowStatsDaily.versionId, input.versionId));
  const waitingWhere: SQL[] = [
    eq(enrollments.workspaceId, input.workspaceId),
    eq(enrollments.flowId, input.flowId),
    eq(enrollments.status, "active"),
  ];
  if (input.versionId) waitingWhere.push(eq(enrollments.versionId, input.versionId));

  const [rows, waiting] = await Promise.all([
    db
      .select({
        nodeId: flowStatsDaily.nodeId,
        metric: flowStatsDaily.metric,
        value: sql<string>`sum(${flowStatsDaily.value})`,
      })
      .from(flowStatsDaily)
      .where(and(...where))
      .groupBy(flowStatsDaily.nodeId, flowStatsDaily.metric),
    db
      .select({ nodeId: enrollments.currentNodeId, n: count() })
      .from(enrollments)
      .where(and(...waitingWhere))
      .groupBy(enrollments.currentNodeId),
  ]);

  const nodes: Record<string, NodeStats> = {};
  const node = (id: string) => (nodes[id] ??= emptyNode());
  const flow = { conversions: 0, revenueCents: 0, entered: 0 };
  for (const r of rows) {
    const value = Number(r.value);
    if (r.nodeId === "*") {
      if (r.metric === "conversions") flow.conversions += value;
      if (r.metric === "revenue_cents") flow.revenueCents += value;
      continue;
    }
    const n = node(r.nodeId);
    if (r.metric.startsWith("step:")) {
      const outcome = r.metric.slice(5);
      if (outcome === "wait" || outcome === "exit") continue;
      n.passed += value;
      n.outcomes[outcome] = { count: (n.outcomes[outcome]?.count ?? 0) + value, share: 0 };
    } else if (r.metric.startsWith("ended:")) n.exited += value;
    else if (r.metric.startsWith("skipped:"))
      n.skipped[r.metric.slice(8)] = (n.skipped[r.metric.slice(8)] ?? 0) + value;
    else if (r.metric === "revenue_cents") n.revenueCents += value;
    else if ((SIMPLE as readonly string[]).includes(r.metric))
      n[r.metric as (typeof SIMPLE)[number]] += value;
  }
  for (const w of waiting) node(w.nodeId).waiting += w.n;
  for (const n of Object.values(nodes)) {
    n.entered = n.passed + n.exited + n.waiting;
    for (const o of Object.values(n.outcomes)) o.share = n.passed ? o.count / n.passed : 0;
  }
  if (input.triggerNodeId) flow.entered = nodes[input.triggerNodeId]?.entered ?? 0;
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
