/**
 * Email through Resend, with the official SDK.
 *
 * - Idempotency: the message id is sent as `Idempotency-Key` (`emails.send(p, { idempotencyKey })`),
 *   so a retry after a crash or a lost response never sends twice (Resend keeps keys 24 h).
 * - Batches go to `POST /emails/batch`, at most 100 per call. Resend takes one key per batch
 *   call, so a chunk's key is a hash of its messages' keys: retrying the same messages in the
 *   same order is deduplicated. A chunk refused for validation (strict mode refuses the whole
 *   chunk) is re-sent one message at a time, each with its own key, to isolate the bad one.
 * - Errors: the SDK does not throw; it answers `{ data, error, headers }`. `headers` is the
 *   HTTP response's headers (lower-case keys) for any HTTP answer and `null` when no answer came
 *   (network error, timeout) — that is how a network error is told from an HTTP error, and where
 *   `Retry-After` is read on a 429. No custom fetch is needed for that.
 * - Tags carry workspace/flow/node/message ids; Resend allows only ASCII letters, digits, `_`
 *   and `-` in tag names and values, so anything else becomes `_`.
 */
import { createHash } from "node:crypto";
import { Resend, type CreateEmailOptions, type ErrorResponse } from "resend";
import { emailHeaders } from "./email-headers";
import type { RateLimiter } from "./rate-limit";
import type {
  EmailBatchItem,
  EmailMessage,
  EmailProvider,
  MessageTags,
  SendOptions,
  SendResult,
} from "./types";

export const RESEND_BATCH_LIMIT = 100;
const DEFAULT_TIMEOUT_MS = 15_000;
const CONCURRENT_RETRY_MS = 1_000;

export type ResendProviderOptions = {
  apiKey: string;
  /** Defaults to the SDK's (env `RESEND_BASE_URL`, else https://api.resend.com). */
  baseUrl?: string | undefined;
  /** Per request; a request that takes longer is reported as a retryable error. */
  timeoutMs?: number;
  /** Messages per batch call, at most 100. */
  batchSize?: number;
  /** Waited on before every request: the API key's rate limit, shared by all senders. */
  limiter?: RateLimiter | undefined;
};

/** Resend tag: ASCII letters, digits, `_` and `-`, at most 256 characters. */
export function toResendTags(tags: MessageTags | undefined): { name: string; value: string }[] | undefined {
  if (!tags) return undefined;
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256);
  const out = Object.entries(tags)
    .map(([name, value]) => ({ name: clean(name), value: clean(value) }))
    .filter((t) => t.name !== "" && t.value !== "");
  return out.length > 0 ? out : undefined;
}

/** Milliseconds to wait from `Retry-After` (seconds or HTTP date), else `ratelimit-reset` (seconds). */
export function retryAfterMs(
  headers: Record<string, string> | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const retryAfter = headers["retry-after"]?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = headers["ratelimit-reset"]?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) return Math.ceil(Number(reset) * 1000);
  return undefined;
}

/** Maps an SDK error to a send result: what is worth retrying, and when. */
export function resendErrorResult(error: ErrorResponse, headers: Record<string, string> | null): SendResult {
  const name = String(error.name);
  const text = `Resend ${error.statusCode ?? ""} ${name}: ${error.message}`.replace(/\s+/g, " ").trim();
  // No HTTP answer at all: connection refused, reset, DNS, timeout.
  if (headers === null) return { ok: false, retryable: true, error: `Resend unreachable: ${error.message}` };
  const status = typeof error.statusCode === "number" ? error.statusCode : undefined;
  if (name === "monthly_quota_exceeded") return { ok: false, retryable: false, error: text };
  if (status === 429 || name === "rate_limit_exceeded" || name === "daily_quota_exceeded") {
    const wait = retryAfterMs(headers);
    return wait === undefined
      ? { ok: false, retryable: true, error: text }
      : { ok: false, retryable: true, retryAfterMs: wait, error: text };
  }
  if (name === "concurrent_idempotent_requests") {
    return {
      ok: false,
      retryable: true,
      retryAfterMs: retryAfterMs(headers) ?? CONCURRENT_RETRY_MS,
      error: text,
    };
  }
  if (status === undefined || status >= 500 || status === 408)
    return { ok: false, retryable: true, error: text };
  return { ok: false, retryable: false, error: text };
}

function isValidationError(r: SendResult, error: ErrorResponse): boolean {
  return !r.ok && !r.retryable && (error.statusCode === 400 || error.statusCode === 422);
}

function isRateLimit(error: ErrorResponse): boolean {
  return (
    error.statusCode === 429 || error.name === "rate_limit_exceeded" || error.name === "daily_quota_exceeded"
  );
}

