/**
 * Shopify webhooks → canonical events. Each delivery is verified with the workspace's
 * signing secret (base64 HMAC-SHA256 of the raw body), mapped to identify/track messages
 * that pass through the same schemas and service as the API, and deduplicated by what the
 * delivery is about: topic + resource id + `updated_at` (a replay of the same signed body
 * under a new `X-Shopify-Webhook-Id` is stored once); a payload without a resource id falls
 * back to the webhook id.
 *
 * | topic | becomes |
 * |---|---|
 * | orders/create | identify the customer + Placed Order |
 * | checkouts/create, checkouts/update | identify + Started Checkout (completed or anonymous checkouts are skipped) |
 * | customers/create | identify (traits, consent) + Signed Up |
 * | fulfillments/create | Order Shipped with tracking_url (contact by email, else by the order) |
 * | products/update | product upsert, inventory and the `days_per_unit` metafield included (restock → Back in Stock) |
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { events, workspaces } from "@/server/db/schema";
import { badRequest } from "@/server/errors";
import { upsertProduct } from "./catalog";
import { Consent, Email, Phone } from "./fields";
import type { StoredEvent } from "./hooks";
import { ingestMessages } from "./ingest";
import {
  IdentifyPayload,
  ProductInput,
  toIssues,
  TrackPayload,
  type IdentifyMessage,
  type Issue,
  type TrackMessage,
} from "./schemas";

export const SHOPIFY_TOPICS = [
  "orders/create",
  "checkouts/create",
  "checkouts/update",
  "customers/create",
  "fulfillments/create",
  "products/update",
] as const;
export type ShopifyTopic = (typeof SHOPIFY_TOPICS)[number];

export function isShopifyTopic(topic: string): topic is ShopifyTopic {
  return (SHOPIFY_TOPICS as readonly string[]).includes(topic);
}

/** Whether `header` is the base64 HMAC-SHA256 of `body` under `secret` (constant-time compare). */
export function verifyShopifyHmac(body: Buffer, secret: string, header: string | null): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(header.trim(), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signShopifyBody(body: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

// ---------------------------------------------------------------- settings

export async function getShopifyWebhookSecret(
  db: DbOrTx,
  input: { workspaceSlug: string },
): Promise<{ workspaceId: string; secret: string | null } | null> {
  const [row] = await db
    .select({ workspaceId: workspaces.id, secret: workspaces.shopifyWebhookSecret })
    .from(workspaces)
    .where(eq(workspaces.slug, input.workspaceSlug));
  return row ?? null;
}

/** Where Settings shows the Shopify setup: the webhook path and whether a secret is stored (its last 4 characters). */
export async function getShopifySettings(db: DbOrTx, input: { workspaceId: string }) {
  const [row] = await db
    .select({ slug: workspaces.slug, secret: workspaces.shopifyWebhookSecret })
    .from(workspaces)
    .where(eq(workspaces.id, input.workspaceId));
  if (!row) throw badRequest("Workspace not found");
  return {
    webhookPath: `/api/webhooks/shopify/${row.slug}`,
    configured: row.secret !== null,
    secretHint: row.secret ? row.secret.slice(-4) : null,
    topics: [...SHOPIFY_TOPICS],
  };
}

export async function setShopifyWebhookSecret(
  db: DbOrTx,
  input: { workspaceId: string; secret: string | null },
) {
  await db
    .update(workspaces)
    .set({ shopifyWebhookSecret: input.secret })
    .where(eq(workspaces.id, input.workspaceId));
  return getShopifySettings(db, { workspaceId: input.workspaceId });
}

// ---------------------------------------------------------------- payload reading (defensive: shapes vary by API version)

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
const num = (v: unknown): number | undefined => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const idOf = (v: unknown): string | undefined =>
  typeof v === "number" && Number.isFinite(v) ? String(v) : str(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj).filter((x): x is Obj => !!x) : []);

/** The exact id from `admin_graphql_api_id` (JSON numbers above 2^53 lose digits), else `id`. */
function shopifyId(o: Obj | undefined): string | undefined {
  if (!o) return undefined;
  const gid = str(o.admin_graphql_api_id);
  const tail = gid ? /\/(\d+)$/.exec(gid)?.[1] : undefined;
  return tail ?? idOf(o.id);
}

function valid<T>(
  schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false } },
  value: unknown,
): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function consentOf(v: unknown, legacyAcceptsMarketing?: unknown): "subscribed" | "unsubscribed" | undefined {
  const state = str(obj(v)?.state);
  if (state) return valid(Consent, state);
  return legacyAcceptsMarketing === true ? "subscribed" : undefined;
}

