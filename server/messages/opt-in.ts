/**
 * Double opt-in. A subscription asked for with the storefront's publishable key is not
 * applied: the contact gets a confirmation email (through the email channel, so with the
 * Outbox provider it shows in the Outbox) with a signed link, and only the click subscribes,
 * once. The link shows a button (scanners follow GETs); its POST subscribes. A link expires
 * after a week, and a contact whose address changed since is not subscribed by it.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { createElement } from "react";
import type { Db } from "@/server/db/client";
import { consentChanges, consentConfirmations, contacts, enrollments, workspaces } from "@/server/db/schema";
import type { Channels } from "@/server/channels";
import { signToken, verifyToken } from "@/server/channels/signed-token";
import { appUrl } from "@/server/env";
import { linkSigningKey } from "./consent";
import { isCrossOrigin } from "./link-handlers";
import { OptInConfirmPage, OptInDonePage, InvalidLinkPage, renderPage } from "./link-pages";
import { sendSystemEmail, simpleEmailHtml } from "./system-email";
import { senderOf } from "./preview";
import { processChannels } from "./send-test";

export const OPT_IN_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** A second request for the same contact and address within this time sends no second email. */
export const OPT_IN_RESEND_GAP_MS = 10 * 60 * 1000;

export type OptInRequest = "sent" | "pending" | "already-subscribed" | "no-address" | "failed";

/** Sends the confirmation email for the contact's email address, unless one went out moments ago. */
export async function requestEmailOptIn(
  db: Db,
  input: { workspaceId: string; contactId: string; now?: Date; channels?: Channels; baseUrl?: string },
): Promise<OptInRequest> {
  const now = input.now ?? new Date();
  const [row] = await db
    .select({ contact: contacts, workspace: workspaces })
    .from(contacts)
    .innerJoin(workspaces, eq(workspaces.id, contacts.workspaceId))
    .where(and(eq(contacts.id, input.contactId), eq(contacts.workspaceId, input.workspaceId)));
  if (!row?.contact.email) return "no-address";
  if (row.contact.emailConsent === "subscribed") return "already-subscribed";
  const address = row.contact.email;
  const [recent] = await db
    .select({ id: consentConfirmations.id })
    .from(consentConfirmations)
    .where(
      and(
        eq(consentConfirmations.workspaceId, input.workspaceId),
        eq(consentConfirmations.contactId, input.contactId),
        eq(consentConfirmations.address, address),
        isNull(consentConfirmations.confirmedAt),
        gt(consentConfirmations.createdAt, new Date(now.getTime() - OPT_IN_RESEND_GAP_MS)),
      ),
    )
    .limit(1);
  if (recent) return "pending";
  const [confirmation] = await db
    .insert(consentConfirmations)
    .values({
      workspaceId: input.workspaceId,
      contactId: input.contactId,
      channel: "email",
      address,
      createdAt: now,
      expiresAt: new Date(now.getTime() + OPT_IN_TTL_MS),
    })
    .returning({ id: consentConfirmations.id });
  const token = signToken(
    "opt-in.v1",
    { w: input.workspaceId, id: confirmation!.id },
    await linkSigningKey(db),
  );
  const url = `${input.baseUrl ?? appUrl()}/c/${token}`;
  const shop = row.workspace.name;
  const sent = await sendSystemEmail(
    db,
    input.channels ?? processChannels(),
    {
      workspaceId: input.workspaceId,
      contactId: input.contactId,
      from: senderOf(row.workspace),
      to: address,
      subject: `Confirm your subscription to ${shop}`,
      html: simpleEmailHtml({
        heading: `Confirm your subscription to ${shop}`,
        paragraphs: [
          `Someone, hopefully you, asked to get news and offers from ${shop} at this address.`,
          "If it wasn't you, ignore this email: nothing will be sent.",
        ],
        button: { label: "Confirm my subscription", url },
      }),
      text: `Confirm your subscription to ${shop}: ${url}\n\nIf it wasn't you, ignore this email: nothing will be sent.`,
      kind: "opt-in",
    },
    now,
  );
  return sent.status === "sent" ? "sent" : "failed";
}

type Resolved =
  | { kind: "invalid" }
  | {
      kind: "valid";
      confirmation: typeof consentConfirmations.$inferSelect;
      workspace: typeof workspaces.$inferSelect;
    };

