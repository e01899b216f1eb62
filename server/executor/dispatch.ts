/**
 * The dispatcher sends queued messages. It claims them with a lease (status `sending`,
 * `locked_until`), renders them, calls the provider with the message id as idempotency
 * key, and records the result. A sender that dies mid-call leaves its lease to expire;
 * the next claim sends again with the same key, and the provider answers with the first
 * send. While a call is in flight the sender renews its lease, so a slow provider does not
 * hand the same key to a second sender. Provider errors retry with exponential backoff and
 * jitter, counted from the failure (a 429 waits Retry-After). `attempts` counts provider
 * failures only: a rate limit with Retry-After or a lease that ran out is not the message's
 * failure. Retries give up by time, 24 h after the first attempt (the provider's idempotency
 * window), and the message and its enrollment are `failed` with the reason. A provider with
 * nothing to deliver to (push without a subscribed browser) marks it skipped.
 *
 * Emails due together that were never sent go out in batch calls (at most 100 each) — first
 * attempts and re-claimed ones alike, as long as nothing was ever sent for them. The
 * provider takes one idempotency key per batch call, derived from its members, so a batch
 * must be resent exactly as it was first sent: before the call, each member's rendered
 * email and its place in the batch (`batch_id`, `batch_index`) are written in one
 * transaction. From then on a member is only ever sent with its whole batch — whichever
 * member a later claim picks up, the sender takes the rest of the batch with it and repeats
 * the same request from the stored content, and the provider answers from its first send.
 * An email that went out alone once (its content is frozen on its row without a batch) keeps
 * going alone, under its own key; one claimed again before anything was written for it was
 * never sent, and may join a batch.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { Db, Tx } from "@/server/db/client";
import { contacts, enrollments, messages, workspaces } from "@/server/db/schema";
import type { Channels, SendResult } from "@/server/channels";
import type { EmailMessage } from "@/server/channels/types";
import { renderEmail, type RenderEmailInput } from "@/server/channels/render-email";
import type { EmailDesignCache } from "@/server/channels/email-designs";
import { renderPush, renderSms } from "@/server/channels/render-text";
import { messageRenderContext, unsubscribeLinks } from "@/server/channels/message-render";
import { addTracking } from "@/server/analytics/tracking";
import { isMergeTimeout } from "@/server/channels/merge";
import type { EmailContent } from "@/emails/types";
import { rowsOf } from "@/server/db/rows";
import {
  EmailBodyBases,
  packEmailBody,
  saveEmailBodyBases,
  stepKeyOf,
  withEmailBodies,
  type EmailBodyBase,
} from "@/server/channels/email-bodies";
import pLimit from "p-limit";

export interface DispatchOptions {
  now: number;
  /** The time as it moves on during this pass (failures, lease renewals); default `now` plus the wall time elapsed. */
  clock?: () => number;
  limit?: number;
  /** How long a claimed message belongs to this sender. */
  leaseMs?: number;
  /** Provider failures allowed before giving up (default: no count, only `maxAgeMs`). */
  maxAttempts?: number;
  /** Retries stop this long after the first attempt (default 24 h, the provider's idempotency window). */
  maxAgeMs?: number;
  /** Provider calls in flight at once. */
  concurrency?: number;
  /** Emails due together that go out as one batch call; fewer go one by one. */
  minBatch?: number;
  appUrl: string;
  linkSigningKey: string;
  /** Injected for tests: 0..1; jitter spreads retries. */
  random?: () => number;
  /** Email designs rendered once per step and filled in per contact (the executor's own). */
  designs?: EmailDesignCache;
  /** The bases sent emails are stored against, one per step (the executor's own; default: this pass's). */
  bodyBases?: EmailBodyBases;
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

type MessageRow = typeof messages.$inferSelect;
type WorkspaceRow = typeof workspaces.$inferSelect;
type ContactRow = typeof contacts.$inferSelect;

