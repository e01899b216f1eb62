/**
 * The migration that partitions `events` by month keeps every row: a database migrated up to
 * the last migration before it is filled with events over 40 months (and a few from long ago),
 * then migrated to the end, and every row is still there, byte for byte, in its month.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER, openDb, type DbHandle } from "./client";
import { rowsOf } from "./rows";

/** The last migration before events were partitioned. */
const BEFORE_TAG = "0018_due_triggers_backfill";

let handle: DbHandle;
let dropDatabase: () => Promise<void> = async () => {};
let earlier: string;

async function migrateFrom(folder: string) {
  if (handle.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as never, { migrationsFolder: folder });
  } else {
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    await migrate(handle.db as never, { migrationsFolder: folder });
  }
}

beforeAll(async () => {
  earlier = mkdtempSync(path.join(os.tmpdir(), "tidings-migrations-"));
  cpSync(MIGRATIONS_FOLDER, earlier, { recursive: true });
  const journalPath = path.join(earlier, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: Array<{ tag: string }> };
  const last = journal.entries.findIndex((e) => e.tag === BEFORE_TAG);
  journal.entries = journal.entries.slice(0, last + 1);
  writeFileSync(journalPath, JSON.stringify(journal));

  if (inject("testDriver") === "pglite") {
    handle = await openDb({ dataDir: "memory://", migrate: false });
  } else {
    const template = new URL(inject("postgresTemplateUrl"));
    const admin = new URL(template);
    admin.pathname = "/postgres";
    const name = `tidings_m_${randomBytes(5).toString("hex")}`;
    const { default: postgres } = await import("postgres");
    const client = postgres(admin.toString(), { max: 1, onnotice: () => {} });
    await client.unsafe(`create database ${name}`);
    const url = new URL(template);
    url.pathname = `/${name}`;
    handle = await openDb({ url: url.toString(), migrate: false });
    dropDatabase = async () => {
      await client.unsafe(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  }
  await migrateFrom(earlier);
});

afterAll(async () => {
  await handle?.close();
  await dropDatabase();
  rmSync(earlier, { recursive: true, force: true });
});

const fingerprint = async () =>
  rowsOf(
    await handle.db.execute(sql`
      select count(*)::int as n, md5(string_agg(concat_ws('|', id, workspace_id, contact_id, anonymous_id, name,
        properties::text, occurred_at, received_at, idempotency_key, triggered_at), ',' order by id)) as digest
      from events`),
  )[0];

describe(`partitioning events keeps every row (${inject("testDriver")})`, () => {
  it("migrates a shop's events into monthly partitions", async () => {
    const { db } = handle;
    await db.execute(sql`
      insert into workspaces (id, name, slug) values
        ('00000000-0000-4000-8000-000000000001', 'Juniper', 'juniper'),
        ('00000000-0000-4000-8000-000000000002', 'Other', 'other')`);
    await db.execute(sql`
      insert into contacts (workspace_id, external_id, email)
      select w, 'c' || i, 'c' || i || '@example.com'
      from generate_series(1, 40) i,
        unnest(array['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']::uuid[]) w`);
    // 3,000 events per workspace over the last 40 months; the same keys in both workspaces.
    await db.execute(sql`
      insert into events (workspace_id, contact_id, name, properties, occurred_at, received_at, idempotency_key, triggered_at)
      select c.workspace_id, c.id, (array['Viewed Product', 'Placed Order', 'Started Checkout'])[1 + i % 3],
        jsonb_build_object('i', i), now() - (i * interval '10 hours'), now() - (i * interval '10 hours') + interval '1 second',
        'msg-' || i, case when i % 2 = 0 then now() end
      from generate_series(1, 3000) i
      join contacts c on c.external_id = 'c' || (1 + i % 40)`);
    // Anonymous events, and three from long ago (before any month partition).
    await db.execute(sql`
      insert into events (workspace_id, anonymous_id, name, occurred_at, idempotency_key)
      values ('00000000-0000-4000-8000-000000000001', 'anon-1', 'Viewed Product', now() - interval '2 days', 'anon-a'),
        ('00000000-0000-4000-8000-000000000001', null, 'Signed Up', '2009-05-01T00:00:00Z', 'old-1'),
        ('00000000-0000-4000-8000-000000000001', null, 'Signed Up', '2010-05-01T00:00:00Z', 'old-2'),
        ('00000000-0000-4000-8000-000000000002', null, 'Signed Up', '2011-05-01T00:00:00Z', 'old-1')`);
    const before = await fingerprint();
    const lastBefore = rowsOf(await db.execute(sql`select count(*)::int as n from contact_event_last`))[0];
    expect(before?.n).toBe(6004);

    await migrateFrom(MIGRATIONS_FOLDER);

    expect(await fingerprint()).toEqual(before);
    const kind = rowsOf(
      await db.execute(sql`select relkind::text as kind from pg_class where relname = 'events'`),
    )[0];
    expect(kind?.kind).toBe("p");
    const placement = rowsOf(
      await db.execute(sql`
        select tableoid::regclass::text as part, count(*)::int as n from events group by 1 order by 1`),
    );
    const byPart = Object.fromEntries(placement.map((r) => [String(r.part), Number(r.n)]));
    expect(byPart.events_default).toBe(3);
    // Every other row is in the partition of its own month.
    expect(
      Object.keys(byPart)
        .filter((p) => p !== "events_default")
        .every((p) => /^events_p\d{4}_\d{2}$/.test(p)),
    ).toBe(true);
    const misplaced = rowsOf(
      await db.execute(sql`
        select count(*)::int as n from events
        where tableoid::regclass::text <> 'events_default'
          and tableoid::regclass::text <> 'events_p' || to_char(occurred_at at time zone 'UTC', 'YYYY_MM')`),
    )[0];
    expect(misplaced?.n).toBe(0);
    // Every key is held, the last-event times are untouched, the triggers are back on the new table.
    const keys = rowsOf(
      await db.execute(sql`
        select count(*)::int as n from event_keys k join events e on e.id = k.event_id
        and e.workspace_id = k.workspace_id and e.idempotency_key = k.idempotency_key`),
    )[0];
    expect(keys?.n).toBe(6004);
    expect(rowsOf(await db.execute(sql`select count(*)::int as n from contact_event_last`))[0]).toEqual(
      lastBefore,
    );
    await expect(
      db.execute(sql`
        insert into events (workspace_id, name, occurred_at, idempotency_key)
        values ('00000000-0000-4000-8000-000000000001', 'Signed Up', now() - interval '20 months', 'msg-7')`),
    ).rejects.toThrow();
    const indexes = rowsOf(
      await db.execute(sql`select indexname from pg_indexes where tablename = 'events' order by 1`),
    ).map((r) => r.indexname);
    expect(indexes).toEqual(
      expect.arrayContaining([
        "events_id_occurred_at_pk",
        "events_workspace_contact_name_time_idx",
        "events_workspace_name_time_idx",
        "events_workspace_time_id_idx",
        "events_workspace_contact_time_idx",
        "events_untriggered_idx",
        "events_workspace_anonymous_idx",
      ]),
    );
  });
});
