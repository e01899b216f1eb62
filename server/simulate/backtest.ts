/**
 * The forecast: a draft replayed over the workspace's real events in [from, to). The events
 * are read once, in event-time order, in chunks (keyset on occurred_at, id), into an
 * in-memory index per contact; the contacts who could enter are then loaded in batches (no
 * per-event query) and each is run through the virtual executor, with time triggers firing
 * at their occurrences. Nothing is written.
 */
import { and, eq, gte, inArray, is, isNotNull, lt, ne, or, sql, isNull, type SQL } from "drizzle-orm";
import { PgDialect, PgTransaction } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/server/db/client";
import { anyOf, rowsOf } from "@/server/db/rows";
import { contacts, couponCodes, messageEvents, messages } from "@/server/db/schema";
import type { FlowGraph, FlowSettings } from "@/server/engine";
import { eventValueCents, requiredEventNames, usesEngagement } from "@/server/engine";
import { conversionEventOf, creditedTouch, type Touch } from "@/server/analytics/attribution";
import type { Channel, EngagementFact, EventFact } from "@/server/engine/facts";
import { triggerNode } from "@/server/engine/graph";
import { unitInterval } from "@/server/engine/hash";
import { nextOccurrence } from "@/server/engine/nodes/trigger";
import { loadFacts } from "@/server/executor/load";
import { ForecastCounter } from "./forecast";
import { contactAsOfStart, contactHistories } from "./history";
import { inactivityOccurrences } from "./inactivity";
import type { BacktestOptions, BacktestResult } from "./types";
import {
  planVirtual,
  runVirtual,
  SMART_SENDING_LOOKBACK_MS,
  triggerEventName,
  type PastSend,
  type VirtualContact,
  type VirtualJourney,
  type VirtualSend,
} from "./virtual";

export type BacktestInput = {
  workspaceId: string;
  graph: FlowGraph;
  settings: FlowSettings;
  from: number;
  to: number;
  /** The flow being forecast: its own past sends do not count for smart sending (the draft replaces them). */
  flowId?: string;
};

/** Extra knobs for the fidelity test and the benchmark. */
export type BacktestTuning = {
  /** Round the executor's moments to this grid (the history replay's 30-minute step). */
  grid?: { origin: number; stepMs: number };
  /** Events per chunk of the stream. */
  chunkSize?: number;
  /** Contacts per facts batch. */
  batchSize?: number;
  /**
   * Engagement with this run's messages: `observed` (default) draws opens and clicks at the
   * workspace's observed rates, deterministically per contact; `none` assumes none.
   */
  engagement?: "observed" | "none";
};

const DAY = 86_400_000;
const CHUNK = 5_000;
const BATCH = 5_000;

export class BacktestAborted extends Error {
  override name = "BacktestAborted";
  constructor() {
    super("The forecast was cancelled.");
  }
}

