/**
 * Time-based triggers: date property (birthday N days before, yearly, at a local hour),
 * schedule (one date or a recurrence, with a segment), inactivity (no `Placed Order` for
 * N days, or never since joining). A sweep enrolls every contact whose occurrence fell
 * inside the look-back window (and after the flow version went live); an inactivity flow
 * published with catch-up also enrolls, in the sweeps of its first look-back window, those
 * already inactive, in one set-based query. Each occurrence has a key, unique per flow and
 * contact, so two sweepers at once, or a restart mid-sweep, enroll each contact once per
 * occurrence.
 *
 * A sweep's work follows what is due, not the size of the shop:
 * - date property: each contact's next occurrence is stored (`contact_trigger_due`), built
 *   when a version goes live and re-computed for contacts whose date, zone or properties
 *   changed (queued by a database trigger); a sweep reads the rows due through
 *   `(flow_id, due_at)`, weighs each occurrence once and moves the row to the next one;
 * - inactivity: the lapsed contacts of the window come from `contact_event_last` through its
 *   index, and (without a segment to weigh) enter in one INSERT … SELECT.
 * The former whole-workspace computation stays callable (`strategy: "scan"`) as the
 * reference the benchmark measures against.
 */
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/server/db/client";
import {
  contactTriggerDirty,
  contactTriggerDue,
  contacts,
  enrollments,
  flowTriggerDue,
  flowTriggerSweeps,
  flows,
  flowVersions,
  workspaces,
} from "@/server/db/schema";
import { evaluateEntry } from "@/server/engine";
import { FlowGraph, triggerNode } from "@/server/engine/graph";
import { emptyState } from "@/server/engine/facts";
import { DEFAULT_REENTRY_PERIOD_DAYS } from "@/server/engine/entry";
import { nextOccurrence, type TriggerConfig, type TriggerContact } from "@/server/engine/nodes/trigger";
import { rowsOf } from "@/server/db/rows";
import { inactivityDueSql, inactivityScanSql } from "@/server/db/queries/inactivity";
import { loadFacts } from "./load";

/** How far back a sweep looks for occurrences it has not enrolled yet. */
export const SWEEP_LOOKBACK_MS = 3 * 86_400_000;
const CHUNK = 500;
/** Due rows weighed per transaction. */
const DUE_BATCH = 1000;
/** Contacts read per statement when a version's occurrences are built. */
const BUILD_CHUNK = 5000;

/** `due`: read what is due through the indexes (default); `scan`: the former whole-workspace computation. */
export type SweepStrategy = "due" | "scan";
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
  options: { workspaceId?: string; strategy?: SweepStrategy } = {},
): Promise<SweepResult> {
  const strategy = options.strategy ?? "due";
  const result: SweepResult = { flows: 0, enrolled: 0 };
  const found = await liveTimeFlows(db, options.workspaceId);
  const swept = strategy === "due" ? await sweptTo(db, found) : new Map<string, number>();
  const live = found.map((flow) => {
    const from = Math.max(now - SWEEP_LOOKBACK_MS, flow.publishedAt.getTime());
    const mark = swept.get(`${flow.flowId}:${flow.versionId}`);
    return {
      ...flow,
      // A schedule or inactivity flow already swept up to `mark` reads only what fell due since.
      from: mark === undefined ? from : Math.max(from, mark),
      // Catch-up is for the first sweep after the publish; later ones read only what falls due,
      // so contacts a segment or re-entry rule refuses are not weighed again on every sweep.
      catchUp: flow.catchUp && now - flow.publishedAt.getTime() <= SWEEP_LOOKBACK_MS && mark === undefined,
      now,
    };
  });
  if (strategy === "due") await prepareOccurrences(db, live, now, options.workspaceId);
  for (const flow of live) {
    result.flows++;
    result.enrolled += await sweepFlow(db, flow, strategy);
    if (strategy === "due" && !isDateFlow(flow)) await markSwept(db, flow);
  }
  return result;
}

