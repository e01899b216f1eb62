/**
 * Previews of email, SMS and push content, rendered on the server exactly as the
 * dispatcher renders them: for a real contact and one of their real trigger events, or
 * for sample data. Render and merge errors come back as data (shown inline in the
 * editor, never a blank preview); a contact or event outside the workspace is NOT_FOUND.
 */
import { and, desc, eq, max, type SQL } from "drizzle-orm";
import { contactSearch } from "@/server/db/queries/contact-search";
import type { DbOrTx } from "@/server/db/client";
import { contacts, events, type workspaces } from "@/server/db/schema";
import { appUrl } from "@/server/env";
import { DomainError } from "@/server/errors";
import {
  isEmailTemplateKey,
  type EmailContact,
  type EmailContent,
  type EmailWorkspace,
  type PushContent,
  type SmsContent,
  type TriggerEvent,
} from "@/emails";
import { formatMoney, readCart, readOrder, readTriggerProduct } from "@/emails/data";
import { sampleContact, sampleProducts, sampleTriggers } from "@/emails/samples";
import {
  buildMergeContext,
  checkMergeFields,
  emptyMergeFields,
  mergeKeysForTrigger,
  renderMerge,
  type EmptyMergeField,
  type MergeProblem,
} from "@/server/channels/merge";
import { renderEmail } from "@/server/channels/render-email";
import { emailWorkspaceFor } from "@/server/channels/message-render";
import { renderPush, renderSms, type SmsSegmentInfo } from "@/server/channels/render-text";
import { signUnsubscribe } from "@/server/channels/unsubscribe-token";
import type { Channel } from "@/server/channels/types";
import { couponPoolName, peekCoupon } from "@/server/coupons/coupons";
import { linkSigningKey, SAMPLE_TOKEN } from "./consent";

type WorkspaceRow = typeof workspaces.$inferSelect;

export function emailWorkspaceOf(
  workspace: Pick<WorkspaceRow, "name" | "brandColor" | "logoUrl" | "postalAddress">,
): EmailWorkspace {
  return emailWorkspaceFor(workspace, appUrl());
}

export function senderOf(workspace: Pick<WorkspaceRow, "name" | "senderEmail">): string {
  return `${workspace.name} <${workspace.senderEmail}>`;
}

// ------------------------------------------------------------------ sources

export type PreviewSourceInput = {
  contactId?: string | undefined;
  eventId?: string | undefined;
  /** The flow's trigger event; picks the contact's latest such event and decides which merge fields are available. */
  triggerEventName?: string | undefined;
};

export type PreviewEventSummary = { id: string; name: string; occurredAt: Date; summary: string };

export type PreviewSource =
  | { kind: "sample"; triggerName: string }
  | {
      kind: "contact";
      contact: { id: string; name: string; email: string | null; phone: string | null };
      event: PreviewEventSummary | null;
      /** Why no event was used, for the marketer. */
      note: string | null;
    };

type Resolved = {
  source: PreviewSource;
  contactId: string | null;
  contact: EmailContact & { phone: string | null };
  trigger: TriggerEvent;
  products: readonly unknown[] | undefined;
};

