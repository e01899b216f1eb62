/**
 * Replenishment, in the shop's words: an order of consumables → for each product on it, a
 * reorder reminder at 10:00 on the day it runs out less 3 shipping days (quantity × the days
 * one unit lasts, from the catalog when the order doesn't say). Each product has its own
 * journey; ordering that product again ends it, ordering something else does not.
 *
 * The catalog: coffee beans last 14 days a bag, a pack of filters 50 days, a mug forever.
 * Mia lives in London: from day 27 (29 March) it is summer time there, so her 10:00 reads
 * 09:00 in the scenario's UTC clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

type Line = { product_id: string; title: string; price: number; quantity: number; days_per_unit?: number };
const coffee = (quantity = 1): Line => ({ product_id: "coffee", title: "Coffee beans", price: 16, quantity });
const filters = (quantity = 1): Line => ({
  product_id: "filters",
  title: "Filters ×100",
  price: 6,
  quantity,
});
const mug = (): Line => ({ product_id: "mug", title: "Stoneware mug", price: 24, quantity: 1 });

/** What the demo storefront's checkout sends: line items only, no days per unit. */
const storefrontOrder = (orderId: string, items: Line[], timestamp?: number) => ({
  customer: "Mia",
  event: "Placed Order",
  properties: {
    order_id: orderId,
    cart_id: `cart_${orderId}`,
    items,
    value: items.reduce((sum, i) => sum + i.price * i.quantity, 0),
    currency: "USD",
  },
  ...(timestamp !== undefined && { timestamp }),
});

async function shopWithMia() {
  const shop = await Shop.open(t, "replenishment");
  await shop.product("coffee", { title: "Coffee beans", price: 16, daysPerUnit: 14 });
  await shop.product("filters", { title: "Filters ×100", price: 6, daysPerUnit: 50 });
  await shop.product("mug", { title: "Stoneware mug", price: 24 });
  await shop.customer("Mia");
  return shop;
}

