/**
 * Test sends from the editor: the email rendered as the preview shows it (for a chosen
 * contact and event, or sample data) goes to the signed-in member through the configured
 * provider, and is recorded as a message row with no enrollment, so it shows in the Outbox.
 *
 * The row carries no contact: a test must not count as a marketing send to that contact
 * (smart sending) nor appear in their history. It is written as `sending` with no lease, so
 * the dispatcher never picks it up; the provider is called with the row id as idempotency key.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { messages, type workspaces } from "@/server/db/schema";
import { createChannels, type Channels } from "@/server/channels";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { previewEmail, senderOf, type EmailPreviewInput } from "./preview";

const KEY = Symbol.for("tidings.channels");
type Holder = { [KEY]?: Channels };

/** The providers picked by the environment, one set per process. */
export function processChannels(): Channels {
  const g = globalThis as Holder;
  g[KEY] ??= createChannels(env());
  return g[KEY];
}

export const TEST_SUBJECT_PREFIX = "[Test] ";

export type SendTestResult = {
  messageId: string;
  to: string;
  status: "sent" | "failed";
  provider: string;
  error: string | null;
};

export async function sendTestEmail(
  db: Db,
  input: EmailPreviewInput & {
    workspace: typeof workspaces.$inferSelect;
    member: { id: string; email: string };
    channels?: Channels;
    now?: Date;
  },
): Promise<SendTestResult> {
  const channels = input.channels ?? processChannels();
  const now = input.now ?? new Date();
  const messageId = randomUUID();
  const preview = await previewEmail(db, { ...input, messageId });
  if (!preview.rendered)
    throw new DomainError("BAD_REQUEST", preview.error ?? "The email could not be rendered.", "content");

  const { rendered } = preview;
  const subject = `${TEST_SUBJECT_PREFIX}${rendered.subject}`;
  const to = input.member.email;
  const { content } = input;
  await db.insert(messages).values({
    id: messageId,
    workspaceId: input.workspace.id,
    enrollmentId: null,
    flowId: null,
    nodeId: null,
    contactId: null,
    channel: "email",
    category: content.category,
    status: "sending",
    toAddress: to,
    subject,
    content: {
      config: content,
      trigger: preview.trigger,
      subject: rendered.subject,
      preheader: rendered.preheader,
      html: rendered.html,
      text: rendered.text,
      test: { sentBy: input.member.id, previewContactId: preview.contactId, source: preview.source.kind },
    },
    provider: channels.email.name,
    attempts: 1,
    lockedUntil: null,
    createdAt: now,
  });

  const result = await channels.email
    .send(
      {
        from: senderOf(input.workspace),
        to,
        subject,
        html: rendered.html,
        text: rendered.text,
        category: content.category,
        unsubscribeUrl: preview.unsubscribeUrl,
        tags: { workspace_id: input.workspace.id, flow_id: "test", node_id: "test", message_id: messageId },
      },
      { idempotencyKey: messageId },
    )
    .catch((error: unknown) => ({
      ok: false as const,
      retryable: false,
      error: error instanceof Error ? error.message : String(error),
    }));

  const where = and(eq(messages.id, messageId), eq(messages.status, "sending"));
  if (result.ok) {
    await db
      .update(messages)
      .set({ status: "sent", providerMessageId: result.providerMessageId, sentAt: now })
      .where(where);
    return { messageId, to, status: "sent", provider: channels.email.name, error: null };
  }
  await db.update(messages).set({ status: "failed", lastError: result.error }).where(where);
  return { messageId, to, status: "failed", provider: channels.email.name, error: result.error };
}