function displayName(c: {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
}): string {
  return [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || c.phone || "Unnamed contact";
}

/** A one-line description of an event for the picker: items and total of a cart, the order number, the product. */
export function summariseEvent(event: TriggerEvent, workspace: EmailWorkspace): string {
  const cart = readCart(event, workspace);
  const order = readOrder(event, workspace);
  const list = (items: { title: string; quantity: number }[]) =>
    items.map((i) => (i.quantity > 1 ? `${i.title} × ${i.quantity}` : i.title)).join(", ");
  if (order?.order_id)
    return [`Order #${order.order_id}`, list(order.items), formatMoney(order.value, order.currency)]
      .filter(Boolean)
      .join(" · ");
  if (cart)
    return [list(cart.items) || "Empty cart", formatMoney(cart.value, cart.currency)]
      .filter(Boolean)
      .join(" · ");
  const product = readTriggerProduct(event, workspace);
  if (product) return product.title;
  const keys = Object.keys(event.properties).slice(0, 3);
  return keys.length
    ? keys.map((k) => `${k}: ${String(JSON.stringify(event.properties[k])).slice(0, 40)}`).join(", ")
    : "No properties";
}

function sampleTriggerFor(template: string | undefined, triggerEventName: string | undefined): TriggerEvent {
  const own = template && isEmailTemplateKey(template) ? sampleTriggers[template] : undefined;
  if (!triggerEventName || own?.name === triggerEventName)
    return own ?? { name: triggerEventName ?? "", properties: {} };
  return (
    Object.values(sampleTriggers).find((t) => t.name === triggerEventName) ?? {
      name: triggerEventName,
      properties: {},
    }
  );
}

async function getContact(db: DbOrTx, workspaceId: string, contactId: string) {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)))
    .limit(1);
  if (!row) throw new DomainError("NOT_FOUND", "Contact not found", "contactId");
  return row;
}

async function resolveSource(
  db: DbOrTx,
  workspace: WorkspaceRow,
  input: PreviewSourceInput & { template?: string | undefined },
): Promise<Resolved> {
  const ew = emailWorkspaceOf(workspace);
  if (!input.contactId) {
    if (input.eventId)
      throw new DomainError("BAD_REQUEST", "Pick a contact before picking one of their events", "eventId");
    const trigger = sampleTriggerFor(input.template, input.triggerEventName);
    return {
      source: { kind: "sample", triggerName: trigger.name },
      contactId: null,
      contact: { ...sampleContact, phone: "+15555550123" },
      trigger,
      products: sampleProducts,
    };
  }
  const row = await getContact(db, workspace.id, input.contactId);
  let event: typeof events.$inferSelect | undefined;
  let note: string | null = null;
  if (input.eventId) {
    [event] = await db
      .select()
      .from(events)
      .where(
        and(eq(events.workspaceId, workspace.id), eq(events.contactId, row.id), eq(events.id, input.eventId)),
      )
      .limit(1);
    if (!event) throw new DomainError("NOT_FOUND", "Event not found for this contact", "eventId");
  } else if (input.triggerEventName) {
    [event] = await db
      .select()
      .from(events)
      .where(
        and(
          eq(events.workspaceId, workspace.id),
          eq(events.contactId, row.id),
          eq(events.name, input.triggerEventName),
        ),
      )
      .orderBy(desc(events.occurredAt))
      .limit(1);
    if (!event)
      note = `${displayName(row)} has no “${input.triggerEventName}” event yet, so its fields are empty.`;
  }
  const trigger: TriggerEvent = event
    ? { name: event.name, properties: event.properties }
    : { name: input.triggerEventName ?? "", properties: {} };
  return {
    source: {
      kind: "contact",
      contact: { id: row.id, name: displayName(row), email: row.email, phone: row.phone },
      event: event
        ? {
            id: event.id,
            name: event.name,
            occurredAt: event.occurredAt,
            summary: summariseEvent(trigger, ew),
          }
        : null,
      note,
    },
    contactId: row.id,
    contact: { firstName: row.firstName, lastName: row.lastName, email: row.email ?? "", phone: row.phone },
    trigger,
    // The dispatcher sends without recommendations; the preview shows what it would send.
    products: undefined,
  };
}

// ------------------------------------------------------------------ email

export type EmailPreview = {
  source: PreviewSource;
  from: string;
  to: string;
  /** Null when the content cannot be rendered; `error` says why. */
  rendered: { subject: string; preheader: string; html: string; text: string } | null;
  error: string | null;
  /** Merge-field problems of the content itself (for any contact). */
  problems: MergeProblem[];
  /** Merge fields this contact and event leave empty. */
  empty: EmptyMergeField[];
  /** The code shown for the step's coupon pool, and what it means; null without a pool. */
  coupon: CouponPreview | null;
};