/** Replay the draft over the workspace's events in [from, to): per-node forecast counts. */
export async function backtest(
  db: DbOrTx,
  input: BacktestInput,
  options: BacktestOptions & BacktestTuning = {},
): Promise<BacktestResult> {
  const started = performance.now();
  const graph: FlowGraph = { ...input.graph, settings: input.settings };
  const { from, to } = input;
  const signal = options.signal;
  const check = () => {
    if (signal?.aborted) throw new BacktestAborted();
  };
  const progress = (fraction: number) => options.onProgress?.(Math.max(0, Math.min(1, fraction)));
  check();

  const triggerName = triggerEventName(graph);
  const trigger = triggerNode(graph)?.config;
  const inactivity = trigger?.type === "inactivity" ? trigger : null;
  const timeTrigger =
    trigger?.type === "date_property" || trigger?.type === "schedule" || inactivity !== null;
  const names = new Set(requiredEventNames(graph));
  if (triggerName) names.add(triggerName);
  // An inactivity trigger watches its event: each one in the window restarts the count.
  if (inactivity && inactivity.event.trim() !== "") names.add(inactivity.event);
  // Orders are credited to the message opened or clicked before them, as live numbers are.
  const goalName = conversionEventOf(graph);
  names.add(goalName);

  // 1. The window's events, once, in time order, into a per-contact index.
  const total = await countEvents(db, input.workspaceId, [...names], from, to);
  const byContact = new Map<string, EventFact[]>();
  const phases = { streamMs: 0, factsMs: 0, runMs: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof phases) => {
    const now = performance.now();
    phases[phase] += now - mark;
    mark = now;
  };
  let read = 0;
  if (names.size > 0)
    for await (const chunk of streamEvents(
      db,
      input.workspaceId,
      [...names],
      from,
      to,
      options.chunkSize ?? CHUNK,
    )) {
      check();
      for (const e of chunk) {
        let list = byContact.get(e.contactId);
        if (!list) byContact.set(e.contactId, (list = []));
        list.push({ id: e.id, name: e.name, properties: e.properties, occurredAt: e.occurredAt });
      }
      read += chunk.length;
      progress(total ? (0.5 * read) / total : 0.5);
    }

  lap("streamMs");

  // Who could enter: contacts with a trigger event in the window, or everyone for a time trigger.
  let candidates: string[];
  if (timeTrigger) candidates = await allContactIds(db, input.workspaceId);
  else if (triggerName)
    candidates = [...byContact]
      .filter(([, list]) => list.some((e) => e.name === triggerName))
      .map(([id]) => id);
  else candidates = [];

  const engagementModelled =
    options.engagement !== "none"
      ? engagementModel(await observedRates(db, input.workspaceId, to))
      : undefined;
  const engagementOf = usesEngagement(graph) ? engagementModelled : undefined;
  const couponsLeft = await couponCounts(db, input.workspaceId, graph, from);
  const counter = new ForecastCounter(graph, engagementOf !== undefined);
  const paths = options.collectPaths ? new Map<string, string[]>() : undefined;
  const plan = planVirtual(graph);

  // 2. Facts in batches, then each contact on the virtual clock.
  let done = 0;
  const batchSize = options.batchSize ?? BATCH;
  for (let i = 0; i < candidates.length; i += batchSize) {
    check();
    const ids = candidates.slice(i, i + batchSize);
    const [facts, sends, histories, lapses] = await Promise.all([
      loadFacts(
        db,
        ids.map((contactId) => ({ workspaceId: input.workspaceId, contactId, graph })),
        from,
        { eventsBefore: from },
      ),
      pastSends(db, { workspaceId: input.workspaceId, contactIds: ids, from, to, flowId: input.flowId }),
      contactHistories(db, { workspaceId: input.workspaceId, contactIds: ids, from, flowId: input.flowId }),
      inactivity ? lapseStarts(db, input.workspaceId, ids, inactivity.event, from) : null,
    ]);
    lap("factsMs");
    for (const contactId of ids) {
      const f = facts.get(contactId);
      const window = byContact.get(contactId) ?? [];
      if (!f) continue;
      // Consent and suppression as they were at the window's start, changed as it goes.
      const { contact, history } = contactAsOfStart(f.contact, histories.get(contactId));
      const subject: VirtualContact = {
        contact,
        workspaceTimezone: f.workspaceTimezone,
        events: f.events.concat(window),
        engagement: f.engagement ?? [],
        pastSends: sends.get(contactId) ?? [],
        ...(history ? { history } : {}),
      };
      let occurrences: number[] | undefined;
      if (inactivity) {
        const lapse = lapses?.get(contactId);
        occurrences = lapse
          ? inactivityOccurrences(
              inactivity,
              {
                lastBefore: lapse.lastBefore,
                times: window.filter((e) => e.name === inactivity.event).map((e) => e.occurredAt),
                joinedAt: lapse.joinedAt,
                hasEmail: lapse.hasEmail,
              },
              from,
              to,
            )
          : [];
      } else if (timeTrigger) occurrences = occurrencesOf(graph, subject, from, to);
      const run = runVirtual(subject, {
        graph,
        from,
        to,
        entries: { kind: "events" },
        ...(occurrences ? { occurrences } : {}),
        ...(engagementOf ? { engagementOf } : {}),
        couponsLeft,
        ...(options.grid ? { grid: options.grid } : {}),
        idPrefix: `bt-${contactId}`,
        plan,
      });
      creditConversions(counter, run.journeys, window, {
        contactId,
        goalName,
        attributionDays: graph.settings.attributionDays,
        engagementOf: engagementModelled,
      });
      for (const journey of run.journeys) {
        counter.add(journey);
        paths?.set(`${contactId}|${journey.trigger.eventId ?? journey.trigger.occurredAt}`, journey.path);
      }
      done++;
    }
    lap("runMs");
    progress(0.5 + (0.5 * done) / Math.max(1, candidates.length));
  }
  progress(1);
  return {
    from,
    to,
    contacts: candidates.length,
    events: read,
    ms: Math.round(performance.now() - started),
    nodes: counter.nodes,
    phases: {
      streamMs: Math.round(phases.streamMs),
      factsMs: Math.round(phases.factsMs),
      runMs: Math.round(phases.runMs),
    },
    ...(paths ? { paths } : {}),
  };
}

