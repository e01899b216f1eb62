/**
 * Verifies a Resend webhook (Svix signature) and maps it to a message event.
 * Pure of the database: the route stores the result.
 *
 * The `svix` `Webhook` class checks the HMAC over `svix-id.svix-timestamp.body` and
 * refuses timestamps more than 5 minutes from now (replays). The body must be the
 * raw request body, byte for byte — not re-serialised JSON.
 */
import { Webhook } from "svix";

export type MessageEventType = "delivered" | "opened" | "clicked" | "bounced" | "complained" | "delayed";

export type ResendWebhookEvent = {
  /** `svix-id`: the same delivery retried by Resend has the same id. */
  id: string;
  type: MessageEventType;
  /** Resend's own event type, e.g. `email.bounced`. */
  resendType: string;
  /** Resend's email id (`data.email_id`), stored as the message's provider id. */
  messageProviderId: string;
  /** The tags sent with the email: `workspace_id`, `flow_id`, `node_id`, `message_id`. */
  tags: Record<string, string>;
  /** The clicked link, for `clicked`. */
  url?: string;
  /** For `bounced`: hard (permanent, stop mailing) or soft (transient). */
  bounce?: "hard" | "soft";
  /** Provider's explanation for bounces, complaints and suppressions. */
  reason?: string;
  occurredAt: Date;
};

export type VerifyResendWebhookResult =
  /** `event` is null for Resend events Tidings does not record (sent, scheduled, …). */
  { ok: true; event: ResendWebhookEvent | null; resendType: string } | { ok: false; reason: string };

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function readTags(v: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const t of v)
      if (isRecord(t) && typeof t.name === "string" && typeof t.value === "string") tags[t.name] = t.value;
  } else if (isRecord(v)) {
    for (const [k, val] of Object.entries(v)) if (typeof val === "string") tags[k] = val;
  }
  return tags;
}

function date(...candidates: unknown[]): Date | undefined {
  for (const c of candidates) {
    if (typeof c !== "string" && typeof c !== "number") continue;
    const d = new Date(c);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return undefined;
}

const SIMPLE: Record<string, MessageEventType> = {
  "email.delivered": "delivered",
  "email.opened": "opened",
  "email.clicked": "clicked",
  "email.bounced": "bounced",
  "email.complained": "complained",
  "email.delivery_delayed": "delayed",
  // Resend refused to send to an address on its suppression list: as final as a hard bounce.
  "email.suppressed": "bounced",
};

export function verifyResendWebhook(
  rawBody: string | Buffer | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
): VerifyResendWebhookResult {
  const id = header(headers, "svix-id") ?? header(headers, "webhook-id");
  const timestamp = header(headers, "svix-timestamp") ?? header(headers, "webhook-timestamp");
  const signature = header(headers, "svix-signature") ?? header(headers, "webhook-signature");
  if (!id || !timestamp || !signature)
    return { ok: false, reason: "Missing svix-id, svix-timestamp or svix-signature header." };
  if (!secret) return { ok: false, reason: "No webhook signing secret configured." };

  const body = typeof rawBody === "string" ? rawBody : Buffer.from(rawBody).toString("utf8");
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch {
    return { ok: false, reason: "The webhook signing secret is not valid." };
  }
  try {
    webhook.verify(body, { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature });
  } catch (err) {
    return {
      ok: false,
      reason: `Signature check failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }

  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return { ok: false, reason: "The webhook body is not JSON." };
  }
  if (!isRecord(payload) || typeof payload.type !== "string")
    return { ok: false, reason: "The webhook has no event type." };
  const resendType = payload.type;
  const type = SIMPLE[resendType];
  if (!type) return { ok: true, event: null, resendType };

  const data = isRecord(payload.data) ? payload.data : {};
  const emailId = data.email_id;
  if (typeof emailId !== "string" || !emailId) return { ok: false, reason: "The webhook has no email id." };

  const click = isRecord(data.click) ? data.click : undefined;
  const occurredAt =
    date(click?.timestamp, payload.created_at, data.created_at) ?? new Date(Number(timestamp) * 1000);
  const event: ResendWebhookEvent = {
    id,
    type,
    resendType,
    messageProviderId: emailId,
    tags: readTags(data.tags),
    occurredAt,
  };
  if (type === "clicked" && typeof click?.link === "string") event.url = click.link;
  if (resendType === "email.bounced") {
    const bounce = isRecord(data.bounce) ? data.bounce : {};
    event.bounce = bounce.type === "Permanent" ? "hard" : "soft";
    const reason = [bounce.subType, bounce.message]
      .filter((s): s is string => typeof s === "string" && s !== "")
      .join(": ");
    if (reason) event.reason = reason;
  }
  if (resendType === "email.suppressed") {
    event.bounce = "hard";
    const suppressed = isRecord(data.suppressed) ? data.suppressed : {};
    event.reason =
      typeof suppressed.message === "string" && suppressed.message
        ? suppressed.message
        : "Address is on the suppression list.";
  }
  return { ok: true, event, resendType };
}
