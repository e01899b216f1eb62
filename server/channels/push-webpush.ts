/**
 * Web Push (RFC 8030/8291/8292) through the `web-push` library: the notification is
 * encrypted (aes128gcm) for each browser the contact subscribed and posted to that
 * browser's push service, signed with the installation's VAPID key.
 *
 * - TTL and Urgency follow the message category: transactional is `high` and kept for
 *   3 days, marketing is `normal` and kept for 1 day (a stale offer is worse than none).
 * - Idempotency, as far as the protocol allows: the `Topic` header (derived from the
 *   message id) makes the push service replace an undelivered earlier attempt, and the
 *   notification `tag` (the message id) makes the browser show a repeated one once.
 * - 404/410 mean the browser unsubscribed: that subscription is deleted. 429 and 5xx are
 *   retryable (429 honours Retry-After); other statuses fail the message.
 * - Once any browser accepted the notification the message is sent: retrying for the
 *   others would notify the accepting ones again.
 * - No subscription left: a non-retryable result with skip reason `no_push_subscription`.
 */
import { createHash } from "node:crypto";
import type { Agent } from "node:https";
import webpush, { WebPushError } from "web-push";
import type { PushMessage, PushProvider, SendOptions, SendResult, WebPushSubscription } from "./types";

export type StoredPushSubscription = WebPushSubscription & { id: string };

/** Where the provider finds and maintains subscriptions (the `push_subscriptions` table in the app). */
export interface PushSubscriptionStore {
  /** The contact's subscriptions in the workspace, including those made before they were identified. */
  list(workspaceId: string, contactId: string): Promise<StoredPushSubscription[]>;
  /** The push service answered 404/410: the browser unsubscribed. */
  remove(workspaceId: string, id: string): Promise<void>;
  /** The push service accepted a notification. */
  delivered(workspaceId: string, id: string, at: Date): Promise<void>;
}

export type WebPushOptions = {
  vapid: { subject: string; publicKey: string; privateKey: string };
  store: PushSubscriptionStore;
  /** For push services with a private CA (tests). */
  agent?: Agent;
  /** Socket timeout per request, ms (default 10 s). */
  timeoutMs?: number;
  now?: () => Date;
};

export const NO_PUSH_SUBSCRIPTION = "no_push_subscription";

const TTL_SECONDS = { transactional: 3 * 24 * 3600, marketing: 24 * 3600 } as const;
const URGENCY = { transactional: "high", marketing: "normal" } as const;

/** The `Topic` header: at most 32 URL-safe base64 characters. */
export function pushTopic(idempotencyKey: string): string {
  return createHash("sha256").update(idempotencyKey).digest("base64url").slice(0, 32);
}

/** What the service worker (`public/push-sw.js`) receives and shows. */
export function pushPayload(message: PushMessage, idempotencyKey: string): string {
  return JSON.stringify({
    title: message.title,
    body: message.body,
    url: message.url ?? null,
    tag: idempotencyKey,
  });
}

type Attempt =
  | { kind: "sent"; location: string | undefined }
  | { kind: "gone"; status: number }
  | { kind: "retry"; error: string; retryAfterMs?: number }
  | { kind: "error"; error: string };

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function createWebPushProvider(options: WebPushOptions): PushProvider {
  const now = options.now ?? (() => new Date());

  async function attempt(
    subscription: WebPushSubscription,
    payload: string,
    message: PushMessage,
    idempotencyKey: string,
  ): Promise<Attempt> {
    try {
      const response = await webpush.sendNotification(subscription, payload, {
        vapidDetails: options.vapid,
        TTL: TTL_SECONDS[message.category],
        urgency: URGENCY[message.category],
        topic: pushTopic(idempotencyKey),
        contentEncoding: "aes128gcm",
        timeout: options.timeoutMs ?? 10_000,
        ...(options.agent && { agent: options.agent }),
      });
      const location: unknown = response.headers.location;
      return { kind: "sent", location: typeof location === "string" ? location : undefined };
    } catch (error) {
      if (error instanceof WebPushError) {
        const status = error.statusCode;
        if (status === 404 || status === 410) return { kind: "gone", status };
        const detail = `push service answered ${status}${error.body ? `: ${error.body.slice(0, 200)}` : ""}`;
        if (status === 429 || status >= 500)
          return { kind: "retry", error: detail, retryAfterMs: retryAfterMs(error.headers["retry-after"]) };
        return { kind: "error", error: detail };
      }
      const text = error instanceof Error ? error.message : String(error);
      // The library refuses bad keys before any request; network failures are worth a retry.
      if (/p256dh|auth|subscription|vapid|payload|topic/i.test(text)) return { kind: "error", error: text };
      return { kind: "retry", error: `could not reach the push service: ${text}` };
    }
  }

  return {
    name: "webpush",
    async send(message: PushMessage, { idempotencyKey }: SendOptions): Promise<SendResult> {
      if (!idempotencyKey) return { ok: false, retryable: false, error: "Missing idempotency key." };
      if (!message.title.trim() && !message.body.trim())
        return { ok: false, retryable: false, error: "A push notification needs a title or a body." };
      const targets: Array<WebPushSubscription & { id?: string }> = message.subscription
        ? [message.subscription]
        : await options.store.list(message.workspaceId, message.to);
      if (targets.length === 0) {
        return {
          ok: false,
          retryable: false,
          error: "The contact has not allowed notifications in any browser.",
          skipReason: NO_PUSH_SUBSCRIPTION,
        };
      }
      const payload = pushPayload(message, idempotencyKey);
      const results = await Promise.all(targets.map((t) => attempt(t, payload, message, idempotencyKey)));
      const at = now();
      await Promise.all(
        targets.map(async (t, i) => {
          const r = results[i]!;
          if (!t.id) return;
          if (r.kind === "gone") await options.store.remove(message.workspaceId, t.id);
          if (r.kind === "sent") await options.store.delivered(message.workspaceId, t.id, at);
        }),
      );

      const sent = results.filter((r) => r.kind === "sent");
      if (sent.length > 0) {
        const first = sent[0] as Extract<Attempt, { kind: "sent" }>;
        return { ok: true, providerMessageId: first.location ?? `webpush_${idempotencyKey}` };
      }
      const retries = results.filter((r): r is Extract<Attempt, { kind: "retry" }> => r.kind === "retry");
      if (retries.length > 0) {
        const waits = retries.flatMap((r) => (r.retryAfterMs === undefined ? [] : [r.retryAfterMs]));
        return {
          ok: false,
          retryable: true,
          error: retries[0]!.error,
          ...(waits.length && { retryAfterMs: Math.max(...waits) }),
        };
      }
      const errors = results.filter((r): r is Extract<Attempt, { kind: "error" }> => r.kind === "error");
      if (errors.length > 0) return { ok: false, retryable: false, error: errors[0]!.error };
      return {
        ok: false,
        retryable: false,
        error: `Every browser of the contact has unsubscribed from notifications (push service answered ${results.map((r) => (r.kind === "gone" ? r.status : "")).join(", ")}).`,
        skipReason: NO_PUSH_SUBSCRIPTION,
      };
    },
  };
}
