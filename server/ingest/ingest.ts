/**
 * Ingest service: stores track and identify messages for a workspace.
 *
 * Messages are applied in order, in groups: a run of consecutive track messages is one
 * group, each identify is a group of its own. Every group is atomic:
 * - a run of tracks is ONE SQL statement (data-modifying CTEs: contacts, anonymous-id links,
 *   events, back-in-stock subscriptions), so it needs no transaction and costs one round trip;
 * - an identify runs in a transaction of its own.
 * If a group fails, its messages are retried one by one, so every message is stored whole
 * or not at all and gets its own outcome.
 *
 * Every message type is deduplicated by `messageId` per workspace: a track by its event's
 * idempotency key (a repeat changes nothing, not even the contacts it names), an identify by
 * `ingested_messages`.
 *
 * With the storefront's publishable key (`restricted`), identify may create and enrich
 * anonymous visitors and identify them once, but may not change the email or phone of a
 * contact already identified, nor take over its profile; consent may be set to
 * `unsubscribed`, while `subscribed` becomes a double opt-in request (`optIns`) that only
 * the contact's click on the emailed link applies. Secret keys keep full power.
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, is, isNull, sql, type SQL } from "drizzle-orm";
import { PgDialect, PgTransaction } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/server/db/client";
import { backInStockSubscriptions, contacts, eventKeys, events, ingestedMessages } from "@/server/db/schema";
import { badRequest, conflict, DomainError, HTTP_STATUS } from "@/server/errors";
import { mergeContacts } from "@/server/db/queries/contact-merges";
import { eventTime } from "./event-time";
import { SUBSCRIBED_TO_BACK_IN_STOCK } from "./events";
import type { StoredEvent } from "./hooks";
import type { ContactTraits, IdentifyMessage, IngestMessage, Issue, TrackMessage } from "./schemas";
import { rowsOf } from "@/server/db/rows";
import { timeOrderedId } from "@/server/db/time-ordered-id";

export type IngestOutcome =
  | {
      ok: true;
      /** Event id (track) or contact id (identify); a duplicate whose original is not visible yet has none. */ id?: string;
      duplicate: boolean;
    }
  | { ok: false; status: number; error: { message: string; issues: Issue[] } };

export interface IngestReport {
  /** One per message, in order. */
  outcomes: IngestOutcome[];
  /** Event rows newly stored (not duplicates), for `notifyEventsStored`. */
  stored: StoredEvent[];
  /** Contacts whose email subscription waits for a double opt-in (publishable key only). */
  optIns: string[];
}

interface Ctx {
  workspaceId: string;
  now: Date;
  /** The publishable (browser) key: see the opening comment. */
  restricted: boolean;
}

interface GroupResult {
  outcomes: Array<[number, IngestOutcome]>;
  stored: StoredEvent[];
  optIns?: string[];
}

/** Stores the messages; each one succeeds or fails on its own. `db` may be a transaction. */
export async function ingestMessages(
  db: DbOrTx,
  input: {
    workspaceId: string;
    messages: readonly IngestMessage[];
    now?: Date;
    /** Which kind of API key sent the messages; a publishable key is restricted. Default: secret. */
    keyKind?: "secret" | "publishable";
  },
): Promise<IngestReport> {
  const ctx: Ctx = {
    workspaceId: input.workspaceId,
    now: input.now ?? new Date(),
    restricted: input.keyKind === "publishable",
  };
  const { messages } = input;
  const outcomes: IngestOutcome[] = new Array<IngestOutcome>(messages.length);
  const stored: StoredEvent[] = [];
  const optIns: string[] = [];
  // Inside a caller's transaction a failed statement would abort it: isolate each group in a savepoint.
  const isolate = is(db as unknown, PgTransaction);

  const runGroup = async (indices: number[]): Promise<void> => {
    try {
      const result = isolate
        ? await db.transaction((sp) => storeGroup(sp, ctx, indices, messages))
        : await storeGroup(db, ctx, indices, messages);
      for (const [index, outcome] of result.outcomes) outcomes[index] = outcome;
      stored.push(...result.stored);
      optIns.push(...(result.optIns ?? []));
    } catch (error) {
      if (indices.length > 1) {
        for (const index of indices) await runGroup([index]);
        return;
      }
      outcomes[indices[0]!] = failure(error);
    }
  };
  for (const group of groupsOf(messages)) await runGroup(group);
  return { outcomes, stored, optIns };
}

