/**
 * The scale benchmark's search and contact-page section. At the shop's full size (a million
 * contacts and their history), times what a marketer waits for:
 * - contact search through the contacts list (the page's rows and its total), for one word
 *   (a first or last name), two words (first and last name) and the start of an email;
 * - a contact's page: profile, journeys, latest messages and event timeline, read as the
 *   page reads them (four reads side by side), with the page's own limits.
 * p50/p99 over `queries` runs each (targets: search p99 ≤ 100 ms, contact page p99 ≤ 200 ms).
 * `addContactHistory` gives the generated shop messages, a flow and journeys with their steps
 * (generate_series, in Postgres), so the contact page reads from tables of realistic size.
 */
import type { Sql } from "postgres";
import type { Db } from "@/server/db/client";
import { contactTimeline, getContact, listContacts } from "@/server/contacts/contacts";
import { contactJourneys } from "@/server/executor/enrollments";
import { listOutbox } from "@/server/outbox/outbox";
import { contactIdSql, FIRST_NAMES, LAST_NAMES } from "./data";

export interface Percentiles {
  p50: number;
  p99: number;
  /** Average rows matched (search) or messages shown (contact page). */
  rows: number;
}

/** A small seeded generator, so two runs ask the same questions. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function percentiles(samples: number[], rows: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    p50: at(0.5),
    p99: at(0.99),
    rows: rows.reduce((a, b) => a + b, 0) / Math.max(1, rows.length),
  };
}

async function timed<T>(samples: number[], run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  samples.push(performance.now() - start);
  return result;
}

export interface SearchBenchResult {
  oneWord: Percentiles;
  twoWords: Percentiles;
  emailPrefix: Percentiles;
}

/** Contact search p50/p99 over `queries` searches of each kind (default 200). */
export async function benchSearch(
  db: Db,
  sql: Sql,
  options: { workspaceId: string; contacts: number; queries?: number; seed?: number },
): Promise<SearchBenchResult> {
  const queries = options.queries ?? 200;
  const next = random(options.seed ?? 16);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const names = [...FIRST_NAMES, ...LAST_NAMES];
  const oneWord = Array.from({ length: queries }, () => pick(names).toLowerCase());
  const twoWords = Array.from({ length: queries }, () => `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`);
  // The start of real addresses: "lucas.rossi.4821" of lucas.rossi.482193@example.com.
  const ns = Array.from({ length: queries }, () => 1 + Math.floor(next() * options.contacts));
  const w = `'${options.workspaceId}'`;
  const rows = await sql.unsafe<{ email: string }[]>(
    `select email from contacts where workspace_id = ${w} and id in (${ns.map((n) => contactIdSql(w, String(n))).join(", ")})`,
  );
  const emailPrefix = rows.map((r) => r.email.slice(0, r.email.indexOf("@") - 2));
  const run = async (terms: string[]) => {
    const samples: number[] = [];
    const matched: number[] = [];
    for (const term of terms.slice(0, 5))
      await listContacts(db, { workspaceId: options.workspaceId, search: term, limit: 50 });
    for (const term of terms) {
      const page = await timed(samples, () =>
        listContacts(db, { workspaceId: options.workspaceId, search: term, limit: 50 }),
      );
      matched.push(page.total);
    }
    return percentiles(samples, matched);
  };
  return { oneWord: await run(oneWord), twoWords: await run(twoWords), emailPrefix: await run(emailPrefix) };
}

