/**
 * The embedded default email provider. The message row the executor stores *is* the
 * Outbox, so "delivering" means accepting the message: the provider id is derived
 * from the idempotency key, which makes a retry return the same id.
 */
import { emailHeaders } from "./email-headers";
import type { EmailBatchItem, EmailMessage, EmailProvider, SendOptions, SendResult } from "./types";

export function outboxMessageId(idempotencyKey: string): string {
  return `outbox_${idempotencyKey}`;
}

function accept(message: EmailMessage, { idempotencyKey }: SendOptions): SendResult {
  if (!idempotencyKey) return { ok: false, retryable: false, error: "Missing idempotency key." };
  if (!message.to.includes("@"))
    return { ok: false, retryable: false, error: `Invalid recipient “${message.to}”.` };
  const prepared = emailHeaders(message);
  if (!prepared.ok) return { ok: false, retryable: false, error: prepared.error };
  return { ok: true, providerMessageId: outboxMessageId(idempotencyKey) };
}

export function createOutboxEmailProvider(): EmailProvider {
  return {
    name: "outbox",
    send: (message, options) => Promise.resolve(accept(message, options)),
    sendBatch: (messages: readonly EmailBatchItem[]) => Promise.resolve(messages.map((m) => accept(m, m))),
  };
}