/** Stores one track message. */
export async function trackEvent(
  db: DbOrTx,
  input: { workspaceId: string; message: TrackMessage; now?: Date },
) {
  return ingestMessages(db, { workspaceId: input.workspaceId, messages: [input.message], now: input.now });
}

/** Creates or updates one contact. */
export async function identifyContact(
  db: DbOrTx,
  input: { workspaceId: string; message: IdentifyMessage; now?: Date },
) {
  return ingestMessages(db, { workspaceId: input.workspaceId, messages: [input.message], now: input.now });
}

/** Consecutive tracks form one group; each identify is a group of its own. */
function groupsOf(messages: readonly IngestMessage[]): number[][] {
  const groups: number[][] = [];
  let i = 0;
  while (i < messages.length) {
    const start = i++;
    if (messages[start]!.type === "track") while (i < messages.length && messages[i]!.type === "track") i++;
    groups.push(Array.from({ length: i - start }, (_, k) => start + k));
  }
  return groups;
}

function failure(error: unknown): IngestOutcome {
  if (error instanceof DomainError) {
    return {
      ok: false,
      status: HTTP_STATUS[error.code],
      error: {
        message: error.message,
        issues: error.field ? [{ path: error.field, message: error.message }] : [],
      },
    };
  }
  console.error("[ingest] could not store a message:", error);
  return {
    ok: false,
    status: 500,
    error: { message: "Could not store this message; try again", issues: [] },
  };
}

async function storeGroup(
  db: DbOrTx,
  ctx: Ctx,
  indices: number[],
  messages: readonly IngestMessage[],
): Promise<GroupResult> {
  const first = messages[indices[0]!]!;
  if (first.type === "identify") {
    const result = await db.transaction((tx) => identifyOnce(tx, ctx, first));
    return {
      outcomes: [[indices[0]!, { ok: true, id: result.contactId || undefined, duplicate: result.duplicate }]],
      stored: [],
      optIns: result.optIn ? [result.contactId] : [],
    };
  }
  return storeTracks(
    db,
    ctx,
    indices.map((index) => ({ index, message: messages[index] as TrackMessage })),
  );
}

/** A text or uuid column of a raw query's row. */
const textOf = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

const dialect = new PgDialect();
/** Runs of at most this many tracks use a prepared statement on PGlite. */
const PGLITE_PREPARED_MAX = 10;

interface PostgresJsClient {
  unsafe: (
    query: string,
    params: unknown[],
    options: { prepare: boolean },
  ) => Promise<Array<Record<string, unknown>>>;
}
interface PgliteClient {
  exec: (query: string) => Promise<unknown>;
  query: (query: string) => Promise<{ rows: Array<Record<string, unknown>> }>;
  waitReady: Promise<void>;
}
/** Statement names already prepared in each PGlite database (prepared statements live as long as it). */
const preparedOnPglite = new WeakMap<object, Set<string>>();

/**
 * Runs a statement the hot path repeats, keeping its plan: a named prepared statement on
 * postgres.js (drizzle's `execute` does not prepare), PREPARE/EXECUTE on PGlite (which plans
 * every query afresh) when `pglite` is set. Inside a caller's transaction it simply executes.
 */
