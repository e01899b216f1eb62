import { and, asc, count, desc, eq, exists, ilike, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { channel, consentStatus, contacts, events } from "@/server/db/schema";
import { notFound } from "@/server/errors";

export const CONSENT_CHANNELS = channel.enumValues;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CONSENT_STATUSES = consentStatus.enumValues;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export interface ContactFilters {
  search?: string;
  /** Consent on one channel, e.g. email subscribed. */
  consent?: { channel: ConsentChannel; status: ConsentStatus };
  /** Has this key in its properties. */
  hasProperty?: string;
  /** Has done this event at least once, e.g. "Placed Order". */
  didEvent?: string;
}

const consentColumn = {
  email: contacts.emailConsent,
  sms: contacts.smsConsent,
  push: contacts.pushConsent,
} as const;

function escapeLike(value: string) {
  return value.replace(/[%_\\]/g, (c) => `\\${c}`);
}

function filterConditions(db: DbOrTx, workspaceId: string, filters: ContactFilters): SQL[] {
  const conditions: SQL[] = [eq(contacts.workspaceId, workspaceId)];
  if (filters.search) {
    const like = `%${escapeLike(filters.search)}%`;
    const match = or(
      ilike(contacts.email, like),
      ilike(contacts.firstName, like),
      ilike(contacts.lastName, like),
      ilike(contacts.externalId, like),
    );
    if (match) conditions.push(match);
  }
  if (filters.consent) conditions.push(eq(consentColumn[filters.consent.channel], filters.consent.status));
  if (filters.hasProperty) conditions.push(sql`jsonb_exists(${contacts.properties}, ${filters.hasProperty})`);
  if (filters.didEvent) {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(events)
          .where(
            and(
              eq(events.workspaceId, workspaceId),
              eq(events.contactId, contacts.id),
              eq(events.name, filters.didEvent),
            ),
          ),
      ),
    );
  }
  return conditions;
}

export async function listContacts(
  db: DbOrTx,
  input: ContactFilters & { workspaceId: string; limit: number; offset: number },
) {
  const where = and(...filterConditions(db, input.workspaceId, input));
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(contacts)
      .where(where)
      .orderBy(asc(contacts.email), asc(contacts.id))
      .limit(input.limit)
      .offset(input.offset),
    db.select({ n: count() }).from(contacts).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** The event names the workspace has seen, for the "has done" filter. */
export async function listEventNames(db: DbOrTx, input: { workspaceId: string }): Promise<string[]> {
  const rows = await db
    .selectDistinct({ name: events.name })
    .from(events)
    .where(eq(events.workspaceId, input.workspaceId))
    .orderBy(asc(events.name))
    .limit(200);
  return rows.map((r) => r.name);
}

/** One contact of the workspace; NOT_FOUND for a contact of another workspace. */
export async function getContact(db: DbOrTx, input: { workspaceId: string; contactId: string }) {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, input.workspaceId), eq(contacts.id, input.contactId)));
  if (!row) throw notFound("Contact");
  return row;
}

/** The contact's events, newest first. */
export async function contactTimeline(
  db: DbOrTx,
  input: { workspaceId: string; contactId: string; limit: number },
) {
  await getContact(db, input);
  return db
    .select({
      id: events.id,
      name: events.name,
      properties: events.properties,
      occurredAt: events.occurredAt,
    })
    .from(events)
    .where(and(eq(events.workspaceId, input.workspaceId), eq(events.contactId, input.contactId)))
    .orderBy(desc(events.occurredAt), desc(events.id))
    .limit(input.limit);
}
