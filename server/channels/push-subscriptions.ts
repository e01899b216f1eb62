/**
 * Push subscriptions of a workspace's contacts: saved when a shopper allows notifications
 * on the storefront, read by the Web Push provider, removed when the browser unsubscribes
 * (the storefront's DELETE, or a push service's 404/410).
 */
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { contacts, pushSubscriptions } from "@/server/db/schema";
import type { PushSubscriptionStore, StoredPushSubscription } from "@/server/channels/push-webpush";

export type SubscriptionInput = {
  workspaceId: string;
  contactId: string | null;
  anonymousId: string | null;
  endpoint: string;
  p256dh: string;
  auth: string;
  userAgent: string | null;
  now: Date;
};

/** Saves the browser's subscription; the same endpoint again replaces its keys and owner. */
export async function saveSubscription(
  db: DbOrTx,
  input: SubscriptionInput,
): Promise<{ id: string; created: boolean }> {
  const [row] = await db
    .insert(pushSubscriptions)
    .values({ ...input, createdAt: input.now, updatedAt: input.now })
    .onConflictDoUpdate({
      target: [pushSubscriptions.workspaceId, pushSubscriptions.endpoint],
      set: {
        contactId: input.contactId,
        anonymousId: input.anonymousId,
        p256dh: input.p256dh,
        auth: input.auth,
        userAgent: input.userAgent,
        updatedAt: input.now,
      },
    })
    .returning({ id: pushSubscriptions.id, created: sql<boolean>`(xmax = 0)` });
  if (!row) throw new Error("push subscription not saved");
  return { id: row.id, created: Boolean(row.created) };
}

export async function deleteSubscription(
  db: DbOrTx,
  workspaceId: string,
  endpoint: string,
): Promise<boolean> {
  const rows = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.workspaceId, workspaceId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}

/** The contact's subscriptions, and those made under an anonymous id later merged into the contact. */
export async function listContactSubscriptions(
  db: DbOrTx,
  workspaceId: string,
  contactId: string,
): Promise<StoredPushSubscription[]> {
  const rows = await db
    .select({
      id: pushSubscriptions.id,
      endpoint: pushSubscriptions.endpoint,
      p256dh: pushSubscriptions.p256dh,
      auth: pushSubscriptions.auth,
    })
    .from(pushSubscriptions)
    .where(
      and(
        eq(pushSubscriptions.workspaceId, workspaceId),
        sql`(${pushSubscriptions.contactId} = ${contactId} or (${pushSubscriptions.contactId} is null and ${pushSubscriptions.anonymousId} = any(
          select unnest(${contacts.anonymousIds}) from ${contacts} where ${contacts.id} = ${contactId} and ${contacts.workspaceId} = ${workspaceId})))`,
      ),
    )
    .orderBy(pushSubscriptions.createdAt);
  return rows.map((r) => ({ id: r.id, endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth } }));
}

export function dbPushSubscriptionStore(db: DbOrTx): PushSubscriptionStore {
  return {
    list: (workspaceId, contactId) => listContactSubscriptions(db, workspaceId, contactId),
    remove: async (workspaceId, id) => {
      await db
        .delete(pushSubscriptions)
        .where(and(eq(pushSubscriptions.workspaceId, workspaceId), eq(pushSubscriptions.id, id)));
    },
    delivered: async (workspaceId, id, at) => {
      await db
        .update(pushSubscriptions)
        .set({ lastSuccessAt: at })
        .where(and(eq(pushSubscriptions.workspaceId, workspaceId), eq(pushSubscriptions.id, id)));
    },
  };
}
