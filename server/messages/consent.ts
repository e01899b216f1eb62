/**
 * Consent verbs behind the public unsubscribe links: read what a signed link points at,
 * unsubscribe at once (RFC 8058 one-click), and save the preference page. The executor
 * reads consent before every step, so a change here holds from the contact's next step.
 */
import { survivorOf } from "@/server/db/queries/contact-merges";
import { and, eq, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { contacts, messageEvents, messages, workspaces } from "@/server/db/schema";
import { getOrCreateSecret } from "@/server/db/settings";
import type { Channel } from "@/server/channels/types";
import { verifyUnsubscribe, type UnsubscribePayload } from "@/server/channels/unsubscribe-token";

export type ConsentStatus = "subscribed" | "unsubscribed" | "none";
export type ConsentByChannel = Record<Channel, ConsentStatus>;

/** The token in links that show an example (previews and tests with sample data). */
export const SAMPLE_TOKEN = "sample";

export function linkSigningKey(db: DbOrTx): Promise<string> {
  return getOrCreateSecret(db, "link_signing_key");
}

export type LinkContact = {
  id: string;
  email: string | null;
  phone: string | null;
  consent: ConsentByChannel;
  /** The link was made before the contact's links were rotated: it unsubscribes, never subscribes. */
  staleLink?: boolean;
};
export type LinkWorkspace = {
  id: string;
  name: string;
  brandColor: string;
  logoUrl: string | null;
  postalAddress: string;
};

export type ResolvedLink =
  | { kind: "valid"; payload: UnsubscribePayload; contact: LinkContact; workspace: LinkWorkspace }
  | { kind: "sample" }
  | { kind: "invalid" };

/** What a link's token points at (a merged contact's link, its survivor); `invalid` for a tampered, truncated or foreign token, or a deleted contact. */
export async function resolveUnsubscribeLink(db: DbOrTx, token: string): Promise<ResolvedLink> {
  if (token === SAMPLE_TOKEN) return { kind: "sample" };
  const signed = verifyUnsubscribe(token, await linkSigningKey(db));
  if (!signed) return { kind: "invalid" };
  const UUID = /^[0-9a-f-]{36}$/i;
  if (!UUID.test(signed.contactId) || !UUID.test(signed.workspaceId)) return { kind: "invalid" };
  // A link emailed to a contact since merged into another one acts for the contact it became.
  const payload = { ...signed, contactId: await survivorOf(db, signed) };
  const [row] = await db
    .select({ contact: contacts, workspace: workspaces })
    .from(contacts)
    .innerJoin(workspaces, eq(workspaces.id, contacts.workspaceId))
    .where(and(eq(contacts.id, payload.contactId), eq(contacts.workspaceId, payload.workspaceId)))
    .limit(1);
  if (!row) return { kind: "invalid" };
  const { contact: c, workspace: w } = row;
  return {
    kind: "valid",
    payload,
    contact: {
      id: c.id,
      email: c.email,
      phone: c.phone,
      consent: { email: c.emailConsent, sms: c.smsConsent, push: c.pushConsent },
      ...((payload.version ?? 0) < c.linkVersion && { staleLink: true }),
    },
    workspace: {
      id: w.id,
      name: w.name,
      brandColor: w.brandColor,
      logoUrl: w.logoUrl,
      postalAddress: w.postalAddress,
    },
  };
}

const FIELD = { email: "emailConsent", sms: "smsConsent", push: "pushConsent" } as const;
const COLUMN = {
  email: contacts.emailConsent,
  sms: contacts.smsConsent,
  push: contacts.pushConsent,
} as const;

/** Records `unsubscribed` on the message the link came from, once per message and channel. */
async function recordUnsubscribeEvent(
  db: DbOrTx,
  input: { workspaceId: string; messageId: string; channel: Channel; source: string; now: Date },
) {
  const [message] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.id, input.messageId), eq(messages.workspaceId, input.workspaceId)))
    .limit(1);
  if (!message) return;
  await db
    .insert(messageEvents)
    .values({
      workspaceId: input.workspaceId,
      messageId: message.id,
      type: "unsubscribed",
      providerEventId: `unsubscribe:${message.id}:${input.channel}`,
      data: { channel: input.channel, source: input.source },
      occurredAt: input.now,
    })
    .onConflictDoNothing();
}

/**
 * Unsubscribes the link's contact from the link's channel. Returns whether anything
 * changed (a second click is a no-op that still succeeds).
 */