async function countEvents(db: DbOrTx, workspaceId: string, names: string[], from: number, to: number) {
  if (names.length === 0) return 0;
  const rows = rowsOf<{ n: string | number }>(
    await db.execute(sql`
      select count(*) as n from events
      where workspace_id = ${workspaceId} and contact_id is not null
        and name in (${sql.join(
          names.map((n) => sql`${n}`),
          sql`, `,
        )})
        and occurred_at >= ${new Date(from).toISOString()}::timestamptz
        and occurred_at < ${new Date(to).toISOString()}::timestamptz`),
  );
  return Number(rows[0]?.n ?? 0);
}

type StreamedEvent = EventFact & { contactId: string };

type EventRow = {
  id: string;
  contact_id: string;
  name: string;
  properties: Record<string, unknown> | string;
  at_ms: string | number;
  at_text: string;
};

const toStreamed = (r: EventRow): StreamedEvent => ({
  id: r.id,
  contactId: r.contact_id,
  name: r.name,
  properties:
    typeof r.properties === "string" ? (JSON.parse(r.properties) as Record<string, unknown>) : r.properties,
  occurredAt: Math.round(Number(r.at_ms)),
});

/** postgres.js's client under drizzle (absent on PGlite). */
type CursorClient = {
  unsafe: (query: string, params: unknown[]) => { cursor: (rows: number) => AsyncIterable<EventRow[]> };
};

const dialect = new PgDialect();

/**
 * The window's events in (occurred_at, id) order, `size` at a time: on postgres.js one query
 * read through a cursor (the rows come as the server produces them, one plan); elsewhere (PGlite,
 * inside a transaction) by keyset, a query per chunk.
 */
