/**
 * One contact per email: merging two contacts that turned out to be one person, and reading
 * the merges back. The merge itself is the database function `tidings_merge_contacts`
 * (`server/db/sql/merge-contacts.sql`, which says what happens to journeys, events, messages
 * and the profile), so the migration that made emails unique and ingest merge the same way.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { rowsOf } from "@/server/db/rows";
import { contactMerges } from "@/server/db/schema";

export type MergeReason = "identify" | "migration";

/**
 * Merges `mergedId` into `survivorId` (same workspace) inside the caller's transaction and
 * returns what moved, by table. The merged contact no longer exists afterwards.
 */
export async function mergeContacts(
  db: DbOrTx,
  input: { survivorId: string; mergedId: string; reason: MergeReason; now: Date },
): Promise<Record<string, number>> {
  const [row] = rowsOf<{ moved: Record<string, number> | string }>(
    await db.execute(
      sql`select tidings_merge_contacts(${input.survivorId}::uuid, ${input.mergedId}::uuid, ${input.reason}, ${input.now.toISOString()}::timestamptz) as moved`,
    ),
  );
  const moved = row?.moved ?? {};
  return typeof moved === "string" ? (JSON.parse(moved) as Record<string, number>) : moved;
}

/** The contacts merged into this one, newest first. */
export async function listContactMerges(db: DbOrTx, input: { workspaceId: string; contactId: string }) {
  return db
    .select()
    .from(contactMerges)
    .where(
      and(eq(contactMerges.workspaceId, input.workspaceId), eq(contactMerges.survivorId, input.contactId)),
    )
    .orderBy(desc(contactMerges.mergedAt));
}

/** The contact an id now belongs to: itself, or the contact it was merged into (a link in an old email). */
export async function survivorOf(
  db: DbOrTx,
  input: { workspaceId: string; contactId: string },
): Promise<string> {
  const [row] = await db
    .select({ survivorId: contactMerges.survivorId })
    .from(contactMerges)
    .where(
      and(eq(contactMerges.workspaceId, input.workspaceId), eq(contactMerges.mergedId, input.contactId)),
    );
  return row?.survivorId ?? input.contactId;
}
