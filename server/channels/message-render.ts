/**
 * What a queued message is rendered from: the step's content and trigger stored on the row,
 * the workspace's brand and the contact's names, and the signed unsubscribe links. Shared by
 * the dispatcher (which sends it) and the Outbox (which shows a send recorded unrendered).
 */
import type { contacts, messages, workspaces } from "@/server/db/schema";
import type { EmailContact, EmailWorkspace } from "@/emails/types";
import type { DrawnCouponCode } from "./merge";
import { signUnsubscribe } from "./unsubscribe-token";

type MessageRow = typeof messages.$inferSelect;

export function messageRenderContext(
  message: MessageRow,
  workspace: typeof workspaces.$inferSelect,
  contact: typeof contacts.$inferSelect | undefined,
  appUrl: string,
) {
  const stored = message.content as {
    config?: Record<string, unknown>;
    trigger?: { name?: string; properties?: Record<string, unknown> };
    coupon?: DrawnCouponCode | null;
  } & Record<string, unknown>;
  const emailWorkspace = emailWorkspaceFor(workspace, appUrl);
  const emailContact: EmailContact = {
    firstName: contact?.firstName ?? null,
    lastName: contact?.lastName ?? null,
    email: contact?.email ?? message.toAddress ?? "",
  };
  return {
    stored,
    config: stored.config,
    trigger: { name: stored.trigger?.name ?? "", properties: stored.trigger?.properties ?? {} },
    workspace: emailWorkspace,
    contact: emailContact,
    /** The unique code the message drew from its step's coupon pool when it was queued. */
    coupon: readCoupon(stored.coupon),
  };
}

function readCoupon(value: unknown): DrawnCouponCode | null {
  if (!value || typeof value !== "object") return null;
  const { code, expiresAt } = value as Record<string, unknown>;
  if (typeof code !== "string") return null;
  return { code, expiresAt: typeof expiresAt === "string" ? expiresAt : null };
}

/** The workspace's brand as templates and merge fields read it. */
export function emailWorkspaceFor(
  workspace: Pick<typeof workspaces.$inferSelect, "name" | "brandColor" | "logoUrl" | "postalAddress">,
  appUrl: string,
): EmailWorkspace {
  return {
    name: workspace.name,
    brandColor: workspace.brandColor,
    logoUrl: workspace.logoUrl,
    postalAddress: workspace.postalAddress,
    appUrl,
  };
}

/** The contact's own unsubscribe and preference links for this message, signed; none without a contact. */
export function unsubscribeLinks(
  message: MessageRow,
  contact: { id: string; linkVersion?: number } | undefined,
  appUrl: string,
  key: string,
) {
  if (!contact) return { unsubscribeUrl: undefined, preferencesUrl: undefined };
  const token = signUnsubscribe(
    {
      workspaceId: message.workspaceId,
      contactId: contact.id,
      channel: "email",
      messageId: message.id,
      version: contact.linkVersion,
    },
    key,
  );
  return { unsubscribeUrl: `${appUrl}/u/${token}`, preferencesUrl: `${appUrl}/u/${token}/preferences` };
}
