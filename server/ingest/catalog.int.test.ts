/**
 * PUT /api/v1/products/{id}: upsert, validation, key kinds, and Back in Stock — once per
 * subscriber on 0 → >0, never again on >0 → >0.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { backInStockSubscriptions, contacts, events, products } from "@/server/db/schema";
import { handleProductPut, handleTrack } from "./handlers";
import { onEventsStored, type StoredEvent } from "./hooks";
import { apiRequest, createShop, reply, rowCounts, type ErrorBody } from "@/server/testing/ingest-requests";

let t: TestDb;
let shop: Awaited<ReturnType<typeof createShop>>;
let other: Awaited<ReturnType<typeof createShop>>;

beforeAll(async () => {
  t = await createTestDb();
  shop = await createShop(t.db, "Catalog");
  other = await createShop(t.db, "Neighbour");
});
afterAll(() => t.close());

const put = (id: string, body: unknown, key: string | null = shop.secretKey) =>
  reply<{ ok: true; created: boolean; product: Record<string, unknown>; backInStock: { notified: number } }>(
    handleProductPut(
      t.db,
      apiRequest(`/api/v1/products/${encodeURIComponent(id)}`, { method: "PUT", body, key }),
      id,
    ),
  );
const subscribe = (userId: string, productId: string, key = shop.secretKey) =>
  reply(
    handleTrack(
      t.db,
      apiRequest("/api/v1/track", {
        body: { userId, event: "Subscribed to Back in Stock", properties: { product_id: productId } },
        key,
      }),
    ),
  );

async function backInStockEvents(workspaceId = shop.workspaceId) {
  return t.db
    .select({ contactId: events.contactId, key: events.idempotencyKey, properties: events.properties })
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), eq(events.name, "Back in Stock")));
}

describe(`PUT /api/v1/products/{id} (${testDriver()})`, () => {
  it("creates a product (201), then updates only the fields sent (200)", async () => {
    const created = await put("cof-kenya", {
      title: "Kenya Nyeri AA, 340 g",
      url: "/products/cof-kenya",
      image: "https://cdn.example.com/kenya.jpg",
      price: 21.9,
      category: "Coffee",
      inventory: 0,
      daysPerUnit: 14,
      properties: { roast: "light" },
    });
    expect(created.status).toBe(201);
    expect(created.body.product).toMatchObject({
      id: "cof-kenya",
      price: 21.9,
      inventory: 0,
      daysPerUnit: 14,
      currency: "USD",
    });
    const [row] = await t.db
      .select()
      .from(products)
      .where(and(eq(products.workspaceId, shop.workspaceId), eq(products.id, "cof-kenya")));
    expect(row).toMatchObject({
      priceCents: 2190,
      imageUrl: "https://cdn.example.com/kenya.jpg",
      properties: { roast: "light" },
    });

    const updated = await put("cof-kenya", { price: 22.5 });
    expect(updated.status).toBe(200);
    expect(updated.body.product).toMatchObject({
      title: "Kenya Nyeri AA, 340 g",
      price: 22.5,
      category: "Coffee",
      inventory: 0,
    });
  });

  it("needs a title for a new product, and names every bad field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ price: 3 }, "title"],
      [{ title: "" }, "title"],
      [{ title: "T", price: "12.00" }, "price"],
      [{ title: "T", price: -1 }, "price"],
      [{ title: "T", inventory: 1.5 }, "inventory"],
      [{ title: "T", daysPerUnit: 0 }, "daysPerUnit"],
      [{ title: "T", url: "ftp://x" }, "url"],
      [{ title: "T", currency: "euro" }, "currency"],
      [{ title: "T", inventroy: 3 }, "inventroy"],
      [{ title: "T", properties: [] }, "properties"],
      [[], "(body)"],
    ];
    const before = await rowCounts(t.db, shop.workspaceId);
    for (const [body, path] of cases) {
      const res = await put("new-thing", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.body as unknown as ErrorBody).error.issues.map((i) => i.path)).toContain(path);
    }
    const badId = await put("x".repeat(300), { title: "T" });
    expect((badId.body as unknown as ErrorBody).error.issues.map((i) => i.path)).toContain("id");
    const malformed = await reply(
      handleProductPut(
        t.db,
        apiRequest("/api/v1/products/a", { method: "PUT", body: "{nope", key: shop.secretKey }),
        "a",
      ),
    );
    expect(malformed.status).toBe(400);
    expect(await rowCounts(t.db, shop.workspaceId)).toEqual(before);
  });

  it("refuses publishable keys (403) and unknown keys (401)", async () => {
    const before = await rowCounts(t.db, shop.workspaceId);
    const pk = await put("cof-x", { title: "X" }, shop.publishableKey);
    expect(pk.status).toBe(403);
    expect((pk.body as unknown as ErrorBody).error.message).toMatch(/publishable/);
    expect((await put("cof-x", { title: "X" }, "tid_sk_nope")).status).toBe(401);
    expect((await put("cof-x", { title: "X" }, null)).status).toBe(401);
    expect(await rowCounts(t.db, shop.workspaceId)).toEqual(before);
  });

  it("refuses bodies over 32 KB with 413", async () => {
    const res = await put("big", { title: "Big", properties: { blob: "x".repeat(40 * 1024) } });
    expect(res.status).toBe(413);
  });
});

describe(`Back in Stock (${testDriver()})`, () => {
  const stored: StoredEvent[] = [];
  let off: () => void = () => {};
  beforeAll(() => {
    off = onEventsStored((_ws, rows) => void stored.push(...rows));
  });
  afterEach(() => {
    stored.length = 0;
  });
  afterAll(() => off());

  it("emits one event per pending subscriber on 0 → >0, and none on >0 → >0", async () => {
    await put("tea-chamomile", {
      title: "Chamomile Blossoms, 60 g",
      price: 9.5,
      inventory: 0,
      category: "Tea",
      url: "/p/tea-chamomile",
    });
    for (const user of ["cus_a", "cus_b", "cus_a"])
      expect((await subscribe(user, "tea-chamomile")).status).toBe(200);
    await subscribe("cus_c", "other-product");
    await subscribe("cus_z", "tea-chamomile", other.secretKey); // another workspace, same product id
    const subs = await t.db
      .select()
      .from(backInStockSubscriptions)
      .where(
        and(
          eq(backInStockSubscriptions.workspaceId, shop.workspaceId),
          eq(backInStockSubscriptions.productId, "tea-chamomile"),
        ),
      );
    expect(subs).toHaveLength(2);

    stored.length = 0;
    const restock = await put("tea-chamomile", { inventory: 5 });
    expect(restock.body.backInStock).toEqual({ notified: 2 });
    const emitted = await backInStockEvents();
    expect(emitted).toHaveLength(2);
    expect(emitted.map((e) => e.key).sort()).toEqual(subs.map((s) => `bis-${s.id}`).sort());
    expect(emitted[0]?.properties).toEqual({
      product_id: "tea-chamomile",
      title: "Chamomile Blossoms, 60 g",
      price: 9.5,
      currency: "USD",
      url: "/p/tea-chamomile",
      category: "Tea",
      inventory: 5,
    });
    expect(stored.map((e) => e.name)).toEqual(["Back in Stock", "Back in Stock"]);
    const notified = await t.db
      .select()
      .from(backInStockSubscriptions)
      .where(eq(backInStockSubscriptions.productId, "tea-chamomile"));
    expect(
      notified.filter((s) => s.workspaceId === shop.workspaceId).every((s) => s.notifiedAt !== null),
    ).toBe(true);
    expect(notified.find((s) => s.workspaceId === other.workspaceId)?.notifiedAt).toBeNull();

    expect((await put("tea-chamomile", { inventory: 9 })).body.backInStock).toEqual({ notified: 0 });
    expect(await backInStockEvents()).toHaveLength(2);
    // Sold out and back again: already-told subscribers are not told twice.
    await put("tea-chamomile", { inventory: 0 });
    expect((await put("tea-chamomile", { inventory: 3 })).body.backInStock).toEqual({ notified: 0 });
    expect(await backInStockEvents()).toHaveLength(2);
    expect(await backInStockEvents(other.workspaceId)).toHaveLength(0);
  });

  it("a customer who subscribes again after being told is told again on the next restock", async () => {
    await put("mug-cups", { title: "Espresso Cups", inventory: 0 });
    await subscribe("cus_again", "mug-cups");
    await put("mug-cups", { inventory: 2 });
    await put("mug-cups", { inventory: 0 });
    await subscribe("cus_again", "mug-cups");
    const res = await put("mug-cups", { inventory: 4 });
    expect(res.body.backInStock).toEqual({ notified: 1 });
    const [contact] = await t.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, shop.workspaceId), eq(contacts.externalId, "cus_again")));
    const told = (await backInStockEvents()).filter(
      (e) => e.contactId === contact?.id && e.properties.product_id === "mug-cups",
    );
    expect(told).toHaveLength(2);
  });

  it("counts a product first seen in stock as a restock for its waiting subscribers", async () => {
    await subscribe("cus_early", "gear-new");
    const res = await put("gear-new", { title: "New Grinder", inventory: 10 });
    expect(res.status).toBe(201);
    expect(res.body.backInStock).toEqual({ notified: 1 });
  });

  it("treats negative inventory (oversold) as out of stock", async () => {
    await put("oversold", { title: "Popular", inventory: -3 });
    await subscribe("cus_neg", "oversold");
    expect((await put("oversold", { inventory: 0 })).body.backInStock).toEqual({ notified: 0 });
    expect((await put("oversold", { inventory: 1 })).body.backInStock).toEqual({ notified: 1 });
  });

  it("emits once even when two restocks race", async () => {
    await put("race", { title: "Race", inventory: 0 });
    for (const u of ["r1", "r2", "r3"]) await subscribe(u, "race");
    const results = await Promise.all([put("race", { inventory: 5 }), put("race", { inventory: 6 })]);
    expect(results.map((r) => r.body.backInStock.notified).sort()).toEqual([0, 3]);
  });
});
