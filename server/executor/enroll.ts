/**
 * Events in → contacts enrolled. For each newly stored event: every live flow whose
 * trigger matches it enrolls the contact (subject to the flow's re-entry rules), and the
 * contact's active enrollments that care about that event name (goal, wait-for-event,
 * filter, conditions) are woken to run now. Idempotent: an event enrolls a contact in a
 * flow at most once (`occurrence_key = event:<id>`), so a retried or swept event is safe.
 */
import { and, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/server/db/client";
import { enrollments, events, flows, products, type StoredEvent } from "@/server/db/schema";
import { getLiveFlowVersions } from "@/server/db/queries/flows";
import { evaluateEntry, requiredEventNames } from "@/server/engine";
import { FlowGraph, triggerNode } from "@/server/engine/graph";
import { BACK_IN_STOCK_EVENT } from "@/server/engine/nodes/trigger";
import { emptyState, type EventFact } from "@/server/engine/facts";
import { lineItemEvents, productIdsMissingDaysPerUnit } from "@/server/engine/line-items";
import type { ExecutorCaches, LiveFlow } from "./caches";
import { loadFacts, loadGraphs } from "./load";
import {
  conversionEventOf,
  DEFAULT_CONVERSION_EVENT,
  flowsTouchingContacts,
  recordConversions,
} from "@/server/analytics/attribution";

/** The columns of a stored event that enrolling and waking read. */
export type EnrollEvent = Pick<
  StoredEvent,
  "id" | "workspaceId" | "contactId" | "name" | "properties" | "occurredAt"
>;

export type { LiveFlow } from "./caches";

/** Events older than this (backfills, late imports) never start a flow; they still wake and convert. */
export const MAX_TRIGGER_AGE_MS = 24 * 3_600_000;
/** The workspace's live flows, from the executor's cache (dropped on every publish, pause or resume). */
export async function getLiveFlows(
  db: DbOrTx,
  workspaceId: string,
  now: number,
  caches: ExecutorCaches,
): Promise<LiveFlow[]> {
  const cached = caches.liveFlows(workspaceId, now);
  if (cached) return cached;
  const rows = await getLiveFlowVersions(db, { workspaceId });
  const live = rows.map((r) => {
    const graph = FlowGraph.parse(r.graph);
    return { flowId: r.flowId, versionId: r.versionId, graph, watches: new Set(requiredEventNames(graph)) };
  });
  caches.rememberLiveFlows(workspaceId, now, live);
  return live;
}

export interface EnrollResult {
  enrolled: string[];
  woken: string[];
}

export async function enrollFromEvents(
  db: Db,
  stored: readonly EnrollEvent[],
  now: number,
  caches: ExecutorCaches,
): Promise<EnrollResult> {
  const result: EnrollResult = { enrolled: [], woken: [] };
  const withContact = stored.filter((e): e is EnrollEvent & { contactId: string } => e.contactId !== null);
  const byWorkspace = new Map<string, Array<EnrollEvent & { contactId: string }>>();
  for (const e of withContact) byWorkspace.set(e.workspaceId, [...(byWorkspace.get(e.workspaceId) ?? []), e]);

  for (const [workspaceId, list] of byWorkspace) {
    const live = await getLiveFlows(db, workspaceId, now, caches);
    if (live.length === 0) continue;
    const fresh = list.filter((e) => e.occurredAt.getTime() >= now - MAX_TRIGGER_AGE_MS);
    for (const flow of live) {
      const trigger = triggerNode(flow.graph);
      if (!trigger) continue;
      const config = trigger.config;
      // In event-time order, so re-entry rules see a batch as it happened.
      const candidates = fresh
        .filter((e) =>
          config.type === "event"
            ? config.event === e.name
            : config.type === "back_in_stock" && e.name === BACK_IN_STOCK_EVENT,
        )
        .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
      if (candidates.length)
        result.enrolled.push(
          ...(await enrollBatch(db, {
            workspaceId,
            flow,
            triggerNodeId: trigger.id,
            events: candidates,
            perLineItem: config.type === "event" && config.perLineItem === true,
            now,
          })),
        );
    }
    // Wake active enrollments that watch these event names.
    const watching = live.filter((f) => list.some((e) => f.watches.has(e.name)));
    if (watching.length) {
      const woken = await db
        .update(enrollments)
        .set({ nextRunAt: new Date(now) })
        .where(
          and(
            eq(enrollments.workspaceId, workspaceId),
            eq(enrollments.status, "active"),
            inArray(enrollments.contactId, [...new Set(list.map((e) => e.contactId))]),
            inArray(
              enrollments.flowId,
              watching.map((f) => f.flowId),
            ),
            sql`(${enrollments.nextRunAt} is null or ${enrollments.nextRunAt} > ${new Date(now).toISOString()}::timestamptz)`,
          ),
        )
        .returning({ id: enrollments.id });
      result.woken.push(...woken.map((w) => w.id));
    }
  }
  await creditConversions(db, withContact, now, caches);
  const ids = withContact.map((e) => e.id);
  if (ids.length)
    await db
      .update(events)
      .set({ triggeredAt: new Date(now) })
      .where(and(inArray(events.id, ids), isNull(events.triggeredAt)));
  return result;
}

/** Enrolls the contacts of these events into one flow: facts and past entries loaded once, one insert. */
async function enrollBatch(
  db: Db,
  input: {
    workspaceId: string;
    flow: LiveFlow;
    triggerNodeId: string;
    events: ReadonlyArray<EnrollEvent & { contactId: string }>;
    /** One enrollment per line item of each event (see `@/server/engine/line-items`). */
    perLineItem: boolean;
    now: number;
  },
): Promise<string[]> {
  const { flow, now } = input;
  const contactIds = [...new Set(input.events.map((e) => e.contactId))];
  const catalogDays = input.perLineItem
    ? await catalogDaysPerUnit(db, input.workspaceId, input.events)
    : new Map<string, number | null>();
  const [facts, past] = await Promise.all([
    loadFacts(
      db,
      contactIds.map((contactId) => ({ workspaceId: input.workspaceId, contactId, graph: flow.graph })),
      now,
    ),
    db
      .select({
        contactId: enrollments.contactId,
        entryKey: enrollments.entryKey,
        status: enrollments.status,
        enteredAt: enrollments.enteredAt,
        triggerAt: sql<
          number | string | null
        >`(${enrollments.triggerData} ->> 'occurredAt')::double precision`.mapWith(Number),
      })
      .from(enrollments)
      .where(and(eq(enrollments.flowId, flow.flowId), inArray(enrollments.contactId, contactIds))),
  ]);
  const rows: Array<typeof enrollments.$inferInsert> = [];
  const entries = input.events.flatMap((stored) => {
    const event: EventFact = {
      id: stored.id,
      name: stored.name,
      properties: stored.properties,
      occurredAt: stored.occurredAt.getTime(),
    };
    return input.perLineItem
      ? lineItemEvents(event, (productId) => catalogDays.get(productId)).map((l) => ({
          stored,
          event: l.event,
          occurrenceKey: l.line === null ? `event:${stored.id}` : `event:${stored.id}:line:${l.line}`,
        }))
      : [{ stored, event, occurrenceKey: `event:${stored.id}` }];
  });
  for (const { stored, event, occurrenceKey } of entries) {
    const f = facts.get(stored.contactId);
    if (!f) continue;
    const mine = past.filter((p) => p.contactId === stored.contactId);
    const decision = evaluateEntry(
      flow.graph,
      {
        contact: f.contact,
        event,
        activeEnrollmentKeys: mine.filter((p) => p.status === "active").map((p) => p.entryKey),
        pastEnrollments: mine.map((p) => ({
          enteredAt: p.enteredAt.getTime(),
          triggerAt: typeof p.triggerAt === "number" && Number.isFinite(p.triggerAt) ? p.triggerAt : null,
        })),
        events: f.events.some((e) => e.id === event.id)
          ? f.events.map((e) => (e.id === event.id ? event : e))
          : [...f.events, event],
        engagement: f.engagement ?? [],
      },
      now,
    );
    if (!decision.enter) continue;
    // Later events in this batch see this entry (one active enrollment per contact and key).
    past.push({
      contactId: stored.contactId,
      entryKey: decision.entryKey,
      status: "active",
      enteredAt: new Date(now),
      triggerAt: event.occurredAt,
    });
    rows.push({
      workspaceId: input.workspaceId,
      flowId: flow.flowId,
      versionId: flow.versionId,
      contactId: stored.contactId,
      currentNodeId: input.triggerNodeId,
      status: "active",
      nextRunAt: new Date(now),
      triggerEventId: event.id,
      triggerData: {
        eventId: event.id,
        name: event.name,
        properties: event.properties,
        occurredAt: event.occurredAt,
      },
      entryKey: decision.entryKey,
      occurrenceKey,
      state: emptyState(),
      enteredAt: new Date(now),
    });
  }
  if (rows.length === 0) return [];
  const inserted = await db
    .insert(enrollments)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: enrollments.id });
  return inserted.map((r) => r.id);
}

