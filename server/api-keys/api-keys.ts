/**
 * Ingest API keys: per workspace, shown once, stored as a SHA-256 hash with a visible prefix.
 * - `tid_sk_…` secret keys (server to server): every /api/v1 endpoint.
 * - `tid_pk_…` publishable keys (browser): write-only, may only track and identify.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { apiKeys } from "@/server/db/schema";
import { notFound } from "@/server/errors";

export type ApiKeyKind = (typeof apiKeys.$inferSelect)["kind"];

export const KEY_PREFIX: Record<ApiKeyKind, string> = { secret: "tid_sk_", publishable: "tid_pk_" };

/**
 * Looked-up keys are remembered this long, so a busy key costs no query per request.
 * Revoking through `revokeApiKey` forgets the key at once in this process; other
 * processes stop accepting it within this time.
 */
const AUTH_CACHE_MS = 5_000;
const AUTH_CACHE_MAX = 10_000;
const CACHE_KEY = Symbol.for("tidings.api-keys.auth-cache");
type AuthCache = Map<string, { principal: ApiPrincipal | null; until: number }>;
function authCache(): AuthCache {
  const g = globalThis as { [CACHE_KEY]?: AuthCache };
  g[CACHE_KEY] ??= new Map<string, { principal: ApiPrincipal | null; until: number }>();
  return g[CACHE_KEY];
}

/** How many characters of the key Settings shows: the kind prefix and 6 more. */
const VISIBLE_CHARS = 13;
/** `last_used_at` is written at most this often per key, so busy keys do not cost a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** A fresh key: the kind prefix and 32 random bytes, base64url. */
export function generateApiKey(kind: ApiKeyKind): string {
  return KEY_PREFIX[kind] + randomBytes(32).toString("base64url");
}

export function kindOfKey(key: string): ApiKeyKind | null {
  if (key.startsWith(KEY_PREFIX.secret)) return "secret";
  if (key.startsWith(KEY_PREFIX.publishable)) return "publishable";
  return null;
}

/**
 * Reads the key from `Authorization`: `Bearer <key>`, or Segment-style Basic auth with the
 * key as the user name (`base64("<key>:")`). Returns null when there is none.
 */
export function keyFromAuthorization(header: string | null): string | null {
  if (!header) return null;
  const match = /^\s*(Bearer|Basic)\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1] || !match[2]) return null;
  if (match[1].toLowerCase() === "bearer") return match[2];
  const decoded = Buffer.from(match[2], "base64").toString("utf8");
  const user = decoded.split(":")[0]?.trim();
  return user || null;
}

const listColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  kind: apiKeys.kind,
  prefix: apiKeys.prefix,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export type ApiKeySummary = {
  id: string;
  name: string;
  kind: ApiKeyKind;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export async function listApiKeys(db: DbOrTx, input: { workspaceId: string }): Promise<ApiKeySummary[]> {
  return db
    .select(listColumns)
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, input.workspaceId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Creates a key and returns it in full: the only time it is ever visible. */
export async function createApiKey(
  db: DbOrTx,
  input: { workspaceId: string; name: string; kind: ApiKeyKind },
): Promise<{ key: string; apiKey: ApiKeySummary }> {
  const key = generateApiKey(input.kind);
  const [row] = await db
    .insert(apiKeys)
    .values({
      workspaceId: input.workspaceId,
      name: input.name,
      kind: input.kind,
      prefix: key.slice(0, VISIBLE_CHARS),
      hash: hashApiKey(key),
    })
    .returning(listColumns);
  if (!row) throw new Error("api key insert returned no row");
  return { key, apiKey: row };
}

/** Revokes a key of the workspace; requests with it are refused from now on. Revoking twice is a no-op. */
export async function revokeApiKey(
  db: DbOrTx,
  input: { workspaceId: string; id: string },
): Promise<ApiKeySummary> {
  const [found] = await db
    .select({ ...listColumns, hash: apiKeys.hash })
    .from(apiKeys)
    .where(and(eq(apiKeys.workspaceId, input.workspaceId), eq(apiKeys.id, input.id)));
  if (!found) throw notFound("API key");
  const { hash, ...row } = found;
  authCache().delete(hash);
  if (row.revokedAt) return row;
  const [revoked] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.workspaceId, input.workspaceId), eq(apiKeys.id, input.id)))
    .returning(listColumns);
  return revoked ?? row;
}

export interface ApiPrincipal {
  keyId: string;
  workspaceId: string;
  kind: ApiKeyKind;
}

/** The workspace and kind of a live key, or null for an unknown or revoked one. Notes when it was last used. */
export async function authenticateApiKey(
  db: DbOrTx,
  key: string,
  now = new Date(),
): Promise<ApiPrincipal | null> {
  if (!kindOfKey(key) || key.length > 200) return null;
  const hash = hashApiKey(key);
  const cache = authCache();
  const cached = cache.get(hash);
  if (cached && cached.until > now.getTime()) return cached.principal;
  const principal = await lookUpApiKey(db, hash, now);
  if (cache.size >= AUTH_CACHE_MAX) cache.clear();
  cache.set(hash, { principal, until: now.getTime() + AUTH_CACHE_MS });
  return principal;
}

async function lookUpApiKey(db: DbOrTx, hash: string, now: Date): Promise<ApiPrincipal | null> {
  const [row] = await db
    .select({
      keyId: apiKeys.id,
      workspaceId: apiKeys.workspaceId,
      kind: apiKeys.kind,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.hash, hash));
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, row.keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))));
  }
  return { keyId: row.keyId, workspaceId: row.workspaceId, kind: row.kind };
}
