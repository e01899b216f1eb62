/**
 * The dispatcher sends queued messages. It claims them with a lease (status `sending`,
 * `locked_until`), renders them, calls the provider with the message id as idempotency
 * key, and records the result. A sender that dies mid-call leaves its lease to expire;
 * the next claim sends again with the same key, and the provider answers with the first
 * send. Provider errors retry with exponential backoff and jitter (429 waits Retry-After);
 * after the last attempt the message and its enrollment are `failed` with the reason. A
 * provider with nothing to deliver to (push without a subscribed browser) marks it skipped.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { contacts, enrollments, messages, workspaces } from "@/server/db/schema";
import type { Channels, SendResult } from "@/server/channels";
import { renderEmail } from "@/server/channels/render-email";
import { renderPush, renderSms } from "@/server/channels/render-text";
import { messageRenderContext, unsubscribeLinks } from "@/server/channels/message-render";
import { addTracking } from "@/server/analytics/tracking";
import type { EmailContent } from "@/emails/types";

export interface DispatchOptions {
  now: number;
  limit?: number;
  /** How long a claimed message belongs to this sender. */
  leaseMs?: number;
  maxAttempts?: number;
  /** Provider calls in flight at once. */
  concurrency?: number;
  appUrl: string;
  linkSigningKey: string;
  /** Injected for tests: 0..1; jitter spreads retries. */
  random?: () => number;
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

type MessageRow = typeof messages.$inferSelect;

export const BASE_BACKOFF_MS = 5_000;
export const MAX_BACKOFF_MS = 60 * 60_000;

/** Exponential backoff with full jitter, never shorter than a provider's Retry-After. */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, random: () => number): number {
  const exp = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

export async function claimMessages(db: Db, now: number, limit: number, leaseMs: number): Promise<MessageRow[]> {
  const rows = await db.execute(sql`
    update messages set status = 'sending', locked_until = ${new Date(now + leaseMs).toISOString()}::timestamptz, attempts = attempts + 1
    where id in (
      select id from messages
      where status in ('queued', 'sending') and next_attempt_at <= ${new Date(now).toISOString()}::timestamptz
        and (status = 'queued' or locked_until < ${new Date(now).toISOString()}::timestamptz)
      order by next_attempt_at
      limit ${limit}
      for update skip locked)
    returning id`);
  const ids = rowsOf<{ id: string }>(rows).map((r) => r.id);
  if (ids.length === 0) return [];
  return db.select().from(messages).where(inArray(messages.id, ids));
}

export async function dispatchMessages(db: Db, channels: Channels, options: DispatchOptions): Promise<DispatchResult> {
  const { now } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 6;
  const random = options.random ?? Math.random;
  const claimed = await claimMessages(db, now, options.limit ?? 100, leaseMs);
  const result: DispatchResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 };
  if (claimed.length === 0) return result;

  const workspaceRows = await db.select().from(workspaces).where(inArray(workspaces.id, [...new Set(claimed.map((m) => m.workspaceId))]));
  const contactIds = [...new Set(claimed.flatMap((m) => (m.contactId ? [m.contactId] : [])))];
  const contactRows = contactIds.length ? await db.select().from(contacts).where(inArray(contacts.id, contactIds)) : [];
  const workspaceOf = new Map(workspaceRows.map((w) => [w.id, w]));
  const contactOf = new Map(contactRows.map((c) => [c.id, c]));

  const queue = [...claimed];
  const concurrency = options.concurrency ?? 8;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let message = queue.shift(); message; message = queue.shift()) {
        const outcome = await sendOne(db, message, channels, workspaceOf, contactOf, options).catch((error: unknown) => ({
          result: { ok: false as const, retryable: false, error: error instanceof Error ? error.message : String(error) },
          rendered: null,
        }));
        await record(db, message, outcome, { now, maxAttempts, random, result });
      }
    }),
  );
  return result;
}

interface SendOutcome {
  result: SendResult;
  provider?: string;
  rendered: { subject: string | null; content: Record<string, unknown> } | null;
}

function readRendered(stored: Record<string, unknown>): { subject: string; html: string; text: string; preheader: string } | null {
  const { subject, html, text, preheader } = stored;
  return typeof subject === "string" && typeof html === "string" && typeof text === "string" ? { subject, html, text, preheader: typeof preheader === "string" ? preheader : "" } : null;
}

async function persistRender(db: Db, id: string, content: Record<string, unknown>, subject: string) {
  await db.update(messages).set({ content, subject }).where(eq(messages.id, id));
}

