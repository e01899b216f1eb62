/**
 * The /api/v1 track, identify and batch endpoints, called through their handler functions
 * against a real database: valid input, every invalid field (400 with its path), size limits,
 * auth, idempotency, anonymous → identified merge, per-item batch results.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { backInStockSubscriptions, contacts, events } from "@/server/db/schema";
import { revokeApiKey } from "@/server/api-keys/api-keys";
import { handleBatch, handleIdentify, handlePreflight, handleTrack } from "./handlers";
import { onEventsStored, type StoredEvent } from "./hooks";
import { apiRequest, createShop, reply, rowCounts, type ErrorBody } from "@/server/testing/ingest-requests";

let t: TestDb;
let shop: Awaited<ReturnType<typeof createShop>>;
let other: Awaited<ReturnType<typeof createShop>>;

beforeAll(async () => {
  t = await createTestDb();
  shop = await createShop(t.db, "Juniper");
  other = await createShop(t.db, "Other");
});
afterAll(() => t.close());

const track = (body: unknown, key: string | null = shop.secretKey) =>
  reply(handleTrack(t.db, apiRequest("/api/v1/track", { body, key })));
const identify = (body: unknown, key: string | null = shop.secretKey) =>
  reply(handleIdentify(t.db, apiRequest("/api/v1/identify", { body, key })));
const batch = (body: unknown, key: string | null = shop.secretKey) =>
  reply<{
    results: Array<{
      index: number;
      ok: boolean;
      id?: string;
      duplicate?: boolean;
      error?: { status: number; message: string; issues: Array<{ path: string; message: string }> };
    }>;
  }>(handleBatch(t.db, apiRequest("/api/v1/batch", { body, key })));

async function contactByExternalId(externalId: string, workspaceId = shop.workspaceId) {
  const [row] = await t.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.externalId, externalId)));
  return row;
}
async function eventById(id: string) {
  const [row] = await t.db.select().from(events).where(eq(events.id, id));
  return row;
}

const placedOrder = {
  order_id: "ord_1",
  cart_id: "cart_1",
  items: [
    {
      product_id: "cof-kenya",
      title: "Kenya Nyeri AA, 340 g",
      price: 21.9,
      quantity: 2,
      category: "Coffee",
      url: "/store/demo/products/cof-kenya",
      image_url: "/store/demo/images/cof-kenya.svg",
    },
  ],
  value: 43.8,
  currency: "usd",
};

describe(`POST /api/v1/track (${testDriver()})`, () => {
  it("stores an event and creates the contact named by userId", async () => {
    const res = await track({
      userId: "cus_1",
      event: "Placed Order",
      properties: placedOrder,
      timestamp: "2026-01-02T03:04:05+02:00",
      messageId: "m-track-1",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, duplicate: false });
    const row = await eventById(res.body.id as string);
    const contact = await contactByExternalId("cus_1");
    expect(row).toMatchObject({
      name: "Placed Order",
      contactId: contact?.id,
      idempotencyKey: "m-track-1",
      anonymousId: null,
    });
    expect(row?.occurredAt.toISOString()).toBe("2026-01-02T01:04:05.000Z");
    expect(row?.properties).toEqual({ ...placedOrder, currency: "USD" });
  });

  it("stores quotes, backslashes and dollar signs in every value exactly as sent", async () => {
    const tricky = `O'Brien's "café" \\ $1 $$ '' \\'; drop table events; --`;
    const res = await track({
      userId: `cus_${tricky}`,
      anonymousId: `anon_${tricky}`,
      event: `Said ${tricky}`,
      properties: { note: tricky, nested: { list: [tricky, null] } },
      messageId: `m-${tricky}`,
      context: { timezone: "Europe/Dublin" },
    });
    expect(res.status).toBe(200);
    const row = await eventById(res.body.id as string);
    expect(row).toMatchObject({
      name: `Said ${tricky}`,
      idempotencyKey: `m-${tricky}`,
      anonymousId: `anon_${tricky}`,
    });
    expect(row?.properties).toEqual({ note: tricky, nested: { list: [tricky, null] } });
    expect((await contactByExternalId(`cus_${tricky}`))?.id).toBe(row?.contactId);
  });

  it("accepts numeric ids and extra properties on canonical events, and any event name", async () => {
    const res = await track({
      userId: 42,
      event: "Viewed Product",
      properties: { product_id: 1001, title: "Mug", color: "sand", nested: { a: [1, 2] } },
    });
    expect(res.status).toBe(200);
    expect((await eventById(res.body.id as string))?.properties).toEqual({
      product_id: "1001",
      title: "Mug",
      color: "sand",
      nested: { a: [1, 2] },
    });
    expect(await contactByExternalId("42")).toBeDefined();
    const custom = await track({ userId: "cus_1", event: "Played Quiz", properties: { score: "high" } });
    expect(custom.status).toBe(200);
  });

  it("stores the same messageId once per workspace", async () => {
    const body = { userId: "cus_dup", event: "Signed Up", messageId: "dup-1" };
    const before = await rowCounts(t.db, shop.workspaceId);
    const first = await track(body);
    const second = await track({ ...body, properties: { source: "changed" } });
    expect(first.body).toMatchObject({ ok: true, duplicate: false });
    expect(second.body).toEqual({ ok: true, id: first.body.id, duplicate: true });
    expect((await rowCounts(t.db, shop.workspaceId)).events).toBe(before.events + 1);
    // Another workspace has its own keys.
    const elsewhere = await track(body, other.secretKey);
    expect(elsewhere.body).toMatchObject({ ok: true, duplicate: false });
    expect(elsewhere.body.id).not.toBe(first.body.id);
  });

  it("generates a key when messageId is missing (the same event twice is two events)", async () => {
    const body = { userId: "cus_nokey", event: "Viewed Product", properties: { product_id: "cof-kenya" } };
    const a = await track(body);
    const b = await track(body);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it("fills an empty contact time zone from context.timezone, and never overwrites it", async () => {
    await track({ userId: "cus_tz", event: "Signed Up", context: { timezone: "Europe/Berlin" } });
    expect((await contactByExternalId("cus_tz"))?.timezone).toBe("Europe/Berlin");
    await track({ userId: "cus_tz", event: "Signed Up", context: { timezone: "Asia/Tokyo" } });
    expect((await contactByExternalId("cus_tz"))?.timezone).toBe("Europe/Berlin");
  });

  it("answers CORS preflight for browsers", () => {
    const res = handlePreflight();
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-headers")).toContain("authorization");
  });
});

describe(`invalid input is a 400 naming the field (${testDriver()})`, () => {
  const ok = { userId: "cus_bad", event: "Signed Up" };
  const trackCases: Array<[string, unknown, string]> = [
    ["no event", { userId: "u" }, "event"],
    ["empty event", { ...ok, event: "  " }, "event"],
    ["event not a string", { ...ok, event: 42 }, "event"],
    ["no userId or anonymousId", { event: "Signed Up" }, "userId"],
    ["empty userId", { ...ok, userId: "" }, "userId"],
    ["userId an object", { ...ok, userId: { id: 1 } }, "userId"],
    ["anonymousId a number", { event: "Signed Up", anonymousId: 5 }, "anonymousId"],
    ["properties not an object", { ...ok, properties: "x" }, "properties"],
    ["properties an array", { ...ok, properties: [1] }, "properties"],
    ["timestamp not ISO", { ...ok, timestamp: "yesterday" }, "timestamp"],
    ["timestamp without zone", { ...ok, timestamp: "2026-01-02T03:04:05" }, "timestamp"],
    ["timestamp not a real day", { ...ok, timestamp: "2026-02-30T00:00:00Z" }, "timestamp"],
    ["timestamp far in the future", { ...ok, timestamp: "2999-01-01T00:00:00Z" }, "timestamp"],
    ["timestamp before 1970", { ...ok, timestamp: "1969-12-31T00:00:00Z" }, "timestamp"],
    ["empty messageId", { ...ok, messageId: "" }, "messageId"],
    ["messageId too long", { ...ok, messageId: "m".repeat(300) }, "messageId"],
    ["unknown time zone", { ...ok, context: { timezone: "Mars/Olympus" } }, "context.timezone"],
    ["wrong type for /track", { ...ok, type: "identify" }, "type"],
    [
      "value not a number",
      { ...ok, event: "Placed Order", properties: { ...placedOrder, value: "43.80" } },
      "properties.value",
    ],
    [
      "negative value",
      { ...ok, event: "Placed Order", properties: { ...placedOrder, value: -1 } },
      "properties.value",
    ],
    [
      "order without order_id",
      { ...ok, event: "Placed Order", properties: { value: 3 } },
      "properties.order_id",
    ],
    [
      "bad currency",
      { ...ok, event: "Placed Order", properties: { ...placedOrder, currency: "dollars" } },
      "properties.currency",
    ],
    [
      "item price not a number",
      { ...ok, event: "Started Checkout", properties: { items: [{ product_id: "a", price: "x" }] } },
      "properties.items.0.price",
    ],
    [
      "items not an array",
      { ...ok, event: "Started Checkout", properties: { items: "a,b" } },
      "properties.items",
    ],
    [
      "rating out of range",
      { ...ok, event: "Review Submitted", properties: { rating: 6 } },
      "properties.rating",
    ],
    [
      "rating not whole",
      { ...ok, event: "Review Submitted", properties: { rating: 4.5 } },
      "properties.rating",
    ],
    [
      "viewed product without product_id",
      { ...ok, event: "Viewed Product", properties: { title: "Mug" } },
      "properties.product_id",
    ],
    [
      "javascript: url",
      { ...ok, event: "Viewed Product", properties: { product_id: "a", url: "javascript:alert(1)" } },
      "properties.url",
    ],
    [
      "tracking_url not a URL",
      { ...ok, event: "Order Shipped", properties: { order_id: "o", tracking_url: "ups" } },
      "properties.tracking_url",
    ],
    ["NUL in a property", { ...ok, properties: { note: "a\u0000b" } }, "properties.note"],
    [
      "unpaired surrogate in a property",
      { ...ok, properties: { deep: { note: "\ud800" } } },
      "properties.deep.note",
    ],
    ["NUL in the event name", { ...ok, event: "Signed\u0000Up" }, "event"],
    ["body is an array", [ok], "(body)"],
    ["body is a string", '"hello"', "(body)"],
  ];

  it.each(trackCases)("track: %s", async (_label, body, path) => {
    const before = await rowCounts(t.db, shop.workspaceId);
    const res = await track(body);
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).error.issues.map((i) => i.path)).toContain(path);
    expect(await rowCounts(t.db, shop.workspaceId)).toEqual(before);
  });

  it("track: properties nested too deep", async () => {
    let deep: unknown = "x";
    for (let i = 0; i < 30; i++) deep = { d: deep };
    const res = await track({ ...ok, properties: { deep } });
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).error.issues[0]?.path).toMatch(/^properties\.deep(\.d)+$/);
  });

  const identifyCases: Array<[string, unknown, string]> = [
    ["no ids", { traits: { email: "a@example.com" } }, "userId"],
    ["bad email", { userId: "u", traits: { email: "nope" } }, "traits.email"],
    ["impossible birthday", { userId: "u", traits: { birthday: "1990-02-30" } }, "traits.birthday"],
    ["birthday in the future", { userId: "u", traits: { birthday: "2999-01-01" } }, "traits.birthday"],
    ["unknown time zone", { userId: "u", traits: { timezone: "Nowhere/Land" } }, "traits.timezone"],
    ["bad consent", { userId: "u", traits: { email_consent: "yes" } }, "traits.email_consent"],
    ["bad phone", { userId: "u", traits: { phone: "call me" } }, "traits.phone"],
    ["first name not text", { userId: "u", traits: { first_name: 7 } }, "traits.first_name"],
    ["traits not an object", { userId: "u", traits: "vip" }, "traits"],
    ["NUL in a custom trait", { userId: "u", traits: { plan: "\u0000" } }, "traits.plan"],
    ["wrong type for /identify", { userId: "u", type: "track" }, "type"],
  ];

  it.each(identifyCases)("identify: %s", async (_label, body, path) => {
    const before = await rowCounts(t.db, shop.workspaceId);
    const res = await identify(body);
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).error.issues.map((i) => i.path)).toContain(path);
    expect(await rowCounts(t.db, shop.workspaceId)).toEqual(before);
  });

  const batchCases: Array<[string, unknown, string]> = [
    ["no batch", { messages: [] }, "batch"],
    ["empty batch", { batch: [] }, "batch"],
    ["batch not an array", { batch: { type: "track" } }, "batch"],
    [
      "bad shared context",
      { batch: [{ type: "track", ...ok }], context: { timezone: "X/Y" } },
      "context.timezone",
    ],
  ];

  it.each(batchCases)("batch: %s", async (_label, body, path) => {
    const res = await batch(body);
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).error.issues.map((i) => i.path)).toContain(path);
  });

  it("malformed JSON and empty bodies are 400, never 500", async () => {
    for (const raw of ["{", '{"event": }', "undefined", "", "   ", "\u0000"]) {
      for (const handler of [handleTrack, handleIdentify, handleBatch]) {
        const res = await reply<ErrorBody>(
          handler(t.db, apiRequest("/api/v1/x", { body: raw, key: shop.secretKey })),
        );
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBeTruthy();
      }
    }
  });
});

describe(`size limits (${testDriver()})`, () => {
  it("refuses a track body over 32 KB with 413 and writes nothing", async () => {
    const before = await rowCounts(t.db, shop.workspaceId);
    const res = await track({
      userId: "cus_big",
      event: "Signed Up",
      properties: { blob: "x".repeat(33 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(await rowCounts(t.db, shop.workspaceId)).toEqual(before);
    const declared = await reply(
      handleTrack(
        t.db,
        apiRequest("/api/v1/track", {
          body: "{}",
          key: shop.secretKey,
          headers: { "content-length": String(40 * 1024) },
        }),
      ),
    );
    expect(declared.status).toBe(413);
  });

  it("refuses a batch over 500 KB with 413 and writes nothing", async () => {
    const before = await rowCounts(t.db, shop.workspaceId);
    const items = Array.from({ length: 30 }, (_, i) => ({
      type: "track",
      userId: `cus_bulk_${i}`,
      event: "Signed Up",
      properties: { blob: "y".repeat(20 * 1024) },
    }));
    const res = await batch({ batch: items });
    expect(res.status).toBe(413);
    expect(await rowCounts(t.db, shop.workspaceId)).toEqual(before);
  });

  it("refuses one message over 32 KB inside a batch and stores the rest", async () => {
    const before = await rowCounts(t.db, shop.workspaceId);
    const res = await batch({
      batch: [
        { type: "track", userId: "cus_size", event: "Signed Up" },
        {
          type: "track",
          userId: "cus_size",
          event: "Signed Up",
          properties: { blob: "z".repeat(33 * 1024) },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ index: 0, ok: true });
    expect(res.body.results[1]).toMatchObject({
      index: 1,
      ok: false,
      error: { status: 413, issues: [{ path: "batch.1" }] },
    });
    expect((await rowCounts(t.db, shop.workspaceId)).events).toBe(before.events + 1);
  });
});

describe(`API keys (${testDriver()})`, () => {
  const body = { userId: "cus_auth", event: "Signed Up" };

  it("refuses a missing, unknown or malformed key with 401 and a JSON error", async () => {
    for (const key of [null, "tid_sk_wrong", "not-a-key", shop.secretKey.slice(0, -1)]) {
      const res = await reply<ErrorBody>(handleTrack(t.db, apiRequest("/api/v1/track", { body, key })));
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/API key/);
    }
    const garbage = await reply(
      handleTrack(t.db, apiRequest("/api/v1/track", { body, headers: { authorization: "Token abc" } })),
    );
    expect(garbage.status).toBe(401);
  });

  it("accepts Segment-style Basic auth with the key as user name", async () => {
    const basic = `Basic ${Buffer.from(`${shop.secretKey}:`).toString("base64")}`;
    const res = await reply(
      handleTrack(t.db, apiRequest("/api/v1/track", { body, headers: { authorization: basic } })),
    );
    expect(res.status).toBe(200);
  });

  it("lets a publishable key track, identify and batch", async () => {
    expect((await track(body, shop.publishableKey)).status).toBe(200);
    expect(
      (await identify({ userId: "cus_auth", traits: { first_name: "Pat" } }, shop.publishableKey)).status,
    ).toBe(200);
    expect((await batch({ batch: [{ type: "track", ...body }] }, shop.publishableKey)).status).toBe(200);
  });

  it("refuses a revoked key with 401 and notes when a key was last used", async () => {
    const fresh = await createShop(t.db, "Revoker");
    expect((await track(body, fresh.secretKey)).status).toBe(200);
    await revokeApiKey(t.db, { workspaceId: fresh.workspaceId, id: fresh.secretKeyId });
    const before = await rowCounts(t.db, fresh.workspaceId);
    const res = await reply<ErrorBody>(
      handleTrack(t.db, apiRequest("/api/v1/track", { body, key: fresh.secretKey })),
    );
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe("Invalid or revoked API key");
    expect(await rowCounts(t.db, fresh.workspaceId)).toEqual(before);
  });
});

describe(`POST /api/v1/identify (${testDriver()})`, () => {
  it("creates the contact with traits in columns and the rest in properties", async () => {
    const res = await identify({
      userId: "cus_ident",
      traits: {
        email: "Olivia.Smith@Example.com",
        phone: "+1 (555) 010-2030",
        firstName: "Olivia",
        last_name: "Smith",
        timezone: "America/New_York",
        birthday: "1990-05-17",
        country: "us",
        email_consent: "subscribed",
        sms_consent: "unsubscribed",
        favorite_category: "Coffee",
        plan: { tier: "gold" },
      },
    });
    expect(res.status).toBe(200);
    const contact = await contactByExternalId("cus_ident");
    expect(res.body.id).toBe(contact?.id);
    expect(contact).toMatchObject({
      email: "olivia.smith@example.com",
      phone: "+15550102030",
      firstName: "Olivia",
      lastName: "Smith",
      timezone: "America/New_York",
      birthday: "1990-05-17",
      country: "US",
      emailConsent: "subscribed",
      smsConsent: "unsubscribed",
      properties: { favorite_category: "Coffee", plan: { tier: "gold" } },
    });
  });

  it("updates only the traits it names and merges properties", async () => {
    await identify({
      userId: "cus_ident",
      traits: { first_name: "Liv", email_consent: "unsubscribed", source: "popup" },
    });
    const contact = await contactByExternalId("cus_ident");
    expect(contact).toMatchObject({
      firstName: "Liv",
      lastName: "Smith",
      email: "olivia.smith@example.com",
      emailConsent: "unsubscribed",
      smsConsent: "unsubscribed",
    });
    expect(contact?.properties).toEqual({
      favorite_category: "Coffee",
      plan: { tier: "gold" },
      source: "popup",
    });
    await identify({ userId: "cus_ident", traits: { phone: null } });
    expect((await contactByExternalId("cus_ident"))?.phone).toBeNull();
  });

  it("finds a contact by email and gives it the userId", async () => {
    const byEmail = await identify({
      anonymousId: "anon-email",
      traits: { email: "newsletter@example.com" },
    });
    expect(byEmail.status).toBe(200);
    const withId = await identify({
      userId: "cus_news",
      traits: { email: "NEWSLETTER@example.com", first_name: "Nia" },
    });
    expect(withId.body.id).toBe(byEmail.body.id);
    expect(await contactByExternalId("cus_news")).toMatchObject({ id: byEmail.body.id, firstName: "Nia" });
  });

  it("uses context.timezone when no timezone trait is given", async () => {
    await identify({
      userId: "cus_ctx",
      traits: { email: "ctx@example.com" },
      context: { timezone: "Asia/Tokyo" },
    });
    expect((await contactByExternalId("cus_ctx"))?.timezone).toBe("Asia/Tokyo");
  });

  it("refuses an identify it cannot attach to anyone", async () => {
    const res = await identify({ anonymousId: "never-seen", traits: { plan: "free" } });
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).error.issues[0]?.path).toBe("userId");
  });
});

describe(`anonymous → identified (${testDriver()})`, () => {
  it("keeps anonymous events without a contact, then merges them on identify", async () => {
    const before = await rowCounts(t.db, shop.workspaceId);
    const viewed = await track({
      anonymousId: "anon-1",
      event: "Viewed Product",
      properties: { product_id: "cof-kenya" },
    });
    const subscribed = await track({
      anonymousId: "anon-1",
      event: "Subscribed to Back in Stock",
      properties: { product_id: "cof-kenya" },
    });
    expect(await eventById(viewed.body.id as string)).toMatchObject({
      contactId: null,
      anonymousId: "anon-1",
    });
    const after = await rowCounts(t.db, shop.workspaceId);
    expect(after.contacts).toBe(before.contacts);
    expect(after.subscriptions).toBe(before.subscriptions);

    const who = await identify({
      userId: "cus_anon",
      anonymousId: "anon-1",
      traits: { email: "anon.one@example.com" },
    });
    expect(who.status).toBe(200);
    const contact = await contactByExternalId("cus_anon");
    expect(contact?.anonymousIds).toEqual(["anon-1"]);
    expect((await eventById(viewed.body.id as string))?.contactId).toBe(contact?.id);
    expect((await eventById(subscribed.body.id as string))?.contactId).toBe(contact?.id);
    const subs = await t.db
      .select()
      .from(backInStockSubscriptions)
      .where(eq(backInStockSubscriptions.contactId, contact!.id));
    expect(subs.map((s) => s.productId)).toEqual(["cof-kenya"]);

    // Later anonymous-only events resolve to the contact; identifying twice adds the id once.
    const later = await track({
      anonymousId: "anon-1",
      event: "Added to Cart",
      properties: { product_id: "cof-kenya", cart_id: "c1" },
    });
    expect((await eventById(later.body.id as string))?.contactId).toBe(contact?.id);
    await identify({ userId: "cus_anon", anonymousId: "anon-1" });
    expect((await contactByExternalId("cus_anon"))?.anonymousIds).toEqual(["anon-1"]);
  });

  it("links the ids when a track carries both", async () => {
    const early = await track({
      anonymousId: "anon-2",
      event: "Viewed Product",
      properties: { product_id: "tea-chai" },
    });
    const both = await track({
      userId: "cus_both",
      anonymousId: "anon-2",
      event: "Added to Cart",
      properties: { product_id: "tea-chai" },
    });
    const contact = await contactByExternalId("cus_both");
    expect(contact?.anonymousIds).toEqual(["anon-2"]);
    expect((await eventById(early.body.id as string))?.contactId).toBe(contact?.id);
    expect((await eventById(both.body.id as string))?.contactId).toBe(contact?.id);
  });

  it("never takes over a contact that has another userId", async () => {
    await identify({ userId: "cus_first", anonymousId: "shared-device" });
    await identify({ userId: "cus_second", anonymousId: "shared-device" });
    const first = await contactByExternalId("cus_first");
    const second = await contactByExternalId("cus_second");
    expect(first?.id).not.toBe(second?.id);
    expect(second?.anonymousIds).toEqual(["shared-device"]);
  });
});

describe(`POST /api/v1/batch (${testDriver()})`, () => {
  it("stores every valid message and reports the bad ones by path", async () => {
    const before = await rowCounts(t.db, shop.workspaceId);
    const res = await batch({
      batch: [
        { type: "identify", userId: "cus_batch", traits: { email: "batch@example.com" } },
        {
          type: "track",
          userId: "cus_batch",
          event: "Viewed Product",
          properties: { product_id: "cof-kenya" },
          messageId: "b-1",
        },
        {
          type: "track",
          userId: "cus_batch",
          event: "Placed Order",
          properties: { order_id: "o-9", value: "lots" },
        },
        { type: "track", userId: "cus_batch" },
        { type: "page", userId: "cus_batch", name: "Home" },
        "nonsense",
        { type: "identify", anonymousId: "nobody-knows" },
        {
          type: "track",
          userId: "cus_batch",
          event: "Viewed Product",
          properties: { product_id: "cof-kenya" },
          messageId: "b-1",
        },
        {
          type: "track",
          anonymousId: "anon-batch",
          event: "Started Checkout",
          properties: { cart_id: "c", value: 10, currency: "EUR" },
        },
      ],
    });
    expect(res.status).toBe(200);
    const r = res.body.results;
    expect(r.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.map((x) => x.ok)).toEqual([true, true, false, false, false, false, false, true, true]);
    expect(r[2]?.error?.issues.map((i) => i.path)).toEqual(["batch.2.properties.value"]);
    expect(r[3]?.error?.issues.map((i) => i.path)).toEqual(["batch.3.event"]);
    expect(r[4]?.error?.issues.map((i) => i.path)).toEqual(["batch.4.type"]);
    expect(r[5]?.error?.issues.map((i) => i.path)).toEqual(["batch.5"]);
    expect(r[6]?.error).toMatchObject({ status: 400, issues: [{ path: "batch.6.userId" }] });
    expect(r[7]).toMatchObject({ ok: true, id: r[1]?.id, duplicate: true });
    const after = await rowCounts(t.db, shop.workspaceId);
    expect(after.events).toBe(before.events + 2);
    expect(after.contacts).toBe(before.contacts + 1);
    expect(await eventById(r[1]!.id!)).toMatchObject({
      contactId: (await contactByExternalId("cus_batch"))?.id,
    });
  });

  it("applies messages in order: an identify in the middle attributes what follows", async () => {
    const res = await batch({
      batch: [
        {
          type: "track",
          anonymousId: "anon-order",
          event: "Viewed Product",
          properties: { product_id: "a" },
        },
        { type: "identify", userId: "cus_order", anonymousId: "anon-order" },
        {
          type: "track",
          anonymousId: "anon-order",
          event: "Viewed Product",
          properties: { product_id: "b" },
        },
      ],
      context: { timezone: "Europe/Paris" },
    });
    const contact = await contactByExternalId("cus_order");
    expect(contact?.timezone).toBe("Europe/Paris");
    for (const k of [0, 2]) expect((await eventById(res.body.results[k]!.id!))?.contactId).toBe(contact?.id);
  });

  it("stores a large batch of new contacts in one go", async () => {
    const items = Array.from({ length: 300 }, (_, i) => ({
      type: "track",
      userId: `bulk_${i % 120}`,
      event: "Viewed Product",
      properties: { product_id: `p${i}` },
      messageId: `bulk-${i}`,
    }));
    const before = await rowCounts(t.db, shop.workspaceId);
    const res = await batch({ batch: items });
    expect(res.body.results.every((x) => x.ok && !x.duplicate)).toBe(true);
    const after = await rowCounts(t.db, shop.workspaceId);
    expect(after.events - before.events).toBe(300);
    expect(after.contacts - before.contacts).toBe(120);
  });
});

describe(`events-stored hook (${testDriver()})`, () => {
  let off: Array<() => void> = [];
  afterEach(() => {
    off.forEach((f) => f());
    off = [];
  });

  it("gets the rows newly stored, never duplicates", async () => {
    const seen: Array<{ workspaceId: string; rows: readonly StoredEvent[] }> = [];
    off.push(onEventsStored((workspaceId, rows) => void seen.push({ workspaceId, rows })));
    const res = await batch({
      batch: [
        { type: "track", userId: "cus_hook", event: "Signed Up", messageId: "hook-1" },
        { type: "track", userId: "cus_hook", event: "Signed Up", messageId: "hook-1" },
        {
          type: "track",
          userId: "cus_hook",
          event: "Viewed Product",
          properties: { product_id: "x" },
          messageId: "hook-2",
        },
      ],
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.workspaceId).toBe(shop.workspaceId);
    expect(seen[0]?.rows.map((r) => r.id)).toEqual([res.body.results[0]?.id, res.body.results[2]?.id]);
    await track({ userId: "cus_hook", event: "Signed Up", messageId: "hook-1" });
    expect(seen).toHaveLength(1);
  });

  it("a failing listener never fails the request", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    off.push(
      onEventsStored(() => {
        throw new Error("listener broke");
      }),
    );
    off.push(onEventsStored(() => Promise.reject(new Error("async listener broke"))));
    const res = await track({ userId: "cus_hook", event: "Signed Up" });
    expect(res.status).toBe(200);
    expect(log).toHaveBeenCalledTimes(2);
    log.mockRestore();
  });
});