async function executePrepared(
  db: DbOrTx,
  name: string,
  statement: SQL,
  options: { pglite: boolean },
): Promise<Array<Record<string, unknown>>> {
  const client = (db as { $client?: unknown }).$client as
    Partial<PostgresJsClient & PgliteClient> | undefined;
  if (client && typeof client.unsafe === "function") {
    const query = dialect.sqlToQuery(statement);
    return [...(await client.unsafe(query.sql, query.params, { prepare: true }))];
  }
  if (
    options.pglite &&
    client &&
    typeof client.exec === "function" &&
    typeof client.query === "function" &&
    "waitReady" in client
  ) {
    const query = dialect.sqlToQuery(statement);
    let names = preparedOnPglite.get(client);
    if (!names) preparedOnPglite.set(client, (names = new Set()));
    if (!names.has(name)) {
      await client.exec(`prepare ${name} as ${query.sql}`);
      names.add(name);
    }
    // EXECUTE takes no bound parameters: drizzle writes the values inline, quoted by its dialect.
    const args = sql.join(
      query.params.map((value) => sql`${value}`),
      sql`, `,
    );
    return rowsOf(await db.execute(sql`execute ${sql.raw(name)}(${args})`.inlineParams()));
  }
  return rowsOf(await db.execute(statement));
}

// ---------------------------------------------------------------- track

/** Which parts of the track statement a run of messages needs (fewer parts plan faster). */
interface TrackShape {
  /** Some message names its contact by userId. */
  users: boolean;
  /** Some message has only an anonymousId. */
  anonymousOnly: boolean;
  /** Some message has both ids, linking them. */
  links: boolean;
  /** Some message with a userId carries the device time zone. */
  zones: boolean;
  /** Some message may record a back-in-stock subscription (or links may attribute one). */
  backInStock: boolean;
}

/**
 * Stores a run of track messages in ONE statement, so the whole run is atomic:
 * 1. contacts named by userId, created on first sight (with the device time zone and the
 *    anonymous ids they arrive with); existing ones get an empty time zone filled and new
 *    anonymous ids appended;
 * 2. anonymous-only messages resolve to the contact their id was linked to (by this run or before);
 * 3. the visitor's earlier anonymous events are attributed to the contact they were linked to;
 * 4. the events, once per idempotency key;
 * 5. back-in-stock subscriptions from new and newly attributed "Subscribed to Back in Stock" events.
 * Only the parts the run needs are included. Returns the new events.
 */
