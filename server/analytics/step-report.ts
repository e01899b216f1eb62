/**
 * One step's report, for the analytics canvas's side panel: its numbers day by day (from the
 * same daily rollups as the canvas, so the totals agree with the card), why its messages were
 * skipped, the conversions credited to it with their order and revenue, and who waits there
 * now. The step's messages come from the Outbox (see the analytics router), so they read the
 * same there and here. Days are UTC, like the rollups; waiting is "now", like the card.
 */
import { and, asc, count, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { contacts, conversions, enrollments, events, flowStatsDaily, flowVersions } from "@/server/db/schema";
import { FlowGraph } from "@/server/engine/graph";
import { notFound } from "@/server/errors";
import { getFlow } from "@/server/db/queries/flows";

export type StepReportInput = {
  workspaceId: string;
  flowId: string;
  nodeId: string;
  from?: string | undefined;
  to?: string | undefined;
  versionId?: string | undefined;
  /** Rows listed per section (conversions, waiting contacts). */
  limit?: number;
};

export type StepDay = {
  day: string;
  passed: number;
  exited: number;
  sent: number;
  opened: number;
  clicked: number;
  conversions: number;
  revenueCents: number;
};

export type StepContact = { id: string; email: string | null; name: string | null };

export type StepReport = {
  node: { id: string; kind: string };
  days: StepDay[];
  skipped: { reason: string; count: number }[];
  conversions: {
    total: number;
    revenueCents: number;
    currency: string;
    rows: {
      id: string;
      occurredAt: Date;
      orderId: string | null;
      valueCents: number;
      currency: string;
      contact: StepContact;
    }[];
  };
  waiting: {
    total: number;
    rows: { enrollmentId: string; enteredAt: Date; nextRunAt: Date | null; contact: StepContact }[];
  };
};

const DAY_MS = 86_400_000;

/** The instants a day range covers: `from` 00:00 UTC up to the day after `to`. */
export function rangeInstants(from?: string, to?: string): { since?: Date; until?: Date } {
  return {
    ...(from ? { since: new Date(`${from}T00:00:00.000Z`) } : {}),
    ...(to ? { until: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS) } : {}),
  };
}

const DAY_METRICS: Record<string, keyof Omit<StepDay, "day">> = {
  sent: "sent",
  opened: "opened",
  clicked: "clicked",
  conversions: "conversions",
  revenue_cents: "revenueCents",
};

function contactOf(row: {
  contactId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}): StepContact {
  return {
    id: row.contactId,
    email: row.email,
    name: [row.firstName, row.lastName].filter(Boolean).join(" ") || null,
  };
}

/** The step, found in the flow's versions (the one asked for, else any) or its draft; else not found. */
async function findStep(db: DbOrTx, input: StepReportInput): Promise<{ id: string; kind: string }> {
  const flow = await getFlow(db, input);
  const where: SQL[] = [
    eq(flowVersions.workspaceId, input.workspaceId),
    eq(flowVersions.flowId, input.flowId),
  ];
  if (input.versionId) where.push(eq(flowVersions.id, input.versionId));
  const versions = await db
    .select({ graph: flowVersions.graph })
    .from(flowVersions)
    .where(and(...where))
    .orderBy(desc(flowVersions.version));
  if (input.versionId && versions.length === 0) throw notFound("Version");
  const graphs = [...versions.map((v) => v.graph), ...(input.versionId ? [] : [flow.draftGraph])];
  for (const graph of graphs) {
    const parsed = FlowGraph.safeParse(graph);
    const node = parsed.success ? parsed.data.nodes.find((n) => n.id === input.nodeId) : undefined;
    if (node) return { id: node.id, kind: node.kind };
  }
  throw notFound("Step");
}

