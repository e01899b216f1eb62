/**
 * Integration-test setup, once per run: a migrated database that each test file copies.
 * - TEST_DRIVER=pglite (default): a migrated PGlite data dir dumped to a tarball.
 * - TEST_DRIVER=postgres: a migrated template database on TEST_DATABASE_URL's server.
 */
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import type { PGlite } from "@electric-sql/pglite";
import { openDb } from "@/server/db/client";

declare module "vitest" {
  export interface ProvidedContext {
    testDriver: "pglite" | "postgres";
    pgliteSnapshot: string;
    postgresTemplateUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const driver = process.env.TEST_DRIVER === "postgres" ? "postgres" : "pglite";
  project.provide("testDriver", driver);
  if (driver === "pglite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tidings-test-"));
    const handle = await openDb({ dataDir: "memory://" });
    const client = (handle.db as unknown as { $client: PGlite }).$client;
    const dump = await client.dumpDataDir("none");
    const file = path.join(dir, "migrated.tar");
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await handle.close();
    project.provide("pgliteSnapshot", file);
    project.provide("postgresTemplateUrl", "");
    return () => rmSync(dir, { recursive: true, force: true });
  }

  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DRIVER=postgres needs TEST_DATABASE_URL");
  const template = `tidings_tpl_${process.pid}`;
  const { default: postgres } = await import("postgres");
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${template}`);
  await admin.unsafe(`create database ${template}`);
  const templateUrl = withDatabase(base, template);
  const handle = await openDb({ url: templateUrl, maxConnections: 1 });
  await handle.close();
  project.provide("pgliteSnapshot", "");
  project.provide("postgresTemplateUrl", templateUrl);
  return async () => {
    await admin.unsafe(`drop database if exists ${template}`);
    await admin.end();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
