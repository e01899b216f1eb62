/**
 * The one helper integration tests use to get a fresh, migrated database, on PGlite or
 * real Postgres depending on TEST_DRIVER. Each call gives an isolated database.
 */
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { pgliteExtensions, wrapPglite, openDb, type DbHandle } from "@/server/db/client";

export interface TestDb extends DbHandle {
  /** postgres:// URL of this database (postgres driver only), for spawning worker processes. */
  url?: string;
}

export async function createTestDb(): Promise<TestDb> {
  const driver = inject("testDriver");
  if (driver === "pglite") {
    const { PGlite } = await import("@electric-sql/pglite");
    const tar = readFileSync(inject("pgliteSnapshot"));
    const client = new PGlite({ loadDataDir: new Blob([tar]), extensions: await pgliteExtensions() });
    await client.waitReady;
    return wrapPglite(client);
  }
  const templateUrl = new URL(inject("postgresTemplateUrl"));
  const template = templateUrl.pathname.slice(1);
  const name = `tidings_t_${randomBytes(5).toString("hex")}`;
  const { default: postgres } = await import("postgres");
  const adminUrl = new URL(templateUrl);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${template}`);
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  const handle = await openDb({ url: url.toString(), migrate: false });
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export const testDriver = () => inject("testDriver");
