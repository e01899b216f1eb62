/**
 * One provider interface per channel. Providers never throw for delivery problems:
 * they answer with a `SendResult` the executor can act on (retry with backoff,
 * honour `retryAfterMs`, or fail the step with `error`).
 */
import type { MessageCategory } from "@/emails/types";

export type { MessageCategory };
export type { Channel } from "@/server/engine/facts";

export type SendResult =
  | { ok: true; providerMessageId: string }
  | {
      ok: false;
      retryable: boolean;
      retryAfterMs?: number;
      error: string;
      /** Nothing to deliver to (e.g. no browser subscribed to push): the message is recorded as skipped with this reason, not failed. */
      skipReason?: string;
    };

export type SendOptions = {
  /** The message row's id. A retry with the same key never sends twice. */
  idempotencyKey: string;
};

/**
 * Tags travel with the message and come back on provider webhooks. Use
 * `workspace_id`, `flow_id`, `node_id`, `message_id`.
 */
export type MessageTags = Record<string, string>;

export type EmailMessage = {
  /** `Shop Name <hello@shop.example>` */
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Marketing mail gets one-click unsubscribe headers; transactional mail never does. */
  category: MessageCategory;
  /** Absolute https link; required for marketing mail (RFC 8058 one-click). */
  unsubscribeUrl?: string;
  replyTo?: string;
  headers?: Record<string, string>;
  tags?: MessageTags;
};

export type EmailBatchItem = EmailMessage & SendOptions;

export interface EmailProvider {
  /** Stored on the message row, e.g. `resend`, `outbox`. */
  readonly name: string;
  send(message: EmailMessage, options: SendOptions): Promise<SendResult>;
  /** One result per message, in order. */
  sendBatch(messages: readonly EmailBatchItem[]): Promise<SendResult[]>;
}

export type SmsMessage = {
  /** E.164, e.g. `+15551234567`. */
  to: string;
  body: string;
  category: MessageCategory;
  /** Overrides the provider's default sender. */
  from?: string;
  tags?: MessageTags;
};

export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage, options: SendOptions): Promise<SendResult>;
}

/** A browser's Web Push subscription (`PushSubscription.toJSON()`). */
export type WebPushSubscription = { endpoint: string; keys: { p256dh: string; auth: string } };

export type PushMessage = {
  workspaceId: string;
  /** The contact the notification is for (their id). */
  to: string;
  /** Deliver to this browser only; without it Web Push delivers to every browser the contact subscribed. Ignored by the Outbox. */
  subscription?: WebPushSubscription;
  title: string;
  body: string;
  url?: string;
  category: MessageCategory;
  tags?: MessageTags;
};

export interface PushProvider {
  readonly name: string;
  send(message: PushMessage, options: SendOptions): Promise<SendResult>;
}