/** Days per unit from the catalog for the products on these orders' lines that lack their own. */
async function catalogDaysPerUnit(
  db: DbOrTx,
  workspaceId: string,
  list: ReadonlyArray<Pick<EnrollEvent, "properties">>,
): Promise<Map<string, number | null>> {
  const ids = [...new Set(list.flatMap((e) => productIdsMissingDaysPerUnit(e.properties)))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: products.id, daysPerUnit: products.daysPerUnit })
    .from(products)
    .where(and(eq(products.workspaceId, workspaceId), inArray(products.id, ids)));
  return new Map(rows.map((r) => [r.id, r.daysPerUnit]));
}

/**
 * An order (a flow's conversion event) credits the last message of each flow the contact
 * opened or clicked. Per batch: the flows that reached the batch's contacts in one query per
 * workspace, their touches and the conversions in one query and one insert.
 */
async function creditConversions(
  db: Db,
  list: ReadonlyArray<EnrollEvent & { contactId: string }>,
  now: number,
  caches: ExecutorCaches,
) {
  const byWorkspace = new Map<string, Array<EnrollEvent & { contactId: string }>>();
  for (const event of list) {
    if (event.occurredAt.getTime() > now) continue;
    byWorkspace.set(event.workspaceId, [...(byWorkspace.get(event.workspaceId) ?? []), event]);
  }
  const inputs: Parameters<typeof recordConversions>[1][number][] = [];
  for (const [workspaceId, wsEvents] of byWorkspace) {
    const names = new Set([
      DEFAULT_CONVERSION_EVENT,
      ...(await getLiveFlows(db, workspaceId, now, caches)).map((f) => conversionEventOf(f.graph)),
    ]);
    const orders = wsEvents.filter((e) => names.has(e.name));
    if (orders.length === 0) continue;
    const touched = await flowsTouchingContacts(
      db,
      workspaceId,
      orders.map((e) => ({ key: e.id, contactId: e.contactId, at: e.occurredAt.getTime() })),
      90,
    );
    const flowIds = [...new Set([...touched.values()].flat())];
    if (flowIds.length === 0) continue;
    const versions = await db
      .select({ flowId: flows.id, versionId: flows.liveVersionId })
      .from(flows)
      .where(inArray(flows.id, flowIds));
    const graphs = await loadGraphs(
      db,
      versions.flatMap((v) => (v.versionId ? [v.versionId] : [])),
      caches,
    );
    const versionOf = new Map(versions.map((v) => [v.flowId, v.versionId]));
    for (const event of orders)
      for (const flowId of touched.get(event.id) ?? []) {
        const versionId = versionOf.get(flowId);
        const graph = versionId ? graphs.get(versionId) : undefined;
        if (!graph || conversionEventOf(graph) !== event.name) continue;
        inputs.push({
          workspaceId,
          flowId,
          graph,
          contactId: event.contactId,
          enrollmentId: null,
          event: { id: event.id, properties: event.properties, occurredAt: event.occurredAt.getTime() },
        });
      }
  }
  await recordConversions(db, inputs);
}