export async function unsubscribeByLink(
  db: DbOrTx,
  input: { payload: UnsubscribePayload; source: "one-click" | "page"; now?: Date },
): Promise<{ changed: boolean }> {
  const { payload } = input;
  const now = input.now ?? new Date();
  const channel = payload.channel;
  const updated = await db
    .update(contacts)
    .set({ [FIELD[channel]]: "unsubscribed", updatedAt: now })
    .where(
      and(
        eq(contacts.id, payload.contactId),
        eq(contacts.workspaceId, payload.workspaceId),
        ne(COLUMN[channel], "unsubscribed"),
      ),
    )
    .returning({ id: contacts.id });
  if (payload.messageId) {
    await recordUnsubscribeEvent(db, {
      workspaceId: payload.workspaceId,
      messageId: payload.messageId,
      channel,
      source: input.source,
      now,
    });
  }
  return { changed: updated.length > 0 };
}

/** Channels the preference page offers. Push is managed in the browser, not here. */
export const PREFERENCE_CHANNELS = ["email", "sms"] as const satisfies readonly Channel[];
export type PreferenceChannel = (typeof PREFERENCE_CHANNELS)[number];

/**
 * Whether the page lets the contact switch a channel on. A channel they never opted in to
 * (`none`) is not switched on from a link: that consent has to come from the shop's own
 * sign-up forms. SMS needs a phone number on file. A link from before the contact's links
 * were rotated never switches a channel on.
 */
export function canSubscribe(contact: LinkContact, channel: PreferenceChannel): boolean {
  if (contact.staleLink) return false;
  if (channel === "sms" && !contact.phone) return false;
  return contact.consent[channel] !== "none";
}

/** The consent a saved preference page leads to; channels not offered keep theirs. */
export function nextConsent(
  contact: LinkContact,
  wanted: Partial<Record<PreferenceChannel, boolean>>,
): ConsentByChannel {
  const next: ConsentByChannel = { ...contact.consent };
  for (const channel of PREFERENCE_CHANNELS) {
    const want = wanted[channel];
    if (want === undefined) continue;
    const current = contact.consent[channel];
    if (want && canSubscribe(contact, channel)) next[channel] = "subscribed";
    else if (!want && current === "subscribed") next[channel] = "unsubscribed";
  }
  return next;
}

/** Saves the preference page. Unsubscribing from the link's own channel is recorded on its message. */
export async function savePreferences(
  db: DbOrTx,
  input: {
    payload: UnsubscribePayload;
    contact: LinkContact;
    wanted: Partial<Record<PreferenceChannel, boolean>>;
    now?: Date;
  },
): Promise<ConsentByChannel> {
  const now = input.now ?? new Date();
  const next = nextConsent(input.contact, input.wanted);
  const set: Partial<Record<(typeof FIELD)[Channel], ConsentStatus>> = {};
  for (const channel of PREFERENCE_CHANNELS)
    if (next[channel] !== input.contact.consent[channel]) set[FIELD[channel]] = next[channel];
  if (Object.keys(set).length > 0) {
    await db
      .update(contacts)
      .set({ ...set, updatedAt: now })
      .where(
        and(eq(contacts.id, input.payload.contactId), eq(contacts.workspaceId, input.payload.workspaceId)),
      );
  }
  const channel = input.payload.channel;
  if (
    input.payload.messageId &&
    next[channel] === "unsubscribed" &&
    input.contact.consent[channel] !== "unsubscribed"
  ) {
    await recordUnsubscribeEvent(db, {
      workspaceId: input.payload.workspaceId,
      messageId: input.payload.messageId,
      channel,
      source: "preferences",
      now,
    });
  }
  return next;
}

/**
 * Rotates a contact's signed links: every unsubscribe and preference link sent so far keeps
 * unsubscribing (RFC 8058) but can no longer subscribe; messages sent from now on carry the
 * new version. Returns whether the contact exists.
 */
export async function rotateContactLinks(
  db: DbOrTx,
  input: { workspaceId: string; contactId: string; now?: Date },
): Promise<boolean> {
  const rows = await db
    .update(contacts)
    .set({ linkVersion: sql`${contacts.linkVersion} + 1`, updatedAt: input.now ?? new Date() })
    .where(and(eq(contacts.id, input.contactId), eq(contacts.workspaceId, input.workspaceId)))
    .returning({ id: contacts.id });
  return rows.length > 0;
}