export async function* streamEvents(
  db: DbOrTx,
  workspaceId: string,
  names: string[],
  from: number,
  to: number,
  size: number,
): AsyncGenerator<StreamedEvent[]> {
  const nameList = sql.join(
    names.map((n) => sql`${n}`),
    sql`, `,
  );
  const query = (after: SQL, limit: SQL) => sql`
    select id, contact_id, name, properties,
      (extract(epoch from occurred_at) * 1000)::float8 as at_ms, occurred_at::text as at_text
    from events
    where workspace_id = ${workspaceId} and contact_id is not null
      and name in (${nameList})
      and occurred_at >= ${new Date(from).toISOString()}::timestamptz
      and occurred_at < ${new Date(to).toISOString()}::timestamptz
      ${after}
    order by occurred_at, id
    ${limit}`;

  const client = is(db, PgTransaction) ? undefined : (db as { $client?: Partial<CursorClient> }).$client;
  if (client && typeof client.unsafe === "function" && !("waitReady" in client)) {
    const { sql: text, params } = dialect.sqlToQuery(query(sql``, sql``));
    for await (const rows of client.unsafe(text, params).cursor(size)) yield rows.map(toStreamed);
    return;
  }

  let cursor: { at: string; id: string } | null = null;
  for (;;) {
    const after: SQL = cursor
      ? sql`and (occurred_at, id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
      : sql``;
    const rows = rowsOf<EventRow>(await db.execute(query(after, sql`limit ${size}`)));
    if (rows.length === 0) return;
    yield rows.map(toStreamed);
    const last = rows[rows.length - 1]!;
    cursor = { at: last.at_text, id: last.id };
    if (rows.length < size) return;
  }
}

/** Per contact: when they joined, whether they have an email, and their last `event` before `from`. */
async function lapseStarts(
  db: DbOrTx,
  workspaceId: string,
  contactIds: string[],
  event: string,
  from: number,
): Promise<Map<string, { joinedAt: number; hasEmail: boolean; lastBefore: number | null }>> {
  const rows = rowsOf<{
    id: string;
    joined_ms: string | number;
    has_email: boolean;
    last_ms: string | number | null;
  }>(
    await db.execute(sql`
      select c.id, (extract(epoch from c.created_at) * 1000)::float8 as joined_ms,
        (c.email is not null and c.email <> '') as has_email,
        (select (extract(epoch from max(e.occurred_at)) * 1000)::float8 from events e
          where e.workspace_id = ${workspaceId} and e.contact_id = c.id and e.name = ${event}
            and e.occurred_at < ${new Date(from).toISOString()}::timestamptz) as last_ms
      from contacts c
      where c.workspace_id = ${workspaceId} and ${anyOf(sql`c.id`, contactIds, "uuid")}`),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        joinedAt: Math.round(Number(r.joined_ms)),
        hasEmail: r.has_email === true || String(r.has_email) === "t",
        lastBefore: r.last_ms === null ? null : Math.round(Number(r.last_ms)),
      },
    ]),
  );
}

async function allContactIds(db: DbOrTx, workspaceId: string): Promise<string[]> {
  const rows = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(eq(contacts.workspaceId, workspaceId));
  return rows.map((r) => r.id);
}

/**
 * The workspace's real marketing sends to these contacts that smart sending reads from a week
 * before `from` (to `to`, when given), other than `flowId`'s own when given.
 */
export async function pastSends(
  db: DbOrTx,
  input: {
    workspaceId: string;
    contactIds: string[];
    from: number;
    to?: number;
    flowId?: string | undefined;
  },
): Promise<Map<string, PastSend[]>> {
  const rows = await db
    .select({ contactId: messages.contactId, channel: messages.channel, at: messages.createdAt })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, input.workspaceId),
        anyOf(messages.contactId, input.contactIds, "uuid"),
        eq(messages.category, "marketing"),
        inArray(messages.status, ["queued", "sending", "sent", "delivered"]),
        gte(messages.createdAt, new Date(input.from - SMART_SENDING_LOOKBACK_MS)),
        ...(input.to !== undefined ? [lt(messages.createdAt, new Date(input.to))] : []),
        ...(input.flowId ? [or(isNull(messages.flowId), ne(messages.flowId, input.flowId))!] : []),
      ),
    );
  const out = new Map<string, PastSend[]>();
  for (const r of rows) {
    if (!r.contactId) continue;
    const list = out.get(r.contactId) ?? [];
    list.push({ channel: r.channel, at: r.at.getTime() });
    out.set(r.contactId, list);
  }
  return out;
}

/** Codes left in each coupon pool the graph's messages draw from, at the window's start. */
async function couponCounts(db: DbOrTx, workspaceId: string, graph: FlowGraph, at: number) {
  const pools = new Set<string>();
  for (const node of graph.nodes) {
    const pool = (node.config as { couponPool?: unknown }).couponPool;
    if (typeof pool === "string" && /^[0-9a-f-]{36}$/i.test(pool)) pools.add(pool);
  }
  const out = new Map<string, number>();
  if (pools.size === 0) return out;
  const rows = await db
    .select({ poolId: couponCodes.poolId, n: sql<number>`count(*)`.mapWith(Number) })
    .from(couponCodes)
    .where(
      and(
        eq(couponCodes.workspaceId, workspaceId),
        inArray(couponCodes.poolId, [...pools]),
        or(isNull(couponCodes.assignedAt), gte(couponCodes.assignedAt, new Date(at))),
        or(isNull(couponCodes.expiresAt), gte(couponCodes.expiresAt, new Date(at))),
      ),
    )
    .groupBy(couponCodes.poolId);
  for (const pool of pools) out.set(pool, rows.find((r) => r.poolId === pool)?.n ?? 0);
  return out;
}

export type ObservedRates = Record<Channel, { opened: number; clicked: number }>;

/** The workspace's open and click rates per channel over the 90 days before `to`. */
export async function observedRates(db: DbOrTx, workspaceId: string, to: number): Promise<ObservedRates> {
  const since = new Date(to - 90 * DAY);
  const rows = await db
    .select({
      channel: messages.channel,
      sent: sql<number>`count(distinct ${messages.id})`.mapWith(Number),
      opened:
        sql<number>`count(distinct ${messageEvents.messageId}) filter (where ${messageEvents.type} = 'opened')`.mapWith(
          Number,
        ),
      clicked:
        sql<number>`count(distinct ${messageEvents.messageId}) filter (where ${messageEvents.type} = 'clicked')`.mapWith(
          Number,
        ),
    })
    .from(messages)
    .leftJoin(messageEvents, eq(messageEvents.messageId, messages.id))
    .where(
      and(
        eq(messages.workspaceId, workspaceId),
        inArray(messages.status, ["sent", "delivered"]),
        isNotNull(messages.sentAt),
        gte(messages.createdAt, since),
        lt(messages.createdAt, new Date(to)),
      ),
    )
    .groupBy(messages.channel);
  const rate = (n: number, d: number) => (d > 0 ? n / d : 0);
  const out: ObservedRates = {
    email: { opened: 0, clicked: 0 },
    sms: { opened: 0, clicked: 0 },
    push: { opened: 0, clicked: 0 },
  };
  for (const r of rows) out[r.channel] = { opened: rate(r.opened, r.sent), clicked: rate(r.clicked, r.sent) };
  return out;
}

/**
 * Opens and clicks of a forecast's messages at the observed rates, decided by a hash of the
 * contact and step (the same contact takes the same branch in every run): an open an hour
 * after the send, a click a few minutes after it.
 */
export function engagementModel(rates: ObservedRates): (send: VirtualSend) => EngagementFact[] {
  return (send) => {
    const r = rates[send.channel];
    const u = unitInterval("engagement", send.contactId, send.nodeId, send.visit);
    const out: EngagementFact[] = [];
    const base = {
      messageId: `${send.enrollmentId}:${send.nodeId}:${send.visit}`,
      enrollmentId: send.enrollmentId,
      nodeId: send.nodeId,
      channel: send.channel,
    };
    const opened = u < Math.max(r.opened, r.clicked);
    if (opened) out.push({ ...base, type: "opened", occurredAt: send.at + 3_600_000 });
    if (u < r.clicked) out.push({ ...base, type: "clicked", occurredAt: send.at + 3_900_000 });
    return out;
  };
}

/**
 * Conversions as the live numbers count them (server/analytics/attribution.ts): each order in
 * the window is credited, once, to the last message of this run the contact opened or clicked
 * within the flow's attribution window. Opens and clicks of the run's messages come from the
 * same engagement model as its branches, so they are estimates.
 */
function creditConversions(
  counter: ForecastCounter,
  journeys: readonly VirtualJourney[],
  events: readonly EventFact[],
  input: {
    contactId: string;
    goalName: string;
    attributionDays: number;
    engagementOf: ((send: VirtualSend) => EngagementFact[]) | undefined;
  },
) {
  if (!input.engagementOf) return;
  const touches: Touch[] = [];
  for (const journey of journeys)
    for (const { at, effect } of journey.records) {
      if (effect.type !== "send") continue;
      const send = {
        contactId: input.contactId,
        enrollmentId: journey.id,
        nodeId: effect.nodeId,
        visit: effect.visit,
        channel: effect.channel,
        at,
      };
      for (const e of input.engagementOf(send))
        if (e.type === "opened" || e.type === "clicked")
          touches.push({
            messageId: e.messageId,
            nodeId: e.nodeId,
            channel: e.channel,
            type: e.type,
            at: e.occurredAt,
          });
    }
  if (touches.length === 0) return;
  for (const event of events) {
    if (event.name !== input.goalName) continue;
    const touch = creditedTouch(touches, event.occurredAt, input.attributionDays);
    if (touch?.nodeId) counter.credit(touch.nodeId, eventValueCents(event.properties));
  }
}

/** A time trigger's occurrences for the contact in [from, to). */
function occurrencesOf(graph: FlowGraph, subject: VirtualContact, from: number, to: number): number[] {
  const config = triggerNode(graph)?.config;
  if (!config) return [];
  const out: number[] = [];
  let t = from - 1;
  for (let i = 0; i < 400; i++) {
    const next = nextOccurrence(config, subject.contact, t, subject.workspaceTimezone);
    if (next === null || next >= to) break;
    out.push(next);
    t = next;
  }
  return out;
}