async function resolveOptIn(db: Db, token: string): Promise<Resolved> {
  const body = verifyToken("opt-in.v1", token, await linkSigningKey(db));
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!body || typeof body.id !== "string" || typeof body.w !== "string") return { kind: "invalid" };
  if (!UUID.test(body.id) || !UUID.test(body.w)) return { kind: "invalid" };
  const [row] = await db
    .select({ confirmation: consentConfirmations, workspace: workspaces })
    .from(consentConfirmations)
    .innerJoin(workspaces, eq(workspaces.id, consentConfirmations.workspaceId))
    .where(and(eq(consentConfirmations.id, body.id), eq(consentConfirmations.workspaceId, body.w)));
  return row ? { kind: "valid", ...row } : { kind: "invalid" };
}

export type OptInOutcome = "subscribed" | "used" | "expired";

/** Applies a confirmation link: subscribes the first time, and never again. */
export async function confirmOptIn(
  db: Db,
  input: { token: string; now?: Date },
): Promise<
  { kind: "invalid" } | { kind: "done"; outcome: OptInOutcome; workspace: typeof workspaces.$inferSelect }
> {
  const now = input.now ?? new Date();
  const link = await resolveOptIn(db, input.token);
  if (link.kind === "invalid") return link;
  const { confirmation: c, workspace } = link;
  const outcome = await db.transaction(async (tx): Promise<OptInOutcome> => {
    const claimed = await tx
      .update(consentConfirmations)
      .set({ confirmedAt: now })
      .where(
        and(
          eq(consentConfirmations.id, c.id),
          isNull(consentConfirmations.confirmedAt),
          gt(consentConfirmations.expiresAt, now),
        ),
      )
      .returning({ id: consentConfirmations.id });
    if (claimed.length === 0) return c.confirmedAt ? "used" : "expired";
    const sameContact = and(
      eq(contacts.id, c.contactId),
      eq(contacts.workspaceId, c.workspaceId),
      sql`lower(${contacts.email}) = lower(${c.address})`,
    );
    const [before] = await tx
      .select({ status: contacts.emailConsent })
      .from(contacts)
      .where(sameContact)
      .for("update");
    if (!before) return "expired";
    if (before.status !== "subscribed") {
      await tx.update(contacts).set({ emailConsent: "subscribed", updatedAt: now }).where(sameContact);
      // The record of consent: who confirmed, when, through which link.
      await tx.insert(consentChanges).values({
        workspaceId: c.workspaceId,
        contactId: c.contactId,
        channel: "email",
        fromStatus: before.status,
        toStatus: "subscribed",
        source: "double-opt-in",
        occurredAt: now,
      });
    }
    // Messages that waited for this click (a welcome email, say) go now.
    await tx
      .update(enrollments)
      .set({ nextRunAt: now })
      .where(
        and(
          eq(enrollments.workspaceId, c.workspaceId),
          eq(enrollments.contactId, c.contactId),
          eq(enrollments.status, "active"),
          sql`${enrollments.state}->'waiting'->>'reason' = 'opt_in'`,
        ),
      );
    return "subscribed";
  });
  return { kind: "done", outcome, workspace };
}

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex, nofollow",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const page = async (status: number, element: Parameters<typeof renderPage>[0]) =>
  new Response(await renderPage(element), { status, headers: PAGE_HEADERS });

/** `GET /c/{token}`: the confirmation button; changes nothing. */
export async function handleOptInGet(db: Db, token: string): Promise<Response> {
  const link = await resolveOptIn(db, token);
  if (link.kind === "invalid") return page(400, createElement(InvalidLinkPage));
  const { confirmation: c, workspace } = link;
  if (c.confirmedAt) return page(200, createElement(OptInDonePage, { shop: workspace, outcome: "used" }));
  return page(
    200,
    createElement(OptInConfirmPage, {
      action: `/c/${encodeURIComponent(token)}`,
      shop: workspace,
      address: c.address,
    }),
  );
}

/** `POST /c/{token}`: subscribes, once; only from the confirmation page itself (same origin). */
export async function handleOptInPost(db: Db, token: string, now?: Date, req?: Request): Promise<Response> {
  if (req && isCrossOrigin(req, new URL(appUrl()).origin))
    return new Response("Confirm from the page the emailed link opens.", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  const done = await confirmOptIn(db, { token, now });
  if (done.kind === "invalid") return page(400, createElement(InvalidLinkPage));
  return page(200, createElement(OptInDonePage, { shop: done.workspace, outcome: done.outcome }));
}