export async function stepReport(db: DbOrTx, input: StepReportInput): Promise<StepReport> {
  const node = await findStep(db, input);
  const limit = input.limit ?? 50;
  const { since, until } = rangeInstants(input.from, input.to);

  const rollupWhere: SQL[] = [
    eq(flowStatsDaily.workspaceId, input.workspaceId),
    eq(flowStatsDaily.flowId, input.flowId),
    eq(flowStatsDaily.nodeId, input.nodeId),
  ];
  if (input.from) rollupWhere.push(gte(flowStatsDaily.day, input.from));
  if (input.to) rollupWhere.push(sql`${flowStatsDaily.day} <= ${input.to}`);
  if (input.versionId) rollupWhere.push(eq(flowStatsDaily.versionId, input.versionId));

  const conversionWhere: SQL[] = [
    eq(conversions.workspaceId, input.workspaceId),
    eq(conversions.flowId, input.flowId),
    eq(conversions.nodeId, input.nodeId),
  ];
  if (since) conversionWhere.push(gte(conversions.occurredAt, since));
  if (until) conversionWhere.push(lt(conversions.occurredAt, until));
  if (input.versionId)
    conversionWhere.push(
      sql`${conversions.enrollmentId} in (select ${enrollments.id} from ${enrollments} where ${enrollments.versionId} = ${input.versionId})`,
    );

  const waitingWhere: SQL[] = [
    eq(enrollments.workspaceId, input.workspaceId),
    eq(enrollments.flowId, input.flowId),
    eq(enrollments.currentNodeId, input.nodeId),
    eq(enrollments.status, "active"),
  ];
  if (input.versionId) waitingWhere.push(eq(enrollments.versionId, input.versionId));

  const [rollups, conversionRows, waitingRows, waitingCount] = await Promise.all([
    db
      .select({
        day: flowStatsDaily.day,
        metric: flowStatsDaily.metric,
        value: sql<string>`sum(${flowStatsDaily.value})`,
      })
      .from(flowStatsDaily)
      .where(and(...rollupWhere))
      .groupBy(flowStatsDaily.day, flowStatsDaily.metric)
      .orderBy(asc(flowStatsDaily.day)),
    db
      .select({
        id: conversions.id,
        occurredAt: conversions.occurredAt,
        valueCents: conversions.valueCents,
        currency: conversions.currency,
        orderId: sql<string | null>`${events.properties}->>'order_id'`,
        contactId: conversions.contactId,
        email: contacts.email,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
      })
      .from(conversions)
      .leftJoin(
        events,
        and(eq(events.id, conversions.eventId), eq(events.workspaceId, conversions.workspaceId)),
      )
      .leftJoin(
        contacts,
        and(eq(contacts.id, conversions.contactId), eq(contacts.workspaceId, conversions.workspaceId)),
      )
      .where(and(...conversionWhere))
      .orderBy(desc(conversions.occurredAt), desc(conversions.id))
      .limit(limit),
    db
      .select({
        enrollmentId: enrollments.id,
        enteredAt: enrollments.enteredAt,
        nextRunAt: enrollments.nextRunAt,
        contactId: enrollments.contactId,
        email: contacts.email,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
      })
      .from(enrollments)
      .leftJoin(
        contacts,
        and(eq(contacts.id, enrollments.contactId), eq(contacts.workspaceId, enrollments.workspaceId)),
      )
      .where(and(...waitingWhere))
      .orderBy(asc(enrollments.enteredAt), asc(enrollments.id))
      .limit(limit),
    db
      .select({ n: count() })
      .from(enrollments)
      .where(and(...waitingWhere)),
  ]);

  const byDay = new Map<string, StepDay>();
  const skipped = new Map<string, number>();
  for (const r of rollups) {
    const value = Number(r.value);
    const day =
      byDay.get(r.day) ??
      byDay
        .set(r.day, {
          day: r.day,
          passed: 0,
          exited: 0,
          sent: 0,
          opened: 0,
          clicked: 0,
          conversions: 0,
          revenueCents: 0,
        })
        .get(r.day)!;
    if (r.metric.startsWith("step:")) {
      const outcome = r.metric.slice(5);
      if (outcome !== "wait" && outcome !== "exit") day.passed += value;
    } else if (r.metric.startsWith("ended:")) day.exited += value;
    else if (r.metric.startsWith("skipped:")) {
      const reason = r.metric.slice(8);
      skipped.set(reason, (skipped.get(reason) ?? 0) + value);
    } else {
      const key = DAY_METRICS[r.metric];
      if (key) day[key] += value;
    }
  }

  const days = [...byDay.values()];
  const currency = conversionRows[0]?.currency ?? "USD";
  return {
    node,
    days,
    skipped: [...skipped.entries()]
      .filter(([, n]) => n > 0)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([reason, n]) => ({ reason, count: n })),
    conversions: {
      // Totals from the rollups, as on the card; the rows are the latest conversions.
      total: days.reduce((sum, d) => sum + d.conversions, 0),
      revenueCents: days.reduce((sum, d) => sum + d.revenueCents, 0),
      currency,
      rows: conversionRows.map((r) => ({
        id: r.id,
        occurredAt: r.occurredAt,
        orderId: r.orderId,
        valueCents: Number(r.valueCents),
        currency: r.currency,
        contact: contactOf(r),
      })),
    },
    waiting: {
      total: Number(waitingCount[0]?.n ?? 0),
      rows: waitingRows.map((r) => ({
        enrollmentId: r.enrollmentId,
        enteredAt: r.enteredAt,
        nextRunAt: r.nextRunAt,
        contact: contactOf(r),
      })),
    },
  };
}
