/**
 * Consent changes made by flows (a `consent` step): the contact's consent column changes
 * and the change is recorded with the enrollment and step it came from, in the step's
 * transaction. A retried step changes and records nothing twice.
 */
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { consentChanges, contacts } from "@/server/db/schema";
import type { Channel } from "@/server/engine/facts";

const COLUMN = {
  email: contacts.emailConsent,
  sms: contacts.smsConsent,
  push: contacts.pushConsent,
} as const;
const FIELD = { email: "emailConsent", sms: "smsConsent", push: "pushConsent" } as const;

export type FlowConsentChange = {
  workspaceId: string;
  contactId: string;
  channel: Channel;
  /** A flow only takes consent back: `subscribed` → `unsubscribed`. */
  status: "unsubscribed";
  enrollmentId: string;
  flowId: string;
  nodeId: string;
  visit: number;
  now: Date;
};

/** Unsubscribes a subscribed contact and records the change; returns whether anything changed. */
export async function applyFlowConsentChange(db: DbOrTx, change: FlowConsentChange): Promise<boolean> {
  const updated = await db
    .update(contacts)
    .set({ [FIELD[change.channel]]: change.status, updatedAt: change.now })
    .where(
      and(
        eq(contacts.id, change.contactId),
        eq(contacts.workspaceId, change.workspaceId),
        eq(COLUMN[change.channel], "subscribed"),
      ),
    )
    .returning({ id: contacts.id });
  if (updated.length === 0) return false;
  await db
    .insert(consentChanges)
    .values({
      workspaceId: change.workspaceId,
      contactId: change.contactId,
      channel: change.channel,
      fromStatus: "subscribed",
      toStatus: change.status,
      source: "flow",
      enrollmentId: change.enrollmentId,
      flowId: change.flowId,
      nodeId: change.nodeId,
      visit: change.visit,
      occurredAt: change.now,
    })
    .onConflictDoNothing();
  return true;
}
