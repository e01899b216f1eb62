/**
 * Provider webhooks → message events. One verb for every provider: find the message,
 * record the event once (the provider's event id is unique per workspace), move the
 * message's status on, and put hard-bounced or complaining addresses on the workspace
 * suppression list so the executor skips them from the next step on.
 */
import { and, eq, inArray, or, type SQL } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { contacts, messageEvents, messages } from "@/server/db/schema";
import type { Channel } from "@/server/channels/types";
import { normaliseAddress, suppressAddress } from "./suppressions";

export type MessageEventType = (typeof messageEvents.$inferInsert)["type"];

export type ProviderEvent = {
  provider: "resend" | "twilio";
  channel: Channel;
  /** The provider's id for this delivery of this event (`svix-id`, Twilio sid + status). */
  providerEventId: string;
  /** The provider's id for the message (`email_id`, `MessageSid`). */
  providerMessageId: string;
  /** Tidings' message id, when the provider echoes it back (the `message_id` tag). */
  messageId?: string | undefined;
  /** The workspace the provider says the message belongs to (the `workspace_id` tag). */
  workspaceId?: string | undefined;
  type: MessageEventType;
  url?: string | undefined;
  /** For bounces: hard (permanent, suppress the address) or soft (transient). */
  bounce?: "hard" | "soft" | undefined;
  reason?: string | undefined;
  /** The recipient asked the provider to stop (Twilio error 21610): their consent flips. */
  optOut?: boolean;
  occurredAt: Date;
  data?: Record<string, unknown>;
};

export type RecordedEvent =
  | { status: "recorded"; messageId: string; workspaceId: string; suppressed: boolean }
  | { status: "duplicate"; messageId: string; workspaceId: string }
  | { status: "unknown_message" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: string | undefined): v is string {
  return typeof v === "string" && UUID.test(v);
}

type MessageRow = Pick<
  typeof messages.$inferSelect,
  "id" | "workspaceId" | "channel" | "status" | "toAddress" | "providerMessageId" | "contactId"
>;

/** The message a provider event is about, by provider id first, then by the echoed tag. */
export async function findMessageForEvent(
  db: Db,
  event: Pick<ProviderEvent, "channel" | "providerMessageId" | "messageId" | "workspaceId">,
): Promise<MessageRow | null> {
  const match: SQL[] = [];
  if (event.providerMessageId) match.push(eq(messages.providerMessageId, event.providerMessageId));
  if (isUuid(event.messageId)) match.push(eq(messages.id, event.messageId));
  if (match.length === 0) return null;
  const rows = await db
    .select({
      id: messages.id,
      workspaceId: messages.workspaceId,
      channel: messages.channel,
      status: messages.status,
      toAddress: messages.toAddress,
      providerMessageId: messages.providerMessageId,
      contactId: messages.contactId,
    })
    .from(messages)
    .where(and(eq(messages.channel, event.channel), or(...match)))
    .limit(5);
  const candidates = isUuid(event.workspaceId)
    ? rows.filter((r) => r.workspaceId === event.workspaceId)
    : rows;
  return (
    candidates.find((r) => r.providerMessageId === event.providerMessageId) ??
    candidates.find((r) => r.id === event.messageId) ??
    null
  );
}

/** Records one provider event. Safe to call again with the same event: it is counted once. */
export async function recordProviderEvent(db: Db, event: ProviderEvent): Promise<RecordedEvent> {
  const message = await findMessageForEvent(db, event);
  if (!message) return { status: "unknown_message" };
  const { workspaceId } = message;

  return db.transaction(async (tx) => {
    const data: Record<string, unknown> = { provider: event.provider, ...(event.data ?? {}) };
    if (event.bounce) data.bounce = event.bounce;
    if (event.reason) data.reason = event.reason;
    const inserted = await tx
      .insert(messageEvents)
      .values({
        workspaceId,
        messageId: message.id,
        type: event.type,
        url: event.url ?? null,
        providerEventId: event.providerEventId,
        data,
        occurredAt: event.occurredAt,
      })
      .onConflictDoNothing()
      .returning({ id: messageEvents.id });
    if (inserted.length === 0) return { status: "duplicate", messageId: message.id, workspaceId } as const;

    const hard = event.type === "bounced" && event.bounce === "hard";
    if (event.type === "delivered") {
      // Only a sent message becomes delivered: a bounce or failure recorded earlier stays.
      await tx
        .update(messages)
        .set({ status: "delivered" })
        .where(and(eq(messages.id, message.id), eq(messages.status, "sent")));
    } else if (event.type === "bounced" && (hard || event.provider === "twilio")) {
      // A Twilio failure is final for that message; a soft email bounce may still be retried by the provider.
      await tx
        .update(messages)
        .set({ status: "bounced", lastError: event.reason ?? (hard ? "Hard bounce" : "Not delivered") })
        .where(and(eq(messages.id, message.id), inArray(messages.status, ["sent", "delivered"])));
    }

    let suppressed = false;
    const address = message.toAddress ? normaliseAddress(message.channel, message.toAddress) : "";
    if (address && (hard || event.type === "complained")) {
      suppressed = await suppressAddress(tx, {
        workspaceId,
        channel: message.channel,
        address,
        reason: hard ? "hard_bounce" : "complaint",
        now: event.occurredAt,
      });
    }
    if (event.optOut && address) {
      const column =
        message.channel === "email"
          ? contacts.emailConsent
          : message.channel === "sms"
            ? contacts.smsConsent
            : contacts.pushConsent;
      const field =
        message.channel === "email"
          ? "emailConsent"
          : message.channel === "sms"
            ? "smsConsent"
            : "pushConsent";
      const addressColumn = message.channel === "email" ? contacts.email : contacts.phone;
      await tx
        .update(contacts)
        .set({ [field]: "unsubscribed", updatedAt: event.occurredAt })
        .where(
          and(
            eq(contacts.workspaceId, workspaceId),
            eq(addressColumn, message.toAddress ?? address),
            inArray(column, ["subscribed", "none"]),
          ),
        );
    }
    return { status: "recorded", messageId: message.id, workspaceId, suppressed } as const;
  });
}
