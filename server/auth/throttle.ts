/**
 * The per-account sign-in limit: after a few failed passwords for one email, each further
 * attempt must wait, twice as long after every failure (1 s, 2 s, 4 s … up to 15 min),
 * whichever address it comes from. A successful sign-in clears the count; a day without
 * failures forgets it. Kept in the database, so every server process sees the same count.
 */
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { signInFailures } from "@/server/db/schema";

/** Failures allowed before the backoff starts. */
export const FREE_FAILURES = 5;
export const MAX_BACKOFF_MS = 15 * 60 * 1000;
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export function backoffMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_FAILURES), MAX_BACKOFF_MS);
}

const keyOf = (email: string) => email.trim().toLowerCase();

/** How long this account must wait before its next attempt (0: it may try now). */
export async function accountRetryAfterMs(db: DbOrTx, email: string, now: Date): Promise<number> {
  const [row] = await db
    .select()
    .from(signInFailures)
    .where(eq(signInFailures.email, keyOf(email)));
  if (!row) return 0;
  const since = now.getTime() - row.lastFailureAt.getTime();
  if (since >= FORGET_AFTER_MS) return 0;
  return Math.max(0, backoffMs(row.failures) - since);
}

export async function recordSignInFailure(db: DbOrTx, email: string, now: Date): Promise<void> {
  const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS).toISOString();
  await db
    .insert(signInFailures)
    .values({ email: keyOf(email), failures: 1, lastFailureAt: now })
    .onConflictDoUpdate({
      target: signInFailures.email,
      set: {
        failures: sql`case when ${signInFailures.lastFailureAt} < ${forgetBefore}::timestamptz then 1 else ${signInFailures.failures} + 1 end`,
        lastFailureAt: now,
      },
    });
}

export async function clearSignInFailures(db: DbOrTx, email: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.email, keyOf(email)));
}