function batchKey(keys: readonly string[]): string {
  return `batch_${createHash("sha256").update(keys.join("\n")).digest("base64url")}`;
}

type Prepared = { ok: true; payload: CreateEmailOptions } | { ok: false; result: SendResult };

function prepare(message: EmailMessage, idempotencyKey: string): Prepared {
  if (idempotencyKey.length < 1 || idempotencyKey.length > 256) {
    return {
      ok: false,
      result: { ok: false, retryable: false, error: "Idempotency key must be 1–256 characters." },
    };
  }
  const headers = emailHeaders(message);
  if (!headers.ok) return { ok: false, result: { ok: false, retryable: false, error: headers.error } };
  const payload: CreateEmailOptions = {
    from: message.from,
    to: message.to,
    subject: message.subject,
    html: message.html,
    text: message.text,
  };
  if (Object.keys(headers.headers).length > 0) payload.headers = headers.headers;
  const tags = toResendTags(message.tags);
  if (tags) payload.tags = tags;
  if (message.replyTo) payload.replyTo = message.replyTo;
  return { ok: true, payload };
}

function thrown(err: unknown): SendResult {
  return {
    ok: false,
    retryable: true,
    error: `Resend request failed: ${err instanceof Error ? err.message : String(err)}`,
  };
}

export function createResendEmailProvider(options: ResendProviderOptions): EmailProvider {
  const baseUrl = options.baseUrl?.replace(/\/+$/, "");
  const client = new Resend(options.apiKey, baseUrl ? { baseUrl } : undefined);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const batchSize = Math.min(RESEND_BATCH_LIMIT, Math.max(1, options.batchSize ?? RESEND_BATCH_LIMIT));

  async function send(message: EmailMessage, { idempotencyKey }: SendOptions): Promise<SendResult> {
    const prepared = prepare(message, idempotencyKey);
    if (!prepared.ok) return prepared.result;
    try {
      await options.limiter?.take();
      const res = await client.emails.send(prepared.payload, {
        idempotencyKey,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.error) return resendErrorResult(res.error, res.headers);
      const id = res.data?.id;
      return id
        ? { ok: true, providerMessageId: id }
        : { ok: false, retryable: true, error: "Resend answered without an email id." };
    } catch (err) {
      return thrown(err);
    }
  }

  type Ready = { index: number; item: EmailBatchItem; payload: CreateEmailOptions };

  /** Sends one chunk; answers the chunk's result when Resend rate-limited it. */
  async function sendChunk(chunk: Ready[], results: SendResult[]): Promise<SendResult | undefined> {
    const fill = (r: SendResult) => chunk.forEach((c) => (results[c.index] = r));
    try {
      await options.limiter?.take();
      const res = await client.batch.send(
        chunk.map((c) => c.payload),
        {
          idempotencyKey: batchKey(chunk.map((c) => c.item.idempotencyKey)),
          signal: AbortSignal.timeout(timeoutMs),
        },
      );
      if (res.error) {
        const r = resendErrorResult(res.error, res.headers);
        if (isValidationError(r, res.error) && chunk.length > 1) {
          // Strict validation refuses the whole chunk: find the culprit one by one.
          for (const c of chunk) results[c.index] = await send(c.item, c.item);
          return undefined;
        }
        fill(r);
        return isRateLimit(res.error) ? r : undefined;
      }
      const ids = res.data?.data ?? [];
      if (ids.length !== chunk.length) {
        fill({
          ok: false,
          retryable: true,
          error: `Resend batch answered ${ids.length} ids for ${chunk.length} emails.`,
        });
        return undefined;
      }
      chunk.forEach((c, i) => {
        const id = ids[i]?.id;
        results[c.index] = id
          ? { ok: true, providerMessageId: id }
          : { ok: false, retryable: true, error: "Resend answered without an email id." };
      });
    } catch (err) {
      fill(thrown(err));
    }
    return undefined;
  }

  async function sendBatch(messages: readonly EmailBatchItem[]): Promise<SendResult[]> {
    const results: SendResult[] = new Array<SendResult>(messages.length);
    const ready: Ready[] = [];
    messages.forEach((item, index) => {
      const prepared = prepare(item, item.idempotencyKey);
      if (prepared.ok) ready.push({ index, item, payload: prepared.payload });
      else results[index] = prepared.result;
    });
    let rateLimited: SendResult | undefined;
    for (let i = 0; i < ready.length; i += batchSize) {
      const chunk = ready.slice(i, i + batchSize);
      if (rateLimited) {
        // Once Resend says slow down, the rest of this call waits with the same delay, unsent.
        for (const c of chunk) results[c.index] = rateLimited;
        continue;
      }
      rateLimited = await sendChunk(chunk, results);
    }
    return results;
  }

  return { name: "resend", send, sendBatch };
}