function trackStatement(ctx: Ctx, input: string, shape: TrackShape): SQL {
  const ws = sql`${ctx.workspaceId}::uuid`;
  const now = sql`${ctx.now.toISOString()}::timestamptz`;
  const parts: SQL[] = [
    // Only the first message of each key not stored before: a repeat changes nothing.
    sql`input as (
      select * from jsonb_to_recordset(${input}::jsonb) as i(
        k int, id uuid, user_id text, anonymous_id text, contact_id uuid, name text, properties jsonb,
        occurred_at timestamptz, idempotency_key text, timezone text, first boolean)
      where i.first and not exists (
        select 1 from ${eventKeys} ek where ek.workspace_id = ${ws} and ek.idempotency_key = i.idempotency_key)
    )`,
  ];
  if (shape.users) {
    parts.push(
      sql`wanted as (
        select user_id,
          (array_agg(timezone order by k) filter (where timezone is not null))[1] as timezone,
          coalesce(array_agg(distinct anonymous_id) filter (where anonymous_id is not null), '{}'::text[]) as anonymous_ids
        from input where user_id is not null and contact_id is null
        group by user_id
      )`,
      sql`known as (
        select w.user_id, w.timezone as new_timezone, w.anonymous_ids as new_anonymous_ids, c.id, c.timezone, c.anonymous_ids
        from wanted w left join ${contacts} c on c.workspace_id = ${ws} and c.external_id = w.user_id
      )`,
      sql`created as (
        insert into ${contacts} as c (workspace_id, external_id, timezone, anonymous_ids, created_at, updated_at)
        select ${ws}, k.user_id, k.new_timezone, k.new_anonymous_ids, ${now}, ${now} from known k
        where k.id is null
        order by k.user_id -- one order for every request, so concurrent runs never deadlock on new contacts
        on conflict (workspace_id, external_id) do update set
          timezone = coalesce(c.timezone, excluded.timezone),
          anonymous_ids = c.anonymous_ids || array(select unnest(excluded.anonymous_ids) except select unnest(c.anonymous_ids)),
          updated_at = excluded.updated_at
        returning c.id, c.external_id
      )`,
    );
    if (shape.zones || shape.links) {
      parts.push(sql`updated as (
        update ${contacts} c set
          timezone = coalesce(c.timezone, k.new_timezone),
          anonymous_ids = c.anonymous_ids || array(select unnest(k.new_anonymous_ids) except select unnest(c.anonymous_ids)),
          updated_at = ${now}
        from known k
        where k.id is not null and c.id = k.id
          and ((k.timezone is null and k.new_timezone is not null) or not (k.anonymous_ids @> k.new_anonymous_ids))
        returning c.id
      )`);
    }
    parts.push(sql`resolved as (
      select id, user_id as external_id from known where id is not null
      union all
      select id, external_id from created
    )`);
  }
  if (shape.links) {
    parts.push(
      sql`links as (
        select distinct i.anonymous_id, r.id as contact_id
        from input i join resolved r on r.external_id = i.user_id
        where i.anonymous_id is not null
      )`,
      sql`attributed as (
        update ${events} ev set contact_id = l.contact_id
        from links l
        where ev.workspace_id = ${ws} and ev.anonymous_id = l.anonymous_id and ev.contact_id is null
        returning ev.name, ev.properties, ev.contact_id
      )`,
    );
  }
  if (shape.anonymousOnly) {
    parts.push(
      shape.links
        ? sql`anon as (
            select distinct on (a.anonymous_id) a.anonymous_id, coalesce(l.contact_id, c.id) as contact_id
            from (select distinct anonymous_id from input where user_id is null and contact_id is null and anonymous_id is not null) a
            left join links l on l.anonymous_id = a.anonymous_id
            left join ${contacts} c on c.workspace_id = ${ws} and c.anonymous_ids @> array[a.anonymous_id]
            order by a.anonymous_id, (l.contact_id is null), c.updated_at desc
          )`
        : sql`anon as (
            select distinct on (a.anonymous_id) a.anonymous_id, c.id as contact_id
            from (select distinct anonymous_id from input where user_id is null and contact_id is null and anonymous_id is not null) a
            left join ${contacts} c on c.workspace_id = ${ws} and c.anonymous_ids @> array[a.anonymous_id]
            order by a.anonymous_id, c.updated_at desc
          )`,
    );
  }
  const contactId = sql.join(
    [
      sql`i.contact_id`,
      ...(shape.users ? [sql`r.id`] : []),
      ...(shape.anonymousOnly ? [sql`an.contact_id`] : []),
    ],
    sql`, `,
  );
  // The key is claimed first (unique across all months in event_keys; a concurrent run with
  // the same key waits for this one and then skips it), and only claimed keys become events.
  parts.push(
    sql`claimed as (
      insert into ${eventKeys} (workspace_id, idempotency_key, event_id, occurred_at)
      select ${ws}, i.idempotency_key, i.id, i.occurred_at from input i
      order by i.k
      on conflict do nothing
      returning idempotency_key, event_id
    )`,
    sql`inserted as (
      insert into ${events} (id, workspace_id, contact_id, anonymous_id, name, properties, occurred_at, received_at, idempotency_key)
      select cl.event_id, ${ws}, coalesce(${contactId}), i.anonymous_id, i.name, i.properties, i.occurred_at, ${now}, i.idempotency_key
      from input i
      join claimed cl on cl.idempotency_key = i.idempotency_key
      ${shape.users ? sql`left join resolved r on r.external_id = i.user_id and i.contact_id is null` : sql``}
      ${shape.anonymousOnly ? sql`left join anon an on i.user_id is null and i.contact_id is null and an.anonymous_id = i.anonymous_id` : sql``}
      order by i.k
      returning id, idempotency_key, contact_id, name, properties
    )`,
  );
  if (shape.backInStock) {
    parts.push(sql`subscribed as (
      insert into ${backInStockSubscriptions} as s (workspace_id, product_id, contact_id, created_at)
      select distinct on (x.product_id, x.contact_id) ${ws}, x.product_id, x.contact_id, ${now}
      from (
        select properties->>'product_id' as product_id, contact_id from inserted where name = ${SUBSCRIBED_TO_BACK_IN_STOCK}
        ${shape.links ? sql`union all select properties->>'product_id', contact_id from attributed where name = ${SUBSCRIBED_TO_BACK_IN_STOCK}` : sql``}
      ) x
      where x.contact_id is not null and x.product_id is not null
      on conflict (workspace_id, product_id, contact_id) do update set id = gen_random_uuid(), created_at = excluded.created_at, notified_at = null
        where s.notified_at is not null
      returning s.id
    )`);
  }
  return sql`with ${sql.join(
    parts,
    sql`,
`,
  )}
select id, idempotency_key, contact_id from inserted`;
}

