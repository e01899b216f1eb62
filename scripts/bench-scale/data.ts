/**
 * A large shop for the scale benchmarks, generated inside Postgres with `generate_series`
 * (no row-by-row inserts from Node): a workspace, `contacts` customers with names, emails,
 * customer ids, time zones, countries and (for most) a birthday, and `events` events spread
 * over the last two years (orders, product views, checkouts, carts, sign-ups).
 *
 * Contact ids are derived from the workspace id and the contact's number
 * (`md5(workspace || ':' || n)::uuid`), so events pick their contact without a join and a
 * benchmark can name contact n directly with `contactIdSql`. Every value is a function of
 * the row number: two runs with the same sizes produce the same shop (ids aside when the
 * workspace id differs).
 */
import type { Sql } from "postgres";

export interface GenerateShopOptions {
  contacts: number;
  events: number;
  /** Use this workspace id (created if missing); default: a new one. */
  workspaceId?: string;
  /** The moment the history ends (default: now). Events fall in the two years before it. */
  now?: Date;
  /** Rows per statement (default 500,000), so progress can be printed and memory stays flat. */
  chunk?: number;
  /** Share of contacts with a birthday (default 0.7). */
  birthdayShare?: number;
  /** Called after each chunk with what is loaded so far. */
  onProgress?: (what: "contacts" | "events", done: number, total: number) => void;
  /** Contacts already loaded (a run stopped part way): load none, only the events. */
  skipContacts?: boolean;
  /** Number of the first event to load (default 1): a stopped run resumes where it was. */
  eventsFrom?: number;
  /**
   * Load at least this many rows into a table with its secondary indexes and triggers set
   * aside, building them once at the end (default 200,000): far faster than keeping
   * random-key indexes up to date row by row.
   */
  bulkFrom?: number;
}

export interface GeneratedShop {
  workspaceId: string;
  contacts: number;
  events: number;
  /** Milliseconds spent loading contacts and events (index builds included). */
  contactsMs: number;
  eventsMs: number;
  /** Of which, building indexes and what triggers would have kept (e.g. `contact_event_last`). */
  indexMs: number;
}

export const FIRST_NAMES = [
  "Lucas",
  "Emma",
  "Noah",
  "Olivia",
  "Liam",
  "Mia",
  "Mateo",
  "Sofia",
  "Leon",
  "Hannah",
  "Hugo",
  "Chloe",
  "Elias",
  "Alice",
  "Arthur",
  "Clara",
  "Luca",
  "Giulia",
  "Jonas",
  "Lea",
  "Oscar",
  "Ines",
  "Louis",
  "Ella",
  "Felix",
  "Nora",
  "Adam",
  "Zoe",
  "Theo",
  "Maya",
  "Samuel",
  "Lina",
  "Daniel",
  "Amelia",
  "David",
  "Isla",
  "Mohamed",
  "Yasmin",
  "Kenji",
  "Aiko",
];
export const LAST_NAMES = [
  "Rossi",
  "Smith",
  "Müller",
  "Martin",
  "Garcia",
  "Silva",
  "Johnson",
  "Bernard",
  "Schmidt",
  "Dubois",
  "Russo",
  "Brown",
  "Fernandez",
  "Lopez",
  "Jones",
  "Moreau",
  "Fischer",
  "Costa",
  "Williams",
  "Weber",
  "Ferrari",
  "Taylor",
  "Laurent",
  "Santos",
  "Novak",
  "Jensen",
  "Nielsen",
  "Kowalski",
  "Tanaka",
  "Sato",
  "Kim",
  "Nguyen",
  "Okafor",
  "Haddad",
  "Cohen",
  "Murphy",
  "O'Brien",
  "Andersen",
  "Bianchi",
  "Romano",
];
export const TIME_ZONES = [
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
  "Europe/London",
  "Europe/Paris",
  "Europe/Berlin",
  "Europe/Rome",
  "Asia/Tokyo",
  "Australia/Sydney",
  "America/Sao_Paulo",
];
export const COUNTRIES = ["US", "US", "US", "GB", "FR", "DE", "IT", "JP", "AU", "BR"];
/** Event names and their weights out of 100. */
export const EVENT_MIX: Array<[string, number]> = [
  ["Viewed Product", 55],
  ["Added to Cart", 15],
  ["Started Checkout", 10],
  ["Placed Order", 15],
  ["Signed Up", 5],
];