async function sendOne(
  db: Db,
  message: MessageRow,
  channels: Channels,
  workspaceOf: Map<string, typeof workspaces.$inferSelect>,
  contactOf: Map<string, typeof contacts.$inferSelect>,
  options: DispatchOptions,
): Promise<SendOutcome> {
  const workspace = workspaceOf.get(message.workspaceId);
  const contact = message.contactId ? contactOf.get(message.contactId) : undefined;
  if (!workspace) return { result: { ok: false, retryable: false, error: "workspace not found" }, rendered: null };
  const { stored, config = {}, trigger, workspace: emailWorkspace, contact: emailContact } = messageRenderContext(message, workspace, contact, options.appUrl);
  const tags = { workspace_id: message.workspaceId, flow_id: message.flowId ?? "none", node_id: message.nodeId ?? "none", message_id: message.id };

  if (message.channel === "email") {
    if (!message.toAddress) return { result: { ok: false, retryable: false, error: "no email address" }, rendered: null };
    const { unsubscribeUrl, preferencesUrl } = unsubscribeLinks(message, contact, options.appUrl, options.linkSigningKey);
    const previous = readRendered(stored);
    const rendered = previous ?? (await renderEmail({ content: config as unknown as EmailContent, workspace: emailWorkspace, contact: emailContact, trigger, unsubscribeUrl, preferencesUrl }));
    if (!previous) {
      // Links go through the click redirect; unsubscribe links stay direct.
      const tracked = addTracking(rendered.html, { messageId: message.id, appUrl: options.appUrl, key: options.linkSigningKey, keep: (url) => url.startsWith(`${options.appUrl}/u/`) });
      rendered.html = tracked.html;
      // A retry must send exactly what the first attempt sent under this idempotency key.
      await persistRender(db, message.id, { ...stored, subject: rendered.subject, html: rendered.html, text: rendered.text, preheader: rendered.preheader, links: tracked.links }, rendered.subject);
    }
    const from = `${workspace.name} <${workspace.senderEmail}>`;
    const result = await channels.email.send(
      { from, to: message.toAddress, subject: rendered.subject, html: rendered.html, text: rendered.text, category: message.category, unsubscribeUrl, tags },
      { idempotencyKey: message.id },
    );
    return { result, provider: channels.email.name, rendered: { subject: rendered.subject, content: { ...stored, html: rendered.html, text: rendered.text, preheader: rendered.preheader } } };
  }
  if (message.channel === "sms") {
    if (!message.toAddress) return { result: { ok: false, retryable: false, error: "no phone number" }, rendered: null };
    const sms = renderSms({ content: config as never, workspace: emailWorkspace, contact: emailContact, trigger });
    const result = await channels.sms.send({ to: message.toAddress, body: sms.body, category: message.category, tags }, { idempotencyKey: message.id });
    return { result, provider: channels.sms.name, rendered: { subject: null, content: { ...stored, text: sms.body, segments: sms.segments } } };
  }
  const push = renderPush({ content: config as never, workspace: emailWorkspace, contact: emailContact, trigger });
  const result = await channels.push.send({ workspaceId: message.workspaceId, to: message.contactId ?? message.toAddress ?? "", title: push.title, body: push.body, url: push.url, category: message.category, tags }, { idempotencyKey: message.id });
  return { result, provider: channels.push.name, rendered: { subject: push.title, content: { ...stored, ...push } } };
}

async function record(db: Db, message: MessageRow, outcome: SendOutcome, ctx: { now: number; maxAttempts: number; random: () => number; result: DispatchResult }) {
  const { result } = outcome;
  if (result.ok) {
    ctx.result.sent++;
    await db
      .update(messages)
      .set({
        status: "sent",
        provider: outcome.provider ?? null,
        providerMessageId: result.providerMessageId,
        sentAt: new Date(ctx.now),
        lockedUntil: null,
        lastError: null,
        ...(outcome.rendered ? { subject: outcome.rendered.subject ?? message.subject, content: outcome.rendered.content } : {}),
      })
      .where(and(eq(messages.id, message.id), eq(messages.status, "sending")));
    return;
  }
  if (result.skipReason) {
    // Nothing to deliver to (no browser subscribed to push): skipped like a send rule, and the journey goes on.
    await db
      .update(messages)
      .set({ status: "skipped", skipReason: result.skipReason, provider: outcome.provider ?? null, lockedUntil: null, lastError: result.error })
      .where(and(eq(messages.id, message.id), eq(messages.status, "sending")));
    return;
  }
  if (result.retryable && message.attempts < ctx.maxAttempts) {
    ctx.result.retried++;
    const delay = retryDelayMs(message.attempts, result.retryAfterMs, ctx.random);
    await db
      .update(messages)
      .set({ status: "queued", lockedUntil: null, lastError: result.error, nextAttemptAt: new Date(ctx.now + delay) })
      .where(and(eq(messages.id, message.id), eq(messages.status, "sending")));
    return;
  }
  ctx.result.failed++;
  const reason = `${message.channel} not sent after ${message.attempts} attempt${message.attempts === 1 ? "" : "s"}: ${result.error}`;
  await db.transaction(async (tx) => {
    await tx.update(messages).set({ status: "failed", lockedUntil: null, lastError: result.error }).where(eq(messages.id, message.id));
    if (message.enrollmentId) {
      await tx
        .update(enrollments)
        .set({ status: "failed", lastError: reason, endedAt: new Date(ctx.now), nextRunAt: null, updatedAt: new Date(ctx.now) })
        // A contact who already reached the end did not get this message either: the journey failed.
        .where(and(eq(enrollments.id, message.enrollmentId), inArray(enrollments.status, ["active", "completed"])));
    }
  });
}

/** postgres.js returns an array; PGlite returns `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return (result as { rows?: T[] }).rows ?? [];
}
