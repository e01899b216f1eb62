/**
 * The one place each number is computed. The flows list, the dashboard, the canvas header,
 * the step stats and the contact page all call these functions, so a flow's numbers agree
 * wherever they are read. What each metric means, and on which date it counts, is in
 * server/engine/metrics.ts (the tooltips read the same words):
 * - the journey (entered, waiting, passed on, exited, finished) counts the contacts who
 *   entered in the range, from the enrollments and their steps, so each step's numbers add
 *   up and what a step passes on is what its next steps received;
 * - message metrics count by the day they happened, from the daily rollups;
 * - conversions and revenue count credited orders by the order's day, from the conversions.
 */
import {
  and,
  count,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  lt,
  lte,
  ne,
  notInArray,
  sql,
  type SQL,
} from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { conversions, enrollments, enrollmentSteps, flowStatsDaily, messages } from "@/server/db/schema";
import {
  endReasonOf,
  LIST_RANGE,
  rangeBounds,
  rangeOfPreset,
  type DayRange,
  type EndReason,
} from "@/server/engine/metrics";
import { listFlows, type FlowListItem } from "@/server/flows/flows";

export interface Money {
  currency: string;
  cents: number;
}

export interface MetricScope {
  workspaceId: string;
  range: DayRange;
  /** Only the contacts (journey) and messages of this version; all versions when left out. */
  versionId?: string | undefined;
}

/** Outcomes that hold or stop a contact at a step rather than pass it on. */
const NOT_PASSED = ["wait", "exit", "goal"];
/** Rollup metrics that are not message metrics (the journey and conversions are read from their rows). */
const isMessageMetric = (metric: string) =>
  !metric.startsWith("step:") &&
  !metric.startsWith("ended:") &&
  metric !== "conversions" &&
  metric !== "revenue_cents";

function cohort(scope: MetricScope, flowIds: string[]): SQL[] {
  const { start, end } = rangeBounds(scope.range);
  const where: SQL[] = [eq(enrollments.workspaceId, scope.workspaceId), inArray(enrollments.flowId, flowIds)];
  if (start) where.push(gte(enrollments.enteredAt, start));
  if (end) where.push(lt(enrollments.enteredAt, end));
  if (scope.versionId) where.push(eq(enrollments.versionId, scope.versionId));
  return where;
}

export interface JourneyCounts {
  /** Per step: contacts per output taken. */
  outcomes: Record<string, Record<string, number>>;
  /** Per step: contacts whose journey stopped there, by reason (`end` is counted as finished instead). */
  exited: Record<string, Partial<Record<EndReason, number>>>;
  /** Per step: contacts who passed it with no step after it. */
  finished: Record<string, number>;
  /** Per step: contacts there now. */
  waiting: Record<string, number>;
  /** Contacts who entered in the range. */
  entered: number;
}

/** The journey of the contacts who entered one flow in the range, step by step. */
export async function journeyCounts(
  db: DbOrTx,
  scope: MetricScope & { flowId: string },
): Promise<JourneyCounts> {
  const stepWhere: SQL[] = [
    eq(enrollmentSteps.workspaceId, scope.workspaceId),
    ...cohort(scope, [scope.flowId]),
  ];
  stepWhere.push(notInArray(enrollmentSteps.outcome, NOT_PASSED));
  if (scope.versionId) stepWhere.push(eq(enrollmentSteps.versionId, scope.versionId));
  const [steps, states] = await Promise.all([
    db
      .select({ nodeId: enrollmentSteps.nodeId, outcome: enrollmentSteps.outcome, n: count() })
      .from(enrollmentSteps)
      .innerJoin(enrollments, eq(enrollments.id, enrollmentSteps.enrollmentId))
      .where(and(...stepWhere))
      .groupBy(enrollmentSteps.nodeId, enrollmentSteps.outcome),
    db
      .select({
        nodeId: enrollments.currentNodeId,
        status: enrollments.status,
        exitReason: enrollments.exitReason,
        n: count(),
      })
      .from(enrollments)
      .where(and(...cohort(scope, [scope.flowId])))
      .groupBy(enrollments.currentNodeId, enrollments.status, enrollments.exitReason),
  ]);
  const out: JourneyCounts = { outcomes: {}, exited: {}, finished: {}, waiting: {}, entered: 0 };
  for (const s of steps) {
    const byOutcome = (out.outcomes[s.nodeId] ??= {});
    byOutcome[s.outcome] = (byOutcome[s.outcome] ?? 0) + s.n;
  }
  for (const r of states) {
    out.entered += r.n;
    if (r.status === "active") {
      out.waiting[r.nodeId] = (out.waiting[r.nodeId] ?? 0) + r.n;
      continue;
    }
    const reason = endReasonOf(r.status, r.exitReason);
    if (reason === "end") {
      out.finished[r.nodeId] = (out.finished[r.nodeId] ?? 0) + r.n;
      continue;
    }
    const byReason = (out.exited[r.nodeId] ??= {});
    byReason[reason] = (byReason[reason] ?? 0) + r.n;
  }
  return out;
}