/** How far each schedule or inactivity flow's live version was swept, keyed `flow:version`. */
async function sweptTo(db: Db, live: Array<{ flowId: string; config: TriggerConfig }>) {
  const ids = live.filter((f) => f.config.type !== "date_property").map((f) => f.flowId);
  if (ids.length === 0) return new Map<string, number>();
  const rows = await db
    .select({
      flowId: flowTriggerSweeps.flowId,
      versionId: flowTriggerSweeps.versionId,
      sweptTo: flowTriggerSweeps.sweptTo,
    })
    .from(flowTriggerSweeps)
    .where(inArray(flowTriggerSweeps.flowId, ids));
  return new Map(rows.map((r) => [`${r.flowId}:${r.versionId}`, r.sweptTo.getTime()]));
}

/** After a sweep: everything due up to its `now` was weighed (a later version starts afresh). */
async function markSwept(db: Db, flow: FlowSweep) {
  const sweptTo = new Date(flow.now);
  await db
    .insert(flowTriggerSweeps)
    .values({ flowId: flow.flowId, workspaceId: flow.workspaceId, versionId: flow.versionId, sweptTo })
    .onConflictDoUpdate({
      target: flowTriggerSweeps.flowId,
      set: {
        versionId: flow.versionId,
        sweptTo: sql`case when ${flowTriggerSweeps.versionId} = excluded.version_id
          then greatest(${flowTriggerSweeps.sweptTo}, excluded.swept_to) else excluded.swept_to end`,
      },
    });
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

async function sweepFlow(db: Db, flow: FlowSweep, strategy: SweepStrategy): Promise<number> {
  if (strategy === "due" && isDateFlow(flow)) return sweepStoredOccurrences(db, flow);
  if (strategy === "due" && flow.config.type === "inactivity" && !flow.config.segment)
    return enrollInactiveAtOnce(db, flow, flow.config);
  if (strategy === "due" && flow.config.type === "schedule") return sweepSchedule(db, flow, flow.config);
  const due =
    flow.config.type === "inactivity"
      ? await dueInactive(db, flow, flow.config, strategy)
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

type InactivityConfig = Extract<TriggerConfig, { type: "inactivity" }>;

async function dueInactive(
  db: Db,
  flow: FlowSweep,
  config: InactivityConfig,
  strategy: SweepStrategy,
): Promise<Due[]> {
  const lower = flow.catchUp ? sql`true` : sql`due > ${new Date(flow.from).toISOString()}::timestamptz`;
  const source =
    strategy === "scan"
      ? inactivityScanSql(flow, config)
      : inactivityDueSql(flow, config, { from: flow.catchUp ? null : flow.from, to: flow.now });
  const result = await db.execute(sql`
    select contact_id, due, key from (${source}) d
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
      select min(due) as at from (${inactivityDueSql(flow, flow.config, { from: input.now, to: null })}) d`);
    const at = rowsOf<{ at: string | Date | null }>(result)[0]?.at;
    if (at) next = Math.min(next ?? Infinity, new Date(at).getTime());
  }
  return next;
}

async function enrollDue(db: DbOrTx, flow: FlowSweep, due: Due[]): Promise<number> {
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

// ---------------------------------------------------------------- inactivity, set-based

/**
 * Inactivity without a segment: who enters depends only on the lapse and the re-entry rule,
 * so the due contacts (catch-up included) enter in one INSERT … SELECT, whatever their number.
 * The rules are `evaluateEntry`'s: not while on the flow, and per `reentry`.
 */
async function enrollInactiveAtOnce(db: Db, flow: FlowSweep, config: InactivityConfig): Promise<number> {
  const now = new Date(flow.now).toISOString();
  const reentry = flow.graph.settings.reentry;
  const refused =
    reentry.mode === "once"
      ? sql`exists (select 1 from ${enrollments} p where p.flow_id = ${flow.flowId} and p.contact_id = d.contact_id)`
      : reentry.mode === "once_per_period"
        ? sql`exists (select 1 from ${enrollments} p where p.flow_id = ${flow.flowId} and p.contact_id = d.contact_id
            and abs(extract(epoch from (${now}::timestamptz - p.entered_at))) * 1000 < ${
              (reentry.periodDays ?? DEFAULT_REENTRY_PERIOD_DAYS) * 86_400_000
            })`
        : sql`false`;
  const result = await db.execute(sql`
    insert into ${enrollments} (workspace_id, flow_id, version_id, contact_id, current_node_id, status,
      next_run_at, trigger_data, entry_key, occurrence_key, state, entered_at)
    select ${flow.workspaceId}, ${flow.flowId}, ${flow.versionId}, d.contact_id, ${flow.triggerNodeId}, 'active',
      ${now}::timestamptz,
      jsonb_build_object('eventId', null, 'name', 'inactivity',
        'properties', jsonb_build_object('occurrence', to_char(d.due at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        'occurredAt', case when d.due >= ${new Date(flow.from).toISOString()}::timestamptz
          then (extract(epoch from d.due) * 1000)::bigint else ${flow.now}::bigint end),
      '', d.key, ${JSON.stringify(emptyState())}::jsonb, ${now}::timestamptz
    from (${inactivityDueSql(flow, config, { from: flow.catchUp ? null : flow.from, to: flow.now })}) d
    where not exists (select 1 from ${enrollments} a
        where a.flow_id = ${flow.flowId} and a.contact_id = d.contact_id and a.status = 'active')
      and not ${refused}
    order by d.due, d.contact_id
    on conflict do nothing
    returning id`);
  return rowsOf(result).length;
}

// ---------------------------------------------------------------- date property, stored occurrences

type DateFlow = FlowSweep & { config: Extract<TriggerConfig, { type: "date_property" }> };
const isDateFlow = (flow: FlowSweep): flow is DateFlow => flow.config.type === "date_property";

interface ContactDates extends TriggerContact {
  id: string;
}

/** The columns a contact's occurrences are computed from. */
const CONTACT_DATES = {
  id: contacts.id,
  timezone: contacts.timezone,
  birthday: contacts.birthday,
  properties: contacts.properties,
};

const toContact = (row: {
  id: string;
  timezone: string | null;
  birthday: string | null;
  properties: Record<string, unknown>;
}): ContactDates => ({
  id: row.id,
  timezone: row.timezone,
  birthday: row.birthday,
  properties: row.properties,
});

async function zoneOf(db: DbOrTx, workspaceId: string): Promise<string> {
  const [ws] = await db
    .select({ timezone: workspaces.timezone })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return ws?.timezone ?? "UTC";
}

/** The first occurrence at or after the flow's look-back window opens: due at once if it already fell. */
const firstOccurrence = (flow: DateFlow, contact: TriggerContact, zone: string) =>
  nextOccurrence(flow.config, contact, flow.from - 1, zone);

/**
 * Before the due rows are read: forget the occurrences of versions no longer live, build those
 * of a version that just went live, and re-compute the contacts whose dates changed.
 */
async function prepareOccurrences(db: Db, live: FlowSweep[], now: number, workspaceId?: string) {
  const dateFlows = live.filter(isDateFlow);
  const built = await db
    .select({ flowId: flowTriggerDue.flowId, versionId: flowTriggerDue.versionId })
    .from(flowTriggerDue)
    .where(workspaceId ? eq(flowTriggerDue.workspaceId, workspaceId) : sql`true`);
  const current = new Set(dateFlows.map((f) => `${f.flowId}:${f.versionId}`));
  const stale = built.filter((b) => !current.has(`${b.flowId}:${b.versionId}`)).map((b) => b.flowId);
  if (stale.length > 0) {
    await db.delete(flowTriggerDue).where(inArray(flowTriggerDue.flowId, stale));
    await db.delete(contactTriggerDue).where(inArray(contactTriggerDue.flowId, stale));
  }
  const builtNow = new Set(built.filter((b) => !stale.includes(b.flowId)).map((b) => b.flowId));
  for (const flow of dateFlows) if (!builtNow.has(flow.flowId)) await buildOccurrences(db, flow, now);
  const byWorkspace = new Map<string, DateFlow[]>();
  for (const flow of dateFlows)
    byWorkspace.set(flow.workspaceId, [...(byWorkspace.get(flow.workspaceId) ?? []), flow]);
  for (const [ws, wsFlows] of byWorkspace) await recomputeChanged(db, ws, wsFlows);
}

/** Every contact's next occurrence for a version that just went live, in one transaction. */
async function buildOccurrences(db: Db, flow: DateFlow, now: number) {
  await db.transaction(async (tx) => {
    // Two sweepers at once: the second waits, then finds the version built.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${"trigger-due:" + flow.flowId}, 0))`);
    const [state] = await tx
      .select({ versionId: flowTriggerDue.versionId })
      .from(flowTriggerDue)
      .where(eq(flowTriggerDue.flowId, flow.flowId));
    if (state?.versionId === flow.versionId) return;
    await tx.delete(contactTriggerDue).where(eq(contactTriggerDue.flowId, flow.flowId));
    await tx
      .insert(flowTriggerDue)
      .values({
        flowId: flow.flowId,
        workspaceId: flow.workspaceId,
        versionId: flow.versionId,
        builtAt: new Date(now),
      })
      .onConflictDoUpdate({
        target: flowTriggerDue.flowId,
        set: { versionId: flow.versionId, builtAt: new Date(now) },
      });
    const zone = await zoneOf(tx, flow.workspaceId);
    const has =
      flow.config.property === "birthday"
        ? isNotNull(contacts.birthday)
        : sql`${contacts.properties} ? ${flow.config.property}`;
    let after: string | null = null;
    for (;;) {
      const page: ContactDates[] = (
        await tx
          .select(CONTACT_DATES)
          .from(contacts)
          .where(
            and(
              eq(contacts.workspaceId, flow.workspaceId),
              has,
              after === null ? sql`true` : sql`${contacts.id} > ${after}`,
            ),
          )
          .orderBy(contacts.id)
          .limit(BUILD_CHUNK)
      ).map(toContact);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      await writeOccurrences(
        tx,
        flow,
        page.map((c) => ({ contactId: c.id, dueAt: firstOccurrence(flow, c, zone) })),
      );
      if (page.length < BUILD_CHUNK) break;
    }
  });
}

/** Upserts each contact's occurrence; a contact with none (no date any more) loses its row. */
async function writeOccurrences(
  db: DbOrTx,
  flow: DateFlow,
  rows: Array<{ contactId: string; dueAt: number | null }>,
) {
  const set = rows.filter((r) => r.dueAt !== null);
  const gone = rows.filter((r) => r.dueAt === null).map((r) => r.contactId);
  if (set.length > 0)
    await db.execute(sql`
      insert into ${contactTriggerDue} (workspace_id, flow_id, contact_id, due_at)
      select ${flow.workspaceId}, ${flow.flowId}, x.contact_id, x.due_at
      from jsonb_to_recordset(${JSON.stringify(
        set.map((r) => ({ contact_id: r.contactId, due_at: new Date(r.dueAt!).toISOString() })),
      )}::jsonb) as x(contact_id uuid, due_at timestamptz)
      on conflict (flow_id, contact_id) do update set due_at = excluded.due_at`);
  if (gone.length > 0)
    await db
      .delete(contactTriggerDue)
      .where(and(eq(contactTriggerDue.flowId, flow.flowId), inArray(contactTriggerDue.contactId, gone)));
}

/** Contacts whose date, zone or properties changed: their occurrences in every date flow, anew. */
async function recomputeChanged(db: Db, workspaceId: string, wsFlows: DateFlow[]) {
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const queued = rowsOf<{ contact_id: string }>(
        await tx.execute(sql`
          delete from ${contactTriggerDirty} where (workspace_id, contact_id) in (
            select workspace_id, contact_id from ${contactTriggerDirty}
            where workspace_id = ${workspaceId} limit ${DUE_BATCH} for update skip locked)
          returning contact_id`),
      ).map((r) => String(r.contact_id));
      if (queued.length === 0) return true;
      const rows = (await tx.select(CONTACT_DATES).from(contacts).where(inArray(contacts.id, queued))).map(
        toContact,
      );
      const zone = await zoneOf(tx, workspaceId);
      for (const flow of wsFlows)
        await writeOccurrences(
          tx,
          flow,
          rows.map((c) => ({ contactId: c.id, dueAt: firstOccurrence(flow, c, zone) })),
        );
      return queued.length < DUE_BATCH;
    });
    if (done) return;
  }
}

