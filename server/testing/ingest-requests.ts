/** Helpers for the ingest integration tests: a workspace with keys, requests, row counts. */
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { backInStockSubscriptions, contacts, events, products } from "@/server/db/schema";
import { createApiKey } from "@/server/api-keys/api-keys";
import { createMember } from "@/server/testing/fixtures";

export async function createShop(db: Db, name = "Shop") {
  const member = await createMember(db, name);
  const secret = await createApiKey(db, { workspaceId: member.workspace.id, name: "server", kind: "secret" });
  const publishable = await createApiKey(db, {
    workspaceId: member.workspace.id,
    name: "browser",
    kind: "publishable",
  });
  return {
    ...member,
    workspaceId: member.workspace.id,
    secretKey: secret.key,
    publishableKey: publishable.key,
    secretKeyId: secret.apiKey.id,
  };
}

export interface RequestOptions {
  method?: string;
  /** A JSON-serializable body, or a raw string sent as is. */
  body?: unknown;
  key?: string | null;
  headers?: Record<string, string>;
}

export function apiRequest(path: string, options: RequestOptions = {}): Request {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
  return new Request(`http://shop.test${path}`, { method: options.method ?? "POST", headers, body });
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function reply<T = Record<string, unknown>>(
  response: Response | Promise<Response>,
): Promise<Reply<T>> {
  const res = await response;
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export interface ErrorBody {
  error: { message: string; issues: Array<{ path: string; message: string }> };
}

/** Row counts of everything ingest writes, for one workspace (one round trip). */
export async function rowCounts(db: Db, workspaceId: string) {
  const [row] = await db
    .select({
      events: sql<number>`(select count(*)::int from ${events} where ${events.workspaceId} = ${workspaceId})`,
      contacts: sql<number>`(select count(*)::int from ${contacts} where ${contacts.workspaceId} = ${workspaceId})`,
      subscriptions: sql<number>`(select count(*)::int from ${backInStockSubscriptions} where ${backInStockSubscriptions.workspaceId} = ${workspaceId})`,
      products: sql<number>`(select count(*)::int from ${products} where ${products.workspaceId} = ${workspaceId})`,
    })
    .from(sql`(select 1) as one`);
  if (!row) throw new Error("count query returned no row");
  return {
    events: Number(row.events),
    contacts: Number(row.contacts),
    subscriptions: Number(row.subscriptions),
    products: Number(row.products),
  };
}
