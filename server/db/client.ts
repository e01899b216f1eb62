/**
 * The database client factory: PGlite (embedded default, stored under `.data/`) or
 * postgres.js when `DATABASE_URL` is set. The same schema, migrations and queries
 * run on both.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PGlite as PGliteClient } from "@electric-sql/pglite";
import { env } from "@/server/env";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A query helper takes the db or a transaction first. */
export type DbOrTx = Db | Tx;

export type DbDriver = "pglite" | "postgres";

export interface DbHandle {
  db: Db;
  driver: DbDriver;
  /** The postgres:// URL (postgres driver only). */
  url?: string;
  /** LISTEN on a channel (on PGlite, where everything runs in one process, it hears that process's own NOTIFYs). */
  listen: ((channel: string, onNotify: (payload: string) => void) => Promise<() => Promise<void>>) | null;
  /** NOTIFY a channel so other processes wake up (no-op on PGlite). */
  notify: (channel: string, payload?: string) => Promise<void>;
  close: () => Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");

/** A stable advisory-lock id, so several processes starting at once migrate one at a time. */
const MIGRATION_LOCK_ID = 7_401_223;

export interface OpenDbOptions {
  /** postgres:// URL; without it PGlite is used. */
  url?: string;
  /** PGlite data folder (ignored with a URL); `memory://` for an in-memory database. */
  dataDir?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** postgres.js pool size. */
  maxConnections?: number;
}

export async function openDb(options: OpenDbOptions = {}): Promise<DbHandle> {
  const handle = options.url
    ? await openPostgres(options.url, options.maxConnections ?? 10)
    : await openPglite(options.dataDir ?? defaultDataDir());
  if (options.migrate !== false) await migrateDb(handle);
  return handle;
}

export function defaultDataDir(): string {
  return path.join(env().TIDINGS_DATA_DIR ?? path.join(process.cwd(), ".data"), "pglite");
}

/** The Postgres extensions the migrations create, loaded into every PGlite instance (search's trigrams). */
export async function pgliteExtensions() {
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  return { pg_trgm };
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  if (!dataDir.startsWith("memory://")) mkdirSync(path.dirname(dataDir), { recursive: true });
  const client = new PGlite(dataDir, { extensions: await pgliteExtensions() });
  await client.waitReady;
  const db = drizzle({ client, schema }) as unknown as Db;
  return pgliteHandle(client, db);
}

/** Wraps an already-open PGlite instance (tests load a migrated snapshot this way). */
export async function wrapPglite(client: PGliteClient): Promise<DbHandle> {
  const { drizzle } = await import("drizzle-orm/pglite");
  const db = drizzle({ client, schema }) as unknown as Db;
  return pgliteHandle(client, db);
}

function pgliteHandle(client: PGliteClient, db: Db): DbHandle {
  return {
    db,
    driver: "pglite",
    // One process, one session: a LISTEN hears the NOTIFYs this process's own transactions commit.
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, onNotify);
      return () => unlisten();
    },
    notify: async () => {},
    close: () => client.close(),
  };
}

async function openPostgres(url: string, max: number): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    db,
    driver: "postgres",
    url,
    listen: async (channel, onNotify) => {
      const subscription = await client.listen(channel, onNotify);
      return () => subscription.unlisten();
    },
    notify: async (channel, payload = "") => {
      await client.notify(channel, payload);
    },
    close: () => client.end({ timeout: 5 }),
  };
}

export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  if (!handle.url) throw new Error("postgres handle without a URL");
  // A single connection holds a session advisory lock while it migrates, so several
  // processes starting at once apply the migrations one at a time.
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(handle.url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
