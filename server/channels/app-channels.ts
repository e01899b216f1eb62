/**
 * The channels for a running app: those picked by the environment, with Web Push given the
 * installation's VAPID keys and the subscriptions table when it is switched on.
 */
import type { Db } from "@/server/db/client";
import { createChannels, webPushConfigured, type ChannelEnv, type Channels } from "@/server/channels";
import type { Agent } from "node:https";
import { dbPushSubscriptionStore } from "./push-subscriptions";
import { getVapidKeys, vapidSubject } from "./vapid";

export async function createAppChannels(
  db: Db,
  env: ChannelEnv,
  options: { agent?: Agent } = {},
): Promise<Channels> {
  if (!webPushConfigured(env)) return createChannels(env);
  const keys = await getVapidKeys(db, env);
  return createChannels(env, {
    webPush: {
      vapid: { subject: vapidSubject(env), ...keys },
      store: dbPushSubscriptionStore(db),
      ...(options.agent && { agent: options.agent }),
    },
  });
}
