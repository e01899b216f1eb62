import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

/** The rows of a raw `db.execute(sql…)` result from either driver: postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return (result as { rows?: T[] } | null)?.rows ?? [];
}

/**
 * `column = any('{…}'::type[])`: a whole list as one parameter. An IN list of thousands of
 * parameters costs more to build, send and plan than the query itself (a forecast's batches
 * are thousands of contacts). An empty list matches nothing.
 */
export function anyOf(column: SQLWrapper, values: readonly string[], type: "uuid" | "text"): SQL {
  const literal = `{${values.map((v) => `"${v.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;
  return sql`${column} = any(${literal}::${sql.raw(type)}[])`;
}