/** A preview's coupon code: the pool's next unused code, looked at but not drawn. */
export type CouponPreview = {
  code: string;
  expiresAt: string | null;
  /** True when the pool has no code left (or is gone) and a made-up sample stands in. */
  sample: boolean;
  note: string;
};

const SAMPLE_COUPON = "SAMPLE-CODE";

/**
 * What a preview prints for `{{ coupon.code }}`: the next code the pool would give, without
 * drawing it (a preview or test send never uses a code up), or a sample when it has none.
 */
async function couponForPreview(
  db: DbOrTx,
  workspaceId: string,
  poolId: string | undefined,
): Promise<CouponPreview | null> {
  if (poolId === undefined || poolId.trim() === "") return null;
  const now = new Date();
  const [next, name] = await Promise.all([
    peekCoupon(db, { workspaceId, poolId, now }),
    couponPoolName(db, { workspaceId, poolId }),
  ]);
  if (next)
    return {
      ...next,
      sample: false,
      note: `Shows ${next.code}, the next unused code in “${name}”. The preview does not use it up: each message draws its own code when it is sent.`,
    };
  return {
    code: SAMPLE_COUPON,
    expiresAt: null,
    sample: true,
    note:
      name === null
        ? "This step’s coupon pool no longer exists: choose another. The preview shows a sample code."
        : `Coupon pool “${name}” is empty: its messages would be skipped. The preview shows a sample code.`,
  };
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim() || "The email could not be rendered.";
}

function unsubscribeLinks(
  key: string | null,
  input: { workspaceId: string; contactId: string | null; channel: Channel; messageId?: string },
) {
  const base = appUrl();
  if (!key || !input.contactId)
    return {
      unsubscribeUrl: `${base}/u/${SAMPLE_TOKEN}`,
      preferencesUrl: `${base}/u/${SAMPLE_TOKEN}/preferences`,
    };
  const token = signUnsubscribe(
    {
      workspaceId: input.workspaceId,
      contactId: input.contactId,
      channel: input.channel,
      ...(input.messageId ? { messageId: input.messageId } : {}),
    },
    key,
  );
  return { unsubscribeUrl: `${base}/u/${token}`, preferencesUrl: `${base}/u/${token}/preferences` };
}

function emailProblems(content: EmailContent, triggerName: string | undefined): MergeProblem[] {
  const hasCoupon = typeof content.couponCode === "string" && content.couponCode.trim() !== "";
  const hasCouponPool = typeof content.couponPool === "string" && content.couponPool.trim() !== "";
  return checkMergeFields(content, mergeKeysForTrigger(triggerName, { hasCoupon, hasCouponPool }));
}

function emptyFields(
  content: Record<string, unknown>,
  resolved: Resolved,
  workspace: EmailWorkspace,
  couponCode?: string,
  drawn?: CouponPreview | null,
): EmptyMergeField[] {
  try {
    let coupon: string | undefined;
    if (couponCode)
      coupon = renderMerge(
        couponCode,
        buildMergeContext({
          workspace,
          contact: resolved.contact,
          trigger: resolved.trigger,
          products: resolved.products,
          coupon: drawn,
        }),
      ).trim();
    return emptyMergeFields(
      content,
      buildMergeContext({
        workspace,
        contact: resolved.contact,
        trigger: resolved.trigger,
        products: resolved.products,
        couponCode: coupon,
        coupon: drawn,
      }),
    );
  } catch {
    return [];
  }
}

export type EmailPreviewInput = PreviewSourceInput & { content: EmailContent };

