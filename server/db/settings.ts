import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "./client";
import { appSettings } from "./schema";

/** Reads an installation secret, creating it (random, 32 bytes, base64url) on first use. */
export async function getOrCreateSecret(db: DbOrTx, key: string): Promise<string> {
  return getOrCreateSetting(db, key, () => randomBytes(32).toString("base64url"));
}

/** Reads an installation setting, storing `create()` on first use. Concurrent first uses agree on one value. */
export async function getOrCreateSetting(db: DbOrTx, key: string, create: () => string): Promise<string> {
  const read = () =>
    db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key));
  const [existing] = await read();
  if (existing) return existing.value;
  await db.insert(appSettings).values({ key, value: create() }).onConflictDoNothing();
  const [row] = await read();
  if (!row) throw new Error(`setting ${key} missing after insert`);
  return row.value;
}
