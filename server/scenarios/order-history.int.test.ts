/**
 * Order history has no horizon, in the shop's words: a customer who last ordered 500 days
 * ago is a returning customer, not a first-time buyer, wherever a flow asks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const DAY = 86_400_000;
const placed = (orderId: string, timestamp?: number) => ({
  customer: "Olga",
  event: "Placed Order",
  properties: { order_id: orderId, value: 42, currency: "USD" },
  ...(timestamp !== undefined && { timestamp }),
});

describe(`order history (${testDriver()})`, () => {
  it("Olga ordered 500 days ago and orders again at 09:00 → the repeat-buyer thanks, not the first-order one", async () => {
    const shop = await Shop.open(t, "post_purchase");
    await shop.customer("Olga");
    await shop.runUntil(at(0, "08:00"));
    // Her old order comes in with the shop's history import: far too old to start a flow.
    await shop.deliver(placed("OLD", at(0, "08:00") - 500 * DAY));
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(placed("NEW"));
    await shop.runUntil(at(1, "00:00"));
    expect(await shop.sent()).toEqual(["thanks_repeat at day 0 09:00 for NEW"]);
  });

  it("an order 2,000 days ago counts too; a customer with no earlier order gets the first-order thanks", async () => {
    const shop = await Shop.open(t, "post_purchase");
    await shop.customer("Olga");
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(placed("FIRST"));
    await shop.runUntil(at(0, "10:00"));
    expect(await shop.sent()).toEqual(["thanks_first at day 0 09:00 for FIRST"]);

    const other = await Shop.open(t, "post_purchase");
    await other.customer("Olga");
    await other.runUntil(at(0, "08:00"));
    await other.deliver(placed("ANCIENT", at(0, "08:00") - 2000 * DAY));
    await other.runUntil(at(0, "09:00"));
    await other.deliver(placed("NEW"));
    await other.runUntil(at(0, "10:00"));
    expect(await other.sent()).toEqual(["thanks_repeat at day 0 09:00 for NEW"]);
  });
});
