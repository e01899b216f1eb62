/**
 * Sends the webhook calls of flow actions after the step that wrote them has committed.
 * Each call is claimed with a lease (like a message), posted with the body stored on its
 * row, signed with the workspace's webhook secret, and keyed by its id:
 *
 * - `Tidings-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` — the
 *   receiver recomputes it with the secret and refuses old timestamps (replays);
 * - `Idempotency-Key: <call id>` — the same on every attempt, so a retry after a lost
 *   answer can be recognised.
 *
 * A 2xx answer settles the call. A network error, a timeout, 408, 425, 429 or a 5xx is
 * retried with exponential backoff and jitter (429/503 wait at least Retry-After) up to
 * `maxAttempts`; any other answer, or the last attempt, fails the call with its reason.
 * The contact's journey shows the call, its status, attempts and last answer.
 */
import { createHmac } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/server/db/client";
import { getOrCreateSecret } from "@/server/db/settings";
import { webhookCalls } from "@/server/db/schema";
import { rowsOf } from "@/server/db/rows";
import { retryDelayMs } from "./dispatch";

export const WEBHOOK_MAX_ATTEMPTS = 8;
export const WEBHOOK_TIMEOUT_MS = 10_000;
export const SIGNATURE_HEADER = "Tidings-Signature";

type WebhookCallRow = typeof webhookCalls.$inferSelect;

export interface WebhookDispatchOptions {
  now: number;
  limit?: number;
  leaseMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  /** Injected for tests: 0..1; jitter spreads retries. */
  random?: () => number;
  /** The HTTP client (default: the global fetch). */
  fetch?: typeof fetch;
}

export interface WebhookDispatchResult {
  sent: number;
  retried: number;
  failed: number;
}

/** The workspace's secret for signing webhook calls, created on first use. */
export function webhookSigningSecret(db: DbOrTx, workspaceId: string): Promise<string> {
  return getOrCreateSecret(db, `webhook_signing_secret:${workspaceId}`);
}

/** The signature header's value for a body sent at `timestampSeconds`. */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${mac}`;
}

async function claimWebhookCalls(db: Db, now: number, limit: number, leaseMs: number) {
  const at = new Date(now).toISOString();
  const rows = await db.execute(sql`
    update webhook_calls set status = 'sending', locked_until = ${new Date(now + leaseMs).toISOString()}::timestamptz, attempts = attempts + 1
    where id in (
      select id from webhook_calls
      where status in ('queued', 'sending') and next_attempt_at <= ${at}::timestamptz
        and (status = 'queued' or locked_until < ${at}::timestamptz)
      order by next_attempt_at
      limit ${limit}
      for update skip locked)
    returning id`);
  const ids = rowsOf<{ id: string }>(rows).map((r) => r.id);
  if (ids.length === 0) return [];
  return db.select().from(webhookCalls).where(inArray(webhookCalls.id, ids));
}

type Outcome =
  | { ok: true; status: number }
  | { ok: false; status: number | null; retryable: boolean; retryAfterMs?: number; error: string };

const RETRYABLE_STATUS = new Set([408, 425, 429]);

function requestUrl(call: WebhookCallRow): string {
  if (call.method !== "GET") return call.url;
  const url = new URL(call.url);
  url.searchParams.set("flow_id", call.flowId);
  url.searchParams.set("enrollment_id", call.enrollmentId);
  url.searchParams.set("node_id", call.nodeId);
  if (call.contactId) url.searchParams.set("contact_id", call.contactId);
  return url.toString();
}

async function send(call: WebhookCallRow, secret: string, options: WebhookDispatchOptions): Promise<Outcome> {
  const doFetch = options.fetch ?? fetch;
  const timestamp = Math.floor(options.now / 1000);
  const headers: Record<string, string> = {
    "User-Agent": "Tidings-Webhooks/1",
    "Idempotency-Key": call.id,
    [SIGNATURE_HEADER]: signWebhook(secret, timestamp, call.body),
  };
  if (call.body !== "") headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await doFetch(requestUrl(call), {
      method: call.method,
      headers,
      body: call.method === "GET" ? undefined : call.body,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : errorText(error);
    return { ok: false, status: null, retryable: true, error: `No answer: ${reason}` };
  }
  await response.body?.cancel().catch(() => {});
  if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
  const retryable = response.status >= 500 || RETRYABLE_STATUS.has(response.status);
  const retryAfter = Number(response.headers.get("retry-after"));
  return {
    ok: false,
    status: response.status,
    retryable,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    error: `Answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
  };
}

/** Sends the webhook calls that are due; returns what happened to them. */
export async function dispatchWebhooks(
  db: Db,
  options: WebhookDispatchOptions,
): Promise<WebhookDispatchResult> {
  const result: WebhookDispatchResult = { sent: 0, retried: 0, failed: 0 };
  const { now } = options;
  const calls = await claimWebhookCalls(db, now, options.limit ?? 50, options.leaseMs ?? 60_000);
  if (calls.length === 0) return result;
  const secrets = new Map<string, string>();
  for (const workspaceId of new Set(calls.map((c) => c.workspaceId)))
    secrets.set(workspaceId, await webhookSigningSecret(db, workspaceId));
  const maxAttempts = options.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS;
  const random = options.random ?? Math.random;

  await Promise.all(
    calls.map(async (call) => {
      const outcome = await send(call, secrets.get(call.workspaceId) ?? "", options);
      const where = sql`${webhookCalls.id} = ${call.id} and ${webhookCalls.status} = 'sending'`;
      if (outcome.ok) {
        result.sent++;
        await db
          .update(webhookCalls)
          .set({
            status: "sent",
            responseStatus: outcome.status,
            lastError: null,
            lockedUntil: null,
            sentAt: new Date(now),
          })
          .where(where);
      } else if (outcome.retryable && call.attempts < maxAttempts) {
        result.retried++;
        await db
          .update(webhookCalls)
          .set({
            status: "queued",
            responseStatus: outcome.status,
            lastError: outcome.error,
            lockedUntil: null,
            nextAttemptAt: new Date(now + retryDelayMs(call.attempts, outcome.retryAfterMs, random)),
          })
          .where(where);
      } else {
        result.failed++;
        await db
          .update(webhookCalls)
          .set({
            status: "failed",
            responseStatus: outcome.status,
            lastError:
              outcome.retryable && call.attempts >= maxAttempts
                ? `${outcome.error} (gave up after ${call.attempts} attempts)`
                : outcome.error,
            lockedUntil: null,
          })
          .where(where);
      }
    }),
  );
  return result;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
