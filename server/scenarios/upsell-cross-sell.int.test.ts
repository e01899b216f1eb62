/**
 * Upsell / cross-sell, in the shop's words: a customer adds a coffee or tea to the cart →
 * an hour later, bought? complements two days on : the premium upgrade. Whoever does not
 * order after the recommendation gets one reminder (4 days after the complements, 3 after
 * the upgrade); an order in that time ends the journey. Once per customer per 14 days.
 * Times count from when she added to the cart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const added = (category = "Coffee", timestamp?: number) => ({
  customer: "Kai",
  event: "Added to Cart",
  properties: { product_id: "cof-ethiopia", title: "Ethiopia Yirgacheffe", category, price: 18.9 },
  ...(timestamp !== undefined && { timestamp }),
});
const ordered = (order: string, timestamp?: number) => ({
  customer: "Kai",
  event: "Placed Order",
  properties: { order_id: order, value: 18.9, items: [{ product_id: "cof-ethiopia", quantity: 1 }] },
  ...(timestamp !== undefined && { timestamp }),
});

async function shopWithKai() {
  const shop = await Shop.open(t, "upsell_cross_sell");
  await shop.customer("Kai");
  return shop;
}

describe(`upsell / cross-sell scenarios (${testDriver()})`, () => {
  it("adds a coffee at 10:00 and buys nothing → the upgrade at 11:00, one reminder on day 3 at 11:00", async () => {
    const shop = await shopWithKai();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(added());
    await shop.runUntil(at(10, "00:00"));
    expect(await shop.sent()).toEqual(["upsell_email at day 0 11:00", "upsell_reminder at day 3 11:00"]);
    expect(await shop.journeys()).toMatchObject([{ status: "completed" }]);
  });

  it("adds a coffee at 10:00, upgrade at 11:00, orders on day 1 at 15:00 → no reminder", async () => {
    const shop = await shopWithKai();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(added());
    await shop.runUntil(at(1, "15:00"));
    await shop.deliver(ordered("o-1"));
    await shop.runUntil(at(10, "00:00"));
    expect(await shop.sent()).toEqual(["upsell_email at day 0 11:00"]);
    const journeys = await shop.journeys();
    expect(journeys).toMatchObject([{ status: "completed" }]);
    expect(journeys[0]?.path).toContain("wait_upsell_order:event");
  });

  it("adds a coffee at 10:00 and orders at 10:40 → the complements on day 2 at 11:00, a reminder on day 6 at 11:00", async () => {
    const shop = await shopWithKai();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(added());
    await shop.runUntil(at(0, "10:40"));
    await shop.deliver(ordered("o-1"));
    await shop.runUntil(at(10, "00:00"));
    expect(await shop.sent()).toEqual([
      "cross_sell_email at day 2 11:00",
      "cross_sell_reminder at day 6 11:00",
    ]);
  });

  it("complements on day 2, then orders the pairing on day 4 → no reminder", async () => {
    const shop = await shopWithKai();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(added());
    await shop.runUntil(at(0, "10:40"));
    await shop.deliver(ordered("o-1"));
    await shop.runUntil(at(4, "18:00"));
    await shop.deliver(ordered("o-2"));
    await shop.runUntil(at(10, "00:00"));
    expect(await shop.sent()).toEqual(["cross_sell_email at day 2 11:00"]);
    const journeys = await shop.journeys();
    expect(journeys).toMatchObject([{ status: "completed" }]);
    expect(journeys[0]?.path).toContain("wait_cross_sell_order:event");
  });

  it("add (10:00) and order (10:30) reach us together at 10:45 → the complements path, on day 2 at 11:00", async () => {
    const shop = await shopWithKai();
    await shop.runUntil(at(0, "10:45"));
    await shop.deliver(ordered("o-1", at(0, "10:30")), added("Coffee", at(0, "10:00")));
    await shop.runUntil(at(3, "00:00"));
    expect(await shop.sent()).toEqual(["cross_sell_email at day 2 11:00"]);
  });

  it("the order placed at 10:50 reaches us only at 12:00, after the upgrade went at 11:00 → no upgrade reminder", async () => {
    const shop = await shopWithKai();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(added());
    await shop.runUntil(at(0, "12:00"));
    await shop.deliver(ordered("o-1", at(0, "10:50")));
    await shop.runUntil(at(10, "00:00"));
    // The upgrade had already gone; the order before it means the contact did act.
    expect(await shop.sent()).toEqual(["upsell_email at day 0 11:00"]);
  });

  it("adds a mug (Accessories) → nothing", async () => {
    const shop = await shopWithKai();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(added("Accessories"));
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.journeys()).toEqual([]);
  });

  it("adds coffee again on day 5 and on day 15 → a second journey only on day 15 (once per 14 days)", async () => {
    const shop = await shopWithKai();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(added());
    await shop.runUntil(at(5, "10:00"));
    await shop.deliver(added());
    await shop.runUntil(at(15, "10:00"));
    await shop.deliver(added());
    await shop.runUntil(at(16, "00:00"));
    expect(await shop.sent()).toEqual([
      "upsell_email at day 0 11:00",
      "upsell_reminder at day 3 11:00",
      "upsell_email at day 15 11:00",
    ]);
  });
});
