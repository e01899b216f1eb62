/**
 * Loads what the engine needs, for a whole batch of enrollments at once: flow graphs
 * (immutable versions, cached), contacts with their suppressions, the events the graphs
 * look at, and the last marketing send per channel.
 *
 * The events are the contact's whole history of the names the graphs read, with no time
 * window: "ever", "first-time buyer" and "orders ≥ 2" mean since the contact's first event,
 * so a customer whose last order is 500 days old is a repeat buyer. Windows ("in the last
 * 30 days") are the predicates' own business.
 */
import { and, eq, gt, gte, inArray, isNull, lt, max, or, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { anyOf } from "@/server/db/rows";
import {
  consentConfirmations,
  contacts,
  events,
  messageEvents,
  messages,
  suppressions,
  workspaces,
} from "@/server/db/schema";
import { getVersionGraphs } from "@/server/db/queries/flows";
import { FlowGraph } from "@/server/engine/graph";
import {
  ENGAGEMENTS,
  type Channel,
  type ContactFacts,
  type EngagementFact,
  type EventFact,
  type Facts,
} from "@/server/engine/facts";
import { requiredEventNames, usesEngagement } from "@/server/engine";
import type { ExecutorCaches } from "./caches";

/** Opens, clicks and bounces older than this never decide a step (journeys and "last N days" windows are shorter). */
const ENGAGEMENT_LOOKBACK_DAYS = 400;

/** Flow versions never change once published, so the executor caches them for good. */
export async function loadGraphs(
  db: DbOrTx,
  versionIds: readonly string[],
  caches: ExecutorCaches,
): Promise<Map<string, FlowGraph>> {
  const out = new Map<string, FlowGraph>();
  const missing: string[] = [];
  for (const id of new Set(versionIds)) {
    const cached = caches.graph(id);
    if (cached) out.set(id, cached);
    else missing.push(id);
  }
  if (missing.length) {
    for (const row of await getVersionGraphs(db, { versionIds: missing })) {
      const graph = FlowGraph.parse(row.graph);
      caches.rememberGraph(row.id, graph);
      out.set(row.id, graph);
    }
  }
  return out;
}

export type ContactRow = typeof contacts.$inferSelect;

export function toContactFacts(row: ContactRow, suppressed: Record<Channel, boolean>): ContactFacts {
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    firstName: row.firstName,
    timezone: row.timezone,
    birthday: row.birthday,
    country: row.country,
    properties: {
      ...row.properties,
      first_name: row.firstName,
      last_name: row.lastName,
      email: row.email,
      phone: row.phone,
    },
    tags: row.tags,
    consent: { email: row.emailConsent, sms: row.smsConsent, push: row.pushConsent },
    suppressed,
  };
}

export interface FactsRequest {
  workspaceId: string;
  contactId: string;
  graph: FlowGraph;
}

export interface LoadFactsOptions {
  /** Only events before this time (a backtest reads the window's events itself, in one stream). */
  eventsBefore?: number;
}

