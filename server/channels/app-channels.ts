/**
 * The channels for a running app: those picked by the environment, with Web Push given the
 * installation's VAPID keys and the subscriptions table when it is switched on.
 */
import type { Db } from "@/server/db/client";
import {
  createChannels,
  resendRequestsPerSecond,
  webPushConfigured,
  type ChannelEnv,
  type Channels,
} from "@/server/channels";
import { postgresTokenBucket, rateLimitKey } from "./rate-limit";
import type { Agent } from "node:https";
import { dbPushSubscriptionStore } from "./push-subscriptions";
import { getVapidKeys, vapidSubject } from "./vapid";

export async function createAppChannels(
  db: Db,
  env: ChannelEnv,
  options: { agent?: Agent } = {},
): Promise<Channels> {
  const perSecond = resendRequestsPerSecond(env);
  const emailLimiter =
    env.RESEND_API_KEY && perSecond > 0
      ? postgresTokenBucket(db, rateLimitKey("resend", env.RESEND_API_KEY), { perSecond })
      : undefined;
  if (!webPushConfigured(env)) return createChannels(env, { emailLimiter });
  const keys = await getVapidKeys(db, env);
  return createChannels(env, {
    emailLimiter,
    webPush: {
      vapid: { subject: vapidSubject(env), ...keys },
      store: dbPushSubscriptionStore(db),
      ...(options.agent && { agent: options.agent }),
    },
  });
}