/**
 * The rows due by now, a batch per transaction (locked, so a second sweeper takes others):
 * each contact's latest occurrence in the window enters as before, then the row moves on to
 * the contact's next occurrence (or goes, when there is none).
 */
async function sweepStoredOccurrences(db: Db, flow: DateFlow): Promise<number> {
  const zone = await zoneOf(db, flow.workspaceId);
  let enrolled = 0;
  for (;;) {
    const taken = await db.transaction(async (tx) => {
      const rows = rowsOf<{
        id: string;
        timezone: string | null;
        birthday: string | null;
        properties: Record<string, unknown>;
      }>(
        await tx.execute(sql`
          select c.id, c.timezone, to_char(c.birthday, 'YYYY-MM-DD') as birthday, c.properties
          from ${contactTriggerDue} d join ${contacts} c on c.id = d.contact_id
          where d.flow_id = ${flow.flowId} and d.due_at <= ${new Date(flow.now).toISOString()}::timestamptz
          order by d.due_at, d.contact_id
          limit ${DUE_BATCH}
          for update of d skip locked`),
      ).map((r) => toContact({ ...r, id: String(r.id) }));
      const due: Due[] = [];
      for (const contact of rows) {
        const at = latestOccurrence(flow.config, contact, flow.from, flow.now, zone);
        if (at !== null) due.push({ contactId: contact.id, at, key: `time:${new Date(at).toISOString()}` });
      }
      await writeOccurrences(
        tx,
        flow,
        rows.map((c) => ({ contactId: c.id, dueAt: nextOccurrence(flow.config, c, flow.now, zone) })),
      );
      for (let i = 0; i < due.length; i += CHUNK)
        enrolled += await enrollDue(tx, flow, due.slice(i, i + CHUNK));
      return rows.length;
    });
    if (taken < DUE_BATCH) return enrolled;
  }
}

