/**
 * Time-based triggers: date property (birthday N days before, yearly, at a local hour),
 * schedule (one date or a recurrence, with a segment), inactivity (no `Placed Order` for
 * N days, or never since joining). A sweep enrolls every contact whose occurrence fell
 * inside the look-back window (and after the flow version went live); an inactivity flow
 * published with catch-up also enrolls, in the sweeps of its first look-back window, those
 * already inactive, in one set-based query. Each occurrence has a key, unique per flow and
 * contact, so two sweepers at once, or a restart mid-sweep, enroll each contact once per
 * occurrence.
 */
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { contacts, enrollments, flows, flowVersions, workspaces } from "@/server/db/schema";
import { evaluateEntry } from "@/server/engine";
import { FlowGraph, triggerNode } from "@/server/engine/graph";
import { emptyState } from "@/server/engine/facts";
import { nextOccurrence, type TriggerConfig } from "@/server/engine/nodes/trigger";
import { rowsOf } from "@/server/db/rows";
import { inactivitySql } from "@/server/db/queries/inactivity";
import { loadFacts } from "./load";

/** How far back a sweep looks for occurrences it has not enrolled yet. */
export const SWEEP_LOOKBACK_MS = 3 * 86_400_000;
const CHUNK = 500;

export interface SweepResult {
  flows: number;
  enrolled: number;
}

/** Live flows with a time-based trigger (date property, schedule, inactivity). */
async function liveTimeFlows(db: Db, workspaceId?: string) {
  const where = [eq(flows.status, "live")];
  if (workspaceId) where.push(eq(flows.workspaceId, workspaceId));
  const live = await db
    .select({
      flowId: flows.id,
      workspaceId: flows.workspaceId,
      versionId: flowVersions.id,
      graph: flowVersions.graph,
      publishedAt: flowVersions.publishedAt,
      catchUp: flowVersions.catchUpInactive,
    })
    .from(flows)
    .innerJoin(flowVersions, eq(flowVersions.id, flows.liveVersionId))
    .where(and(...where));
  return live.flatMap((flow) => {
    const graph = FlowGraph.parse(flow.graph);
    const trigger = triggerNode(graph);
    if (!trigger) return [];
    const config = trigger.config;
    if (config.type !== "date_property" && config.type !== "schedule" && config.type !== "inactivity")
      return [];
    return [{ ...flow, graph, triggerNodeId: trigger.id, config }];
  });
}

export async function sweepTimeTriggers(
  db: Db,
  now: number,
  options: { workspaceId?: string } = {},
): Promise<SweepResult> {
  const result: SweepResult = { flows: 0, enrolled: 0 };
  for (const flow of await liveTimeFlows(db, options.workspaceId)) {
    result.flows++;
    const from = Math.max(now - SWEEP_LOOKBACK_MS, flow.publishedAt.getTime());
    // Catch-up is for the sweeps right after the publish; later ones look back as usual, so
    // contacts a segment or re-entry rule refuses are not weighed again on every sweep.
    const catchUp = flow.catchUp && now - flow.publishedAt.getTime() <= SWEEP_LOOKBACK_MS;
    result.enrolled += await sweepFlow(db, { ...flow, catchUp, from, now });
  }
  return result;
}

interface FlowSweep {
  flowId: string;
  workspaceId: string;
  versionId: string;
  graph: FlowGraph;
  triggerNodeId: string;
  config: TriggerConfig;
  from: number;
  now: number;
  /** Inactivity: contacts already inactive when the version went live enter too (no lower bound). */
  catchUp: boolean;
}

interface Due {
  contactId: string;
  at: number;
  key: string;
}

async function sweepFlow(db: Db, flow: FlowSweep): Promise<number> {
  const due =
    flow.config.type === "inactivity"
      ? await dueInactive(db, flow, flow.config)
      : await dueByCalendar(db, flow);
  let enrolled = 0;
  for (let i = 0; i < due.length; i += CHUNK) enrolled += await enrollDue(db, flow, due.slice(i, i + CHUNK));
  return enrolled;
}

async function dueByCalendar(db: Db, flow: FlowSweep): Promise<Due[]> {
  const [ws] = await db
    .select({ timezone: workspaces.timezone })
    .from(workspaces)
    .where(eq(workspaces.id, flow.workspaceId));
  const zone = ws?.timezone ?? "UTC";
  const filter = [eq(contacts.workspaceId, flow.workspaceId)];
  if (flow.config.type === "date_property") {
    filter.push(
      flow.config.property === "birthday"
        ? isNotNull(contacts.birthday)
        : sql`${contacts.properties} ? ${flow.config.property}`,
    );
  }
  const rows = await db
    .select()
    .from(contacts)
    .where(and(...filter));
  const due: Due[] = [];
  for (const row of rows) {
    const contact = { timezone: row.timezone, birthday: row.birthday, properties: row.properties };
    const at = latestOccurrence(flow.config, contact, flow.from, flow.now, zone);
    if (at !== null) due.push({ contactId: row.id, at, key: `time:${new Date(at).toISOString()}` });
  }
  return due;
}