export async function previewEmail(
  db: DbOrTx,
  input: EmailPreviewInput & { workspace: WorkspaceRow; messageId?: string },
): Promise<EmailPreview & { contactId: string | null; trigger: TriggerEvent; unsubscribeUrl: string }> {
  const { workspace, content } = input;
  const resolved = await resolveSource(db, workspace, { ...input, template: content.template });
  const ew = emailWorkspaceOf(workspace);
  const triggerName = input.triggerEventName ?? (resolved.trigger.name || undefined);
  const key = resolved.contactId ? await linkSigningKey(db) : null;
  const links = unsubscribeLinks(key, {
    workspaceId: workspace.id,
    contactId: resolved.contactId,
    channel: "email",
    messageId: input.messageId,
  });
  const coupon = await couponForPreview(db, workspace.id, content.couponPool);
  const base = {
    source: resolved.source,
    from: senderOf(workspace),
    to: resolved.contact.email,
    problems: emailProblems(content, triggerName),
    empty: emptyFields(content, resolved, ew, content.couponCode, coupon),
    coupon,
    contactId: resolved.contactId,
    trigger: resolved.trigger,
    unsubscribeUrl: links.unsubscribeUrl,
  };
  try {
    const rendered = await renderEmail({
      content,
      workspace: ew,
      contact: resolved.contact,
      trigger: resolved.trigger,
      products: resolved.products,
      coupon,
      ...links,
    });
    return { ...base, rendered, error: null };
  } catch (error) {
    return { ...base, rendered: null, error: errorText(error) };
  }
}

// ------------------------------------------------------------------ sms and push

export type SmsPreview = {
  source: PreviewSource;
  to: string | null;
  rendered: { body: string; segments: SmsSegmentInfo } | null;
  error: string | null;
  problems: MergeProblem[];
  empty: EmptyMergeField[];
  coupon: CouponPreview | null;
};

export async function previewSms(
  db: DbOrTx,
  input: PreviewSourceInput & { workspace: WorkspaceRow; content: SmsContent },
): Promise<SmsPreview> {
  const resolved = await resolveSource(db, input.workspace, input);
  const ew = emailWorkspaceOf(input.workspace);
  const triggerName = input.triggerEventName ?? (resolved.trigger.name || undefined);
  const coupon = await couponForPreview(db, input.workspace.id, input.content.couponPool);
  const hasCouponPool = coupon !== null;
  const base = {
    source: resolved.source,
    to: resolved.contact.phone,
    problems: checkMergeFields(
      { body: input.content.body, ...(hasCouponPool ? { couponPool: input.content.couponPool } : {}) },
      mergeKeysForTrigger(triggerName, { hasCouponPool }),
    ),
    empty: emptyFields({ body: input.content.body }, resolved, ew, undefined, coupon),
    coupon,
  };
  try {
    return {
      ...base,
      rendered: renderSms({
        content: input.content,
        workspace: ew,
        contact: resolved.contact,
        trigger: resolved.trigger,
        products: resolved.products,
        coupon,
      }),
      error: null,
    };
  } catch (error) {
    return { ...base, rendered: null, error: errorText(error) };
  }
}

export type PushPreview = {
  source: PreviewSource;
  rendered: { title: string; body: string; url?: string } | null;
  error: string | null;
  problems: MergeProblem[];
  empty: EmptyMergeField[];
};

export async function previewPush(
  db: DbOrTx,
  input: PreviewSourceInput & { workspace: WorkspaceRow; content: PushContent },
): Promise<PushPreview> {
  const resolved = await resolveSource(db, input.workspace, input);
  const ew = emailWorkspaceOf(input.workspace);
  const triggerName = input.triggerEventName ?? (resolved.trigger.name || undefined);
  const fields = {
    title: input.content.title,
    body: input.content.body,
    ...(input.content.url ? { url: input.content.url } : {}),
  };
  const base = {
    source: resolved.source,
    problems: checkMergeFields(fields, mergeKeysForTrigger(triggerName)),
    empty: emptyFields(fields, resolved, ew),
  };
  try {
    return {
      ...base,
      rendered: renderPush({
        content: input.content,
        workspace: ew,
        contact: resolved.contact,
        trigger: resolved.trigger,
        products: resolved.products,
      }),
      error: null,
    };
  } catch (error) {
    return { ...base, rendered: null, error: errorText(error) };
  }
}