// ---------------------------------------------------------------- schedule, by time zone

type ScheduleConfig = Extract<TriggerConfig, { type: "schedule" }>;
/** Contacts read per page when a schedule fires in a time zone. */
const SCHEDULE_PAGE = 1000;

/**
 * The time zones the workspace's contacts are in (null: none set, the workspace's clock),
 * read by skipping through `(workspace_id, timezone, id)`: one index probe per zone.
 */
async function contactZones(db: DbOrTx, workspaceId: string): Promise<Array<string | null>> {
  const zones = rowsOf<{ tz: string | null }>(
    await db.execute(sql`
      with recursive z(tz) as (
        select min(timezone) from ${contacts} where workspace_id = ${workspaceId}
        union all
        select (select min(timezone) from ${contacts} where workspace_id = ${workspaceId} and timezone > z.tz)
        from z where z.tz is not null
      )
      select tz from z where tz is not null`),
  ).map((r) => String(r.tz));
  const [none] = rowsOf<{ any: boolean }>(
    await db.execute(sql`
      select exists (select 1 from ${contacts} where workspace_id = ${workspaceId} and timezone is null) as any`),
  );
  return none?.any ? [...zones, null] : zones;
}

/**
 * A schedule fires at one instant per wall clock: the workspace's, or each contact's zone.
 * The sweep works out, per zone its contacts are in, the latest occurrence in its window;
 * only the zones where one fell are read, page by page through the zone's index, and their
 * contacts weighed (segment, re-entry) and enrolled once per occurrence.
 */