/** Facts for many (workspace, contact, graph) at once; keyed by contact id. */
export async function loadFacts(
  db: DbOrTx,
  requests: readonly FactsRequest[],
  now: number,
  options: LoadFactsOptions = {},
): Promise<Map<string, Facts>> {
  const out = new Map<string, Facts>();
  if (requests.length === 0) return out;
  const contactIds = [...new Set(requests.map((r) => r.contactId))];
  const workspaceIds = [...new Set(requests.map((r) => r.workspaceId))];
  const names = new Set<string>();
  for (const r of requests) for (const n of requiredEventNames(r.graph)) names.add(n);
  const engagementOf = requests.some((r) => usesEngagement(r.graph))
    ? await loadEngagement(db, { workspaceIds, contactIds, now })
    : null;

  const [contactRows, workspaceRows, lastSends, pendingOptIns] = await Promise.all([
    db
      .select()
      .from(contacts)
      .where(anyOf(contacts.id, contactIds, "uuid")),
    db
      .select({ id: workspaces.id, timezone: workspaces.timezone })
      .from(workspaces)
      .where(inArray(workspaces.id, workspaceIds)),
    db
      .select({ contactId: messages.contactId, channel: messages.channel, at: max(messages.createdAt) })
      .from(messages)
      .where(
        and(
          inArray(messages.workspaceId, workspaceIds),
          anyOf(messages.contactId, contactIds, "uuid"),
          eq(messages.category, "marketing"),
          inArray(messages.status, ["queued", "sending", "sent", "delivered"]),
          gte(messages.createdAt, new Date(now - 7 * 86_400_000)),
        ),
      )
      .groupBy(messages.contactId, messages.channel),
    // Double opt-ins asked for and not confirmed: marketing messages wait for the click.
    db
      .select({
        contactId: consentConfirmations.contactId,
        address: consentConfirmations.address,
        until: max(consentConfirmations.expiresAt),
      })
      .from(consentConfirmations)
      .where(
        and(
          inArray(consentConfirmations.workspaceId, workspaceIds),
          anyOf(consentConfirmations.contactId, contactIds, "uuid"),
          isNull(consentConfirmations.confirmedAt),
          gt(consentConfirmations.expiresAt, new Date(now)),
        ),
      )
      .groupBy(consentConfirmations.contactId, consentConfirmations.address),
  ]);

  const eventRows = names.size
    ? await db
        .select({
          id: events.id,
          contactId: events.contactId,
          name: events.name,
          properties: events.properties,
          occurredAt: events.occurredAt,
        })
        .from(events)
        .where(
          and(
            inArray(events.workspaceId, workspaceIds),
            anyOf(events.contactId, contactIds, "uuid"),
            inArray(events.name, [...names]),
            ...(options.eventsBefore === undefined
              ? []
              : [lt(events.occurredAt, new Date(options.eventsBefore))]),
          ),
        )
    : [];

  // Suppressions are per address, so look up every address the contacts have: one list per
  // channel (a condition per address made the planner crawl on batches of a thousand).
  const emails = [...new Set(contactRows.flatMap((c) => (c.email ? [c.email.toLowerCase()] : [])))];
  const phones = [...new Set(contactRows.flatMap((c) => (c.phone ? [c.phone] : [])))];
  const byAddress: SQL[] = [];
  if (emails.length)
    byAddress.push(and(eq(suppressions.channel, "email"), anyOf(suppressions.address, emails, "text"))!);
  if (phones.length)
    byAddress.push(and(eq(suppressions.channel, "sms"), anyOf(suppressions.address, phones, "text"))!);
  const suppressed = byAddress.length
    ? await db
        .select({
          workspaceId: suppressions.workspaceId,
          channel: suppressions.channel,
          address: suppressions.address,
        })
        .from(suppressions)
        .where(and(inArray(suppressions.workspaceId, workspaceIds), or(...byAddress)))
    : [];
  const suppressedSet = new Set(suppressed.map((s) => `${s.workspaceId}|${s.channel}|${s.address}`));

  const zoneOf = new Map(workspaceRows.map((w) => [w.id, w.timezone]));
  const eventsOf = new Map<string, EventFact[]>();
  for (const e of eventRows) {
    if (!e.contactId) continue;
    const list = eventsOf.get(e.contactId) ?? [];
    list.push({ id: e.id, name: e.name, properties: e.properties, occurredAt: e.occurredAt.getTime() });
    eventsOf.set(e.contactId, list);
  }
  for (const list of eventsOf.values()) list.sort((a, b) => a.occurredAt - b.occurredAt);
  const lastOf = new Map<string, Partial<Record<Channel, number>>>();
  for (const s of lastSends) {
    if (!s.contactId || !s.at) continue;
    const entry = lastOf.get(s.contactId) ?? {};
    entry[s.channel] = new Date(s.at).getTime();
    lastOf.set(s.contactId, entry);
  }

  for (const row of contactRows) {
    // Only a confirmation sent to the address the contact still has.
    const pending = pendingOptIns.find(
      (p) => p.contactId === row.id && p.until && p.address.toLowerCase() === row.email?.toLowerCase(),
    );
    const key = (channel: Channel, address: string | null) =>
      address
        ? suppressedSet.has(
            `${row.workspaceId}|${channel}|${channel === "email" ? address.toLowerCase() : address}`,
          )
        : false;
    const contact = toContactFacts(row, {
      email: key("email", row.email),
      sms: key("sms", row.phone),
      push: false,
    });
    if (pending?.until) contact.consentPending = { email: new Date(pending.until).getTime() };
    out.set(row.id, {
      contact,
      workspaceTimezone: zoneOf.get(row.workspaceId) ?? "UTC",
      events: eventsOf.get(row.id) ?? [],
      ...(engagementOf && { engagement: engagementOf.get(row.id) ?? [] }),
      lastMarketingSentAt: lastOf.get(row.id) ?? {},
    });
  }
  return out;
}

const ENGAGEMENT_TYPES: ReadonlySet<string> = new Set(ENGAGEMENTS);

/**
 * What the contacts did with the messages they got (from any flow), as far back as behaviour
 * conditions look: opens, clicks, bounces, deliveries and unsubscribes, each at the time it
 * happened. Keyed by contact id.
 */
async function loadEngagement(
  db: DbOrTx,
  input: { workspaceIds: string[]; contactIds: string[]; now: number },
): Promise<Map<string, EngagementFact[]>> {
  const rows = await db
    .select({
      contactId: messages.contactId,
      messageId: messages.id,
      enrollmentId: messages.enrollmentId,
      nodeId: messages.nodeId,
      channel: messages.channel,
      type: messageEvents.type,
      occurredAt: messageEvents.occurredAt,
    })
    .from(messageEvents)
    .innerJoin(messages, eq(messages.id, messageEvents.messageId))
    .where(
      and(
        inArray(messageEvents.workspaceId, input.workspaceIds),
        inArray(messages.workspaceId, input.workspaceIds),
        anyOf(messages.contactId, input.contactIds, "uuid"),
        inArray(messageEvents.type, [...ENGAGEMENTS]),
        gte(messageEvents.occurredAt, new Date(input.now - ENGAGEMENT_LOOKBACK_DAYS * 86_400_000)),
      ),
    );
  const out = new Map<string, EngagementFact[]>();
  for (const r of rows) {
    if (!r.contactId || !ENGAGEMENT_TYPES.has(r.type)) continue;
    const list = out.get(r.contactId) ?? [];
    list.push({
      messageId: r.messageId,
      enrollmentId: r.enrollmentId,
      nodeId: r.nodeId,
      channel: r.channel,
      type: r.type as EngagementFact["type"],
      occurredAt: r.occurredAt.getTime(),
    });
    out.set(r.contactId, list);
  }
  return out;
}
