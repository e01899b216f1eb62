/**
 * Review request, in the shop's words: Order Delivered → ask → wait up to 5 days for a
 * review of *this order* → rating ≥ 4: thanks / < 4: recovery offer / no review: reminder.
 * Reviews of other orders never answer the wait nor decide the branch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const delivered = (orderId: string, timestamp?: number) => ({
  customer: "Ana",
  event: "Order Delivered",
  properties: { order_id: orderId },
  ...(timestamp !== undefined && { timestamp }),
});
const review = (orderId: string, rating: number, timestamp?: number) => ({
  customer: "Ana",
  event: "Review Submitted",
  properties: { order_id: orderId, rating },
  ...(timestamp !== undefined && { timestamp }),
});

async function shopWithAna() {
  const shop = await Shop.open(t, "review_request");
  await shop.customer("Ana");
  return shop;
}

describe(`review request scenarios (${testDriver()})`, () => {
  it("delivered day 0 10:00, 5★ on day 2 → ask at once, thanks on day 2", async () => {
    const shop = await shopWithAna();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(delivered("A"));
    await shop.runUntil(at(2, "15:00"));
    await shop.deliver(review("A", 5));
    await shop.runUntil(at(10, "00:00"));
    expect(await shop.sent()).toEqual([
      "ask_email at day 0 10:00 for A",
      "thanks_email at day 2 15:00 for A",
    ]);
  });

  it("no review within 5 days → a reminder on day 5", async () => {
    const shop = await shopWithAna();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(delivered("A"));
    await shop.runUntil(at(10, "00:00"));
    expect(await shop.sent()).toEqual([
      "ask_email at day 0 10:00 for A",
      "reminder_email at day 5 10:00 for A",
    ]);
  });

  it("5★ review of another order, then 1★ of this one → recovery offer, not thanks", async () => {
    const shop = await shopWithAna();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(delivered("A"));
    await shop.runUntil(at(1, "12:00"));
    await shop.deliver(review("B", 5));
    await shop.runUntil(at(2, "12:00"));
    await shop.deliver(review("A", 1));
    await shop.runUntil(at(10, "00:00"));
    expect(await shop.sent()).toEqual([
      "ask_email at day 0 10:00 for A",
      "recovery_email at day 2 12:00 for A",
    ]);
    expect((await shop.journeys()).map((j) => j.path.filter((p) => p.startsWith("rating")))).toEqual([
      ["rating:unhappy"],
    ]);
  });

  it("two orders delivered a day apart, 5★ for B on day 2, 1★ for A on day 3 → B thanks, A recovery", async () => {
    const shop = await shopWithAna();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(delivered("A"));
    await shop.runUntil(at(1, "10:00"));
    await shop.deliver(delivered("B"));
    await shop.runUntil(at(2, "10:00"));
    await shop.deliver(review("B", 5));
    await shop.runUntil(at(3, "12:00"));
    await shop.deliver(review("A", 1));
    await shop.runUntil(at(10, "00:00"));
    expect(await shop.sent()).toEqual([
      "ask_email at day 0 10:00 for A",
      "ask_email at day 1 10:00 for B",
      "thanks_email at day 2 10:00 for B",
      "recovery_email at day 3 12:00 for A",
    ]);
  });

  it("a 1★ review of this order stamped day 2 but delivered on day 6, after the reminder went out → no recovery and no second reminder", async () => {
    const shop = await shopWithAna();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(delivered("A"));
    await shop.runUntil(at(6, "09:00"));
    await shop.deliver(review("A", 1, at(2, "12:00")));
    await shop.runUntil(at(10, "00:00"));
    // The wait had already timed out when the review arrived: the journey was over.
    expect(await shop.sent()).toEqual([
      "ask_email at day 0 10:00 for A",
      "reminder_email at day 5 10:00 for A",
    ]);
  });

  it("a review stamped before the delivery (an old review of this order) does not answer the ask", async () => {
    const shop = await shopWithAna();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(review("A", 2, at(0, "08:00")), delivered("A", at(0, "09:30")));
    await shop.runUntil(at(10, "00:00"));
    expect(await shop.sent()).toEqual([
      "ask_email at day 0 10:00 for A",
      // Five days from the delivery (09:30), not from when the batch arrived.
      "reminder_email at day 5 09:30 for A",
    ]);
  });
});
