import { and, asc, count, desc, eq, exists, getTableColumns, gt, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { channel, consentStatus, contacts, events } from "@/server/db/schema";
import { badRequest, notFound } from "@/server/errors";
import { BAD_CURSOR, encodeCursor, UuidKey } from "@/server/pagination/cursor";
import { contactSearch } from "@/server/db/queries/contact-search";

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

function filterConditions(db: DbOrTx, workspaceId: string, filters: ContactFilters): SQL[] {
  const conditions: SQL[] = [eq(contacts.workspaceId, workspaceId)];
  const search = filters.search ? contactSearch(filters.search) : null;
  if (search) conditions.push(search.where);
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

/**
 * Where a page of the contacts list ends. Browsing reads contacts by email (those without
 * one last), then id; a search reads them best match first (see `contactSearch`).
 */
export const ContactsCursor = z.union([
  z.tuple([z.literal("email"), z.string().nullable(), UuidKey]),
  z.tuple([z.literal("search"), z.number().int().min(0).max(2), z.number().min(-1).max(0), UuidKey]),
]);
export type ContactsCursor = z.infer<typeof ContactsCursor>;
export const CONTACTS_LIST = "contacts";

const { searchText: _searchText, ...listedColumns } = getTableColumns(contacts);
/** A contact as the app reads it (its search text stays in the database). */
export type ListedContact = Omit<typeof contacts.$inferSelect, "searchText">;

/**
 * One page of the workspace's contacts matching the filters, after `cursor` (the previous
 * page's `nextCursor`), with the total matching and the cursor of the page after it (null
 * on the last page).
 */
export async function listContacts(
  db: DbOrTx,
  input: ContactFilters & { workspaceId: string; limit: number; cursor?: ContactsCursor | undefined },
) {
  const filters = filterConditions(db, input.workspaceId, input);
  const search = input.search ? contactSearch(input.search) : null;
  const cursor = input.cursor;
  if (cursor && (cursor[0] === "search") !== Boolean(search)) throw badRequest(BAD_CURSOR, "cursor");
  let items: Array<ListedContact & { rank?: number; distance?: number }> = [];
  let n: number | undefined;
  if (search) {
    // Ranking reads every match anyway, so the same pass counts them (`count(*) over ()`,
    // taken before the cursor narrows to the rows after it). That pass carries only each
    // match's id and rank, so it stays in memory whatever the number of matches; the page's
    // own rows are read afterwards, by id.
    const matches = db
      .select({
        id: contacts.id,
        rank: search.rank.as("rank"),
        distance: search.distance.as("distance"),
        matched: sql<number>`count(*) over ()`.mapWith(Number).as("matched"),
      })
      .from(contacts)
      .where(and(...filters))
      .as("matches");
    const ranked = db
      .select()
      .from(matches)
      .where(
        cursor?.[0] === "search"
          ? sql`(${matches.rank}, ${matches.distance}, ${matches.id}) > (${cursor[1]}::int, ${cursor[2]}::real, ${cursor[3]}::uuid)`
          : undefined,
      )
      .orderBy(matches.rank, matches.distance, asc(matches.id))
      .limit(input.limit + 1)
      .as("ranked");
    const rows = await db
      .select({ ...listedColumns, rank: ranked.rank, distance: ranked.distance, matched: ranked.matched })
      .from(ranked)
      .innerJoin(contacts, eq(contacts.id, ranked.id))
      .orderBy(ranked.rank, ranked.distance, asc(ranked.id));
    items = rows.map(({ matched: _matched, ...c }) => c);
    n = rows[0]?.matched;
  }
  const counted = () =>
    db
      .select({ n: count() })
      .from(contacts)
      .where(and(...filters));
  if (!search) {
    // The page and the total side by side (two connections on Postgres).
    const browsed = browseByEmail(db, filters, input.limit + 1, cursor?.[0] === "email" ? cursor : undefined);
    const [rows, [row]] = await Promise.all([browsed, counted()]);
    items = rows;
    n = row?.n;
  }
  // A search page after its last match (rows removed meanwhile) still says how many match.
  n ??= (await counted())[0]?.n ?? 0;
  const more = items.length > input.limit;
  const page = items.slice(0, input.limit);
  const last = page.at(-1);
  const nextCursor =
    more && last
      ? search
        ? encodeCursor(CONTACTS_LIST, ["search", last.rank ?? 2, last.distance ?? 0, last.id])
        : encodeCursor(CONTACTS_LIST, ["email", last.email, last.id])
      : null;
  return {
    items: page.map(({ rank: _rank, distance: _distance, ...c }) => c),
    total: n,
    nextCursor,
  };
}

/**
 * Contacts by email then id, those without an email last: the index
 * (workspace_id, email, id) is read from the cursor on, then, once the emails run out, its
 * null-email part by id.
 */
async function browseByEmail(
  db: DbOrTx,
  filters: SQL[],
  limit: number,
  cursor: Extract<ContactsCursor, { 0: "email" }> | undefined,
) {
  const select = () => db.select(listedColumns).from(contacts);
  const rows = [];
  if (!cursor || cursor[1] !== null) {
    const after = cursor
      ? sql`(${contacts.email}, ${contacts.id}) > (${cursor[1]}, ${cursor[2]}::uuid)`
      : sql`${contacts.email} is not null`;
    rows.push(
      ...(await select()
        .where(and(...filters, after))
        .orderBy(asc(contacts.email), asc(contacts.id))
        .limit(limit)),
    );
  }
  if (rows.length < limit) {
    const afterId = cursor && cursor[1] === null ? gt(contacts.id, cursor[2]) : undefined;
    rows.push(
      ...(await select()
        .where(and(...filters, isNull(contacts.email), afterId))
        .orderBy(asc(contacts.id))
        .limit(limit - rows.length)),
    );
  }
  return rows;
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
    .select(listedColumns)
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