async function storeTracks(
  db: DbOrTx,
  ctx: Ctx,
  items: Array<{ index: number; message: TrackMessage }>,
): Promise<GroupResult> {
  const keys = items.map(({ message }) => message.messageId ?? randomUUID());
  const times = items.map(({ message: m }) => eventTime(m.timestamp, m.properties, ctx.now));
  const firstWithKey = new Map<string, number>();
  const input = items.map(({ message: m }, k) => {
    const key = keys[k]!;
    const first = !firstWithKey.has(key);
    if (first) firstWithKey.set(key, k);
    return {
      k,
      // Time-ordered: a new event lands at the end of the events' primary-key index.
      id: timeOrderedId(ctx.now.getTime()),
      user_id: m.userId ?? null,
      anonymous_id: m.anonymousId ?? null,
      contact_id: m.contactId ?? null,
      name: m.event,
      properties: times[k]!.properties,
      occurred_at: times[k]!.occurredAt.toISOString(),
      idempotency_key: key,
      timezone: m.timezone ?? null,
      first,
    };
  });

  const withUser = items.filter(({ message: m }) => m.contactId === undefined && m.userId !== undefined);
  const shape: TrackShape = {
    users: withUser.length > 0,
    anonymousOnly: items.some(
      ({ message: m }) => m.contactId === undefined && m.userId === undefined && m.anonymousId !== undefined,
    ),
    links: withUser.some(({ message: m }) => m.anonymousId !== undefined),
    zones: withUser.some(({ message: m }) => m.timezone !== undefined),
    backInStock: false,
  };
  shape.backInStock = shape.links || items.some(({ message: m }) => m.event === SUBSCRIBED_TO_BACK_IN_STOCK);

  const statement = trackStatement(ctx, JSON.stringify(input), shape);
  const name = `ingest_track_${Object.values(shape)
    .map((on) => (on ? 1 : 0))
    .join("")}`;
  // PGlite's generic plan suits a few messages (where planning dominates), not big batches.
  const stored: StoredEvent[] = (
    await executePrepared(db, name, statement, { pglite: items.length <= PGLITE_PREPARED_MAX })
  ).map((row) => {
    const key = textOf(row.idempotency_key);
    const k = firstWithKey.get(key)!;
    const m = items[k]!.message;
    return {
      id: textOf(row.id),
      workspaceId: ctx.workspaceId,
      contactId: row.contact_id == null ? null : textOf(row.contact_id),
      anonymousId: m.anonymousId ?? null,
      name: m.event,
      properties: times[k]!.properties,
      occurredAt: times[k]!.occurredAt,
      receivedAt: ctx.now,
      idempotencyKey: key,
      triggeredAt: null,
    };
  });

  // Keys stored before: report the existing event's id. The events above are committed, so
  // nothing from here on may throw (a retry would report them as duplicates).
  const idByKey = new Map(stored.map((row) => [row.idempotencyKey, row.id]));
  const existingKeys = [...firstWithKey.keys()].filter((key) => !idByKey.has(key));
  const existing = new Map<string, string>();
  if (existingKeys.length) {
    try {
      const found = await db.execute(sql`
        select event_id as id, idempotency_key from ${eventKeys}
        where workspace_id = ${ctx.workspaceId}::uuid and idempotency_key = any(array(select jsonb_array_elements_text(${JSON.stringify(existingKeys)}::jsonb)))`);
      for (const row of rowsOf(found)) existing.set(textOf(row.idempotency_key), textOf(row.id));
    } catch (error) {
      console.error("[ingest] could not look up the ids of duplicate events:", error);
    }
  }

  const outcomes = items.map(({ index }, k): [number, IngestOutcome] => {
    const key = keys[k]!;
    const newId = firstWithKey.get(key) === k ? idByKey.get(key) : undefined;
    if (newId) return [index, { ok: true, id: newId, duplicate: false }];
    const id = idByKey.get(key) ?? existing.get(key);
    return [index, id ? { ok: true, id, duplicate: true } : { ok: true, duplicate: true }];
  });
  return { outcomes, stored };
}