export const BASE_BACKOFF_MS = 5_000;
export const MAX_BACKOFF_MS = 60 * 60_000;
/** Resend's batch endpoint takes at most 100 emails per call. */
export const EMAIL_BATCH_LIMIT = 100;
export const MIN_EMAIL_BATCH = 2;
/** Resend keeps an idempotency key for 24 h: past that a resend could deliver twice, so retries stop. */
export const MAX_RETRY_AGE_MS = 24 * 3_600_000;

/** Exponential backoff with full jitter, never shorter than a provider's Retry-After. */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const exp = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

export async function claimMessages(
  db: Db,
  now: number,
  limit: number,
  leaseMs: number,
): Promise<MessageRow[]> {
  const rows = await db.execute(sql`
    update messages set status = 'sending', locked_until = ${new Date(now + leaseMs).toISOString()}::timestamptz,
      claims = claims + 1, first_attempt_at = coalesce(first_attempt_at, ${new Date(now).toISOString()}::timestamptz)
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
  return withEmailBodies(db, await db.select().from(messages).where(inArray(messages.id, ids)));
}

/**
 * The rest of each batch a claimed message belongs to: members not yet settled are taken
 * too (whoever held them, the resend is the same request); settled ones are read so the
 * request can be repeated in full. Answers every member, ordered within its batch.
 */
async function claimBatchMembers(
  db: Db,
  batchIds: string[],
  claimedIds: string[],
  now: number,
  leaseMs: number,
): Promise<MessageRow[]> {
  await db
    .update(messages)
    .set({
      status: "sending",
      lockedUntil: new Date(now + leaseMs),
      claims: sql`${messages.claims} + 1`,
      firstAttemptAt: sql`coalesce(${messages.firstAttemptAt}, ${new Date(now).toISOString()}::timestamptz)`,
    })
    .where(
      and(
        inArray(messages.batchId, batchIds),
        inArray(messages.status, ["queued", "sending"]),
        notInArray(messages.id, claimedIds),
      ),
    );
  return withEmailBodies(
    db,
    await db
      .select()
      .from(messages)
      .where(inArray(messages.batchId, batchIds))
      .orderBy(messages.batchId, messages.batchIndex),
  );
}

interface Context {
  db: Db;
  channels: Channels;
  workspaceOf: Map<string, WorkspaceRow>;
  contactOf: Map<string, ContactRow>;
  options: DispatchOptions;
  record: RecordContext;
  bodyBases: EmailBodyBases;
}

export async function dispatchMessages(
  db: Db,
  channels: Channels,
  options: DispatchOptions,
): Promise<DispatchResult> {
  const { now } = options;
  const wallStart = Date.now();
  const clock = options.clock ?? (() => now + (Date.now() - wallStart));
  const leaseMs = options.leaseMs ?? 60_000;
  const claimed = await claimMessages(db, now, options.limit ?? 100, leaseMs);
  const result: DispatchResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 };
  if (claimed.length === 0) return result;
  // Renewed from the claim on: the reads and renders before the first call count too.
  const renewal = renewLeases(db, claimed, leaseMs, clock);
  try {
    return await sendClaimed(db, channels, options, claimed, result, renewal, clock);
  } finally {
    await renewal.stop();
  }
}

async function sendClaimed(
  db: Db,
  channels: Channels,
  options: DispatchOptions,
  claimed: MessageRow[],
  result: DispatchResult,
  renewal: ReturnType<typeof renewLeases>,
  clock: () => number,
): Promise<DispatchResult> {
  const { now } = options;
  const leaseMs = options.leaseMs ?? 60_000;

  const batchIds = [
    ...new Set(claimed.flatMap((m) => (m.channel === "email" && m.batchId ? [m.batchId] : []))),
  ];
  const members = batchIds.length
    ? await claimBatchMembers(
        db,
        batchIds,
        claimed.map((m) => m.id),
        now,
        leaseMs,
      )
    : [];
  const unsettled = members.filter((m) => m.status === "sending");
  const taken = unsettled.filter((m) => !claimed.some((c) => c.id === m.id));
  result.claimed += taken.length;
  renewal.hold(taken);
  const rows = [...claimed, ...members];

  const workspaceRows = await db
    .select()
    .from(workspaces)
    .where(inArray(workspaces.id, [...new Set(rows.map((m) => m.workspaceId))]));
  const contactIds = [...new Set(rows.flatMap((m) => (m.contactId ? [m.contactId] : [])))];
  const contactRows = contactIds.length
    ? await db.select().from(contacts).where(inArray(contacts.id, contactIds))
    : [];
  const ctx: Context = {
    db,
    channels,
    workspaceOf: new Map(workspaceRows.map((w) => [w.id, w])),
    contactOf: new Map(contactRows.map((c) => [c.id, c])),
    options,
    bodyBases: options.bodyBases ?? new EmailBodyBases(),
    record: {
      now,
      clock,
      maxAttempts: options.maxAttempts,
      maxAgeMs: options.maxAgeMs ?? MAX_RETRY_AGE_MS,
      random: options.random ?? Math.random,
      result,
    },
  };

  // Each job with the rows it settles: a job that throws gives them back to the queue.
  const jobs: { rows: MessageRow[]; run: () => Promise<void> }[] = [];
  for (const batchId of batchIds) {
    const batch = members.filter((m) => m.batchId === batchId);
    jobs.push({ rows: batch.filter((m) => m.status === "sending"), run: () => resendBatch(ctx, batch) });
  }
  // Never sent: no batch, and nothing frozen on the row (an email that went out alone keeps its own key).
  const unsent = claimed.filter(
    (m) => m.channel === "email" && !m.batchId && !mayHaveGoneAlone(m) && !pastWindow(m, ctx.record),
  );
  const batched = unsent.length >= (options.minBatch ?? MIN_EMAIL_BATCH) ? unsent : [];
  for (let i = 0; i < batched.length; i += EMAIL_BATCH_LIMIT) {
    const chunk = batched.slice(i, i + EMAIL_BATCH_LIMIT);
    jobs.push({ rows: chunk, run: () => sendNewBatch(ctx, chunk) });
  }
  for (const message of claimed) {
    if (message.batchId && message.channel === "email") continue;
    if (batched.includes(message)) continue;
    jobs.push({
      rows: [message],
      run: async () => {
        const outcome = pastWindow(message, ctx.record)
          ? gaveUp(message, ctx.record)
          : await sendOne(ctx, message).catch((error: unknown) => failure(error));
        await record(db, message, outcome, ctx.record);
      },
    });
  }

  const limit = pLimit(options.concurrency ?? 8);
  // Every job runs to its end (none is left running unrenewed when another fails); the rows of
  // one that failed go back to the queue at once instead of waiting for their lease to run
  // out: whatever it wrote or sent, the next claim repeats it under the same key.
  const outcomes = await Promise.allSettled(jobs.map((job) => limit(job.run)));
  const failed = jobs.filter((_, i) => outcomes[i]?.status === "rejected");
  if (failed.length > 0) {
    await release(
      db,
      failed.flatMap((job) => job.rows),
    ).catch(() => {});
    const first = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    throw first?.reason;
  }
  return result;
}

/** Rows still under this claim go back to the queue, due now, without counting an attempt. */
async function release(db: Db, rows: MessageRow[]) {
  if (rows.length === 0) return;
  const mine = JSON.stringify(rows.map((m) => ({ id: m.id, claims: m.claims })));
  await db.execute(sql`
    update messages as m set status = 'queued', locked_until = null
    from jsonb_to_recordset(${mine}::jsonb) as x(id uuid, claims int)
    where m.id = x.id and m.status = 'sending' and m.claims = x.claims`);
}

/**
 * Keeps the lease on what this sender holds while its calls are in flight: every third of
 * the lease, `locked_until` moves on for the rows still under this claim (same `claims`).
 */
function renewLeases(db: Db, claimed: MessageRow[], leaseMs: number, clock: () => number) {
  const held = claimed.map((m) => ({ id: m.id, claims: m.claims }));
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      const mine = JSON.stringify(held);
      running = running.then(() =>
        db
          .execute(
            sql`
            update messages as m set locked_until = ${new Date(clock() + leaseMs).toISOString()}::timestamptz
            from jsonb_to_recordset(${mine}::jsonb) as x(id uuid, claims int)
            where m.id = x.id and m.status = 'sending' and m.claims = x.claims`,
          )
          .catch(() => {}),
      );
    },
    Math.max(20, Math.floor(leaseMs / 3)),
  );
  return {
    /** Batch members taken with the claimed rows. */
    hold: (rows: MessageRow[]) => held.push(...rows.map((m) => ({ id: m.id, claims: m.claims }))),
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** Something was frozen on the row without a batch: it may have been sent alone under its own key. */
function mayHaveGoneAlone(message: MessageRow): boolean {
  return readRendered(message.content) !== null || typeof message.content.from === "string";
}

/** Past the provider's idempotency window since the first attempt: a resend could deliver twice. */
function pastWindow(message: MessageRow, ctx: RecordContext): boolean {
  return message.firstAttemptAt !== null && ctx.now - message.firstAttemptAt.getTime() >= ctx.maxAgeMs;
}

function gaveUp(message: MessageRow, ctx: RecordContext): SendOutcome {
  return {
    result: {
      ok: false,
      retryable: false,
      error: `gave up ${Math.round(ctx.maxAgeMs / 3_600_000)} h after the first attempt${message.lastError ? ` (last error: ${message.lastError})` : ""}`,
    },
    rendered: null,
    notAttempted: true,
  };
}

interface SendOutcome {
  result: SendResult;
  /** The claim passed to another sender before anything was sent: that sender settles it. */
  lostClaim?: boolean;
  /** Given up without calling the provider: not an attempt. */
  notAttempted?: boolean;
  provider?: string;
  rendered: { subject: string | null; content: Record<string, unknown> } | null;
}

const LOST_CLAIM: SendOutcome = {
  result: { ok: false, retryable: true, error: "claimed by another sender" },
  rendered: null,
  lostClaim: true,
};

function failure(error: unknown): SendOutcome {
  return {
    result: {
      ok: false,
      // A render that ran out of time on a starved machine is tried again, like a provider error.
      retryable: isMergeTimeout(error),
      error: error instanceof Error ? error.message : String(error),
    },
    rendered: null,
  };
}

/** An email as it goes to the provider, plus what is stored on its row so a resend repeats it. */
type PreparedEmail =
  | { ok: true; email: EmailMessage; content: Record<string, unknown>; stored: boolean }
  | { ok: false; outcome: SendOutcome };

function tagsOf(message: MessageRow) {
  return {
    workspace_id: message.workspaceId,
    flow_id: message.flowId ?? "none",
    node_id: message.nodeId ?? "none",
    message_id: message.id,
  };
}

/** The email exactly as stored by an earlier attempt, or null when nothing (or an older, partial copy) is stored. */
function storedEmail(message: MessageRow): EmailMessage | null {
  const { subject, html, text, from, unsubscribeUrl } = message.content;
  if (
    typeof subject !== "string" ||
    typeof html !== "string" ||
    typeof text !== "string" ||
    typeof from !== "string" ||
    !message.toAddress
  )
    return null;
  const email: EmailMessage = {
    from,
    to: message.toAddress,
    subject,
    html,
    text,
    category: message.category,
    tags: tagsOf(message),
  };
  if (typeof unsubscribeUrl === "string") email.unsubscribeUrl = unsubscribeUrl;
  return email;
}

async function prepareEmail(ctx: Context, message: MessageRow): Promise<PreparedEmail> {
  const fail = (error: string): PreparedEmail => ({
    ok: false,
    outcome: { result: { ok: false, retryable: false, error }, rendered: null },
  });
  const workspace = ctx.workspaceOf.get(message.workspaceId);
  if (!workspace) return fail("workspace not found");
  if (!message.toAddress) return fail("no email address");
  const frozen = storedEmail(message);
  if (frozen) return { ok: true, email: frozen, content: message.content, stored: true };

  const contact = message.contactId ? ctx.contactOf.get(message.contactId) : undefined;
  const { appUrl, linkSigningKey } = ctx.options;
  const {
    stored,
    config = {},
    trigger,
    workspace: emailWorkspace,
    contact: emailContact,
    coupon,
  } = messageRenderContext(message, workspace, contact, appUrl);
  const { unsubscribeUrl, preferencesUrl } = unsubscribeLinks(message, contact, appUrl, linkSigningKey);
  // A copy from before the sender was stored: send what it holds, from the workspace's sender.
  const previous = readRendered(stored);
  const input: RenderEmailInput = {
    content: config as unknown as EmailContent,
    workspace: emailWorkspace,
    contact: emailContact,
    trigger,
    unsubscribeUrl,
    preferencesUrl,
    coupon,
  };
  const rendered =
    previous ?? (await (ctx.options.designs ? ctx.options.designs.render(input) : renderEmail(input)));
  let links = stored.links;
  if (!previous) {
    // Links go through the click redirect; unsubscribe links stay direct.
    const tracked = addTracking(rendered.html, {
      messageId: message.id,
      appUrl,
      key: linkSigningKey,
      keep: (url) => url.startsWith(`${appUrl}/u/`),
    });
    rendered.html = tracked.html;
    links = tracked.links;
  }
  const from = `${workspace.name} <${workspace.senderEmail}>`;
  const email: EmailMessage = {
    from,
    to: message.toAddress,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    category: message.category,
    tags: tagsOf(message),
  };
  if (unsubscribeUrl) email.unsubscribeUrl = unsubscribeUrl;
  const content: Record<string, unknown> = {
    ...stored,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    preheader: rendered.preheader,
    links,
    from,
  };
  if (unsubscribeUrl) content.unsubscribeUrl = unsubscribeUrl;
  return { ok: true, email, content, stored: false };
}

function readRendered(
  stored: Record<string, unknown>,
): { subject: string; html: string; text: string; preheader: string } | null {
  const { subject, html, text, preheader } = stored;
  return typeof subject === "string" && typeof html === "string" && typeof text === "string"
    ? { subject, html, text, preheader: typeof preheader === "string" ? preheader : "" }
    : null;
}

async function sendEmailAlone(
  ctx: Context,
  message: MessageRow,
  prepared: Extract<PreparedEmail, { ok: true }>,
): Promise<SendOutcome> {
  // A retry must send exactly what the first attempt sent under this idempotency key.
  if (!prepared.stored) {
    const frozen = freeze(ctx, message, prepared);
    const saved = await ctx.db.transaction(async (tx) => {
      const unsaved = await saveBases(ctx, tx, [frozen.base]);
      // Only while the claim is still this sender's: after its lease ran out another sender
      // may have claimed the email and sent it in a batch, under another key.
      const written = await tx
        .update(messages)
        .set({
          content: frozen.content,
          subject: prepared.email.subject,
          bodyDesign: frozen.base.hash,
          body: frozen.body,
        })
        .where(
          and(
            eq(messages.id, message.id),
            eq(messages.status, "sending"),
            eq(messages.claims, message.claims),
            isNull(messages.batchId),
          ),
        )
        .returning({ id: messages.id });
      return written.length === 1 ? unsaved : null;
    });
    if (saved === null) return LOST_CLAIM;
    ctx.bodyBases.markSaved(saved);
  }
  const result = await ctx.channels.email.send(prepared.email, { idempotencyKey: message.id });
  return { result, provider: ctx.channels.email.name, rendered: null };
}

async function sendOne(ctx: Context, message: MessageRow): Promise<SendOutcome> {
  const { channels, options } = ctx;
  if (message.channel === "email") {
    const prepared = await prepareEmail(ctx, message);
    return prepared.ok ? sendEmailAlone(ctx, message, prepared) : prepared.outcome;
  }
  const workspace = ctx.workspaceOf.get(message.workspaceId);
  const contact = message.contactId ? ctx.contactOf.get(message.contactId) : undefined;
  if (!workspace)
    return { result: { ok: false, retryable: false, error: "workspace not found" }, rendered: null };
  const {
    stored,
    config = {},
    trigger,
    workspace: emailWorkspace,
    contact: emailContact,
    coupon,
  } = messageRenderContext(message, workspace, contact, options.appUrl);
  const tags = tagsOf(message);
  if (message.channel === "sms") {
    if (!message.toAddress)
      return { result: { ok: false, retryable: false, error: "no phone number" }, rendered: null };
    const sms = renderSms({
      content: config as never,
      workspace: emailWorkspace,
      contact: emailContact,
      trigger,
      coupon,
    });
    const result = await channels.sms.send(
      { to: message.toAddress, body: sms.body, category: message.category, tags },
      { idempotencyKey: message.id },
    );
    return {
      result,
      provider: channels.sms.name,
      rendered: { subject: null, content: { ...stored, text: sms.body, segments: sms.segments } },
    };
  }
  const push = renderPush({
    content: config as never,
    workspace: emailWorkspace,
    contact: emailContact,
    trigger,
  });
  const result = await channels.push.send(
    {
      workspaceId: message.workspaceId,
      to: message.contactId ?? message.toAddress ?? "",
      title: push.title,
      body: push.body,
      url: push.url,
      category: message.category,
      tags,
    },
    { idempotencyKey: message.id },
  );
  return {
    result,
    provider: channels.push.name,
    rendered: { subject: push.title, content: { ...stored, ...push } },
  };
}

/** First attempt of emails due together: render, write the batch with its content, then one call. */
async function sendNewBatch(ctx: Context, chunk: MessageRow[]) {
  const { db, channels } = ctx;
  const ready: { message: MessageRow; prepared: Extract<PreparedEmail, { ok: true }> }[] = [];
  for (const message of chunk) {
    const prepared = await prepareEmail(ctx, message).catch((error: unknown): PreparedEmail => ({
      ok: false,
      outcome: failure(error),
    }));
    if (prepared.ok) ready.push({ message, prepared });
    else await record(db, message, prepared.outcome, ctx.record);
  }
  if (ready.length === 0) return;
  if (ready.length === 1) {
    const { message, prepared } = ready[0]!;
    const outcome = await sendEmailAlone(ctx, message, prepared).catch((error: unknown) => failure(error));
    await record(db, message, outcome, ctx.record);
    return;
  }
  const batchId = randomUUID();
  const bases: EmailBodyBase[] = [];
  const frozen = JSON.stringify(
    ready.map(({ message, prepared }, batchIndex) => {
      const f = freeze(ctx, message, prepared);
      bases.push(f.base);
      return {
        id: message.id,
        claims: message.claims,
        batch_index: batchIndex,
        subject: prepared.email.subject,
        content: f.content,
        body_design: f.base.hash,
        body: f.body.toString("base64"),
      };
    }),
  );
  let saved: EmailBodyBase[] = [];
  const written = await db
    .transaction(async (tx) => {
      saved = await saveBases(ctx, tx, bases);
      // One statement for the whole batch, taking only rows still under this sender's claim:
      // a lease that ran out meanwhile may have been claimed (and sent) by another.
      const rows = await tx.execute(sql`
        update messages as m set content = x.content, subject = x.subject, batch_id = ${batchId}::uuid, batch_index = x.batch_index,
          body_design = x.body_design, body = decode(x.body, 'base64')
        from jsonb_to_recordset(${frozen}::jsonb) as x(id uuid, claims int, batch_index int, subject text, content jsonb, body_design text, body text)
        where m.id = x.id and m.status = 'sending' and m.claims = x.claims and m.batch_id is null
        returning m.id`);
      if (rowsOf(rows).length !== ready.length) throw new LostClaim();
      return true;
    })
    .then((ok) => {
      ctx.bodyBases.markSaved(saved);
      return ok;
    })
    .catch((error: unknown) => {
      if (error instanceof LostClaim) return false;
      throw error;
    });
  if (!written) {
    // Nothing written, nothing sent: what is still this sender's goes back to the queue, to go one by one.
    for (const { message } of ready) {
      await db
        .update(messages)
        .set({ status: "queued", lockedUntil: null })
        .where(
          and(
            eq(messages.id, message.id),
            eq(messages.status, "sending"),
            eq(messages.claims, message.claims),
          ),
        );
    }
    return;
  }
  const results = await channels.email.sendBatch(
    ready.map(({ message, prepared }) => ({ ...prepared.email, idempotencyKey: message.id })),
  );
  await recordBatch(
    ctx,
    ready.map((r) => r.message),
    results,
  );
}

class LostClaim extends Error {}

/**
 * What is written on a message before its email goes out: the content without the HTML and
 * text, which are kept as their difference from the step's base (see `email-bodies.ts`).
 */
function freeze(ctx: Context, message: MessageRow, prepared: Extract<PreparedEmail, { ok: true }>) {
  const body = { html: prepared.email.html, text: prepared.email.text };
  const base = ctx.bodyBases.baseFor(message.workspaceId, stepKeyOf(message.content), body);
  const { html: _html, text: _text, ...content } = prepared.content;
  return { content, base, body: packEmailBody(body, base) };
}

/**
 * Writes the bases this sender has not written yet, in the transaction that first refers to
 * them; answers them, to be marked written once that transaction commits.
 */
async function saveBases(ctx: Context, tx: Tx, bases: EmailBodyBase[]): Promise<EmailBodyBase[]> {
  const unsaved = ctx.bodyBases.unsaved(bases);
  if (unsaved.length > 0) await saveEmailBodyBases(tx, unsaved);
  return unsaved;
}

/** A batch that was written before: the same request again, from the stored content, for every member. */
async function resendBatch(ctx: Context, batch: MessageRow[]) {
  const { db, channels } = ctx;
  const pending = batch.filter((m) => m.status === "sending");
  if (pending.some((m) => pastWindow(m, ctx.record))) {
    for (const message of pending) await record(db, message, gaveUp(message, ctx.record), ctx.record);
    return;
  }
  const items = batch.map((m) => storedEmail(m));
  if (items.some((e) => e === null)) {
    for (const message of pending)
      await record(
        db,
        message,
        { result: { ok: false, retryable: false, error: "batch content missing" }, rendered: null },
        ctx.record,
      );
    return;
  }
  const results = await channels.email.sendBatch(
    batch.map((m, i) => ({ ...items[i]!, idempotencyKey: m.id })),
  );
  await recordBatch(ctx, batch, results);
}

/** Results in order; members settled by someone else are left as they are. */
async function recordBatch(ctx: Context, batch: MessageRow[], results: SendResult[]) {
  const provider = ctx.channels.email.name;
  const sent: { id: string; provider_message_id: string }[] = [];
  // One delay from one failure time for the whole batch keeps its members due together.
  const random = ctx.record.random();
  const failedAt = ctx.record.clock();
  for (const [i, message] of batch.entries()) {
    if (message.status !== "sending") continue;
    const result = results[i] ?? { ok: false, retryable: true, error: "no result for this email" };
    if (result.ok) sent.push({ id: message.id, provider_message_id: result.providerMessageId });
    else
      await record(
        ctx.db,
        message,
        { result, provider, rendered: null },
        { ...ctx.record, random: () => random, clock: () => failedAt },
      );
  }
  if (sent.length === 0) return;
  // The sent ones in one statement; a member retried by another sender meanwhile is still sent by this answer.
  ctx.record.result.sent += sent.length;
  await ctx.db.execute(sql`
    update messages as m set status = 'sent', provider = ${provider}, provider_message_id = x.provider_message_id,
      sent_at = ${new Date(ctx.record.now).toISOString()}::timestamptz, locked_until = null, last_error = null
    from jsonb_to_recordset(${JSON.stringify(sent)}::jsonb) as x(id uuid, provider_message_id text)
    where m.id = x.id and m.status in ('queued', 'sending')`);
}

interface RecordContext {
  now: number;
  /** The time of a failure, for its backoff. */
  clock: () => number;
  maxAttempts: number | undefined;
  maxAgeMs: number;
  random: () => number;
  result: DispatchResult;
}

async function record(db: Db, message: MessageRow, outcome: SendOutcome, ctx: RecordContext) {
  const { result } = outcome;
  if (outcome.lostClaim) return;
  // A failure is only this sender's to record while the claim is still its own.
  const mine = and(
    eq(messages.id, message.id),
    eq(messages.status, "sending"),
    eq(messages.claims, message.claims),
  );
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
        ...(outcome.rendered
          ? { subject: outcome.rendered.subject ?? message.subject, content: outcome.rendered.content }
          : {}),
      })
      // A batch member retried by another sender meanwhile is still sent by this answer.
      .where(and(eq(messages.id, message.id), inArray(messages.status, ["queued", "sending"])));
    return;
  }
  if (result.skipReason) {
    // Nothing to deliver to (no browser subscribed to push): skipped like a send rule, and the journey goes on.
    await db
      .update(messages)
      .set({
        status: "skipped",
        skipReason: result.skipReason,
        provider: outcome.provider ?? null,
        lockedUntil: null,
        lastError: result.error,
      })
      .where(mine);
    return;
  }
  // A rate limit that says when to come back (or a key still busy at the provider) is not the message's failure.
  const counted = result.retryAfterMs === undefined && !outcome.notAttempted;
  const attempts = message.attempts + (counted ? 1 : 0);
  const failedAt = ctx.clock();
  const firstAttempt = message.firstAttemptAt?.getTime() ?? ctx.now;
  const delay = retryDelayMs(Math.max(1, attempts), result.retryAfterMs, ctx.random);
  if (
    result.retryable &&
    // The retry itself must fall inside the window.
    failedAt + delay - firstAttempt < ctx.maxAgeMs &&
    (ctx.maxAttempts === undefined || attempts < ctx.maxAttempts)
  ) {
    ctx.result.retried++;
    await db
      .update(messages)
      .set({
        status: "queued",
        attempts,
        lockedUntil: null,
        lastError: result.error,
        // From the failure, not from the start of this pass.
        nextAttemptAt: new Date(failedAt + delay),
      })
      .where(mine);
    return;
  }
  ctx.result.failed++;
  const tries = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
  const reason =
    result.retryable && !(ctx.maxAttempts !== undefined && attempts >= ctx.maxAttempts)
      ? `${message.channel} not sent within ${Math.round(ctx.maxAgeMs / 3_600_000)} h (${tries}): ${result.error}`
      : `${message.channel} not sent after ${tries}: ${result.error}`;
  await db.transaction(async (tx) => {
    const failed = await tx
      .update(messages)
      .set({ status: "failed", attempts, lockedUntil: null, lastError: result.error })
      .where(mine)
      .returning({ id: messages.id });
    if (failed.length === 0 || !message.enrollmentId) return;
    await tx
      .update(enrollments)
      .set({
        status: "failed",
        lastError: reason,
        endedAt: new Date(ctx.now),
        nextRunAt: null,
        updatedAt: new Date(ctx.now),
      })
      // A contact who already reached the end did not get this message either: the journey failed.
      .where(
        and(eq(enrollments.id, message.enrollmentId), inArray(enrollments.status, ["active", "completed"])),
      );
  });
}
