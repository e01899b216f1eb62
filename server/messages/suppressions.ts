/**
 * The workspace suppression list: addresses the executor never sends to (hard bounces,
 * spam complaints, manual blocks). Email addresses are stored lower-cased; phone numbers
 * as given (E.164).
 */
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { suppressions } from "@/server/db/schema";
import type { Channel } from "@/server/channels/types";

export type SuppressionReason = (typeof suppressions.$inferInsert)["reason"];

/** The form an address is stored and looked up in. */
export function normaliseAddress(channel: Channel, address: string): string {
  const trimmed = address.trim();
  return channel === "email" ? trimmed.toLowerCase() : trimmed;
}

/** Adds an address to the list; the first reason recorded stays. Returns true when it was new. */
export async function suppressAddress(
  db: DbOrTx,
  input: { workspaceId: string; channel: Channel; address: string; reason: SuppressionReason; now?: Date },
): Promise<boolean> {
  const address = normaliseAddress(input.channel, input.address);
  if (!address) return false;
  const inserted = await db
    .insert(suppressions)
    .values({
      workspaceId: input.workspaceId,
      channel: input.channel,
      address,
      reason: input.reason,
      createdAt: input.now ?? new Date(),
    })
    .onConflictDoNothing()
    .returning({ address: suppressions.address });
  return inserted.length > 0;
}

export async function isSuppressed(
  db: DbOrTx,
  input: { workspaceId: string; channel: Channel; address: string },
): Promise<boolean> {
  const [row] = await db
    .select({ address: suppressions.address })
    .from(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, input.workspaceId),
        eq(suppressions.channel, input.channel),
        eq(suppressions.address, normaliseAddress(input.channel, input.address)),
      ),
    )
    .limit(1);
  return row !== undefined;
}
