/**
 * `npm run bench:scale:search` — the search and contact-page section of the scale benchmark
 * on its own. On local Postgres (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres) it creates the database BENCH_SCALE_DB
 * (default tidings_bench_search), generates a shop of BENCH_CONTACTS (1,000,000) contacts,
 * BENCH_EVENTS (10,000,000) events, BENCH_MESSAGES (2,000,000) messages and BENCH_JOURNEYS
 * (200,000) journeys, prints the load time, then contact search p50/p99 (one word, two
 * words, email prefix; 200 each) and the contact page's p50/p99, and the database's size.
 * BENCH_KEEP=1 keeps the database, and a kept database with its shop is reused as it is.
 */
import postgres from "postgres";
import { openDb } from "@/server/db/client";
import { generateShop } from "./data";
import { addContactHistory, benchContactPage, benchSearch, type Percentiles } from "./search";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB_NAME = process.env.BENCH_SCALE_DB ?? "tidings_bench_search";
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2_000_000);
const JOURNEYS = Number(process.env.BENCH_JOURNEYS ?? 200_000);
const KEEP = process.env.BENCH_KEEP === "1";

const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
const exists = await admin`select 1 from pg_database where datname = ${DB_NAME}`;
if (!exists.length) await admin.unsafe(`create database ${DB_NAME}`);
const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${DB_NAME}` }).toString();
const handle = await openDb({ url, maxConnections: 4 });
const sql = postgres(url, { max: 1, onnotice: () => {} });
const ms = (n: number) => `${n.toFixed(1)} ms`;
const line = (what: string, p: Percentiles, unit: string) =>
  console.log(
    `${what.padEnd(34)} p50 ${ms(p.p50).padStart(9)}  p99 ${ms(p.p99).padStart(9)}  (${Math.round(p.rows).toLocaleString("en")} ${unit} on average)`,
  );

try {
  let [shop] = await sql<{ id: string; contacts: number }[]>`
    select w.id, (select count(*)::int from contacts c where c.workspace_id = w.id) as contacts
    from workspaces w where w.name = 'Scale shop' limit 1`;
  if (!shop || shop.contacts !== CONTACTS) {
    if (shop) await sql`delete from workspaces where id = ${shop.id}`;
    console.log(
      `Loading ${CONTACTS.toLocaleString("en")} contacts and ${EVENTS.toLocaleString("en")} events…`,
    );
    const generated = await generateShop(sql, {
      contacts: CONTACTS,
      events: EVENTS,
      onProgress: (what, done, total) =>
        process.stdout.write(`\r  ${what} ${done.toLocaleString("en")} / ${total.toLocaleString("en")}   `),
    });
    const history = await addContactHistory(sql, {
      workspaceId: generated.workspaceId,
      contacts: CONTACTS,
      messages: MESSAGES,
      journeys: JOURNEYS,
    });
    console.log(
      `\nLoad: contacts ${(generated.contactsMs / 1000).toFixed(1)} s, events ${(generated.eventsMs / 1000).toFixed(1)} s, ` +
        `${MESSAGES.toLocaleString("en")} messages and ${JOURNEYS.toLocaleString("en")} journeys ${(history.ms / 1000).toFixed(1)} s`,
    );
    // As autovacuum would have by the time anyone searches: hint bits set, visibility map built.
    await sql.unsafe(`vacuum analyze contacts, events, messages, enrollments, enrollment_steps`);
    shop = { id: generated.workspaceId, contacts: CONTACTS };
  } else {
    console.log(`Reusing the shop in ${DB_NAME} (${CONTACTS.toLocaleString("en")} contacts)`);
  }
  const search = await benchSearch(handle.db, sql, { workspaceId: shop.id, contacts: CONTACTS });
  console.log(
    `\nContact search at ${CONTACTS.toLocaleString("en")} contacts, 200 queries each (target p99 ≤ 100 ms):`,
  );
  line("  one word (a first or last name)", search.oneWord, "matches");
  line("  two words (first and last name)", search.twoWords, "matches");
  line("  email prefix", search.emailPrefix, "matches");
  const page = await benchContactPage(handle.db, sql, { workspaceId: shop.id, contacts: CONTACTS });
  console.log(`\nContact page data, 200 contacts (target p99 ≤ 200 ms):`);
  line("  profile, journeys, messages, timeline", page, "messages and events shown");
  const [size] = await sql<
    { size: string }[]
  >`select pg_size_pretty(pg_database_size(current_database())) as size`;
  console.log(`\nDatabase size on disk: ${size!.size}`);
} finally {
  await sql.end();
  await handle.close();
  if (!KEEP) await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.end();
}
