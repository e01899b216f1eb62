/**
 * Emails the product itself sends (double opt-in confirmations, account notices) through
 * the configured email channel. Each is recorded as a transactional message row, so with the
 * default Outbox provider it shows in the Outbox; it is written as `sending` with no lease,
 * so the dispatcher never picks it up, and the provider is called with the row id as
 * idempotency key.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import type { Channels } from "@/server/channels";

export type SystemEmail = {
  workspaceId: string;
  contactId?: string | null;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** What kind of notice this is, kept on the row (e.g. `opt-in`, `account-exists`). */
  kind: string;
};

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]!);

/** A plain, readable HTML body: a heading, paragraphs, and an optional button link. */
export function simpleEmailHtml(input: {
  heading: string;
  paragraphs: string[];
  button?: { label: string; url: string };
}) {
  const paragraphs = input.paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join("");
  const button = input.button
    ? `<p style="margin:24px 0"><a href="${escapeHtml(input.button.url)}" style="background:#111827;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(input.button.label)}</a></p>`
    : "";
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111827;max-width:560px;margin:0 auto;padding:24px"><h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(input.heading)}</h1>${paragraphs}${button}</body></html>`;
}

export async function sendSystemEmail(
  db: Db,
  channels: Channels,
  email: SystemEmail,
  now: Date = new Date(),
): Promise<{ messageId: string; status: "sent" | "failed"; error: string | null }> {
  const messageId = randomUUID();
  await db.insert(messages).values({
    id: messageId,
    workspaceId: email.workspaceId,
    contactId: email.contactId ?? null,
    channel: "email",
    category: "transactional",
    status: "sending",
    toAddress: email.to,
    subject: email.subject,
    content: { subject: email.subject, html: email.html, text: email.text, system: email.kind },
    provider: channels.email.name,
    attempts: 1,
    lockedUntil: null,
    createdAt: now,
  });
  const result = await channels.email
    .send(
      {
        from: email.from,
        to: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        category: "transactional",
        tags: { workspace_id: email.workspaceId, message_id: messageId, system: email.kind },
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
    return { messageId, status: "sent", error: null };
  }
  await db.update(messages).set({ status: "failed", lastError: result.error }).where(where);
  return { messageId, status: "failed", error: result.error };
}
