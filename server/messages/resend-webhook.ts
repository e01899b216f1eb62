/**
 * `POST /api/webhooks/resend`: a Resend event, signed by Svix. The signature, its
 * timestamp (at most 5 minutes old) and the body are checked before anything is read
 * or written; a bad one is a 401 and nothing is stored. Resend retries a delivery with
 * the same `svix-id`, which is stored as the event's provider id, so it counts once.
 */
import type { Db } from "@/server/db/client";
import { verifyResendWebhook } from "@/server/channels/resend-webhook";
import { recordProviderEvent } from "./provider-events";
import { json, readRawBody } from "./webhook-http";

export async function handleResendWebhook(
  db: Db,
  req: Request,
  options: { secret: string | undefined },
): Promise<Response> {
  if (!options.secret)
    return json(503, { error: "Resend webhooks are not set up: set RESEND_WEBHOOK_SECRET." });
  const body = await readRawBody(req);
  if (body === null) return json(413, { error: "Body too large." });
  const verified = verifyResendWebhook(body, req.headers, options.secret);
  if (!verified.ok) return json(401, { error: verified.reason });
  const { event, resendType } = verified;
  if (!event) return json(200, { ok: true, ignored: resendType });

  const result = await recordProviderEvent(db, {
    provider: "resend",
    channel: "email",
    providerEventId: event.id,
    providerMessageId: event.messageProviderId,
    messageId: event.tags.message_id,
    workspaceId: event.tags.workspace_id,
    type: event.type,
    url: event.url,
    bounce: event.bounce,
    reason: event.reason,
    occurredAt: event.occurredAt,
    data: { resendType },
  });
  // An event for a message this installation never sent is acknowledged, or Resend retries it for days.
  return json(200, { ok: true, status: result.status });
}