/** A contact's page data p50/p99 over `pages` contacts picked at random (default 200). */
export async function benchContactPage(
  db: Db,
  sql: Sql,
  options: { workspaceId: string; contacts: number; pages?: number; seed?: number; appUrl?: string },
): Promise<Percentiles> {
  const pages = options.pages ?? 200;
  const next = random(options.seed ?? 61);
  const ns = Array.from({ length: pages + 5 }, () => 1 + Math.floor(next() * options.contacts));
  const rows = await sql.unsafe<{ id: string }[]>(
    `select ${contactIdSql(`'${options.workspaceId}'`, "n")} as id from unnest(array[${ns.join(",")}]) n`,
  );
  const contactIds = rows.map((r) => r.id);
  const read = (contactId: string) =>
    Promise.all([
      getContact(db, { workspaceId: options.workspaceId, contactId }),
      contactTimeline(db, { workspaceId: options.workspaceId, contactId, limit: 200 }),
      getContact(db, { workspaceId: options.workspaceId, contactId }).then(() =>
        listOutbox(db, {
          workspaceId: options.workspaceId,
          contactId,
          limit: 100,
          appUrl: options.appUrl ?? "http://localhost:3000",
        }),
      ),
      contactJourneys(db, { workspaceId: options.workspaceId, contactId }),
    ]);
  for (const id of contactIds.slice(0, 5)) await read(id);
  const samples: number[] = [];
  const shown: number[] = [];
  for (const id of contactIds.slice(5)) {
    const [, timeline, sent] = await timed(samples, () => read(id));
    shown.push(sent.length + timeline.length);
  }
  return percentiles(samples, shown);
}

/**
 * Messages (one per `contacts / messages` contact on average, over two years), one live flow
 * and `journeys` finished journeys of it with three steps each, for the generated shop.
 */
export async function addContactHistory(
  sql: Sql,
  options: { workspaceId: string; contacts: number; messages: number; journeys: number; now?: Date },
): Promise<{ ms: number }> {
  const start = performance.now();
  const w = `'${options.workspaceId}'`;
  const now = (options.now ?? new Date()).toISOString();
  const graph = JSON.stringify({
    nodes: [
      {
        id: "trigger",
        kind: "trigger",
        position: { x: 0, y: 0 },
        config: { kind: "trigger", event: "Placed Order" },
      },
    ],
    edges: [],
  });
  const [flow] = await sql.unsafe<{ id: string; version: string }[]>(`
    with f as (
      insert into flows (workspace_id, name, status, draft_graph) values (${w}, 'Order confirmation', 'live', '${graph}'::jsonb)
      returning id
    ), v as (
      insert into flow_versions (workspace_id, flow_id, version, graph) select ${w}, f.id, 1, '${graph}'::jsonb from f
      returning id, flow_id
    )
    select flow_id as id, id as version from v`);
  const chunk = 500_000;
  for (let from = 1; from <= options.messages; from += chunk) {
    const to = Math.min(options.messages, from + chunk - 1);
    await sql.unsafe(`
      insert into messages (workspace_id, flow_id, node_id, contact_id, channel, category, status,
        to_address, subject, content, provider, created_at, sent_at, next_attempt_at)
      select ${w}, '${flow!.id}', 'email_1', ${contactIdSql(w, `1 + (hashint8(n::bigint * 5 + 2) & 2147483647) % ${options.contacts}`)},
        'email', 'transactional', 'sent', 'customer' || n || '@example.com', 'Thanks for your order',
        jsonb_build_object('subject', 'Thanks for your order #' || n), 'outbox', at, at, at
      from (
        select n, timestamptz '${now}' - make_interval(secs => ((hashint8(n::bigint * 3 + 9) & 2147483647) % (730 * 86400))) as at
        from generate_series(${from}, ${to}) n
      ) g`);
  }
  for (let from = 1; from <= options.journeys; from += chunk) {
    const to = Math.min(options.journeys, from + chunk - 1);
    await sql.unsafe(`
      with e as (
        insert into enrollments (workspace_id, flow_id, version_id, contact_id, current_node_id, status,
          occurrence_key, entered_at, ended_at)
        select ${w}, '${flow!.id}', '${flow!.version}', ${contactIdSql(w, "n")}, 'trigger', 'completed',
          'bench:' || n, timestamptz '${now}' - interval '3 days', timestamptz '${now}' - interval '2 days'
        from generate_series(${from}, ${to}) n
        returning id, entered_at
      )
      insert into enrollment_steps (workspace_id, enrollment_id, flow_id, version_id, node_id, outcome, at)
      select ${w}, e.id, '${flow!.id}', '${flow!.version}', 'trigger', o, e.entered_at
      from e cross join unnest(array['next', 'next', 'exit']) o`);
  }
  await sql.unsafe(`analyze messages; analyze enrollments; analyze enrollment_steps`);
  return { ms: performance.now() - start };
}
