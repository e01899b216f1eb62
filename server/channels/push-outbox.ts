/**
 * The embedded default push provider: the stored message row is the Outbox.
 * A Web Push (VAPID) provider will implement the same `PushProvider` interface.
 */
import type { PushProvider } from "./types";

export function createOutboxPushProvider(): PushProvider {
  return {
    name: "outbox",
    send: (message, { idempotencyKey }) =>
      Promise.resolve(
        !idempotencyKey
          ? { ok: false, retryable: false, error: "Missing idempotency key." }
          : !message.title.trim() && !message.body.trim()
            ? { ok: false, retryable: false, error: "A push notification needs a title or a body." }
            : { ok: true, providerMessageId: `outbox_${idempotencyKey}` },
      ),
  };
}