// ------------------------------------------------------------------ pickers

export type PreviewContact = {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  emailConsent: "subscribed" | "unsubscribed" | "none";
  smsConsent: "subscribed" | "unsubscribed" | "none";
  /** When the contact last had the requested event, if one was asked for. */
  lastEventAt: Date | null;
};

/**
 * Contacts to preview with. With `eventName`, only contacts who had that event, most
 * recent first, so a cart email is previewed with someone who has a cart.
 */
export async function listPreviewContacts(
  db: DbOrTx,
  input: { workspaceId: string; search?: string | undefined; eventName?: string | undefined; limit: number },
): Promise<PreviewContact[]> {
  const conditions: SQL[] = [eq(contacts.workspaceId, input.workspaceId)];
  // Name, email, customer id or phone, word by word, through the trigram index.
  const search = input.search ? contactSearch(input.search) : null;
  if (search) conditions.push(search.where);
  const columns = {
    id: contacts.id,
    firstName: contacts.firstName,
    lastName: contacts.lastName,
    email: contacts.email,
    phone: contacts.phone,
    emailConsent: contacts.emailConsent,
    smsConsent: contacts.smsConsent,
  };
  type Row = Omit<PreviewContact, "name" | "lastEventAt"> & {
    firstName: string | null;
    lastName: string | null;
  };
  const shape = (r: Row, lastEventAt: Date | null): PreviewContact => ({
    id: r.id,
    name: displayName(r),
    email: r.email,
    phone: r.phone,
    emailConsent: r.emailConsent,
    smsConsent: r.smsConsent,
    lastEventAt,
  });
  if (input.eventName) {
    const last = max(events.occurredAt);
    const rows = await db
      .select({ ...columns, lastEventAt: last })
      .from(contacts)
      .innerJoin(
        events,
        and(
          eq(events.workspaceId, contacts.workspaceId),
          eq(events.contactId, contacts.id),
          eq(events.name, input.eventName),
        ),
      )
      .where(and(...conditions))
      .groupBy(contacts.id)
      .orderBy(desc(last), contacts.id)
      .limit(input.limit);
    return rows.map((r) => shape(r, r.lastEventAt ? new Date(r.lastEventAt) : null));
  }
  const rows = await db
    .select(columns)
    .from(contacts)
    .where(and(...conditions))
    .orderBy(desc(contacts.updatedAt), contacts.id)
    .limit(input.limit);
  return rows.map((r) => shape(r, null));
}

/** A contact's recent events, newest first, summarised for the event pickers (with their properties, to edit a copy). */
export async function listContactEvents(
  db: DbOrTx,
  input: { workspace: WorkspaceRow; contactId: string; eventName?: string | undefined; limit: number },
): Promise<Array<PreviewEventSummary & { properties: Record<string, unknown> }>> {
  await getContact(db, input.workspace.id, input.contactId);
  const conditions: SQL[] = [
    eq(events.workspaceId, input.workspace.id),
    eq(events.contactId, input.contactId),
  ];
  if (input.eventName) conditions.push(eq(events.name, input.eventName));
  const rows = await db
    .select({
      id: events.id,
      name: events.name,
      properties: events.properties,
      occurredAt: events.occurredAt,
    })
    .from(events)
    .where(and(...conditions))
    .orderBy(desc(events.occurredAt), desc(events.id))
    .limit(input.limit);
  const ew = emailWorkspaceOf(input.workspace);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    occurredAt: r.occurredAt,
    properties: r.properties,
    summary: summariseEvent({ name: r.name, properties: r.properties }, ew),
  }));
}
