/**
 * The installation's VAPID key pair, which identifies this app to browsers' push services.
 * Taken from `VAPID_PUBLIC_KEY` + `VAPID_PRIVATE_KEY` when both are set, else generated on
 * first use and stored in app settings, so subscriptions made before a restart keep working.
 */
import webpush from "web-push";
import type { DbOrTx } from "@/server/db/client";
import { getOrCreateSetting } from "@/server/db/settings";

export type VapidKeys = { publicKey: string; privateKey: string };

export type VapidEnv = {
  VAPID_PUBLIC_KEY?: string | undefined;
  VAPID_PRIVATE_KEY?: string | undefined;
  VAPID_SUBJECT?: string | undefined;
  APP_URL?: string | undefined;
};

const SETTING = "vapid_keys";
const set = (v: string | undefined): v is string => typeof v === "string" && v.trim() !== "";

export async function getVapidKeys(db: DbOrTx, env: VapidEnv): Promise<VapidKeys> {
  if (set(env.VAPID_PUBLIC_KEY) && set(env.VAPID_PRIVATE_KEY))
    return { publicKey: env.VAPID_PUBLIC_KEY.trim(), privateKey: env.VAPID_PRIVATE_KEY.trim() };
  const stored = await getOrCreateSetting(db, SETTING, () => JSON.stringify(webpush.generateVAPIDKeys()));
  const keys = JSON.parse(stored) as Partial<VapidKeys>;
  if (typeof keys.publicKey !== "string" || typeof keys.privateKey !== "string")
    throw new Error(`setting ${SETTING} is not a VAPID key pair`);
  return { publicKey: keys.publicKey, privateKey: keys.privateKey };
}

/**
 * Who push services contact about this sender: `VAPID_SUBJECT`, else the app's URL when it is
 * https, else `mailto:push@<app host>` (push services refuse a plain http subject).
 */
export function vapidSubject(env: VapidEnv): string {
  if (set(env.VAPID_SUBJECT)) return env.VAPID_SUBJECT.trim();
  const app = set(env.APP_URL) ? new URL(env.APP_URL) : null;
  if (app?.protocol === "https:") return app.origin;
  const host =
    app && app.hostname !== "localhost" && app.hostname !== "127.0.0.1" ? app.hostname : "tidings.example";
  return `mailto:push@${host}`;
}