// ---------------------------------------------------------------- identify

interface ContactRef {
  id: string;
  externalId: string | null;
  timezone: string | null;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  birthday: string | null;
  country: string | null;
  emailConsent: "subscribed" | "unsubscribed" | "none";
}

const refColumns = {
  id: contacts.id,
  externalId: contacts.externalId,
  timezone: contacts.timezone,
  email: contacts.email,
  phone: contacts.phone,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  birthday: contacts.birthday,
  country: contacts.country,
  emailConsent: contacts.emailConsent,
};

/**
 * Links an anonymous id to a contact: remembers it on the contact, attributes the anonymous
 * events stored so far, and records back-in-stock subscriptions made while anonymous.
 */
async function mergeAnonymous(tx: DbOrTx, ctx: Ctx, contactId: string, anonymousId: string): Promise<void> {
  await tx
    .update(contacts)
    .set({
      anonymousIds: sql`array_append(${contacts.anonymousIds}, ${anonymousId}::text)`,
      updatedAt: ctx.now,
    })
    .where(
      and(eq(contacts.id, contactId), sql`not (${contacts.anonymousIds} @> array[${anonymousId}::text])`),
    );
  const merged = await tx
    .update(events)
    .set({ contactId })
    .where(
      and(
        eq(events.workspaceId, ctx.workspaceId),
        eq(events.anonymousId, anonymousId),
        isNull(events.contactId),
      ),
    )
    .returning({ name: events.name, properties: events.properties });
  const products = new Set(
    merged.filter((e) => e.name === SUBSCRIBED_TO_BACK_IN_STOCK).map((e) => e.properties.product_id),
  );
  const rows = [...products]
    .filter((p): p is string => typeof p === "string" && p !== "")
    .map((productId) => ({ workspaceId: ctx.workspaceId, productId, contactId, createdAt: ctx.now }));
  if (rows.length === 0) return;
  await tx
    .insert(backInStockSubscriptions)
    .values(rows)
    .onConflictDoUpdate({
      target: [
        backInStockSubscriptions.workspaceId,
        backInStockSubscriptions.productId,
        backInStockSubscriptions.contactId,
      ],
      set: { id: sql`gen_random_uuid()`, createdAt: ctx.now, notifiedAt: null },
      setWhere: sql`${backInStockSubscriptions.notifiedAt} is not null`,
    });
}

async function findContact(
  tx: DbOrTx,
  ctx: Ctx,
  match: SQL,
  onlyWithoutExternalId: boolean,
  order: SQL,
): Promise<ContactRef | undefined> {
  const [row] = await tx
    .select(refColumns)
    .from(contacts)
    .where(
      and(
        eq(contacts.workspaceId, ctx.workspaceId),
        match,
        onlyWithoutExternalId ? isNull(contacts.externalId) : undefined,
      ),
    )
    .orderBy(order)
    .limit(1);
  return row;
}

function traitColumns(traits: ContactTraits) {
  const set: Partial<typeof contacts.$inferInsert> = {};
  if (traits.email !== undefined) set.email = traits.email;
  if (traits.phone !== undefined) set.phone = traits.phone;
  if (traits.firstName !== undefined) set.firstName = traits.firstName;
  if (traits.lastName !== undefined) set.lastName = traits.lastName;
  if (traits.timezone !== undefined) set.timezone = traits.timezone;
  if (traits.birthday !== undefined) set.birthday = traits.birthday;
  if (traits.country !== undefined) set.country = traits.country;
  if (traits.emailConsent) set.emailConsent = traits.emailConsent;
  if (traits.smsConsent) set.smsConsent = traits.smsConsent;
  return set;
}

