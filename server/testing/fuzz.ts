/**
 * Shared pieces of the fuzz suites (every route handler, every tRPC procedure): hostile
 * values of every kind, a mutator that plants one inside a valid input, and row counts of
 * every table, so a refused request can be shown to have written nothing.
 */
import fc from "fast-check";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";

/** Nested `depth` levels deep (arrays and objects alternating), built without recursion. */
export function deeplyNested(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const DEEP = deeplyNested(20_000);

/** Values no handler should choke on: wrong types, huge and deep values, NUL, lone surrogates,
 * bad escapes, out-of-range numbers and dates. JSON-safe unless `rich` is set. */
export function hostileValue(options: { rich?: boolean } = {}): fc.Arbitrary<unknown> {
  const plain = fc.oneof(
    fc.constantFrom<unknown>(
      "",
      " ",
      "\u0000",
      "a\u0000b",
      "\ud800",
      "x\udc00y",
      "%ZZ",
      "%ED%A0%80",
      "\r\nLocation: https://evil.example",
      "javascript:alert(1)",
      "x".repeat(70_000),
      "é".repeat(5_000),
      -1,
      0,
      1.5,
      -0,
      2 ** 31,
      2 ** 31 - 1,
      -(2 ** 31) - 1,
      2 ** 53 + 2,
      1e308,
      -1e308,
      21474836.48,
      true,
      false,
      null,
      [],
      {},
      [[[[[]]]]],
      "0000-01-01",
      "0001-01-01",
      "9999-12-31",
      "2026-02-30",
      "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z",
      "not-a-uuid",
      "------------------------------------",
      "00000000-0000-0000-0000-000000000000",
      "__proto__",
      { __proto__: null, constructor: "x" },
      DEEP,
      deeplyNested(200),
      Array.from({ length: 5_000 }, (_, i) => i),
    ),
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.jsonValue({ maxDepth: 3 }),
  );
  if (!options.rich) return plain;
  return fc.oneof(
    { weight: 6, arbitrary: plain },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>(
        new Date(Date.UTC(0, 0, 1) - 365 * 86_400_000 * 1900),
        new Date("0001-01-01T00:00:00Z"),
        new Date("9999-12-31T00:00:00Z"),
        new Date(8.64e15),
        new Date(NaN),
        Number.NaN,
        Number.POSITIVE_INFINITY,
        BigInt(2) ** BigInt(70),
        undefined,
        new Map([["a", 1]]),
        new Set([1]),
      ),
    },
  );
}

type Path = Array<string | number>;

function pathsOf(value: unknown): Path[] {
  const out: Path[] = [];
  const stack: Array<{ v: unknown; p: Path }> = [{ v: value, p: [] }];
  while (stack.length > 0 && out.length < 500) {
    const { v, p } = stack.pop()!;
    out.push(p);
    if (p.length > 12) continue;
    if (Array.isArray(v)) v.forEach((item, i) => stack.push({ v: item as unknown, p: [...p, i] }));
    else if (v && typeof v === "object" && !(v instanceof Date))
      for (const [k, item] of Object.entries(v)) stack.push({ v: item, p: [...p, k] });
  }
  return out;
}

/** `base` with the value at one of its paths (chosen by `at`) replaced, deleted, or given a new key. */
export function plant(base: unknown, at: number, op: "replace" | "delete" | "add", value: unknown): unknown {
  const paths = pathsOf(base);
  const path = paths[at % paths.length]!;
  if (path.length === 0) return op === "replace" ? value : base;
  // Copy only the containers on the path: the rest may be shared, or too deep to clone.
  const copy = (v: unknown) =>
    (Array.isArray(v) ? [...(v as unknown[])] : { ...(v as Record<string, unknown>) }) as Record<
      string | number,
      unknown
    >;
  const root = copy(base);
  let parent = root;
  for (const step of path.slice(0, -1)) {
    const child = copy(parent[step]);
    parent[step] = child;
    parent = child;
  }
  const last = path[path.length - 1]!;
  if (op === "replace") parent[last] = value;
  else if (op === "delete") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target && typeof target === "object" && !Array.isArray(target))
      parent[last] = Object.defineProperty(copy(target), `fuzz${at % 7}`, {
        value,
        enumerable: true,
        writable: true,
      });
    else parent[last] = value;
  }
  return root;
}

/** A valid input with up to three hostile changes planted in it. */
export function mutated(
  base: fc.Arbitrary<unknown>,
  options: { rich?: boolean } = {},
): fc.Arbitrary<unknown> {
  const change = fc.record({
    at: fc.nat(),
    op: fc.constantFrom<"replace" | "delete" | "add">("replace", "replace", "delete", "add"),
    value: hostileValue(options),
  });
  return fc
    .tuple(base, fc.array(change, { maxLength: 3 }))
    .map(([value, changes]) => changes.reduce((v, c) => plant(v, c.at, c.op, c.value), value));
}

/** Rows of a raw query on either driver (postgres.js answers an array, PGlite `{ rows }`). */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Row count of every table in the database, one round trip. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = rowsOf<{ name: string }>(
    await db.execute(
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    ),
  );
  const query = tables
    .map(({ name }) => `select '${name}' as name, count(*)::int as n from "${name.replace(/"/g, '""')}"`)
    .join(" union all ");
  const rows = rowsOf<{ name: string; n: number }>(await db.execute(sql.raw(query)));
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}