const textArray = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]`;

/** SQL expression of contact n's id in a workspace (both given as SQL expressions). */
export function contactIdSql(workspaceExpr: string, nExpr: string): string {
  return `md5(${workspaceExpr}::text || ':' || (${nExpr})::text)::uuid`;
}

/** A deterministic number in [0, 1) from an integer and a salt, computed in SQL. */
function unitSql(nExpr: string, salt: number): string {
  return `((hashint8((${nExpr})::bigint * 7919 + ${salt}) & 2147483647)::float8 / 2147483648.0)`;
}

/**
 * Runs `load` with the table's secondary indexes dropped and its own triggers off, then
 * builds the indexes again from their definitions (with a generous maintenance_work_mem) and
 * turns the triggers back on.
 */
async function withIndexesSetAside(
  sql: Sql,
  table: "contacts" | "events",
  load: () => Promise<void>,
): Promise<number> {
  const conn = await sql.reserve();
  let start = 0;
  try {
    const defs = await conn<{ name: string; def: string }[]>`
      select i.indexname as name, i.indexdef as def from pg_indexes i
      where i.schemaname = current_schema() and i.tablename = ${table}
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`;
    await conn.unsafe(`alter table ${table} disable trigger user`);
    for (const { name } of defs) await conn.unsafe(`drop index if exists "${name}"`);
    try {
      await load();
    } finally {
      start = performance.now();
      await conn.unsafe(`set maintenance_work_mem = '512MB'`);
      for (const { def } of defs)
        await conn.unsafe(def.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX IF NOT EXISTS "));
      await conn.unsafe(`alter table ${table} enable trigger user`);
    }
    return performance.now() - start;
  } finally {
    conn.release();
  }
}

/** Events are numbered per chunk, then mapped to a contact with a hash (heavy users and one-off buyers alike). */
export async function generateShop(sql: Sql, options: GenerateShopOptions): Promise<GeneratedShop> {
  const chunk = options.chunk ?? 500_000;
  const now = options.now ?? new Date();
  const birthdayShare = options.birthdayShare ?? 0.7;
  const [ws] = options.workspaceId
    ? await sql<{ id: string }[]>`
        insert into workspaces (id, name, slug) values (${options.workspaceId}, 'Scale shop', ${"scale-" + options.workspaceId})
        on conflict (id) do update set name = excluded.name returning id`
    : await sql<{ id: string }[]>`
        insert into workspaces (name, slug) values ('Scale shop', 'scale-' || gen_random_uuid()::text) returning id`;
  const workspaceId = ws!.id;
  const w = `'${workspaceId}'`;

  const first = textArray(FIRST_NAMES);
  const last = textArray(LAST_NAMES);
  const zones = textArray(TIME_ZONES);
  const countries = textArray(COUNTRIES);
  const nowIso = now.toISOString();

  const bulkFrom = options.bulkFrom ?? 200_000;
  const bulk = async (table: "contacts" | "events", rows: number, load: () => Promise<void>) => {
    if (rows < bulkFrom) return load().then(() => 0);
    return withIndexesSetAside(sql, table, load);
  };
  const contactsStart = performance.now();
  const loadContacts = async () => {
    for (let from = 1; from <= (options.skipContacts ? 0 : options.contacts); from += chunk) {
      const to = Math.min(options.contacts, from + chunk - 1);
      await sql.unsafe(`
      insert into contacts (id, workspace_id, external_id, email, phone, first_name, last_name,
        timezone, birthday, country, properties, email_consent, created_at, updated_at)
      select ${contactIdSql(w, "n")}, ${w}::uuid, 'cust-' || n,
        lower(f || '.' || replace(l, '''', '') || '.' || n || '@example.com'),
        case when n % 3 = 0 then '+1555' || lpad((n % 10000000)::text, 7, '0') end,
        f, l,
        case when n % 11 = 0 then null else (${zones})[1 + n % ${TIME_ZONES.length}] end,
        case when ${unitSql("n", 1)} < ${birthdayShare}
          then (date '1960-01-01' + (${unitSql("n", 2)} * 365.25 * 45)::int) end,
        (${countries})[1 + (n / 7) % ${COUNTRIES.length}],
        jsonb_build_object('vip', n % 50 = 0, 'source', case when n % 4 = 0 then 'shopify' else 'storefront' end),
        case when n % 5 = 0 then 'unsubscribed' else 'subscribed' end::consent_status,
        timestamptz '${nowIso}' - make_interval(days => (${unitSql("n", 3)} * 1095)::int),
        timestamptz '${nowIso}'
      from (
        select n, (${first})[1 + (hashint8(n::bigint) & 2147483647) % ${FIRST_NAMES.length}] as f,
          (${last})[1 + (hashint8(n::bigint * 31 + 7) & 2147483647) % ${LAST_NAMES.length}] as l
        from generate_series(${from}, ${to}) n
      ) g`);
      options.onProgress?.("contacts", to, options.contacts);
    }
  };
  let indexMs = await bulk("contacts", options.skipContacts ? 0 : options.contacts, loadContacts);
  const contactsMs = performance.now() - contactsStart;

  // Event name by weight: cumulative bounds over 100.
  const bucket = "((hashint8(n::bigint * 17 + 3) & 2147483647) % 100)";
  let acc = 0;
  const nameCase =
    "case " +
    EVENT_MIX.map(([name, weight]) => {
      acc += weight;
      return `when ${bucket} < ${acc} then '${name}'`;
    }).join(" ") +
    " end";
  const eventsStart = performance.now();
  const contactsN = Math.max(1, options.contacts);
  const eventsFrom = options.eventsFrom ?? 1;
  const loadEvents = async () => {
    for (let from = eventsFrom; from <= options.events; from += chunk) {
      const to = Math.min(options.events, from + chunk - 1);
      await sql.unsafe(`
      insert into events (workspace_id, contact_id, name, properties, occurred_at, received_at,
        idempotency_key, triggered_at)
      select ${w}::uuid, ${contactIdSql(w, "c")}, name,
        case when name = 'Placed Order'
          then jsonb_build_object('order_id', 'ord-' || n, 'value', round((10 + ${unitSql("n", 5)} * 190)::numeric, 2), 'currency', 'USD')
          when name in ('Viewed Product', 'Added to Cart')
          then jsonb_build_object('product_id', 'p-' || (n % 500), 'price', 20)
          else '{}'::jsonb end,
        at, at, 'gen-' || n, at
      from (
        select n, 1 + (hashint8(n::bigint * 13 + 1) & 2147483647) % ${contactsN} as c,
          ${nameCase} as name,
          timestamptz '${nowIso}' - make_interval(secs => ${unitSql("n", 4)} * 730 * 86400) as at
        from generate_series(${from}, ${to}) n
      ) g`);
      options.onProgress?.("events", to, options.events);
    }
  };
  const eventRows = options.events - eventsFrom + 1;
  indexMs += await bulk("events", eventRows, loadEvents);
  if (eventRows >= bulkFrom) {
    // What the statement trigger on events keeps at ingest: each contact's last time of each event.
    const start = performance.now();
    await sql.unsafe(`
      insert into contact_event_last (workspace_id, contact_id, event_name, last_at)
      select workspace_id, contact_id, name, max(occurred_at) from events
      where workspace_id = ${w} and contact_id is not null
      group by workspace_id, contact_id, name
      on conflict (contact_id, event_name) do update set last_at = greatest(contact_event_last.last_at, excluded.last_at)`);
    indexMs += performance.now() - start;
  }
  const eventsMs = performance.now() - eventsStart;
  await sql.unsafe(`vacuum analyze contacts, events, contact_event_last`);
  return { workspaceId, contacts: options.contacts, events: options.events, contactsMs, eventsMs, indexMs };
}
