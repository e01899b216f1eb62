/** The embedded default SMS provider: the stored message row is the Outbox. */
import type { SmsProvider } from "./types";

export function createOutboxSmsProvider(): SmsProvider {
  return {
    name: "outbox",
    send: (message, { idempotencyKey }) =>
      Promise.resolve(
        !idempotencyKey
          ? { ok: false, retryable: false, error: "Missing idempotency key." }
          : !message.to.trim()
            ? { ok: false, retryable: false, error: "Missing recipient phone number." }
            : { ok: true, providerMessageId: `outbox_${idempotencyKey}` },
      ),
  };
}