/** Message metrics per step and metric name (`sent`, `opened`, `skipped:no_consent`…), by the day they happened. */
export async function messageCounts(
  db: DbOrTx,
  scope: MetricScope & { flowId: string },
): Promise<Record<string, Record<string, number>>> {
  const where: SQL[] = [
    eq(flowStatsDaily.workspaceId, scope.workspaceId),
    eq(flowStatsDaily.flowId, scope.flowId),
    ne(flowStatsDaily.nodeId, "*"),
  ];
  if (scope.range.from) where.push(gte(flowStatsDaily.day, scope.range.from));
  if (scope.range.to) where.push(lte(flowStatsDaily.day, scope.range.to));
  if (scope.versionId) where.push(eq(flowStatsDaily.versionId, scope.versionId));
  const rows = await db
    .select({
      nodeId: flowStatsDaily.nodeId,
      metric: flowStatsDaily.metric,
      value: sql<string>`sum(${flowStatsDaily.value})`,
    })
    .from(flowStatsDaily)
    .where(and(...where))
    .groupBy(flowStatsDaily.nodeId, flowStatsDaily.metric);
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    if (!isMessageMetric(r.metric)) continue;
    const node = (out[r.nodeId] ??= {});
    node[r.metric] = (node[r.metric] ?? 0) + Number(r.value);
  }
  return out;
}

export interface ConversionRow {
  flowId: string;
  nodeId: string | null;
  currency: string;
  /** `YYYY-MM-DD` (UTC) of the order. */
  day: string;
  conversions: number;
  cents: number;
}

