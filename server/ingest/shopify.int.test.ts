/**
 * POST /api/webhooks/shopify/{workspaceSlug}: HMAC verification (bad → 401, nothing written),
 * each topic's real-shaped payload mapped to its canonical event, dedup by webhook id.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { contacts, events, products } from "@/server/db/schema";
import { handleShopifyWebhook, handleTrack } from "./handlers";
import { setShopifyWebhookSecret, signShopifyBody } from "./shopify";
import {
  CHECKOUT_CREATED,
  CUSTOMER_CREATED,
  FULFILLMENT_CREATED,
  ORDER_CREATED,
  PRODUCT_UPDATED,
  SHOP_DOMAIN,
} from "@/server/testing/shopify-fixtures";
import { apiRequest, createShop, reply, rowCounts } from "@/server/testing/ingest-requests";

const SECRET = "shpss_0123456789abcdef0123456789abcdef";

let t: TestDb;
let shop: Awaited<ReturnType<typeof createShop>>;

beforeAll(async () => {
  t = await createTestDb();
  shop = await createShop(t.db, "Shopify Shop");
  await setShopifyWebhookSecret(t.db, { workspaceId: shop.workspaceId, secret: SECRET });
});
afterAll(() => t.close());

interface Delivery {
  topic: string;
  payload: unknown;
  webhookId?: string;
  secret?: string;
  hmac?: string | null;
  slug?: string;
}

function deliver({
  topic,
  payload,
  webhookId = randomUUID(),
  secret = SECRET,
  hmac,
  slug = shop.workspace.slug,
}: Delivery) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "x-shopify-topic": topic,
    "x-shopify-webhook-id": webhookId,
    "x-shopify-shop-domain": SHOP_DOMAIN,
    "x-shopify-api-version": "2024-10",
  };
  const signature = hmac === undefined ? signShopifyBody(body, secret) : hmac;
  if (signature !== null) headers["x-shopify-hmac-sha256"] = signature;
  return reply(
    handleShopifyWebhook(t.db, apiRequest(`/api/webhooks/shopify/${slug}`, { body, headers }), slug),
  );
}

async function eventById(id: unknown) {
  const [row] = await t.db
    .select()
    .from(events)
    .where(eq(events.id, id as string));
  return row;
}
async function contactById(id: string | null | undefined) {
  const [row] = await t.db
    .select()
    .from(contacts)
    .where(eq(contacts.id, id ?? "00000000-0000-0000-0000-000000000000"));
  return row;
}

describe(`Shopify webhooks: signatures (${testDriver()})`, () => {
  it("refuses a bad, missing or foreign HMAC with 401 and writes nothing", async () => {
    const before = await rowCounts(t.db, shop.workspaceId);
    const bad = await deliver({ topic: "orders/create", payload: ORDER_CREATED, secret: "not-the-secret" });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ error: { message: expect.stringMatching(/Hmac/i) as unknown } });
    expect((await deliver({ topic: "orders/create", payload: ORDER_CREATED, hmac: null })).status).toBe(401);
    expect((await deliver({ topic: "orders/create", payload: ORDER_CREATED, hmac: "AAAA" })).status).toBe(
      401,
    );
    expect(
      (await deliver({ topic: "orders/create", payload: ORDER_CREATED, hmac: "%%% not base64 %%%" })).status,
    ).toBe(401);
    expect(
      (await deliver({ topic: "products/update", payload: PRODUCT_UPDATED, secret: "wrong" })).status,
    ).toBe(401);
    // A body changed after signing.
    const body = JSON.stringify(ORDER_CREATED);
    const tampered = await reply(
      handleShopifyWebhook(
        t.db,
        apiRequest(`/api/webhooks/shopify/${shop.workspace.slug}`, {
          body: body.replace("48.80", "0.01"),
          headers: {
            "x-shopify-topic": "orders/create",
            "x-shopify-webhook-id": randomUUID(),
            "x-shopify-hmac-sha256": signShopifyBody(body, SECRET),
          },
        }),
        shop.workspace.slug,
      ),
    );
    expect(tampered.status).toBe(401);
    expect(await rowCounts(t.db, shop.workspaceId)).toEqual(before);
  });

  it("refuses workspaces without a secret and unknown workspaces", async () => {
    const bare = await createShop(t.db, "No Shopify");
    expect(
      (await deliver({ topic: "orders/create", payload: ORDER_CREATED, slug: bare.workspace.slug })).status,
    ).toBe(401);
    expect(
      (await deliver({ topic: "orders/create", payload: ORDER_CREATED, slug: "no-such-shop" })).status,
    ).toBe(401);
    expect((await rowCounts(t.db, bare.workspaceId)).events).toBe(0);
  });

  it("acknowledges topics it does not use, and asks for the webhook id", async () => {
    const res = await deliver({ topic: "app/uninstalled", payload: { id: 1 } });
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    const noId = await reply(
      handleShopifyWebhook(
        t.db,
        apiRequest(`/api/webhooks/shopify/${shop.workspace.slug}`, {
          body: "{}",
          headers: {
            "x-shopify-topic": "orders/create",
            "x-shopify-hmac-sha256": signShopifyBody("{}", SECRET),
          },
        }),
        shop.workspace.slug,
      ),
    );
    expect(noId.status).toBe(400);
  });

  it("answers a signed but malformed body with 400", async () => {
    const res = await reply(
      handleShopifyWebhook(
        t.db,
        apiRequest(`/api/webhooks/shopify/${shop.workspace.slug}`, {
          body: "{oops",
          headers: {
            "x-shopify-topic": "orders/create",
            "x-shopify-webhook-id": "w-malformed",
            "x-shopify-hmac-sha256": signShopifyBody("{oops", SECRET),
          },
        }),
        shop.workspace.slug,
      ),
    );
    expect(res.status).toBe(400);
  });
});

describe(`Shopify webhooks: topics (${testDriver()})`, () => {
  it("customers/create → identify with traits and consent + Signed Up", async () => {
    const res = await deliver({ topic: "customers/create", payload: CUSTOMER_CREATED });
    expect(res.status).toBe(200);
    const event = await eventById((res.body.event as { id: string }).id);
    expect(event).toMatchObject({ name: "Signed Up", properties: { source: "shopify" } });
    const contact = await contactById(event?.contactId);
    expect(contact).toMatchObject({
      externalId: "7041251508276",
      email: "ann.lee@example.com",
      firstName: "Ann",
      lastName: "Lee",
      phone: "+16135552222",
      country: "US",
      emailConsent: "subscribed",
      smsConsent: "none",
    });
  });

  it("orders/create → Placed Order for the customer, deduplicated by webhook id", async () => {
    const before = await rowCounts(t.db, shop.workspaceId);
    const first = await deliver({ topic: "orders/create", payload: ORDER_CREATED, webhookId: "wh-order-1" });
    const again = await deliver({ topic: "orders/create", payload: ORDER_CREATED, webhookId: "wh-order-1" });
    expect(first.status).toBe(200);
    expect(again.body.event).toEqual({ id: (first.body.event as { id: string }).id, duplicate: true });
    expect((await rowCounts(t.db, shop.workspaceId)).events).toBe(before.events + 1);

    const event = await eventById((first.body.event as { id: string }).id);
    expect(event?.name).toBe("Placed Order");
    expect(event?.idempotencyKey).toBe("shopify-orders/create-5612398723123-2026-04-10T11:00:00-05:00");
    expect(event?.occurredAt.toISOString()).toBe("2026-04-10T16:00:00.000Z");
    expect(event?.properties).toEqual({
      order_id: "5612398723123",
      order_name: "#1001",
      cart_id: "bd5a8aa1ecd019dd3520ff791ee3a24c",
      items: [
        {
          product_id: "632910392",
          variant_id: "39072856",
          title: "Kenya Nyeri AA",
          price: 21.9,
          quantity: 2,
          sku: "KENYA-340",
          vendor: "Juniper Roasters",
        },
        { title: "Tip", price: 5, quantity: 1, vendor: "Juniper Roasters" },
      ],
      value: 48.8,
      currency: "USD",
      discount_codes: ["WELCOME10"],
      source: "shopify",
    });
    const contact = await contactById(event?.contactId);
    expect(contact).toMatchObject({
      externalId: "7041251508275",
      email: "bob.norman@mail.example.com",
      firstName: "Bob",
      emailConsent: "subscribed",
    });
  });

  it("the same signed order replayed under a new webhook id is stored once; a newer updated_at is a new delivery", async () => {
    const order = { ...ORDER_CREATED, id: 7001, admin_graphql_api_id: "gid://shopify/Order/7001" };
    const before = await rowCounts(t.db, shop.workspaceId);
    const first = await deliver({ topic: "orders/create", payload: order, webhookId: "wh-replay-1" });
    const replay = await deliver({ topic: "orders/create", payload: order, webhookId: "wh-replay-2" });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.body.event).toEqual({ id: (first.body.event as { id: string }).id, duplicate: true });
    expect((await rowCounts(t.db, shop.workspaceId)).events).toBe(before.events + 1);
    const changed = { ...order, updated_at: "2026-04-10T12:30:00-05:00" };
    const newer = await deliver({ topic: "orders/create", payload: changed, webhookId: "wh-replay-3" });
    expect(newer.body.event).toMatchObject({ duplicate: false });
    expect((await rowCounts(t.db, shop.workspaceId)).events).toBe(before.events + 2);
  });

  it("checkouts/create and checkouts/update → Started Checkout; completed or anonymous checkouts are skipped", async () => {
    const created = await deliver({ topic: "checkouts/create", payload: CHECKOUT_CREATED });
    const event = await eventById((created.body.event as { id: string }).id);
    expect(event?.name).toBe("Started Checkout");
    expect(event?.properties).toMatchObject({
      cart_id: "123123123",
      value: 43.8,
      currency: "USD",
      checkout_url: CHECKOUT_CREATED.abandoned_checkout_url,
      items: [{ product_id: "632910392", title: "Kenya Nyeri AA", price: 21.9, quantity: 2 }],
    });
    expect((await contactById(event?.contactId))?.externalId).toBe("7041251508275");

    const updated = await deliver({
      topic: "checkouts/update",
      payload: { ...CHECKOUT_CREATED, total_price: "65.70", updated_at: "2026-04-10T10:45:00-05:00" },
    });
    expect((await eventById((updated.body.event as { id: string }).id))?.properties).toMatchObject({
      value: 65.7,
    });

    const before = await rowCounts(t.db, shop.workspaceId);
    const completed = await deliver({
      topic: "checkouts/update",
      payload: { ...CHECKOUT_CREATED, completed_at: "2026-04-10T11:00:00-05:00" },
    });
    expect(completed.body).toMatchObject({ ok: true, ignored: expect.any(String) as unknown });
    const anonymous = await deliver({
      topic: "checkouts/create",
      payload: { ...CHECKOUT_CREATED, email: null, customer: null },
    });
    expect(anonymous.body).toMatchObject({ ok: true, ignored: expect.any(String) as unknown });
    expect(await rowCounts(t.db, shop.workspaceId)).toEqual(before);
  });

  it("a guest checkout with only an email finds or creates the contact by email", async () => {
    const res = await deliver({
      topic: "checkouts/create",
      payload: { ...CHECKOUT_CREATED, token: "guest-1", email: "Guest@Example.com", customer: null },
    });
    const event = await eventById((res.body.event as { id: string }).id);
    expect(await contactById(event?.contactId)).toMatchObject({
      email: "guest@example.com",
      externalId: null,
    });
  });

  it("fulfillments/create → Order Shipped with the tracking link, for the order's customer", async () => {
    const res = await deliver({ topic: "fulfillments/create", payload: FULFILLMENT_CREATED });
    const event = await eventById((res.body.event as { id: string }).id);
    expect(event).toMatchObject({
      name: "Order Shipped",
      properties: {
        order_id: "5612398723123",
        tracking_url: FULFILLMENT_CREATED.tracking_url,
        carrier: "UPS",
        tracking_number: "1Z2345",
        fulfillment_id: "1069019908",
        source: "shopify",
      },
    });
    expect((await contactById(event?.contactId))?.externalId).toBe("7041251508275");

    // Without an email on the fulfillment, the order's Placed Order names the customer.
    const noEmail = await deliver({
      topic: "fulfillments/create",
      payload: { ...FULFILLMENT_CREATED, email: null, id: 1069019909, admin_graphql_api_id: null },
    });
    const second = await eventById((noEmail.body.event as { id: string }).id);
    expect(second?.contactId).toBe(event?.contactId);
  });

  it("products/update → product upsert with inventory, and Back in Stock for waiting subscribers", async () => {
    const soldOut = {
      ...PRODUCT_UPDATED,
      variants: PRODUCT_UPDATED.variants.map((v) => ({ ...v, inventory_quantity: 0 })),
    };
    const first = await deliver({ topic: "products/update", payload: soldOut });
    expect(first.body).toMatchObject({ product: { id: "632910392", created: true, backInStock: 0 } });
    const [row] = await t.db
      .select()
      .from(products)
      .where(and(eq(products.workspaceId, shop.workspaceId), eq(products.id, "632910392")));
    expect(row).toMatchObject({
      title: "Kenya Nyeri AA",
      url: `https://${SHOP_DOMAIN}/products/kenya-nyeri-aa`,
      imageUrl: PRODUCT_UPDATED.image.src,
      priceCents: 2190,
      category: "Coffee",
      inventory: 0,
    });

    await reply(
      handleTrack(
        t.db,
        apiRequest("/api/v1/track", {
          key: shop.secretKey,
          body: {
            userId: "7041251508275",
            event: "Subscribed to Back in Stock",
            properties: { product_id: 632910392 },
          },
        }),
      ),
    );
    const restock = await deliver({ topic: "products/update", payload: PRODUCT_UPDATED });
    expect(restock.body).toMatchObject({ product: { id: "632910392", created: false, backInStock: 1 } });
    const [after] = await t.db
      .select()
      .from(products)
      .where(and(eq(products.workspaceId, shop.workspaceId), eq(products.id, "632910392")));
    expect(after?.inventory).toBe(12);
    const told = await t.db
      .select()
      .from(events)
      .where(and(eq(events.workspaceId, shop.workspaceId), eq(events.name, "Back in Stock")));
    expect(told).toHaveLength(1);
    expect(told[0]?.properties).toMatchObject({
      product_id: "632910392",
      title: "Kenya Nyeri AA",
      price: 21.9,
      inventory: 12,
    });

    const replay = await deliver({ topic: "products/update", payload: PRODUCT_UPDATED });
    expect(replay.body).toMatchObject({ product: { backInStock: 0 } });
  });
});