describe(`replenishment scenarios (${testDriver()})`, () => {
  it("coffee, filters and a mug in one storefront order at 09:00 → coffee reminder on day 11, filters on day 47, none for the mug", async () => {
    const shop = await shopWithMia();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(storefrontOrder("A", [coffee(), filters(), mug()]));
    await shop.runUntil(at(60, "00:00"));
    expect(await shop.sent()).toEqual([
      "reorder_email at day 11 10:00 for A coffee",
      "reorder_email at day 47 09:00 for A filters",
    ]);
    // Both journeys start in the same instant: compare them by what they are about.
    const journeys = (await shop.journeys()).sort((a, b) => a.about.localeCompare(b.about));
    expect(journeys).toMatchObject([
      { about: "A coffee", status: "completed" },
      { about: "A filters", status: "completed" },
    ]);
  });

  it("three bags of coffee at 09:00 → one reminder on day 39 (3 × 14 − 3)", async () => {
    const shop = await shopWithMia();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(storefrontOrder("A", [coffee(3)]));
    await shop.runUntil(at(60, "00:00"));
    expect(await shop.sent()).toEqual(["reorder_email at day 39 09:00 for A coffee"]);
  });

  it("a line that says how long it lasts wins over the catalog: 2 × 20 days → day 37", async () => {
    const shop = await shopWithMia();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(storefrontOrder("A", [{ ...coffee(2), days_per_unit: 20 }]));
    await shop.runUntil(at(60, "00:00"));
    expect(await shop.sent()).toEqual(["reorder_email at day 37 09:00 for A coffee"]);
  });

  it("coffee again on day 8 → the first coffee reminder never goes, the new one on day 19; the filters from the first order still on day 47", async () => {
    const shop = await shopWithMia();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(storefrontOrder("A", [coffee(), filters()]));
    await shop.runUntil(at(8, "12:00"));
    await shop.deliver(storefrontOrder("B", [coffee()]));
    await shop.runUntil(at(60, "00:00"));
    expect(await shop.sent()).toEqual([
      "reorder_email at day 19 10:00 for B coffee",
      "reorder_email at day 47 09:00 for A filters",
    ]);
    const journeys = await shop.journeys();
    expect(journeys.find((j) => j.about === "A coffee")).toMatchObject({
      status: "exited",
      exitReason: "goal",
    });
    expect(journeys.find((j) => j.about === "A filters")).toMatchObject({ status: "completed" });
  });

  it("a filters-only order on day 8 leaves the coffee reminder alone (day 11)", async () => {
    const shop = await shopWithMia();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(storefrontOrder("A", [coffee()]));
    await shop.runUntil(at(8, "12:00"));
    await shop.deliver(storefrontOrder("B", [filters()]));
    await shop.runUntil(at(60, "00:00"));
    expect(await shop.sent()).toEqual([
      "reorder_email at day 11 10:00 for A coffee",
      "reorder_email at day 55 09:00 for B filters",
    ]);
  });

  it("the second coffee order was placed on day 8 but arrives on day 11 at 09:59, a minute before the reminder → no first reminder", async () => {
    const shop = await shopWithMia();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(storefrontOrder("A", [coffee()]));
    await shop.runUntil(at(11, "09:59"));
    await shop.deliver(storefrontOrder("B", [coffee()], at(8, "12:00")));
    await shop.runUntil(at(60, "00:00"));
    // B is 3 days late: too old to start a journey of its own, but it still ends A's.
    expect(await shop.sent()).toEqual([]);
    expect(await shop.journeys()).toMatchObject([
      { about: "A coffee", status: "exited", exitReason: "goal" },
    ]);
  });

  it("two coffee orders (09:00 and 09:05) arrive together in one batch at 09:10 → only the later one is reminded, on day 11", async () => {
    const shop = await shopWithMia();
    await shop.runUntil(at(0, "09:10"));
    await shop.deliver(
      storefrontOrder("A", [coffee()], at(0, "09:00")),
      storefrontOrder("B", [coffee()], at(0, "09:05")),
    );
    await shop.runUntil(at(60, "00:00"));
    expect(await shop.sent()).toEqual(["reorder_email at day 11 10:00 for B coffee"]);
    const journeys = (await shop.journeys()).sort((a, b) => a.about.localeCompare(b.about));
    expect(journeys).toMatchObject([
      { about: "A coffee", status: "exited", exitReason: "goal" },
      { about: "B coffee", status: "completed" },
    ]);
  });

  it("a Shopify order of 2 bags (days per unit from the product's metafield), delivered twice by Shopify → one reminder on day 25", async () => {
    const shop = await Shop.open(t, "replenishment");
    await shop.shopify("products/update", {
      id: 7001,
      title: "Coffee beans",
      variants: [{ price: "16.00", inventory_quantity: 40 }],
      metafields: [{ namespace: "custom", key: "days_per_unit", value: "14" }],
    });
    await shop.runUntil(at(0, "09:00"));
    const order = {
      id: 5550001,
      name: "#1001",
      email: "noor@example.com",
      created_at: new Date(at(0, "09:00")).toISOString(),
      customer: {
        id: 901,
        email: "noor@example.com",
        first_name: "Noor",
        email_marketing_consent: { state: "subscribed" },
      },
      line_items: [
        { product_id: 7001, variant_id: 1, title: "Coffee beans", price: "16.00", quantity: 2 },
        { product_id: 7002, variant_id: 2, title: "Gift card", price: "25.00", quantity: 1 },
      ],
      total_price: "57.00",
      currency: "USD",
    };
    await shop.shopify("orders/create", order, "wh_1");
    await shop.runUntil(at(0, "09:05"));
    await shop.shopify("orders/create", order, "wh_1");
    await shop.runUntil(at(60, "00:00"));
    expect(await shop.sent()).toEqual(["reorder_email at day 25 10:00 for 5550001 7001"]);
  });
});