async function sweepSchedule(db: Db, flow: FlowSweep, config: ScheduleConfig): Promise<number> {
  const zone = await zoneOf(db, flow.workspaceId);
  let enrolled = 0;
  for (const tz of await contactZones(db, flow.workspaceId)) {
    const at = latestOccurrence(
      config,
      { timezone: tz, birthday: null, properties: {} },
      flow.from,
      flow.now,
      zone,
    );
    if (at === null) continue;
    const key = `time:${new Date(at).toISOString()}`;
    let after: string | null = null;
    for (;;) {
      const page: string[] = (
        await db
          .select({ id: contacts.id })
          .from(contacts)
          .where(
            and(
              eq(contacts.workspaceId, flow.workspaceId),
              tz === null ? isNull(contacts.timezone) : eq(contacts.timezone, tz),
              after === null ? sql`true` : sql`${contacts.id} > ${after}`,
            ),
          )
          .orderBy(contacts.id)
          .limit(SCHEDULE_PAGE)
      ).map((r) => r.id);
      if (page.length === 0) break;
      after = page[page.length - 1]!;
      for (let i = 0; i < page.length; i += CHUNK)
        enrolled += await enrollDue(
          db,
          flow,
          page.slice(i, i + CHUNK).map((contactId) => ({ contactId, at, key })),
        );
      if (page.length < SCHEDULE_PAGE) break;
    }
  }
  return enrolled;
}