/** Applies an identify once per `messageId`; a repeat reports the contact it was applied to. */
async function identifyOnce(
  tx: DbOrTx,
  ctx: Ctx,
  message: IdentifyMessage,
): Promise<{ contactId: string; duplicate: boolean; optIn: boolean }> {
  if (message.messageId !== undefined) {
    const claimed = await tx
      .insert(ingestedMessages)
      .values({ workspaceId: ctx.workspaceId, messageId: message.messageId, receivedAt: ctx.now })
      .onConflictDoNothing()
      .returning({ messageId: ingestedMessages.messageId });
    if (claimed.length === 0) {
      const [seen] = await tx
        .select({ contactId: ingestedMessages.contactId })
        .from(ingestedMessages)
        .where(
          and(
            eq(ingestedMessages.workspaceId, ctx.workspaceId),
            eq(ingestedMessages.messageId, message.messageId),
          ),
        );
      return { contactId: seen?.contactId ?? "", duplicate: true, optIn: false };
    }
  }
  const result = await identifyOne(tx, ctx, message);
  if (message.messageId !== undefined)
    await tx
      .update(ingestedMessages)
      .set({ contactId: result.contactId })
      .where(
        and(
          eq(ingestedMessages.workspaceId, ctx.workspaceId),
          eq(ingestedMessages.messageId, message.messageId),
        ),
      );
  return { ...result, duplicate: false };
}

const sameAddress = (a: string | null | undefined, b: string | null | undefined) =>
  (a ?? "").trim().toLowerCase() === (b ?? "").trim().toLowerCase();

const forbidden = (message: string, field: string) => new DomainError("FORBIDDEN", message, field);

/**
 * What a publishable key may write (see the opening comment): on a contact already identified
 * (it has a userId, email or phone) the email and phone must stay as they are and other traits
 * only fill blanks; consent only ever goes to `unsubscribed`. Returns the columns to write and
 * whether an email subscription was asked for (a double opt-in).
 */
function restrictedTraits(
  set: Partial<typeof contacts.$inferInsert>,
  contact: ContactRef | undefined,
  traits: ContactTraits,
): { set: Partial<typeof contacts.$inferInsert>; optIn: boolean; keepProperties: boolean } {
  const out = { ...set };
  const optIn = traits.emailConsent === "subscribed";
  if (out.emailConsent !== "unsubscribed") delete out.emailConsent;
  if (out.smsConsent !== "unsubscribed") delete out.smsConsent;
  const identified =
    !!contact && (contact.externalId !== null || contact.email !== null || contact.phone !== null);
  if (!contact || !identified) return { set: out, optIn, keepProperties: true };
  if (traits.email !== undefined && !sameAddress(traits.email, contact.email))
    throw forbidden(
      "A publishable key cannot change the email of a contact who is already identified; use a secret key",
      "traits.email",
    );
  if (traits.phone !== undefined && !sameAddress(traits.phone, contact.phone))
    throw forbidden(
      "A publishable key cannot change the phone of a contact who is already identified; use a secret key",
      "traits.phone",
    );
  delete out.email;
  delete out.phone;
  for (const field of ["firstName", "lastName", "birthday", "country", "timezone"] as const)
    if (contact[field] !== null) delete out[field];
  return { set: out, optIn, keepProperties: false };
}

/** A unique index refused the write (the driver's error, or drizzle's wrapping of it). */
function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++)
    if ((e as { code?: unknown }).code === "23505") return true;
  return false;
}

/**
 * Applies one identify. A concurrent identify may create the contact this one is about to
 * create, or take the email it is about to set (emails are unique per workspace); the
 * attempt is then rolled back to its savepoint and run again, and finds that contact.
 */
async function identifyOne(
  tx: DbOrTx,
  ctx: Ctx,
  message: IdentifyMessage,
): Promise<{ contactId: string; optIn: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tx.transaction((sp) => identifyAttempt(sp, ctx, message));
    } catch (error) {
      if (attempt >= 3 || !isUniqueViolation(error)) throw error;
    }
  }
}

