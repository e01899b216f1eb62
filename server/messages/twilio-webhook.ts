/**
 * `POST /api/webhooks/twilio`: Twilio's SMS status callbacks (form-encoded), signed with
 * `X-Twilio-Signature`. A bad signature is a 401 and nothing is stored. Twilio has no event
 * id, so the message sid plus the status is the event's provider id: a retried callback
 * counts once.
 */
import type { Db } from "@/server/db/client";
import { verifyTwilioSignature } from "@/server/channels/twilio-signature";
import { recordProviderEvent, type ProviderEvent } from "./provider-events";
import { json, readRawBody } from "./webhook-http";

/** Error codes that mean the number itself cannot get texts: stop sending to it. */
export const TWILIO_HARD_FAILURES: ReadonlySet<string> = new Set([
  "21211", // invalid 'To' number
  "21614", // not a mobile number
  "30004", // blocked by the recipient or carrier
  "30005", // unknown destination handset
  "30006", // landline or unreachable carrier
]);
/** The recipient replied STOP earlier: Twilio refuses to text them. */
export const TWILIO_OPTED_OUT = "21610";

type Mapped = Pick<ProviderEvent, "type" | "bounce" | "reason" | "optOut">;

/** A Twilio message status (and error code) as a message event, or null for in-flight statuses. */
export function mapTwilioStatus(
  status: string,
  errorCode: string | null,
  errorMessage: string | null,
): Mapped | null {
  const code = errorCode?.trim() || null;
  const reason = code ? `Twilio error ${code}${errorMessage ? `: ${errorMessage}` : ""}` : undefined;
  switch (status) {
    case "delivered":
      return { type: "delivered" };
    case "read":
      return { type: "opened" };
    case "undelivered":
    case "failed":
      if (code === TWILIO_OPTED_OUT) return { type: "unsubscribed", optOut: true, reason };
      return {
        type: "bounced",
        bounce: code && TWILIO_HARD_FAILURES.has(code) ? "hard" : "soft",
        reason: reason ?? `Twilio status ${status}`,
      };
    default:
      // queued, accepted, scheduled, sending, sent, canceled: nothing a marketer needs to see.
      return null;
  }
}

export async function handleTwilioWebhook(
  db: Db,
  req: Request,
  options: { authToken: string | undefined; urls: readonly string[]; now?: () => Date },
): Promise<Response> {
  if (!options.authToken)
    return json(503, { error: "Twilio webhooks are not set up: set TWILIO_AUTH_TOKEN." });
  const raw = await readRawBody(req);
  if (raw === null) return json(413, { error: "Body too large." });
  const params = new URLSearchParams(raw);
  const signature = req.headers.get("x-twilio-signature");
  if (!verifyTwilioSignature({ urls: options.urls, params, signature, authToken: options.authToken })) {
    return json(401, { error: "The X-Twilio-Signature header does not match." });
  }
  const sid = params.get("MessageSid") ?? params.get("SmsSid");
  const status = params.get("MessageStatus") ?? params.get("SmsStatus");
  if (!sid || !status) return json(400, { error: "Missing MessageSid or MessageStatus." });
  const mapped = mapTwilioStatus(status, params.get("ErrorCode"), params.get("ErrorMessage"));
  if (!mapped) return json(200, { ok: true, ignored: status });

  const result = await recordProviderEvent(db, {
    provider: "twilio",
    channel: "sms",
    providerEventId: `twilio:${sid}:${status}`,
    providerMessageId: sid,
    ...mapped,
    occurredAt: options.now?.() ?? new Date(),
    data: {
      twilioStatus: status,
      ...(params.get("ErrorCode") ? { errorCode: params.get("ErrorCode") } : {}),
    },
  });
  return json(200, { ok: true, status: result.status });
}
