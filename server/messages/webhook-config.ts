/** What the webhook routes need from the environment (parsed once, in `server/env.ts`). */
import { appUrl, env } from "@/server/env";

export function resendWebhookSecret(): string | undefined {
  return env().RESEND_WEBHOOK_SECRET || undefined;
}

export function twilioAuthToken(): string | undefined {
  return env().TWILIO_AUTH_TOKEN || undefined;
}

/** The URLs Twilio may have signed: the configured callback, the public app URL, the URL as received. */
export function twilioSignedUrls(req: Request): string[] {
  const url = new URL(req.url);
  const urls = [`${appUrl()}${url.pathname}${url.search}`, req.url];
  // The status callback URL Twilio is given, when it is not `${APP_URL}/api/webhooks/twilio`.
  const configured = env().TWILIO_STATUS_CALLBACK_URL;
  if (configured) urls.unshift(configured);
  return [...new Set(urls)];
}
