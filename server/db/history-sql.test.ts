/**
 * `server/db/sql/history.sql` is the one place the history functions are read and changed;
 * the migration that partitions `events` carries them as they were. Each function in the file
 * must be the one the migrations applied, word for word.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(import.meta.dirname, "../..");
const SOURCE = readFileSync(path.join(root, "server/db/sql/history.sql"), "utf8");
const MIGRATION = readFileSync(path.join(root, "drizzle/0023_events_by_month.sql"), "utf8");

function functions(text: string): string[] {
  return [...text.matchAll(/CREATE OR REPLACE FUNCTION[\s\S]*?\$\$;/g)].map((m) => m[0]);
}

describe("history functions", () => {
  it("are applied by the migration exactly as the source file states them", () => {
    const defined = functions(SOURCE);
    expect(defined.length).toBeGreaterThan(0);
    for (const fn of defined) expect(MIGRATION).toContain(fn);
  });
});
