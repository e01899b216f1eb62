/**
 * Shipping notice, in the shop's words: Order Shipped → a transactional email and SMS with
 * the tracking link, at once. One notice per order (and per parcel): a retried delivery of
 * the same event sends nothing twice; transactional messages go to customers who opted out
 * of marketing and are not held by SMS quiet hours.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const shipped = (order: string, timestamp?: number, messageId?: string) => ({
  customer: "Lena",
  event: "Order Shipped",
  properties: {
    order_id: order,
    carrier: "UPS",
    tracking_url: `https://track.example.com/${order}`,
    items: [{ product_id: "cof-kenya", title: "Kenya AA, 340 g", price: 19.5, quantity: 1 }],
  },
  ...(timestamp !== undefined && { timestamp }),
  ...(messageId !== undefined && { messageId }),
});

async function shopWithLena(traits: Record<string, unknown> = {}) {
  const shop = await Shop.open(t, "shipping_notice");
  await shop.customer("Lena", traits);
  return shop;
}

describe(`shipping notice scenarios (${testDriver()})`, () => {
  it("order ord_1 ships at 14:00 → the email and the SMS at 14:00", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "14:00"));
    await shop.deliver(shipped("ord_1"));
    await shop.runUntil(at(2, "00:00"));
    expect(await shop.sent()).toEqual([
      "shipped_email at day 0 14:00 for ord_1",
      "shipped_sms (sms) at day 0 14:00 for ord_1",
    ]);
    expect(await shop.journeys()).toMatchObject([{ about: "ord_1", status: "completed" }]);
  });

  it("ships at 23:30 → the SMS goes at 23:30 too: a shipping text is not held by quiet hours", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "23:30"));
    await shop.deliver(shipped("ord_1"));
    await shop.runUntil(at(2, "00:00"));
    expect(await shop.sent()).toEqual([
      "shipped_email at day 0 23:30 for ord_1",
      "shipped_sms (sms) at day 0 23:30 for ord_1",
    ]);
  });

  it("she unsubscribed from marketing email and texts → she still gets the shipping notice", async () => {
    const shop = await shopWithLena({ email_consent: "unsubscribed", sms_consent: "unsubscribed" });
    await shop.runUntil(at(0, "14:00"));
    await shop.deliver(shipped("ord_1"));
    await shop.runUntil(at(1, "00:00"));
    expect(await shop.sent()).toEqual([
      "shipped_email at day 0 14:00 for ord_1",
      "shipped_sms (sms) at day 0 14:00 for ord_1",
    ]);
  });

  it("two orders ship in one batch at 14:00 → a notice for each order", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "14:00"));
    await shop.deliver(shipped("ord_1", at(0, "13:55")), shipped("ord_2", at(0, "13:58")));
    await shop.runUntil(at(1, "00:00"));
    expect((await shop.sent()).sort()).toEqual([
      "shipped_email at day 0 14:00 for ord_1",
      "shipped_email at day 0 14:00 for ord_2",
      "shipped_sms (sms) at day 0 14:00 for ord_1",
      "shipped_sms (sms) at day 0 14:00 for ord_2",
    ]);
  });

  it("the warehouse system retries the same shipment at 14:05 (same message id) → one notice", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "14:00"));
    await shop.deliver(shipped("ord_1", at(0, "14:00"), "ship-ord_1"));
    await shop.runUntil(at(0, "14:05"));
    await shop.deliver(shipped("ord_1", at(0, "14:00"), "ship-ord_1"));
    await shop.runUntil(at(1, "00:00"));
    expect(await shop.sent()).toEqual([
      "shipped_email at day 0 14:00 for ord_1",
      "shipped_sms (sms) at day 0 14:00 for ord_1",
    ]);
    expect(await shop.journeys()).toHaveLength(1);
  });

  it("a shipment stamped 09:00 that reaches us late, at 15:00 → the notice at once, 15:00", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "15:00"));
    await shop.deliver(shipped("ord_1", at(0, "09:00")));
    await shop.runUntil(at(1, "00:00"));
    expect(await shop.sent()).toEqual([
      "shipped_email at day 0 15:00 for ord_1",
      "shipped_sms (sms) at day 0 15:00 for ord_1",
    ]);
  });

  it("a shipment stamped two days ago (a backfill) → no notice: old news is not sent", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(2, "15:00"));
    await shop.deliver(shipped("ord_1", at(0, "09:00")));
    await shop.runUntil(at(3, "00:00"));
    expect(await shop.sent()).toEqual([]);
  });

  it("the second parcel of ord_1 ships the next day → a second notice for it", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "14:00"));
    await shop.deliver(shipped("ord_1"));
    await shop.runUntil(at(1, "10:00"));
    await shop.deliver(shipped("ord_1"));
    await shop.runUntil(at(2, "00:00"));
    expect(await shop.sent()).toEqual([
      "shipped_email at day 0 14:00 for ord_1",
      "shipped_sms (sms) at day 0 14:00 for ord_1",
      "shipped_email at day 1 10:00 for ord_1",
      "shipped_sms (sms) at day 1 10:00 for ord_1",
    ]);
  });
});
