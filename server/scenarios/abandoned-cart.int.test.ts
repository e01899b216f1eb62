/**
 * Abandoned cart, in the shop's words: Started Checkout → 1 h → email 1 → 1 day → email 2
 * + SMS → 2 days → email 3 with a coupon (never-ordered shoppers only). Ordering *this*
 * cart exits, judged by when the order happened, not when it arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { events } from "@/server/db/schema";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const CART = {
  cart_id: "cart_77",
  value: 37.8,
  currency: "USD",
  checkout_url: "https://shop.example.com/checkout/cart_77",
  items: [{ product_id: "cof-ethiopia", title: "Ethiopia Yirgacheffe, 340 g", price: 18.9, quantity: 2 }],
};
const ORDER = { order_id: "ord_1001", cart_id: "cart_77", value: 37.8, currency: "USD", items: CART.items };

const checkout = (timestamp: number) => ({
  customer: "Rosa",
  event: "Started Checkout",
  properties: CART,
  timestamp,
});
const order = (timestamp: number, properties: Record<string, unknown> = ORDER) => ({
  customer: "Rosa",
  event: "Placed Order",
  properties,
  timestamp,
});

async function shopWithRosa() {
  const shop = await Shop.open(t, "abandoned_cart");
  await shop.customer("Rosa");
  return shop;
}

describe(`abandoned cart scenarios (${testDriver()})`, () => {
  it("checkout at 20:30 and nothing else → email 1 at 21:30, email 2 the next evening, the SMS held by quiet hours to 08:00, the coupon two days after the SMS", async () => {
    const shop = await shopWithRosa();
    await shop.runUntil(at(0, "20:30"));
    await shop.deliver(checkout(at(0, "20:30")));
    await shop.runUntil(at(8, "00:00"));
    expect(await shop.sent()).toEqual([
      "email_1 at day 0 21:30 for cart_77",
      "email_2 at day 1 21:30 for cart_77",
      "sms_reminder (sms) at day 2 08:00 for cart_77",
      "email_3 at day 4 08:00 for cart_77",
    ]);
  });

  it("checkout at 20:30, order at 20:40, both in one batch at 20:41 → no cart email, the order converts", async () => {
    const shop = await shopWithRosa();
    await shop.runUntil(at(0, "20:41"));
    await shop.deliver(checkout(at(0, "20:30")), order(at(0, "20:40")));
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual([]);
    expect(await shop.journeys()).toMatchObject([{ about: "cart_77", status: "exited", exitReason: "goal" }]);
    expect((await shop.conversions()).map((c) => c.valueCents)).toEqual([3780]);
  });

  it("the order arrives before its checkout (order delivered 20:41, checkout stamped 20:30 delivered 20:50) → no cart email", async () => {
    const shop = await shopWithRosa();
    await shop.runUntil(at(0, "20:41"));
    await shop.deliver(order(at(0, "20:40")));
    await shop.runUntil(at(0, "20:50"));
    await shop.deliver(checkout(at(0, "20:30")));
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual([]);
    expect(await shop.journeys()).toMatchObject([{ status: "exited", exitReason: "goal" }]);
  });

  it("the order arrives late (stamped 20:40, delivered 21:45 after email 1) → no email 2", async () => {
    const shop = await shopWithRosa();
    await shop.runUntil(at(0, "20:30"));
    await shop.deliver(checkout(at(0, "20:30")));
    await shop.runUntil(at(0, "21:45"));
    await shop.deliver(order(at(0, "20:40")));
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["email_1 at day 0 21:30 for cart_77"]);
    expect(await shop.journeys()).toMatchObject([{ status: "exited", exitReason: "goal" }]);
  });

  it("an order placed before the checkout (20:20, another cart) does not end the journey", async () => {
    const shop = await shopWithRosa();
    await shop.runUntil(at(0, "20:30"));
    await shop.deliver(order(at(0, "20:20"), { ...ORDER, order_id: "ord_999", cart_id: "cart_12" }));
    await shop.deliver(checkout(at(0, "20:30")));
    await shop.runUntil(at(8, "00:00"));
    // Reminders, but no coupon: she is a buyer.
    expect(await shop.sent()).toEqual([
      "email_1 at day 0 21:30 for cart_77",
      "email_2 at day 1 21:30 for cart_77",
      "sms_reminder (sms) at day 2 08:00 for cart_77",
    ]);
  });

  it("an order of another cart at 22:00 does not end this cart's reminders", async () => {
    const shop = await shopWithRosa();
    await shop.runUntil(at(0, "20:30"));
    await shop.deliver(checkout(at(0, "20:30")));
    await shop.runUntil(at(0, "22:00"));
    await shop.deliver(order(at(0, "22:00"), { ...ORDER, order_id: "ord_2002", cart_id: "cart_88" }));
    await shop.runUntil(at(8, "00:00"));
    expect(await shop.sent()).toEqual([
      "email_1 at day 0 21:30 for cart_77",
      "email_2 at day 1 21:30 for cart_77",
      "sms_reminder (sms) at day 2 08:00 for cart_77",
    ]);
    expect(await shop.journeys()).toMatchObject([{ status: "completed" }]);
  });

  it("a checkout stamped two hours ahead by a wrong device clock counts from its arrival; the sent time is kept", async () => {
    const shop = await shopWithRosa();
    await shop.runUntil(at(0, "20:30"));
    await shop.deliver(checkout(at(0, "22:30")));
    await shop.runUntil(at(0, "23:00"));
    expect(await shop.sent()).toEqual(["email_1 at day 0 21:30 for cart_77"]);
    const [stored] = await t.db
      .select({ occurredAt: events.occurredAt, properties: events.properties })
      .from(events)
      .where(and(eq(events.workspaceId, shop.workspaceId), eq(events.name, "Started Checkout")));
    expect(stored?.occurredAt.getTime()).toBe(at(0, "20:30"));
    expect(stored?.properties.original_timestamp).toBe(new Date(at(0, "22:30")).toISOString());
  });
  describe("waits count from when she checked out, not from when the checkout arrived", () => {
    it("checkout at 20:30 arrives at 20:50 → email 1 at 21:30 (not 21:50), email 2 at 21:30 the next evening", async () => {
      const shop = await shopWithRosa();
      await shop.runUntil(at(0, "20:50"));
      await shop.deliver(checkout(at(0, "20:30")));
      await shop.runUntil(at(8, "00:00"));
      expect(await shop.sent()).toEqual([
        "email_1 at day 0 21:30 for cart_77",
        "email_2 at day 1 21:30 for cart_77",
        "sms_reminder (sms) at day 2 08:00 for cart_77",
        "email_3 at day 4 08:00 for cart_77",
      ]);
    });

    it("checkout at 20:30 arrives at 21:45 (her phone was offline) → email 1 at once, email 2 a day after that, never two at once", async () => {
      const shop = await shopWithRosa();
      await shop.runUntil(at(0, "21:45"));
      await shop.deliver(checkout(at(0, "20:30")));
      await shop.runUntil(at(8, "00:00"));
      expect(await shop.sent()).toEqual([
        "email_1 at day 0 21:45 for cart_77",
        "email_2 at day 1 21:45 for cart_77",
        "sms_reminder (sms) at day 2 08:00 for cart_77",
        "email_3 at day 4 08:00 for cart_77",
      ]);
    });

    it("checkout at 20:30 arrives the next morning at 07:00 → email 1 at once; an order stamped 06:50 in the same batch → nothing", async () => {
      const late = await shopWithRosa();
      await late.runUntil(at(1, "07:00"));
      await late.deliver(checkout(at(0, "20:30")));
      await late.runUntil(at(1, "12:00"));
      expect(await late.sent()).toEqual(["email_1 at day 1 07:00 for cart_77"]);

      const bought = await shopWithRosa();
      await bought.runUntil(at(1, "07:00"));
      await bought.deliver(order(at(1, "06:50")), checkout(at(0, "20:30")));
      await bought.runUntil(at(5, "00:00"));
      expect(await bought.sent()).toEqual([]);
      expect(await bought.journeys()).toMatchObject([{ status: "exited", exitReason: "goal" }]);
    });

    it("the shop's workers are down from 21:00 to 23:10 → email 1 goes out at 23:10, email 2 still at 21:30 the next evening", async () => {
      const shop = await shopWithRosa();
      await shop.runUntil(at(0, "20:30"));
      await shop.deliver(checkout(at(0, "20:30")));
      await shop.runUntil(at(0, "21:00"));
      shop.outage(at(0, "23:10"));
      await shop.runUntil(at(8, "00:00"));
      expect(await shop.sent()).toEqual([
        "email_1 at day 0 23:10 for cart_77",
        "email_2 at day 1 21:30 for cart_77",
        "sms_reminder (sms) at day 2 08:00 for cart_77",
        "email_3 at day 4 08:00 for cart_77",
      ]);
    });

    it("the same checkout delivered twice (a retry at 20:35 with the same message id) → one journey, one set of reminders", async () => {
      const shop = await shopWithRosa();
      await shop.runUntil(at(0, "20:30"));
      await shop.deliver({ ...checkout(at(0, "20:30")), messageId: "chk-77" });
      await shop.runUntil(at(0, "20:35"));
      await shop.deliver({ ...checkout(at(0, "20:30")), messageId: "chk-77" });
      await shop.runUntil(at(2, "00:00"));
      expect(await shop.journeys()).toHaveLength(1);
      expect(await shop.sent()).toEqual([
        "email_1 at day 0 21:30 for cart_77",
        "email_2 at day 1 21:30 for cart_77",
      ]);
    });

    it("the checkout page reloaded: two checkouts of one cart at 20:30 and 20:32 → one journey, timed from 20:30", async () => {
      const shop = await shopWithRosa();
      await shop.runUntil(at(0, "20:33"));
      await shop.deliver(checkout(at(0, "20:32")), checkout(at(0, "20:30")));
      await shop.runUntil(at(2, "00:00"));
      expect(await shop.journeys()).toHaveLength(1);
      expect(await shop.sent()).toEqual([
        "email_1 at day 0 21:30 for cart_77",
        "email_2 at day 1 21:30 for cart_77",
      ]);
    });
  });
});