function lineItems(v: unknown) {
  return list(v).map((li) => ({
    ...(idOf(li.product_id) && { product_id: idOf(li.product_id) }),
    ...(idOf(li.variant_id) && { variant_id: idOf(li.variant_id) }),
    ...(str(li.title) && { title: str(li.title) }),
    ...(num(li.price) !== undefined && { price: num(li.price) }),
    ...(num(li.quantity) !== undefined && { quantity: Math.max(0, Math.trunc(num(li.quantity)!)) }),
    ...(str(li.sku) && { sku: str(li.sku) }),
    ...(str(li.vendor) && { vendor: str(li.vendor) }),
  }));
}

interface Person {
  userId?: string;
  email?: string;
  traits: Obj;
}

/** Who a payload is about: the Shopify customer id (the shop's own customer id) and the traits we can trust. */
function personOf(customer: Obj | undefined, fallbackEmail?: unknown, fallbackPhone?: unknown): Person {
  const email = valid(Email, str(customer?.email) ?? str(fallbackEmail));
  const phone = valid(Phone, str(customer?.phone) ?? str(fallbackPhone));
  const address = obj(customer?.default_address);
  const traits: Obj = {
    ...(email && { email }),
    ...(phone && { phone }),
    ...(str(customer?.first_name) && { first_name: str(customer?.first_name) }),
    ...(str(customer?.last_name) && { last_name: str(customer?.last_name) }),
    ...(str(address?.country_code) && { country: str(address?.country_code) }),
  };
  const emailConsent = consentOf(customer?.email_marketing_consent, customer?.accepts_marketing);
  const smsConsent = consentOf(customer?.sms_marketing_consent);
  if (emailConsent) traits.email_consent = emailConsent;
  if (smsConsent) traits.sms_consent = smsConsent;
  return { userId: shopifyId(customer), email, traits };
}

// ---------------------------------------------------------------- mapping

export type ShopifyPlan =
  | { kind: "ignore"; reason: string }
  | { kind: "product"; productId: string; product: unknown }
  | {
      kind: "track";
      person: Person;
      event: string;
      properties: Obj;
      timestamp?: string;
      findContactByOrderId?: string;
    };

