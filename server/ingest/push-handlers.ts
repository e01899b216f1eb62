/**
 * The browser-facing Web Push endpoints, authenticated like `/api/v1/track` (the store's
 * publishable key, or a secret key):
 * - `GET /api/v1/push/key` — the VAPID public key for `pushManager.subscribe`;
 * - `POST /api/v1/push/subscriptions` — saves the browser's subscription for the contact
 *   named by userId / anonymousId (resolved as track resolves them; a "Push Subscribed"
 *   event is recorded, and the contact's push consent becomes subscribed), all or nothing;
 * - `DELETE /api/v1/push/subscriptions` — forgets a browser (`{ endpoint }`).
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { contacts, events } from "@/server/db/schema";
import { webPushConfigured } from "@/server/channels";
import {
  authenticate,
  CORS_HEADERS,
  errorResponse,
  invalid,
  json,
  parseJson,
  readBody,
  RequestError,
} from "@/server/ingest/http";
import { notifyEventsStored } from "@/server/ingest/hooks";
import { ingestMessages } from "@/server/ingest/ingest";
import { toIssues, TrackRequest, type Issue, type TrackMessage } from "@/server/ingest/schemas";
import { PushSubscribeBody, PushUnsubscribeBody } from "./push-schemas";
import { deleteSubscription, saveSubscription } from "@/server/channels/push-subscriptions";
import { getVapidKeys, type VapidEnv } from "@/server/channels/vapid";

export const PUSH_SUBSCRIBED_EVENT = "Push Subscribed";
const BODY_LIMIT = 8 * 1024;

export const PUSH_CORS_HEADERS: Record<string, string> = {
  ...CORS_HEADERS,
  "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
};

function serve(run: () => Promise<Response>): Promise<Response> {
  return run().catch((error: unknown) => errorResponse(error, PUSH_CORS_HEADERS));
}

/** `GET /api/v1/push/key` */
export function handlePushKey(db: Db, req: Request, env: VapidEnv): Promise<Response> {
  return serve(async () => {
    await authenticate(db, req, ["secret", "publishable"]);
    const { publicKey } = await getVapidKeys(db, env);
    return json(
      200,
      { publicKey, delivery: webPushConfigured(env) ? "webpush" : "outbox" },
      PUSH_CORS_HEADERS,
    );
  });
}

/** `POST /api/v1/push/subscriptions` */
export function handlePushSubscribe(db: Db, req: Request, options: { now?: Date } = {}): Promise<Response> {
  return serve(async () => {
    const { workspaceId } = await authenticate(db, req, ["secret", "publishable"]);
    const raw = parseJson(await readBody(req, BODY_LIMIT));
    const body = PushSubscribeBody.safeParse(raw);
    const fields = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    const identity = TrackRequest.safeParse({
      event: PUSH_SUBSCRIBED_EVENT,
      userId: fields.userId,
      anonymousId: fields.anonymousId,
      ...(fields.context !== undefined && { context: fields.context }),
      properties: body.success ? { push_service: new URL(body.data.subscription.endpoint).host } : {},
    });
    const issues: Issue[] = [
      ...(body.success ? [] : toIssues(body.error)),
      ...(identity.success ? [] : toIssues(identity.error)),
    ];
    if (!body.success || !identity.success) throw invalid(issues);

    const now = options.now ?? new Date();
    const { subscription, userAgent } = body.data;
    const track: TrackMessage = identity.data;
    const result = await db.transaction(async (tx) => {
      const report = await ingestMessages(tx, { workspaceId, messages: [track], now });
      const outcome = report.outcomes[0];
      if (!outcome?.ok)
        throw new RequestError(
          outcome?.status ?? 500,
          outcome?.error.message ?? "Could not record the subscription",
          outcome?.error.issues ?? [],
        );
      const [event] = outcome.id
        ? await tx.select({ contactId: events.contactId }).from(events).where(eq(events.id, outcome.id))
        : [];
      const contactId = event?.contactId ?? null;
      if (contactId)
        await tx
          .update(contacts)
          .set({ pushConsent: "subscribed", updatedAt: now })
          .where(eq(contacts.id, contactId));
      const saved = await saveSubscription(tx, {
        workspaceId,
        contactId,
        anonymousId: contactId ? null : (track.anonymousId ?? null),
        endpoint: subscription.endpoint,
        p256dh: subscription.keys.p256dh,
        auth: subscription.keys.auth,
        userAgent: userAgent ?? req.headers.get("user-agent")?.slice(0, 500) ?? null,
        now,
      });
      return { ...saved, contactId, stored: report.stored };
    });
    await notifyEventsStored(workspaceId, result.stored);
    return json(
      result.created ? 201 : 200,
      { ok: true, id: result.id, contactId: result.contactId },
      PUSH_CORS_HEADERS,
    );
  });
}

/** `DELETE /api/v1/push/subscriptions` */
export function handlePushUnsubscribe(db: Db, req: Request): Promise<Response> {
  return serve(async () => {
    const { workspaceId } = await authenticate(db, req, ["secret", "publishable"]);
    const body = PushUnsubscribeBody.safeParse(parseJson(await readBody(req, BODY_LIMIT)));
    if (!body.success) throw invalid(toIssues(body.error));
    const deleted = await deleteSubscription(db, workspaceId, body.data.endpoint);
    return json(200, { ok: true, deleted }, PUSH_CORS_HEADERS);
  });
}

export function handlePushPreflight(): Response {
  return new Response(null, { status: 204, headers: PUSH_CORS_HEADERS });
}