/**
 * Finds the contact by userId, then by email, then by anonymous id (a contact that already
 * has another userId is never taken over), updates the traits it names — or creates it —
 * and merges the anonymous id. One contact per email: when the userId's contact and the
 * email's contact are two, the first is merged into the second (a secret key only; see
 * `tidings_merge_contacts` for what moves); an email that belongs to another customer's
 * userId is refused. Returns the contact id.
 */
async function identifyAttempt(
  tx: DbOrTx,
  ctx: Ctx,
  message: IdentifyMessage,
): Promise<{ contactId: string; optIn: boolean }> {
  const { userId, anonymousId, traits } = message;
  const email = traits.email ?? undefined;
  const byUser =
    userId !== undefined
      ? await findContact(tx, ctx, eq(contacts.externalId, userId), false, asc(contacts.createdAt))
      : undefined;
  const byEmail = email
    ? await findContact(
        tx,
        ctx,
        sql`lower(${contacts.email}) = lower(${email})`,
        false,
        asc(contacts.createdAt),
      )
    : undefined;
  let contact = byUser ?? byEmail;
  if (byEmail && byEmail.id !== byUser?.id) {
    if (userId !== undefined && byEmail.externalId !== null && byEmail.externalId !== userId)
      throw conflict(
        "This email belongs to another contact with a different userId; one email is one contact per workspace",
        "traits.email",
      );
    if (byUser) {
      if (ctx.restricted)
        throw forbidden(
          "A publishable key cannot merge two contacts; identify with a secret key",
          "traits.email",
        );
      // The userId's contact and the email's are one person: the email's contact survives.
      await mergeContacts(tx, {
        survivorId: byEmail.id,
        mergedId: byUser.id,
        reason: "identify",
        now: ctx.now,
      });
      contact = await findContact(tx, ctx, eq(contacts.id, byEmail.id), false, asc(contacts.createdAt));
    }
  }
  if (!contact && anonymousId !== undefined) {
    contact = await findContact(
      tx,
      ctx,
      sql`${contacts.anonymousIds} @> array[${anonymousId}::text]`,
      userId !== undefined,
      desc(contacts.updatedAt),
    );
  }

  let set = traitColumns(traits);
  if (traits.timezone === undefined && message.timezone && !contact?.timezone)
    set.timezone = message.timezone;
  let optIn = false;
  let keepProperties = true;
  if (ctx.restricted) ({ set, optIn, keepProperties } = restrictedTraits(set, contact, traits));
  const properties = keepProperties
    ? sql`${contacts.properties} || ${JSON.stringify(traits.properties)}::jsonb`
    : sql`${contacts.properties}`;

  let contactId: string;
  if (contact) {
    await tx
      .update(contacts)
      .set({
        ...set,
        ...(userId !== undefined && { externalId: userId }),
        // A new address rotates the contact's links: those in the old inbox can no longer subscribe.
        ...(set.email !== undefined &&
          contact.email !== null &&
          !sameAddress(set.email, contact.email) && { linkVersion: sql`${contacts.linkVersion} + 1` }),
        properties,
        updatedAt: ctx.now,
      })
      .where(eq(contacts.id, contact.id));
    contactId = contact.id;
  } else if (userId !== undefined || email) {
    const [row] = await tx
      .insert(contacts)
      .values({
        ...set,
        workspaceId: ctx.workspaceId,
        externalId: userId ?? null,
        properties: traits.properties,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .onConflictDoUpdate({
        target: [contacts.workspaceId, contacts.externalId],
        // A concurrent request created the contact: a publishable key only fills it in.
        set: ctx.restricted ? { updatedAt: ctx.now } : { ...set, properties, updatedAt: ctx.now },
      })
      .returning({ id: contacts.id });
    if (!row) throw new Error("contact upsert returned no row");
    contactId = row.id;
  } else {
    throw badRequest(
      "Identify needs a userId, traits.email, or an anonymousId that was identified before",
      "userId",
    );
  }
  if (anonymousId !== undefined) await mergeAnonymous(tx, ctx, contactId, anonymousId);
  return { contactId, optIn };
}