/**
 * Events not enrolled yet: the ones the fast path missed (a crash between storing and
 * enrolling; `graceMs` leaves it time), or all of them at once when the web server announced
 * them to out-of-process workers (`graceMs` 0). Rows are claimed `FOR UPDATE SKIP LOCKED` in
 * one transaction with their enrollment, so several workers take different events, and a
 * worker that dies mid-way leaves its events to the next sweep.
 */
export async function sweepUntriggeredEvents(
  db: Db,
  now: number,
  caches: ExecutorCaches,
  graceMs = 5_000,
  limit = 500,
): Promise<EnrollResult> {
  const due = and(isNull(events.triggeredAt), lte(events.receivedAt, new Date(now - graceMs)));
  // Most ticks find nothing: look before opening a transaction.
  const [any] = await db.select({ id: events.id }).from(events).where(due).limit(1);
  if (!any) return { enrolled: [], woken: [] };
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        id: events.id,
        workspaceId: events.workspaceId,
        contactId: events.contactId,
        name: events.name,
        properties: events.properties,
        occurredAt: events.occurredAt,
      })
      .from(events)
      .where(due)
      .orderBy(events.receivedAt)
      .limit(limit)
      .for("update", { skipLocked: true });
    if (rows.length === 0) return { enrolled: [], woken: [] };
    const txDb = tx as unknown as Db;
    const result = await enrollFromEvents(txDb, rows, now, caches);
    const anonymous = rows.filter((r) => r.contactId === null).map((r) => r.id);
    if (anonymous.length)
      await tx
        .update(events)
        .set({ triggeredAt: new Date(now) })
        .where(inArray(events.id, anonymous));
    return result;
  });
}
