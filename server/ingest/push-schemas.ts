/** Request schemas of the Web Push endpoints; they also generate the OpenAPI document. */
import { z } from "zod";
import { Context, TrackFields } from "@/server/ingest/schemas";

const base64url = (bytes: number, what: string) =>
  z
    .string({ error: `Must be a base64url string (${what})` })
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `Must be base64url (${what})`)
    .refine((v) => Buffer.from(v, "base64url").length === bytes, `Must decode to ${bytes} bytes (${what})`);

const Endpoint = z
  .string({ error: "Must be the push service URL" })
  .max(2048, "Must be at most 2048 characters")
  .refine(
    (v) => URL.canParse(v) && new URL(v).protocol === "https:",
    "Must be an https URL (PushSubscription.endpoint)",
  )
  .describe("The browser's push service URL.");

export const PushSubscriptionInput = z
  .object({
    endpoint: Endpoint,
    expirationTime: z.number().nullish(),
    keys: z.object({
      p256dh: base64url(65, "the browser's P-256 public key").refine(
        (v) => Buffer.from(v, "base64url")[0] === 4,
        "Must be an uncompressed P-256 point",
      ),
      auth: base64url(16, "the auth secret"),
    }),
  })
  .describe("`PushSubscription.toJSON()` of the browser.");

/** The subscription part; userId / anonymousId / context are checked as for track. */
export const PushSubscribeBody = z.looseObject({
  subscription: PushSubscriptionInput,
  userAgent: z.string().max(500, "Must be at most 500 characters").optional(),
});

/** For the document: the whole body. */
export const PushSubscribeRequestDoc = PushSubscribeBody.extend({
  userId: TrackFields.shape.userId,
  anonymousId: TrackFields.shape.anonymousId,
  context: Context.optional(),
}).describe(
  "A browser allowed notifications. Identify the contact with userId or anonymousId, as for track.",
);

export const PushUnsubscribeBody = z
  .object({ endpoint: Endpoint })
  .describe("The browser's subscription endpoint to forget.");

export const PushKeyResponse = z.object({
  publicKey: z
    .string()
    .describe("The VAPID public key (base64url) for `pushManager.subscribe({ applicationServerKey })`."),
  delivery: z
    .enum(["webpush", "outbox"])
    .describe(
      "`webpush` when notifications go to browsers; `outbox` when they are only shown in the app's Outbox.",
    ),
});

export const PushSubscribeResponse = z.object({
  ok: z.literal(true),
  id: z.uuid().describe("The subscription id."),
  contactId: z
    .uuid()
    .nullable()
    .describe("The contact it belongs to; null for a visitor not identified yet (linked when they are)."),
});

export const PushUnsubscribeResponse = z.object({
  ok: z.literal(true),
  deleted: z.boolean().describe("False when the endpoint was not subscribed."),
});