/**
 * The latest occurrence in [from, now]: a daily schedule swept after a pause enters each contact
 * once for today, not once per missed day, and never lags behind the look-back window.
 */
function latestOccurrence(
  config: TriggerConfig,
  contact: Parameters<typeof nextOccurrence>[1],
  from: number,
  now: number,
  zone: string,
): number | null {
  let latest: number | null = null;
  for (
    let at = nextOccurrence(config, contact, from - 1, zone);
    at !== null && at <= now;
    at = nextOccurrence(config, contact, at, zone)
  )
    latest = at;
  return latest;
}

async function dueInactive(
  db: Db,
  flow: FlowSweep,
  config: Extract<TriggerConfig, { type: "inactivity" }>,
): Promise<Due[]> {
  const lower = flow.catchUp ? sql`true` : sql`due > ${new Date(flow.from).toISOString()}::timestamptz`;
  const result = await db.execute(sql`
    select contact_id, due, key from (${inactivitySql(flow, config)}) d
    where ${lower} and due <= ${new Date(flow.now).toISOString()}::timestamptz
    order by due, contact_id`);
  return rowsOf<{ contact_id: string; due: string | Date; key: string }>(result).map((r) => ({
    contactId: String(r.contact_id),
    at: new Date(r.due).getTime(),
    key: r.key,
  }));
}

/** The next moment after `now` at which any live inactivity flow of the workspace falls due for someone. */
export async function nextInactivityDue(
  db: Db,
  input: { workspaceId: string; now: number },
): Promise<number | null> {
  let next: number | null = null;
  for (const flow of await liveTimeFlows(db, input.workspaceId)) {
    if (flow.config.type !== "inactivity") continue;
    const result = await db.execute(sql`
      select min(due) as at from (${inactivitySql(flow, flow.config)}) d
      where due > ${new Date(input.now).toISOString()}::timestamptz`);
    const at = rowsOf<{ at: string | Date | null }>(result)[0]?.at;
    if (at) next = Math.min(next ?? Infinity, new Date(at).getTime());
  }
  return next;
}

async function enrollDue(db: Db, flow: FlowSweep, due: Due[]): Promise<number> {
  if (due.length === 0) return 0;
  const ids = due.map((d) => d.contactId);
  const [facts, past] = await Promise.all([
    loadFacts(
      db,
      ids.map((contactId) => ({ workspaceId: flow.workspaceId, contactId, graph: flow.graph })),
      flow.now,
    ),
    db
      .select({
        contactId: enrollments.contactId,
        entryKey: enrollments.entryKey,
        status: enrollments.status,
        enteredAt: enrollments.enteredAt,
        occurrenceKey: enrollments.occurrenceKey,
      })
      .from(enrollments)
      .where(and(eq(enrollments.flowId, flow.flowId), inArray(enrollments.contactId, ids))),
  ]);
  const rows: Array<typeof enrollments.$inferInsert> = [];
  for (const d of due) {
    const f = facts.get(d.contactId);
    if (!f) continue;
    const mine = past.filter((p) => p.contactId === d.contactId);
    if (mine.some((p) => p.occurrenceKey === d.key)) continue;
    const decision = evaluateEntry(
      flow.graph,
      {
        contact: f.contact,
        event: null,
        events: f.events,
        engagement: f.engagement ?? [],
        activeEnrollmentKeys: mine.filter((p) => p.status === "active").map((p) => p.entryKey),
        pastEnrollments: mine.map((p) => ({ enteredAt: p.enteredAt.getTime() })),
      },
      flow.now,
    );
    if (!decision.enter) continue;
    rows.push({
      workspaceId: flow.workspaceId,
      flowId: flow.flowId,
      versionId: flow.versionId,
      contactId: d.contactId,
      currentNodeId: flow.triggerNodeId,
      status: "active",
      nextRunAt: new Date(flow.now),
      triggerData: {
        eventId: null,
        name: flow.config.type,
        properties: { occurrence: new Date(d.at).toISOString() },
        // A contact let in by catch-up lapsed before the flow went live: the journey's waits
        // count from its entry, not from that old lapse (which would send every step at once).
        occurredAt: d.at >= flow.from ? d.at : flow.now,
      },
      entryKey: decision.entryKey,
      occurrenceKey: d.key,
      state: emptyState(),
      enteredAt: new Date(flow.now),
    });
  }
  if (rows.length === 0) return 0;
  const inserted = await db
    .insert(enrollments)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: enrollments.id });
  return inserted.length;
}
