/**
 * Order confirmation, in the shop's words: every order gets its transactional confirmation
 * at once, whatever else the customer was sent (smart sending never holds it back).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const placed = (orderId: string, timestamp?: number) => ({
  customer: "Omar",
  event: "Placed Order",
  properties: { order_id: orderId, value: 25, currency: "USD" },
  ...(timestamp !== undefined && { timestamp }),
});

describe(`order confirmation scenarios (${testDriver()})`, () => {
  it("an order at 14:00 → its confirmation at 14:00", async () => {
    const shop = await Shop.open(t, "order_confirmation");
    await shop.customer("Omar");
    await shop.runUntil(at(0, "14:00"));
    await shop.deliver(placed("C1"));
    await shop.runUntil(at(1, "00:00"));
    expect(await shop.sent()).toEqual(["receipt_email at day 0 14:00 for C1"]);
  });

  it("two orders ten minutes apart, delivered in one batch → two confirmations", async () => {
    const shop = await Shop.open(t, "order_confirmation");
    await shop.customer("Omar");
    await shop.runUntil(at(0, "14:11"));
    await shop.deliver(placed("C1", at(0, "14:00")), placed("C2", at(0, "14:10")));
    await shop.runUntil(at(1, "00:00"));
    expect((await shop.sent()).sort()).toEqual([
      "receipt_email at day 0 14:11 for C1",
      "receipt_email at day 0 14:11 for C2",
    ]);
  });
});
