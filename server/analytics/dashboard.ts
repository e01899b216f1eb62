/**
 * The flow dashboard: per-day entered / sent / conversions / revenue over a range, the
 * funnel from trigger to goal, A/B results of the splits, and the newest enrollments.
 * Days are UTC calendar days, as in the rollups.
 *
 * - entered: enrollments by the day they entered (the enrollments rows);
 * - sent, conversions, revenue: the daily rollups (conversions and revenue credited to a
 *   message of the flow, the same numbers as the canvas);
 * - funnel: the enrollments that entered in the range, and how many of them received a
 *   message, opened one, clicked one, and converted (credited), whenever that happened.
 */
import { and, count, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import {
  contacts,
  conversions,
  enrollments,
  enrollmentSteps,
  flowStatsDaily,
  flowVersions,
  messages,
} from "@/server/db/schema";
import { FlowGraph, type FlowNode } from "@/server/engine/graph";
import { definitionOf } from "@/server/engine/nodes";
import type { SplitAutoWinner } from "@/server/engine/nodes/split";
import { getFlow } from "@/server/db/queries/flows";
import {
  END_REASON_LABELS,
  endReasonOf,
  isoDay,
  stepOutcomeWords,
  stepTitle,
  type DayRange,
  type EndReason,
} from "@/server/engine/metrics";
import { creditedConversions, flowHeadline, type FlowHeadline } from "./metrics";
import {
  compareBranches,
  readSplitWinners,
  splitBranchCounts,
  splitWinnerKey,
  type BranchResult,
  type SplitWinner,
} from "./splits";

const DAY = 86_400_000;

export interface DayPoint {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  entered: number;
  sent: number;
  conversions: number;
  revenueCents: number;
}

export interface FunnelStep {
  key: "entered" | "received" | "opened" | "clicked" | "converted";
  label: string;
  count: number;
  /** Share of those who entered. */
  rateOfEntered: number;
  /** Share of the step before (1 for the first). */
  rateOfPrevious: number;
}

export interface SplitResult {
  nodeId: string;
  summary: string;
  autoWinner: SplitAutoWinner | null;
  /** The winning branch, once decided. */
  winner: (SplitWinner & { branchId: string; label: string }) | null;
  /** When the one test at the horizon found no significant winner (the split stays random). */
  noWinnerAt: string | null;
  branches: BranchResult[];
}

export interface DashboardSummary {
  range: { from: string; to: string; days: number | "all" };
  currency: string;
  series: DayPoint[];
  /** The flow's headline numbers over the range: the same as the flows list and the canvas header. */
  totals: FlowHeadline;
  funnel: FunnelStep[];
  splits: SplitResult[];
}

const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** `days` calendar days ending with `to` (default: today, UTC). */
export function dayRange(days: number, to: string | undefined, now: number) {
  const last = to ?? isoDay(now);
  const end = dayStart(last) + DAY;
  const start = end - days * DAY;
  const list = Array.from({ length: days }, (_, i) => isoDay(start + i * DAY));
  return { from: list[0] ?? last, to: last, start: new Date(start), end: new Date(end), list };
}

/** The graph the dashboard describes: the live version, else the draft. */
async function currentGraph(
  db: DbOrTx,
  flow: { liveVersionId: string | null; draftGraph: unknown },
): Promise<FlowGraph | null> {
  if (flow.liveVersionId) {
    const [version] = await db
      .select({ graph: flowVersions.graph })
      .from(flowVersions)
      .where(eq(flowVersions.id, flow.liveVersionId));
    const parsed = FlowGraph.safeParse(version?.graph);
    if (parsed.success) return parsed.data;
  }
  const draft = FlowGraph.safeParse(flow.draftGraph);
  return draft.success ? draft.data : null;
}

/** The first day anything of the flow was counted (entries, rollups, conversions), for an all-time chart. */
async function firstDay(db: DbOrTx, scope: { workspaceId: string; flowId: string }, today: string) {
  const [row] = await db
    .select({
      entered: sql<
        string | null
      >`(select to_char(min(${enrollments.enteredAt}) at time zone 'UTC', 'YYYY-MM-DD') from ${enrollments} where ${enrollments.workspaceId} = ${scope.workspaceId} and ${enrollments.flowId} = ${scope.flowId})`,
      counted: sql<
        string | null
      >`(select to_char(min(${flowStatsDaily.day}), 'YYYY-MM-DD') from ${flowStatsDaily} where ${flowStatsDaily.workspaceId} = ${scope.workspaceId} and ${flowStatsDaily.flowId} = ${scope.flowId})`,
      converted: sql<
        string | null
      >`(select to_char(min(${conversions.occurredAt}) at time zone 'UTC', 'YYYY-MM-DD') from ${conversions} where ${conversions.workspaceId} = ${scope.workspaceId} and ${conversions.flowId} = ${scope.flowId})`,
    })
    .from(sql`(select 1) as one`);
  const days = [row?.entered, row?.counted, row?.converted, today].filter((d): d is string => !!d);
  return days.sort()[0] ?? today;
}

export async function dashboardSummary(
  db: DbOrTx,
  input: {
    workspaceId: string;
    flowId: string;
    days: number | "all";
    to?: string | undefined;
    now: number;
  },
): Promise<DashboardSummary> {
  const flow = await getFlow(db, { workspaceId: input.workspaceId, flowId: input.flowId });
  const scope = { workspaceId: input.workspaceId, flowId: input.flowId };
  const last = input.to ?? isoDay(input.now);
  const span =
    input.days === "all"
      ? Math.round((dayStart(last) - dayStart(await firstDay(db, scope, last))) / DAY) + 1
      : input.days;
  const range = dayRange(span, last, input.now);
  /** All time has no start: whatever came before the first day of the chart still counts. */
  const metricRange: DayRange = input.days === "all" ? { to: range.to } : { from: range.from, to: range.to };

  const [enteredRows, sentRows, funnelRow, convertedRow, credited, totals, graph] = await Promise.all([
    db
      .select({
        day: sql<string>`to_char(${enrollments.enteredAt} at time zone 'UTC', 'YYYY-MM-DD')`,
        n: count(),
      })
      .from(enrollments)
      .where(
        and(
          eq(enrollments.workspaceId, scope.workspaceId),
          eq(enrollments.flowId, scope.flowId),
          gte(enrollments.enteredAt, range.start),
          lt(enrollments.enteredAt, range.end),
        ),
      )
      .groupBy(sql`1`),
    db
      .select({
        day: flowStatsDaily.day,
        value: sql<string>`sum(${flowStatsDaily.value})`,
      })
      .from(flowStatsDaily)
      .where(
        and(
          eq(flowStatsDaily.workspaceId, scope.workspaceId),
          eq(flowStatsDaily.flowId, scope.flowId),
          gte(flowStatsDaily.day, range.from),
          sql`${flowStatsDaily.day} <= ${range.to}`,
          eq(flowStatsDaily.metric, "sent"),
          sql`${flowStatsDaily.nodeId} <> '*'`,
        ),
      )
      .groupBy(flowStatsDaily.day),
    db
      .select({
        received:
          sql<number>`count(distinct ${messages.enrollmentId}) filter (where ${messages.sentAt} is not null)`.mapWith(
            Number,
          ),
        opened:
          sql<number>`count(distinct ${messages.enrollmentId}) filter (where ${messages.openedAt} is not null)`.mapWith(
            Number,
          ),
        clicked:
          sql<number>`count(distinct ${messages.enrollmentId}) filter (where ${messages.clickedAt} is not null)`.mapWith(
            Number,
          ),
      })
      .from(messages)
      .innerJoin(enrollments, eq(enrollments.id, messages.enrollmentId))
      .where(
        and(
          eq(messages.workspaceId, scope.workspaceId),
          eq(enrollments.workspaceId, scope.workspaceId),
          eq(enrollments.flowId, scope.flowId),
          gte(enrollments.enteredAt, range.start),
          lt(enrollments.enteredAt, range.end),
        ),
      ),
    db
      .select({ n: sql<number>`count(distinct ${enrollments.id})`.mapWith(Number) })
      .from(conversions)
      .innerJoin(messages, eq(messages.id, conversions.messageId))
      .innerJoin(
        enrollments,
        sql`${enrollments.id} = coalesce(${conversions.enrollmentId}, ${messages.enrollmentId})`,
      )
      .where(
        and(
          eq(conversions.workspaceId, scope.workspaceId),
          eq(conversions.flowId, scope.flowId),
          eq(enrollments.flowId, scope.flowId),
          gte(enrollments.enteredAt, range.start),
          lt(enrollments.enteredAt, range.end),
        ),
      ),
    creditedConversions(db, { workspaceId: scope.workspaceId, flowIds: [scope.flowId], range: metricRange }),
    flowHeadline(db, { ...scope, range: metricRange }),
    currentGraph(db, flow),
  ]);

  const byDay = new Map<string, DayPoint>(
    range.list.map((day) => [day, { day, entered: 0, sent: 0, conversions: 0, revenueCents: 0 }]),
  );
  for (const r of enteredRows) {
    const point = byDay.get(r.day);
    if (point) point.entered += r.n;
  }
  for (const r of sentRows) {
    const point = byDay.get(r.day);
    if (point) point.sent += Number(r.value);
  }
  for (const r of credited) {
    const point = byDay.get(r.day);
    if (!point) continue;
    point.conversions += r.conversions;
    if (r.currency === totals.currency) point.revenueCents += r.cents;
  }
  const series = [...byDay.values()];

  const entered = enteredRows.reduce((sum, r) => sum + r.n, 0);
  const counts: Array<[FunnelStep["key"], string, number]> = [
    ["entered", "Entered the flow", entered],
    ["received", "Received a message", funnelRow[0]?.received ?? 0],
    ["opened", "Opened", funnelRow[0]?.opened ?? 0],
    ["clicked", "Clicked", funnelRow[0]?.clicked ?? 0],
    ["converted", "Converted", convertedRow[0]?.n ?? 0],
  ];
  const funnel = counts.map(([key, label, n], i): FunnelStep => {
    const previous = i === 0 ? n : (counts[i - 1]?.[2] ?? 0);
    return {
      key,
      label,
      count: n,
      rateOfEntered: entered ? n / entered : 0,
      rateOfPrevious: i === 0 ? 1 : previous ? n / previous : 0,
    };
  });

  const splits = graph
    ? await splitResults(db, {
        ...scope,
        graph,
        liveVersionId: flow.liveVersionId,
        from: range.start,
        to: range.end,
      })
    : [];
  return {
    range: { from: range.from, to: range.to, days: input.days },
    currency: totals.currency,
    series,
    totals,
    funnel,
    splits,
  };
}

type SplitNode = Extract<FlowNode, { kind: "split" }>;

async function splitResults(
  db: DbOrTx,
  input: {
    workspaceId: string;
    flowId: string;
    graph: FlowGraph;
    liveVersionId: string | null;
    from: Date;
    to: Date;
  },
): Promise<SplitResult[]> {
  const nodes = input.graph.nodes.filter((n): n is SplitNode => n.kind === "split");
  if (nodes.length === 0) return [];
  const liveVersionId = input.liveVersionId;
  const [counts, winners] = await Promise.all([
    splitBranchCounts(db, {
      workspaceId: input.workspaceId,
      flowId: input.flowId,
      nodeIds: nodes.map((n) => n.id),
      from: input.from,
      to: input.to,
    }),
    liveVersionId
      ? readSplitWinners(
          db,
          nodes.map((n) => ({ versionId: liveVersionId, nodeId: n.id })),
        )
      : Promise.resolve(new Map<string, SplitWinner>()),
  ]);
  return nodes.map((node) => {
    const winner = liveVersionId ? winners.get(splitWinnerKey(liveVersionId, node.id)) : undefined;
    const branchId = winner?.branchId ?? null;
    const branch = branchId ? node.config.branches.find((b) => b.id === branchId) : undefined;
    return {
      nodeId: node.id,
      summary: definitionOf("split").summary(node.config),
      autoWinner: node.config.autoWinner ?? null,
      winner: winner && branchId ? { ...winner, branchId, label: branch?.label || branchId } : null,
      noWinnerAt: winner && !branchId ? winner.decidedAt : null,
      branches: compareBranches(node.config, counts.get(node.id)),
    };
  });
}

export interface RecentEnrollment {
  id: string;
  contact: { id: string; name: string | null; email: string | null };
  status: string;
  /** Where the contact is (or stopped), by the step's card title. */
  currentStep: { nodeId: string; label: string };
  enteredAt: Date;
  endedAt: Date | null;
  /** Why the journey ended, in words ("Reached the goal"); null while active. */
  ended: { reason: EndReason; label: string } | null;
  /** The last step recorded, its title and what happened there in words ("waiting", "took “Yes”"). */
  lastStep: { nodeId: string; label: string; outcome: string; words: string; at: Date } | null;
}

/** The newest enrollments with their contact, where they are and their last step. */
export async function recentEnrollments(
  db: DbOrTx,
  input: { workspaceId: string; flowId: string; limit: number },
): Promise<RecentEnrollment[]> {
  await getFlow(db, { workspaceId: input.workspaceId, flowId: input.flowId });
  const rows = await db
    .select({
      id: enrollments.id,
      versionId: enrollments.versionId,
      status: enrollments.status,
      currentNodeId: enrollments.currentNodeId,
      exitReason: enrollments.exitReason,
      enteredAt: enrollments.enteredAt,
      endedAt: enrollments.endedAt,
      contactId: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      email: contacts.email,
    })
    .from(enrollments)
    .innerJoin(contacts, eq(contacts.id, enrollments.contactId))
    .where(and(eq(enrollments.workspaceId, input.workspaceId), eq(enrollments.flowId, input.flowId)))
    .orderBy(desc(enrollments.enteredAt), desc(enrollments.id))
    .limit(input.limit);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const versionIds = [...new Set(rows.map((r) => r.versionId))];
  const [lastSteps, versions] = await Promise.all([
    db
      .selectDistinctOn([enrollmentSteps.enrollmentId], {
        enrollmentId: enrollmentSteps.enrollmentId,
        nodeId: enrollmentSteps.nodeId,
        outcome: enrollmentSteps.outcome,
        at: enrollmentSteps.at,
      })
      .from(enrollmentSteps)
      .where(
        and(eq(enrollmentSteps.workspaceId, input.workspaceId), inArray(enrollmentSteps.enrollmentId, ids)),
      )
      .orderBy(enrollmentSteps.enrollmentId, desc(enrollmentSteps.id)),
    db
      .select({ id: flowVersions.id, graph: flowVersions.graph })
      .from(flowVersions)
      .where(and(eq(flowVersions.workspaceId, input.workspaceId), inArray(flowVersions.id, versionIds))),
  ]);
  const kindOf = new Map<string, Map<string, FlowNode>>();
  for (const v of versions) {
    const parsed = FlowGraph.safeParse(v.graph);
    if (parsed.success) kindOf.set(v.id, new Map(parsed.data.nodes.map((n) => [n.id, n])));
  }
  const nodeOf = (versionId: string, nodeId: string) => kindOf.get(versionId)?.get(nodeId);
  const label = (versionId: string, nodeId: string) =>
    stepTitle(nodeOf(versionId, nodeId), kindOf.get(versionId));
  const lastOf = new Map(lastSteps.map((s) => [s.enrollmentId, s]));
  return rows.map((r) => {
    const last = lastOf.get(r.id);
    const name = [r.firstName, r.lastName].filter(Boolean).join(" ").trim();
    return {
      id: r.id,
      contact: { id: r.contactId, name: name || null, email: r.email },
      status: r.status,
      currentStep: { nodeId: r.currentNodeId, label: label(r.versionId, r.currentNodeId) },
      enteredAt: r.enteredAt,
      endedAt: r.endedAt,
      ended:
        r.status === "active"
          ? null
          : (() => {
              const reason = endReasonOf(r.status, r.exitReason);
              return { reason, label: END_REASON_LABELS[reason] };
            })(),
      lastStep: last
        ? {
            nodeId: last.nodeId,
            label: label(r.versionId, last.nodeId),
            outcome: last.outcome,
            // A journey that ended while waiting no longer waits there.
            words:
              last.outcome === "wait" && r.status !== "active"
                ? "stopped waiting"
                : stepOutcomeWords(nodeOf(r.versionId, last.nodeId), last.outcome),
            at: last.at,
          }
        : null,
    };
  });
}
