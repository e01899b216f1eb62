/**
 * The Outbox: every message the workspace's flows and test sends produced, with what was
 * rendered and what the provider reported since (delivered, opened, clicked, bounced…).
 */
import { and, asc, count, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { contacts, flows, messageEvents, messages, workspaces } from "@/server/db/schema";
import { notFound } from "@/server/errors";
import type { EmailContent } from "@/emails/types";
import { renderEmail } from "@/server/channels/render-email";
import { emailWorkspaceFor, messageRenderContext, unsubscribeLinks } from "@/server/channels/message-render";
import { linkSigningKey } from "@/server/messages/consent";
import { readLink, safeDestination } from "@/server/analytics/tracking";
import { buildMergeContext, renderMerge } from "@/server/channels/merge";
import { withEmailBodies } from "@/server/channels/email-bodies";
import { encodeCursor, TimestampKey, UuidKey } from "@/server/pagination/cursor";
import { z } from "zod";

export type OutboxChannel = (typeof messages.$inferSelect)["channel"];
export type OutboxStatus = (typeof messages.$inferSelect)["status"];
export type OutboxEventType = (typeof messageEvents.$inferSelect)["type"];

/** Where a page of the Outbox ends: the last message's creation time (as Postgres prints it) and id. */
export const OutboxCursor = z.tuple([TimestampKey, UuidKey]);
export type OutboxCursor = z.infer<typeof OutboxCursor>;
export const OUTBOX_LIST = "outbox";

export type OutboxFilter = {
  workspaceId: string;
  limit: number;
  /** Messages older than this one (newest first, page after page). */
  cursor?: OutboxCursor | undefined;
  channel?: OutboxChannel | undefined;
  status?: OutboxStatus | undefined;
  /** One contact's messages (the contact page). */
  contactId?: string | undefined;
  /** For merging the subjects of sends recorded without a rendered copy. */
  appUrl?: string | undefined;
  /** One flow's messages; with `nodeId`, one step's. */
  flowId?: string | undefined;
  nodeId?: string | undefined;
  /** Written at or after `since` and before `until`. */
  since?: Date | undefined;
  until?: Date | undefined;
};

function filterConditions(input: OutboxFilter): SQL[] {
  const where: SQL[] = [eq(messages.workspaceId, input.workspaceId)];
  if (input.channel) where.push(eq(messages.channel, input.channel));
  if (input.status) where.push(eq(messages.status, input.status));
  if (input.flowId) where.push(eq(messages.flowId, input.flowId));
  if (input.nodeId) where.push(eq(messages.nodeId, input.nodeId));
  if (input.since) where.push(gte(messages.createdAt, input.since));
  if (input.until) where.push(lt(messages.createdAt, input.until));
  if (input.contactId) where.push(eq(messages.contactId, input.contactId));
  if (input.cursor) {
    where.push(
      sql`(${messages.createdAt}, ${messages.id}) < (${input.cursor[0]}::timestamptz, ${input.cursor[1]}::uuid)`,
    );
  }
  return where;
}

export async function listOutbox(db: DbOrTx, input: OutboxFilter) {
  const rows = await db
    .select({
      id: messages.id,
      channel: messages.channel,
      category: messages.category,
      status: messages.status,
      toAddress: messages.toAddress,
      subject: messages.subject,
      /** The subject as rendered at send time (the column may hold the unmerged one). */
      renderedSubject: sql<string | null>`${messages.content}->>'subject'`,
      /** Set on the product's own notices (double opt-in, account notices), which are no test sends. */
      system: sql<string | null>`${messages.content}->>'system'`,
      trigger: sql<{
        name?: string;
        properties?: Record<string, unknown>;
      } | null>`${messages.content}->'trigger'`,
      contactEmail: contacts.email,
      skipReason: messages.skipReason,
      lastError: messages.lastError,
      createdAt: messages.createdAt,
      createdAtKey: sql<string>`${messages.createdAt}::text`,
      sentAt: messages.sentAt,
      flowId: messages.flowId,
      flowName: flows.name,
      enrollmentId: messages.enrollmentId,
      contactId: messages.contactId,
      contactFirstName: contacts.firstName,
      contactLastName: contacts.lastName,
    })
    .from(messages)
    .leftJoin(flows, and(eq(flows.id, messages.flowId), eq(flows.workspaceId, messages.workspaceId)))
    .leftJoin(
      contacts,
      and(eq(contacts.id, messages.contactId), eq(contacts.workspaceId, messages.workspaceId)),
    )
    .where(and(...filterConditions(input)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(input.limit);
  const ids = rows.map((r) => r.id);
  const eventRows = ids.length
    ? await db
        .select({ messageId: messageEvents.messageId, type: messageEvents.type, n: count() })
        .from(messageEvents)
        .where(and(eq(messageEvents.workspaceId, input.workspaceId), inArray(messageEvents.messageId, ids)))
        .groupBy(messageEvents.messageId, messageEvents.type)
    : [];
  const eventsOf = new Map<string, Partial<Record<OutboxEventType, number>>>();
  for (const e of eventRows) {
    const entry = eventsOf.get(e.messageId) ?? {};
    entry[e.type] = Number(e.n);
    eventsOf.set(e.messageId, entry);
  }
  // Sends recorded without a rendered copy (the demo history) hold the step's unmerged subject.
  const unmerged = rows.some((r) => r.renderedSubject === null && r.subject?.includes("{"));
  const [workspace] = unmerged
    ? await db.select().from(workspaces).where(eq(workspaces.id, input.workspaceId))
    : [];
  const merged = (r: (typeof rows)[number]) => {
    if (!workspace || r.renderedSubject !== null || !r.subject?.includes("{")) return null;
    try {
      const context = buildMergeContext({
        workspace: emailWorkspaceFor(workspace, input.appUrl ?? ""),
        contact: {
          firstName: r.contactFirstName,
          lastName: r.contactLastName,
          email: r.contactEmail ?? r.toAddress ?? "",
        },
        trigger: { name: r.trigger?.name ?? "", properties: r.trigger?.properties ?? {} },
      });
      return renderMerge(r.subject, context, "text") || null;
    } catch {
      return null;
    }
  };
  return rows.map((row) => {
    const {
      contactFirstName,
      contactLastName,
      contactEmail: _email,
      trigger: _trigger,
      enrollmentId,
      renderedSubject,
      system,
      createdAtKey,
      ...r
    } = row;
    const isTest = enrollmentId === null && r.flowId === null && system === null;
    return {
      ...r,
      // Test sends store their "[Test] " subject in the column; flow messages the merged one in the content.
      subject: isTest ? r.subject : (renderedSubject ?? merged(row) ?? r.subject),
      isTest,
      contactName: [contactFirstName, contactLastName].filter(Boolean).join(" ") || null,
      events: eventsOf.get(r.id) ?? {},
      /** The cursor of the page that follows this message. */
      cursor: encodeCursor(OUTBOX_LIST, [createdAtKey, r.id]),
    };
  });
}

export async function countOutbox(
  db: DbOrTx,
  input: Omit<OutboxFilter, "limit" | "cursor">,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(messages)
    .where(and(...filterConditions({ ...input, limit: 1 })));
  return Number(row?.n ?? 0);
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A sent email as the Outbox shows it: the open pixel removed and tracked links pointing
 * straight at their destinations, so looking at a message or following one of its links
 * in the Outbox never counts as the recipient opening or clicking it.
 */
export function withoutTracking(html: string, appUrl: string | undefined, key: string | undefined): string {
  if (!appUrl) return html;
  const base = escapeRegExp(appUrl.replace(/\/+$/, ""));
  return html
    .replace(new RegExp(`<img\\b[^>]*\\bsrc="${base}/o/[^"]*"[^>]*>`, "g"), "")
    .replace(
      new RegExp(`href="${base}/r/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)"`, "g"),
      (whole, token: string) => {
        // Only a genuine click token is unwrapped, and only to an http(s) destination.
        const read = key ? readLink(token, key, "click") : null;
        const destination = read?.verified && read.payload.u ? safeDestination(read.payload.u) : null;
        return destination
          ? `href="${read!.payload.u!.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"`
          : whole;
      },
    );
}

export type OutboxLink = { href: string; text: string; kind: "unsubscribe" | "preferences" | "link" };

/** The links of a rendered email, with the unsubscribe and preference links marked. */
export function linksOf(html: string, appUrl?: string): OutboxLink[] {
  const out: OutboxLink[] = [];
  const seen = new Set<string>();
  const anchor = /<a\b[^>]*?\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi;
  for (let m = anchor.exec(html); m; m = anchor.exec(html)) {
    const href = (m[1] ?? "")
      .replace(/&amp;/g, "&")
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&quot;|&#34;/g, '"');
    if (!/^https?:\/\//i.test(href) || seen.has(href)) continue;
    seen.add(href);
    const text = (m[2] ?? "")
      .replace(/<[^>]+>/g, "")
      .replace(/\s+/g, " ")
      .trim();
    let kind: OutboxLink["kind"] = "link";
    try {
      const u = new URL(href);
      const own = !appUrl || u.origin === new URL(appUrl).origin;
      if (own && /^\/u\/[^/]+\/preferences\/?$/.test(u.pathname)) kind = "preferences";
      else if (own && /^\/u\/[^/]+\/?$/.test(u.pathname)) kind = "unsubscribe";
    } catch {
      continue;
    }
    out.push({ href, text: text || href, kind });
  }
  return out;
}

export async function getOutboxMessage(
  db: DbOrTx,
  input: { workspaceId: string; id: string; appUrl?: string },
) {
  const [row] = await db
    .select({ message: messages, flowName: flows.name })
    .from(messages)
    .leftJoin(flows, and(eq(flows.id, messages.flowId), eq(flows.workspaceId, messages.workspaceId)))
    .where(and(eq(messages.workspaceId, input.workspaceId), eq(messages.id, input.id)))
    .limit(1);
  if (!row) throw notFound("Message");
  // A sent email's HTML and text are stored against its step's base: put them back, as sent.
  const [m] = await withEmailBodies(db, [row.message]);
  if (!m) throw notFound("Message");
  const c = m.content;
  const test = typeof c.test === "object" && c.test !== null ? (c.test as Record<string, unknown>) : null;
  const contactId = m.contactId ?? str(test?.previewContactId);
  const [contact] = contactId
    ? await db
        .select({
          id: contacts.id,
          firstName: contacts.firstName,
          lastName: contacts.lastName,
          email: contacts.email,
          phone: contacts.phone,
          emailConsent: contacts.emailConsent,
          smsConsent: contacts.smsConsent,
          pushConsent: contacts.pushConsent,
        })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, input.workspaceId), eq(contacts.id, contactId)))
        .limit(1)
    : [];
  const eventRows = await db
    .select({
      id: messageEvents.id,
      type: messageEvents.type,
      url: messageEvents.url,
      data: messageEvents.data,
      occurredAt: messageEvents.occurredAt,
    })
    .from(messageEvents)
    .where(and(eq(messageEvents.workspaceId, input.workspaceId), eq(messageEvents.messageId, m.id)))
    .orderBy(asc(messageEvents.occurredAt), asc(messageEvents.id));
  const rendered =
    str(c.html) === null && m.channel === "email" && SENT_STATUSES.has(m.status)
      ? await renderUnstored(db, m, input.appUrl)
      : null;
  const stored = rendered?.html ?? str(c.html);
  const html =
    stored === null
      ? null
      : withoutTracking(stored, input.appUrl, input.appUrl ? await linkSigningKey(db) : undefined);
  const segments =
    typeof c.segments === "object" && c.segments !== null
      ? (c.segments as { segments?: unknown; encoding?: unknown; length?: unknown })
      : null;
  return {
    id: m.id,
    channel: m.channel,
    category: m.category,
    status: m.status,
    skipReason: m.skipReason,
    lastError: m.lastError,
    toAddress: m.toAddress,
    subject:
      m.enrollmentId === null && m.flowId === null
        ? m.subject
        : (str(c.subject) ?? rendered?.subject ?? m.subject),
    provider: m.provider,
    providerMessageId: m.providerMessageId,
    attempts: m.attempts,
    createdAt: m.createdAt,
    sentAt: m.sentAt,
    flowId: m.flowId,
    flowName: row.flowName,
    nodeId: m.nodeId,
    enrollmentId: m.enrollmentId,
    isTest: m.enrollmentId === null && m.flowId === null && typeof c.system !== "string",
    contact: contact
      ? {
          id: contact.id,
          name:
            [contact.firstName, contact.lastName].filter(Boolean).join(" ") ||
            contact.email ||
            contact.phone ||
            "Contact",
          email: contact.email,
          phone: contact.phone,
          consent: { email: contact.emailConsent, sms: contact.smsConsent, push: contact.pushConsent },
          /** True when the contact is who the test was rendered for, not who it went to. */
          previewOnly: m.contactId === null,
        }
      : null,
    triggerName:
      typeof c.trigger === "object" && c.trigger !== null
        ? str((c.trigger as Record<string, unknown>).name)
        : null,
    email:
      m.channel === "email"
        ? {
            html,
            text: rendered?.text ?? str(c.text),
            preheader: rendered?.preheader ?? str(c.preheader) ?? "",
            renderedSubject: rendered?.subject ?? str(c.subject) ?? m.subject ?? "",
            links: html ? linksOf(html, input.appUrl) : [],
          }
        : null,
    sms:
      m.channel === "sms"
        ? {
            text: str(c.text),
            segments: typeof segments?.segments === "number" ? segments.segments : null,
            encoding: typeof segments?.encoding === "string" ? segments.encoding : null,
          }
        : null,
    push: m.channel === "push" ? { title: str(c.title), body: str(c.body), url: str(c.url) } : null,
    events: eventRows,
  };
}

const SENT_STATUSES = new Set(["sent", "delivered", "bounced"]);

/**
 * Messages recorded as sent without a stored copy (the demo shop's history replay records
 * its sends without rendering them) are rendered for viewing from the step's content, the
 * contact and the trigger they were sent for, just as the dispatcher would have. Nothing is
 * stored; a message that cannot be rendered any more shows without its body.
 */
async function renderUnstored(db: DbOrTx, m: typeof messages.$inferSelect, appUrl: string | undefined) {
  if (!appUrl || typeof m.content.config !== "object" || m.content.config === null) return null;
  const [workspace] = await db.select().from(workspaces).where(eq(workspaces.id, m.workspaceId)).limit(1);
  const [contact] = m.contactId
    ? await db
        .select()
        .from(contacts)
        .where(and(eq(contacts.workspaceId, m.workspaceId), eq(contacts.id, m.contactId)))
        .limit(1)
    : [];
  if (!workspace) return null;
  const context = messageRenderContext(m, workspace, contact, appUrl);
  try {
    return await renderEmail({
      content: context.config as unknown as EmailContent,
      workspace: context.workspace,
      contact: context.contact,
      trigger: context.trigger,
      coupon: context.coupon,
      ...unsubscribeLinks(m, contact, appUrl, await linkSigningKey(db)),
    });
  } catch {
    return null;
  }
}

export type OutboxMessage = Awaited<ReturnType<typeof getOutboxMessage>>;
export type OutboxListItem = Awaited<ReturnType<typeof listOutbox>>[number];
