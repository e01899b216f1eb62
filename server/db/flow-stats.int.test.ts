/**
 * The stats trigger functions live in one source file, `server/db/sql/flow-stats.sql`,
 * applied by a migration. The database's function bodies and triggers must be exactly
 * what the file says: an edit without its migration (`npm run db:flow-stats`) fails here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { rowsOf } from "./rows";

const SOURCE = readFileSync(path.join(import.meta.dirname, "sql/flow-stats.sql"), "utf8");

/** name → body between the `$$` of each `CREATE OR REPLACE FUNCTION` in the file. */
function functionsInSource(): Map<string, string> {
  const out = new Map<string, string>();
  const pattern = /CREATE OR REPLACE FUNCTION (\w+)\([^)]*\)[^$]*\$\$([\s\S]*?)\$\$;/g;
  for (const m of SOURCE.matchAll(pattern)) out.set(m[1]!, m[2]!);
  return out;
}

/** trigger name → `table|function` of each `CREATE OR REPLACE TRIGGER` in the file. */
function triggersInSource(): Map<string, string> {
  const out = new Map<string, string>();
  const pattern = /CREATE OR REPLACE TRIGGER (\w+) [\s\S]*? ON (\w+) [\s\S]*?EXECUTE FUNCTION (\w+)\(\);/g;
  for (const m of SOURCE.matchAll(pattern)) out.set(m[1]!, `${m[2]}|${m[3]}`);
  return out;
}

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe(`flow stats functions come from one source file (${testDriver()})`, () => {
  it("has every counting function and trigger in the file", () => {
    expect([...functionsInSource().keys()].sort()).toEqual([
      "tidings_stats_conversions_apply",
      "tidings_stats_conversions_insert",
      "tidings_stats_conversions_update",
      "tidings_stats_enrollments",
      "tidings_stats_message_events",
      "tidings_stats_messages_insert",
      "tidings_stats_messages_update",
      "tidings_stats_steps",
    ]);
    expect(triggersInSource().size).toBe(7);
  });

  it("the database's function bodies are the file's, character for character", async () => {
    const rows = rowsOf<{ name: string; body: string; def: string }>(
      await t.db.execute(sql`
        select p.proname as name, p.prosrc as body, pg_get_functiondef(p.oid) as def
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and p.proname like 'tidings_stats_%'
        order by 1`),
    );
    const source = functionsInSource();
    expect(rows.map((r) => r.name)).toEqual([...source.keys()].sort());
    for (const row of rows) {
      expect(row.body, row.name).toBe(source.get(row.name));
      expect(row.def).toContain("LANGUAGE plpgsql");
    }
  });

  it("the database's triggers call the file's functions on the file's tables", async () => {
    const rows = rowsOf<{ name: string; tbl: string; fn: string }>(
      await t.db.execute(sql`
        select tg.tgname as name, c.relname as tbl, p.proname as fn
        from pg_trigger tg join pg_class c on c.oid = tg.tgrelid join pg_proc p on p.oid = tg.tgfoid
        where not tg.tgisinternal and tg.tgname like 'tidings_stats_%'
        order by 1`),
    );
    expect(new Map(rows.map((r) => [r.name, `${r.tbl}|${r.fn}`]))).toEqual(triggersInSource());
  });
});