/** Maps a delivery to what to store (pure: no I/O). */
export function planShopifyDelivery(topic: ShopifyTopic, payload: unknown, shopDomain?: string): ShopifyPlan {
  const p = obj(payload);
  if (!p) return { kind: "ignore", reason: "payload is not an object" };
  const timestamp = str(p.created_at);
  switch (topic) {
    case "orders/create": {
      const orderId = shopifyId(p);
      if (!orderId) return { kind: "ignore", reason: "order without an id" };
      return {
        kind: "track",
        person: personOf(obj(p.customer), p.email ?? p.contact_email, p.phone),
        event: "Placed Order",
        timestamp,
        properties: {
          order_id: orderId,
          ...(str(p.name) && { order_name: str(p.name) }),
          ...(str(p.checkout_token) && { cart_id: str(p.checkout_token) }),
          items: lineItems(p.line_items),
          ...(num(p.total_price) !== undefined && { value: num(p.total_price) }),
          ...(str(p.currency) && { currency: str(p.currency) }),
          ...(list(p.discount_codes).length > 0 && {
            discount_codes: list(p.discount_codes)
              .map((d) => str(d.code))
              .filter(Boolean),
          }),
          source: "shopify",
        },
      };
    }
    case "checkouts/create":
    case "checkouts/update": {
      if (p.completed_at) return { kind: "ignore", reason: "checkout already completed" };
      const person = personOf(obj(p.customer), p.email, p.phone);
      if (!person.userId && !person.email)
        return { kind: "ignore", reason: "checkout has no customer to attribute it to" };
      const cartId = str(p.token) ?? idOf(p.id);
      return {
        kind: "track",
        person,
        event: "Started Checkout",
        timestamp: str(p.updated_at) ?? timestamp,
        properties: {
          ...(cartId && { cart_id: cartId }),
          items: lineItems(p.line_items),
          ...(num(p.total_price) !== undefined && { value: num(p.total_price) }),
          ...(str(p.currency) && { currency: str(p.currency) }),
          ...(str(p.abandoned_checkout_url) && { checkout_url: str(p.abandoned_checkout_url) }),
          source: "shopify",
        },
      };
    }
    case "customers/create": {
      const person = personOf(p);
      if (!person.userId && !person.email)
        return { kind: "ignore", reason: "customer has neither id nor email" };
      return { kind: "track", person, event: "Signed Up", timestamp, properties: { source: "shopify" } };
    }
    case "fulfillments/create": {
      const orderId = idOf(p.order_id);
      if (!orderId) return { kind: "ignore", reason: "fulfillment without an order id" };
      const trackingUrl =
        str(p.tracking_url) ?? (Array.isArray(p.tracking_urls) ? str(p.tracking_urls[0]) : undefined);
      const trackingNumber =
        str(p.tracking_number) ??
        (Array.isArray(p.tracking_numbers) ? str(p.tracking_numbers[0]) : undefined);
      return {
        kind: "track",
        person: personOf(undefined, p.email),
        event: "Order Shipped",
        timestamp,
        findContactByOrderId: orderId,
        properties: {
          order_id: orderId,
          ...(trackingUrl && { tracking_url: trackingUrl }),
          ...(str(p.tracking_company) && { carrier: str(p.tracking_company) }),
          ...(trackingNumber && { tracking_number: trackingNumber }),
          ...(shopifyId(p) && { fulfillment_id: shopifyId(p) }),
          source: "shopify",
        },
      };
    }
    case "products/update": {
      const productId = shopifyId(p);
      if (!productId) return { kind: "ignore", reason: "product without an id" };
      const variants = list(p.variants);
      const stock = variants
        .map((v) => num(v.inventory_quantity))
        .filter((q): q is number => q !== undefined);
      const handle = str(p.handle);
      const image = str(obj(p.image)?.src) ?? str(list(p.images)[0]?.src);
      const price = num(variants[0]?.price);
      // How long one unit lasts, from a product metafield `days_per_unit` (any namespace),
      // included in the webhook when the subscription names its namespace.
      const daysPerUnit = num(list(p.metafields).find((m) => str(m.key) === "days_per_unit")?.value);
      return {
        kind: "product",
        productId,
        product: {
          ...(str(p.title) && { title: str(p.title) }),
          ...(handle && shopDomain && { url: `https://${shopDomain}/products/${handle}` }),
          ...(image && { image }),
          ...(price !== undefined && { price }),
          ...((str(p.product_type) ?? str(obj(p.category)?.name)) && {
            category: str(p.product_type) ?? str(obj(p.category)?.name),
          }),
          ...(daysPerUnit !== undefined && daysPerUnit > 0 && { daysPerUnit: Math.round(daysPerUnit) }),
          ...(stock.length > 0 && {
            inventory: stock.reduce((sum, q) => sum + Math.max(0, Math.trunc(q)), 0),
          }),
        },
      };
    }
  }
}

/**
 * What makes two deliveries the same: topic, the resource's id and its `updated_at` (else
 * `created_at`); undefined when the payload names no resource (then the webhook id decides).
 */
export function shopifyDeliveryKey(topic: ShopifyTopic, payload: unknown): string | undefined {
  const p = obj(payload);
  if (!p) return undefined;
  const id = topic.startsWith("checkouts/") ? (str(p.token) ?? shopifyId(p)) : shopifyId(p);
  if (!id) return undefined;
  const version = str(p.updated_at) ?? str(p.created_at) ?? "";
  const key = `shopify-${topic}-${id}-${version}`;
  // Message ids are at most 255 characters; a long key is hashed.
  return key.length <= 200 ? key : `shopify-${createHash("sha256").update(key).digest("base64url")}`;
}

// ---------------------------------------------------------------- storing

