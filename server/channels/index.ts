/**
 * Channel providers picked from the environment: Resend when `RESEND_API_KEY` is set,
 * Twilio when `TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN` + `TWILIO_FROM` are set, the
 * Web Push when `VAPID_SUBJECT` or `VAPID_PUBLIC_KEY` + `VAPID_PRIVATE_KEY` are set (and the
 * caller passes the key pair and subscriptions, see `server/channels/app-channels.ts`), the in-app
 * Outbox otherwise. Every message is stored and shown in the Outbox either way.
 */
import { createOutboxEmailProvider } from "./email-outbox";
import { createResendEmailProvider } from "./email-resend";
import { createOutboxPushProvider } from "./push-outbox";
import { createWebPushProvider, type WebPushOptions } from "./push-webpush";
import { createOutboxSmsProvider } from "./sms-outbox";
import { createTwilioSmsProvider } from "./sms-twilio";
import type { EmailProvider, PushProvider, SmsProvider } from "./types";
import { RESEND_REQUESTS_PER_SECOND, type RateLimiter } from "./rate-limit";

export type * from "./types";

export type ChannelEnv = {
  RESEND_API_KEY?: string | undefined;
  RESEND_BASE_URL?: string | undefined;
  /** Requests a second to Resend for this API key, across all workers (default 5; 0: no limit). */
  RESEND_REQUESTS_PER_SECOND?: number | undefined;
  TWILIO_ACCOUNT_SID?: string | undefined;
  TWILIO_AUTH_TOKEN?: string | undefined;
  TWILIO_FROM?: string | undefined;
  TWILIO_BASE_URL?: string | undefined;
  TWILIO_STATUS_CALLBACK_URL?: string | undefined;
  VAPID_SUBJECT?: string | undefined;
  VAPID_PUBLIC_KEY?: string | undefined;
  VAPID_PRIVATE_KEY?: string | undefined;
  /** The app's public URL; Twilio status callbacks go to `${APP_URL}/api/webhooks/twilio` when it is https. */
  APP_URL?: string | undefined;
};

export type Channels = { email: EmailProvider; sms: SmsProvider; push: PushProvider };

const set = (v: string | undefined): v is string => typeof v === "string" && v.trim() !== "";

/**
 * Where Twilio posts delivery updates: the configured URL, else the app's own webhook when
 * the app is public (https). Twilio cannot reach a localhost URL, so none is given then.
 */
export function twilioStatusCallbackUrl(
  env: Pick<ChannelEnv, "TWILIO_STATUS_CALLBACK_URL" | "APP_URL">,
): string | undefined {
  if (set(env.TWILIO_STATUS_CALLBACK_URL)) return env.TWILIO_STATUS_CALLBACK_URL;
  if (set(env.APP_URL) && env.APP_URL.startsWith("https://"))
    return `${env.APP_URL.replace(/\/+$/, "")}/api/webhooks/twilio`;
  return undefined;
}

/** Resend's rate limit for the configured key: requests a second, 0 when there is none. */
export function resendRequestsPerSecond(env: Pick<ChannelEnv, "RESEND_REQUESTS_PER_SECOND">): number {
  const n = env.RESEND_REQUESTS_PER_SECOND;
  return n === undefined || !Number.isFinite(n) || n < 0 ? RESEND_REQUESTS_PER_SECOND : n;
}

/** Web Push switches on by key: a VAPID subject or a full key pair in the environment. */
export function webPushConfigured(
  env: Pick<ChannelEnv, "VAPID_SUBJECT" | "VAPID_PUBLIC_KEY" | "VAPID_PRIVATE_KEY">,
): boolean {
  return set(env.VAPID_SUBJECT) || (set(env.VAPID_PUBLIC_KEY) && set(env.VAPID_PRIVATE_KEY));
}

export function createChannels(
  env: ChannelEnv,
  options: { webPush?: WebPushOptions; emailLimiter?: RateLimiter | undefined } = {},
): Channels {
  const email = set(env.RESEND_API_KEY)
    ? createResendEmailProvider({
        apiKey: env.RESEND_API_KEY,
        baseUrl: set(env.RESEND_BASE_URL) ? env.RESEND_BASE_URL : undefined,
        limiter: options.emailLimiter,
      })
    : createOutboxEmailProvider();
  const sms =
    set(env.TWILIO_ACCOUNT_SID) && set(env.TWILIO_AUTH_TOKEN) && set(env.TWILIO_FROM)
      ? createTwilioSmsProvider({
          accountSid: env.TWILIO_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          from: env.TWILIO_FROM,
          baseUrl: set(env.TWILIO_BASE_URL) ? env.TWILIO_BASE_URL : undefined,
          statusCallbackUrl: twilioStatusCallbackUrl(env),
        })
      : createOutboxSmsProvider();
  const push =
    webPushConfigured(env) && options.webPush
      ? createWebPushProvider(options.webPush)
      : createOutboxPushProvider();
  return { email, sms, push };
}