/** Credited conversions of the flows in the range (by the order's day), per flow, step, currency and day. */
export async function creditedConversions(
  db: DbOrTx,
  scope: MetricScope & { flowIds: string[] },
): Promise<ConversionRow[]> {
  if (scope.flowIds.length === 0) return [];
  const { start, end } = rangeBounds(scope.range);
  const where: SQL[] = [
    eq(conversions.workspaceId, scope.workspaceId),
    inArray(conversions.flowId, scope.flowIds),
    isNotNull(conversions.messageId),
  ];
  if (start) where.push(gte(conversions.occurredAt, start));
  if (end) where.push(lt(conversions.occurredAt, end));
  if (scope.versionId)
    where.push(
      sql`exists (select 1 from ${messages} m join ${enrollments} e on e.id = m.enrollment_id where m.id = ${conversions.messageId} and e.version_id = ${scope.versionId})`,
    );
  const day = sql<string>`to_char(${conversions.occurredAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .select({
      flowId: conversions.flowId,
      nodeId: conversions.nodeId,
      currency: conversions.currency,
      day,
      conversions: count(),
      cents: sql<string>`coalesce(sum(${conversions.valueCents}), 0)`,
    })
    .from(conversions)
    .where(and(...where))
    .groupBy(conversions.flowId, conversions.nodeId, conversions.currency, sql`4`);
  return rows.map((r) => ({ ...r, cents: Number(r.cents) }));
}

/** Revenue per currency, largest first. */
export function revenueOf(rows: readonly ConversionRow[]): Money[] {
  const by = new Map<string, number>();
  for (const r of rows) by.set(r.currency, (by.get(r.currency) ?? 0) + r.cents);
  return [...by].map(([currency, cents]) => ({ currency, cents })).sort((a, b) => b.cents - a.cents);
}

export interface FlowHeadline {
  /** Contacts who entered in the range. */
  entered: number;
  /** Messages sent in the range. */
  sent: number;
  /** Contacts sent at least one message in the range. */
  recipients: number;
  conversions: number;
  /** Credited revenue per currency, largest first. */
  revenue: Money[];
  /** The flow's main currency: of the range's revenue, else of all its conversions, else USD. */
  currency: string;
  /** Revenue in the main currency. */
  revenueCents: number;
  revenuePerRecipientCents: number;
  conversionRate: number;
}

/** The headline numbers of each flow in the range: what the list, the dashboard and the canvas header show. */
export async function flowHeadlines(
  db: DbOrTx,
  scope: MetricScope & { flowIds: string[] },
): Promise<Map<string, FlowHeadline>> {
  const out = new Map<string, FlowHeadline>();
  if (scope.flowIds.length === 0) return out;
  const { start, end } = rangeBounds(scope.range);
  const sentWhere: SQL[] = [
    eq(flowStatsDaily.workspaceId, scope.workspaceId),
    inArray(flowStatsDaily.flowId, scope.flowIds),
    ne(flowStatsDaily.nodeId, "*"),
    eq(flowStatsDaily.metric, "sent"),
  ];
  if (scope.range.from) sentWhere.push(gte(flowStatsDaily.day, scope.range.from));
  if (scope.range.to) sentWhere.push(lte(flowStatsDaily.day, scope.range.to));
  if (scope.versionId) sentWhere.push(eq(flowStatsDaily.versionId, scope.versionId));
  const recipientWhere: SQL[] = [
    eq(messages.workspaceId, scope.workspaceId),
    inArray(messages.flowId, scope.flowIds),
    eq(messages.status, "sent"),
    isNotNull(messages.sentAt),
  ];
  if (start) recipientWhere.push(gte(messages.sentAt, start));
  if (end) recipientWhere.push(lt(messages.sentAt, end));
  if (scope.versionId) recipientWhere.push(eq(enrollments.versionId, scope.versionId));

  const [entered, sent, recipients, credited, currencies] = await Promise.all([
    db
      .select({ flowId: enrollments.flowId, n: count() })
      .from(enrollments)
      .where(and(...cohort(scope, scope.flowIds)))
      .groupBy(enrollments.flowId),
    db
      .select({ flowId: flowStatsDaily.flowId, n: sql<string>`sum(${flowStatsDaily.value})` })
      .from(flowStatsDaily)
      .where(and(...sentWhere))
      .groupBy(flowStatsDaily.flowId),
    db
      .select({
        flowId: messages.flowId,
        n: sql<number>`count(distinct ${messages.contactId})`.mapWith(Number),
      })
      .from(messages)
      .leftJoin(enrollments, eq(enrollments.id, messages.enrollmentId))
      .where(and(...recipientWhere))
      .groupBy(messages.flowId),
    creditedConversions(db, scope),
    db
      .select({ flowId: conversions.flowId, currency: conversions.currency, n: count() })
      .from(conversions)
      .where(and(eq(conversions.workspaceId, scope.workspaceId), inArray(conversions.flowId, scope.flowIds)))
      .groupBy(conversions.flowId, conversions.currency)
      .orderBy(desc(count()), conversions.currency),
  ]);
  for (const flowId of scope.flowIds) {
    const rows = credited.filter((r) => r.flowId === flowId);
    const revenue = revenueOf(rows);
    const currency = revenue[0]?.currency ?? currencies.find((c) => c.flowId === flowId)?.currency ?? "USD";
    const revenueCents = revenue.find((m) => m.currency === currency)?.cents ?? 0;
    const conversionCount = rows.reduce((n, r) => n + r.conversions, 0);
    const recipientCount = recipients.find((r) => r.flowId === flowId)?.n ?? 0;
    out.set(flowId, {
      entered: entered.find((r) => r.flowId === flowId)?.n ?? 0,
      sent: Number(sent.find((r) => r.flowId === flowId)?.n ?? 0),
      recipients: recipientCount,
      conversions: conversionCount,
      revenue,
      currency,
      revenueCents,
      revenuePerRecipientCents: recipientCount ? Math.round(revenueCents / recipientCount) : 0,
      conversionRate: recipientCount ? conversionCount / recipientCount : 0,
    });
  }
  return out;
}

/** One flow's headline numbers. */
export async function flowHeadline(
  db: DbOrTx,
  scope: MetricScope & { flowId: string },
): Promise<FlowHeadline> {
  const all = await flowHeadlines(db, { ...scope, flowIds: [scope.flowId] });
  return all.get(scope.flowId)!;
}

export type FlowListRow = FlowListItem & {
  /** The list's range (last 30 days, today included). */
  range: DayRange;
  numbers: FlowHeadline;
};

/** The flows list with each flow's headline numbers over the list's range (LIST_RANGE). */
export async function listFlowsWithNumbers(
  db: DbOrTx,
  input: { workspaceId: string; archived?: boolean; now: number },
): Promise<FlowListRow[]> {
  const rows = await listFlows(db, input);
  const range = rangeOfPreset(LIST_RANGE, input.now);
  const numbers = await flowHeadlines(db, {
    workspaceId: input.workspaceId,
    range,
    flowIds: rows.map((r) => r.id),
  });
  return rows.map((row) => ({ ...row, range, numbers: numbers.get(row.id)! }));
}
