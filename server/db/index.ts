/**
 * The process-wide database: one instance per process (a `globalThis` singleton that
 * survives dev reloads and is shared between Next's instrumentation and route bundles).
 */
import { env } from "@/server/env";
import { openDb, type Db, type DbHandle } from "./client";

const KEY = Symbol.for("tidings.db");
type Holder = { [KEY]?: Promise<DbHandle> };

export function getDbHandle(): Promise<DbHandle> {
  const g = globalThis as Holder;
  g[KEY] ??= openDb({ url: env().DATABASE_URL }).catch((error: unknown) => {
    delete g[KEY];
    throw error;
  });
  return g[KEY];
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

export { schema } from "./schema-namespace";
export type { Db, DbOrTx, Tx, DbHandle } from "./client";
