/**
 * What the workspace has actually seen, for the builder's pickers: event names with their
 * property keys (sampled from each event's most recent occurrences) and contact fields
 * (built-in ones plus custom property keys). Workspace-scoped.
 */
import { and, count, desc, eq, isNotNull, max, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { contacts, events } from "@/server/db/schema";
import { rowsOf } from "@/server/db/rows";

export type ValueType = "string" | "number" | "boolean" | "array" | "object" | "null";
export type Example = string | number | boolean;

export type CatalogProperty = {
  key: string;
  type: ValueType;
  /** A few values seen, for value pickers. */
  examples: Example[];
  /** In how many of the sampled events (or contacts) the key appeared. */
  seen: number;
};

export type CatalogEvent = {
  name: string;
  count: number;
  lastSeenAt: Date | null;
  properties: CatalogProperty[];
};

export type ContactField = CatalogProperty & { label: string; builtIn: boolean };

export type EventCatalog = {
  events: CatalogEvent[];
  contactFields: ContactField[];
  sampled: { eventsPerName: number; contacts: number };
};

const BUILT_IN_FIELDS: { key: string; label: string; type: ValueType }[] = [
  { key: "email", label: "Email", type: "string" },
  { key: "phone", label: "Phone", type: "string" },
  { key: "first_name", label: "First name", type: "string" },
  { key: "country", label: "Country", type: "string" },
  { key: "timezone", label: "Time zone", type: "string" },
  { key: "birthday", label: "Birthday", type: "string" },
  { key: "tags", label: "Tags", type: "array" },
  { key: "consent.email", label: "Email consent", type: "string" },
  { key: "consent.sms", label: "SMS consent", type: "string" },
  { key: "consent.push", label: "Push consent", type: "string" },
];

type KeyRow = { name?: string; key: string; type: string; n: number | string; examples: unknown };

function examplesOf(value: unknown, type: ValueType): Example[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((v): v is string => typeof v === "string")
    .slice(0, 5)
    .map((v) =>
      type === "number" && Number.isFinite(Number(v)) ? Number(v) : type === "boolean" ? v === "true" : v,
    );
}

const VALUE_TYPES = new Set<string>(["string", "number", "boolean", "array", "object", "null"]);

/** One entry per key: its most common type, examples and how often it was seen. */
function mergeKeys(rows: readonly KeyRow[]): CatalogProperty[] {
  const byKey = new Map<string, CatalogProperty>();
  for (const r of rows) {
    const type = (VALUE_TYPES.has(r.type) ? r.type : "string") as ValueType;
    const seen = Number(r.n);
    const current = byKey.get(r.key);
    if (!current) {
      byKey.set(r.key, { key: r.key, type, examples: examplesOf(r.examples, type), seen });
      continue;
    }
    if (seen > current.seen && type !== "null") {
      current.type = type;
      current.examples = examplesOf(r.examples, type);
    }
    current.seen += seen;
  }
  return [...byKey.values()].sort((a, b) => b.seen - a.seen || a.key.localeCompare(b.key));
}

const SCALAR_TYPES = sql.raw(`('string', 'number', 'boolean')`);

export async function eventCatalog(
  db: DbOrTx,
  input: { workspaceId: string; samplePerEvent?: number; maxEvents?: number; sampleContacts?: number },
): Promise<EventCatalog> {
  const samplePerEvent = input.samplePerEvent ?? 50;
  const sampleContacts = input.sampleContacts ?? 500;
  const names = await db
    .select({ name: events.name, n: count(), last: max(events.occurredAt) })
    .from(events)
    .where(eq(events.workspaceId, input.workspaceId))
    .groupBy(events.name)
    .orderBy(desc(count()), events.name)
    .limit(input.maxEvents ?? 100);

  const keysByEvent = new Map<string, KeyRow[]>();
  if (names.length > 0) {
    const list = sql.join(
      names.map((n) => sql`(${n.name}::text)`),
      sql`, `,
    );
    const result = await db.execute(sql`
      select s.name, k.key, jsonb_typeof(s.properties -> k.key) as type, count(*)::int as n,
        (array_agg(distinct s.properties ->> k.key) filter (where jsonb_typeof(s.properties -> k.key) in ${SCALAR_TYPES}))[1:5] as examples
      from (values ${list}) as wanted(name)
      cross join lateral (
        select e.name, e.properties from ${events} e
        where e.workspace_id = ${input.workspaceId} and e.name = wanted.name
        order by e.occurred_at desc
        limit ${samplePerEvent}
      ) s
      cross join lateral jsonb_object_keys(case when jsonb_typeof(s.properties) = 'object' then s.properties else '{}'::jsonb end) as k(key)
      group by s.name, k.key, jsonb_typeof(s.properties -> k.key)
    `);
    for (const row of rowsOf<KeyRow & { name: string }>(result))
      keysByEvent.set(row.name, [...(keysByEvent.get(row.name) ?? []), row]);
  }

  const contactResult = await db.execute(sql`
    select k.key, jsonb_typeof(c.properties -> k.key) as type, count(*)::int as n,
      (array_agg(distinct c.properties ->> k.key) filter (where jsonb_typeof(c.properties -> k.key) in ${SCALAR_TYPES}))[1:5] as examples
    from (
      select properties from ${contacts} where workspace_id = ${input.workspaceId} order by updated_at desc limit ${sampleContacts}
    ) c
    cross join lateral jsonb_object_keys(case when jsonb_typeof(c.properties) = 'object' then c.properties else '{}'::jsonb end) as k(key)
    group by k.key, jsonb_typeof(c.properties -> k.key)
  `);
  const custom = mergeKeys(rowsOf<KeyRow>(contactResult));

  const countries = await db
    .selectDistinct({ country: contacts.country })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, input.workspaceId), isNotNull(contacts.country)))
    .orderBy(contacts.country)
    .limit(50);
  const tagResult = await db.execute(sql`
    select distinct t.tag from ${contacts} c cross join lateral unnest(c.tags) as t(tag)
    where c.workspace_id = ${input.workspaceId} order by 1 limit 50
  `);
  const builtInExamples: Record<string, Example[]> = {
    country: countries.map((c) => c.country).filter((c): c is string => c !== null),
    tags: rowsOf<{ tag: string }>(tagResult).map((r) => r.tag),
    "consent.email": ["subscribed", "unsubscribed", "none"],
    "consent.sms": ["subscribed", "unsubscribed", "none"],
    "consent.push": ["subscribed", "unsubscribed", "none"],
  };
  const builtInKeys = new Set(BUILT_IN_FIELDS.map((f) => f.key));

  return {
    events: names.map((n) => ({
      name: n.name,
      count: n.n,
      lastSeenAt: n.last ? new Date(n.last) : null,
      properties: mergeKeys(keysByEvent.get(n.name) ?? []),
    })),
    contactFields: [
      ...BUILT_IN_FIELDS.map((f) => ({
        ...f,
        builtIn: true,
        seen: 0,
        examples: builtInExamples[f.key] ?? [],
      })),
      ...custom.filter((p) => !builtInKeys.has(p.key)).map((p) => ({ ...p, label: p.key, builtIn: false })),
    ],
    sampled: { eventsPerName: samplePerEvent, contacts: sampleContacts },
  };
}