export type ShopifyResult =
  | { ok: true; ignored: string }
  | { ok: true; event: { id?: string; duplicate: boolean } }
  | { ok: true; product: { id: string; created: boolean; backInStock: number } }
  | { ok: false; status: number; message: string; issues: Issue[] };

/** Stores one verified delivery; returns what it did and the events newly stored. */
export async function ingestShopifyDelivery(
  db: DbOrTx,
  input: {
    workspaceId: string;
    topic: ShopifyTopic;
    webhookId: string;
    payload: unknown;
    shopDomain?: string;
    now?: Date;
  },
): Promise<{ result: ShopifyResult; stored: StoredEvent[] }> {
  const plan = planShopifyDelivery(input.topic, input.payload, input.shopDomain);
  if (plan.kind === "ignore") return { result: { ok: true, ignored: plan.reason }, stored: [] };

  if (plan.kind === "product") {
    const parsed = ProductInput.safeParse(plan.product);
    if (!parsed.success)
      return {
        result: {
          ok: false,
          status: 400,
          message: "The product could not be mapped",
          issues: toIssues(parsed.error, ["product"]),
        },
        stored: [],
      };
    const upserted = await upsertProduct(db, {
      workspaceId: input.workspaceId,
      productId: plan.productId,
      product: parsed.data,
      now: input.now,
    });
    return {
      result: {
        ok: true,
        product: {
          id: upserted.product.id,
          created: upserted.created,
          backInStock: upserted.backInStock.length,
        },
      },
      stored: upserted.backInStock,
    };
  }

  const track = TrackPayload.safeParse({
    type: "track",
    event: plan.event,
    properties: plan.properties,
    timestamp: plan.timestamp,
    messageId: shopifyDeliveryKey(input.topic, input.payload) ?? `shopify-${input.webhookId}`,
  });
  if (!track.success)
    return {
      result: {
        ok: false,
        status: 400,
        message: `The ${plan.event} event could not be mapped`,
        issues: toIssues(track.error),
      },
      stored: [],
    };
  const { person } = plan;
  let identify: IdentifyMessage | undefined;
  if (person.userId || person.email) {
    const parsed = IdentifyPayload.safeParse({
      type: "identify",
      userId: person.userId,
      traits: person.traits,
    });
    if (!parsed.success)
      return {
        result: {
          ok: false,
          status: 400,
          message: "The customer could not be mapped",
          issues: toIssues(parsed.error),
        },
        stored: [],
      };
    identify = parsed.data;
  }

  return db.transaction(async (tx) => {
    let contactId: string | undefined;
    if (identify) {
      const report = await ingestMessages(tx, {
        workspaceId: input.workspaceId,
        messages: [identify],
        now: input.now,
      });
      const outcome = report.outcomes[0];
      if (outcome?.ok) contactId = outcome.id;
    }
    if (!contactId && plan.findContactByOrderId)
      contactId = await contactOfOrder(tx, input.workspaceId, plan.findContactByOrderId);
    const message: TrackMessage = { ...track.data, ...(contactId && { contactId }) };
    const report = await ingestMessages(tx, {
      workspaceId: input.workspaceId,
      messages: [message],
      now: input.now,
    });
    const outcome = report.outcomes[0];
    if (!outcome?.ok) {
      const failed = outcome ?? { status: 500, error: { message: "Nothing stored", issues: [] } };
      return {
        result: {
          ok: false,
          status: failed.status,
          message: failed.error.message,
          issues: failed.error.issues,
        },
        stored: [],
      };
    }
    return {
      result: { ok: true, event: { id: outcome.id, duplicate: outcome.duplicate } },
      stored: report.stored,
    };
  });
}

/** The contact who placed an order, from its Placed Order event. */
async function contactOfOrder(db: DbOrTx, workspaceId: string, orderId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ contactId: events.contactId })
    .from(events)
    .where(
      and(
        eq(events.workspaceId, workspaceId),
        eq(events.name, "Placed Order"),
        sql`${events.properties}->>'order_id' = ${orderId}`,
        sql`${events.contactId} is not null`,
      ),
    )
    .orderBy(desc(events.occurredAt))
    .limit(1);
  return row?.contactId ?? undefined;
}
