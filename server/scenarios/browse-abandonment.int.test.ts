/**
 * Browse abandonment, in the shop's words: a second view of the same product within a day
 * (or a minute on its page) → 2 h → already checking out? nothing : email + push with the
 * product → a day later, still not checking out? a follow-up email. Waits count from when
 * the views happened. A first short view neither starts the flow nor uses up the weekly entry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const view = (product: string, timestamp?: number, extra: Record<string, unknown> = {}) => ({
  customer: "Noor",
  event: "Viewed Product",
  properties: { product_id: product, title: `Product ${product}`, url: `/p/${product}`, ...extra },
  ...(timestamp !== undefined && { timestamp }),
});

async function shopWithNoor() {
  const shop = await Shop.open(t, "browse_abandonment");
  await shop.customer("Noor");
  return shop;
}

const emails = async (shop: Shop) => (await shop.sent()).filter((s) => s.startsWith("browse_email"));

describe(`browse abandonment scenarios (${testDriver()})`, () => {
  it("one short look at a product at 10:00 → nothing", async () => {
    const shop = await shopWithNoor();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(view("P", undefined, { time_on_page: 20 }));
    await shop.runUntil(at(2, "00:00"));
    expect(await shop.journeys()).toEqual([]);
    expect(await shop.sent()).toEqual([]);
  });

  it("views a product at 10:00 and again at 10:30 → the email at 12:30", async () => {
    const shop = await shopWithNoor();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(0, "10:30"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(2, "00:00"));
    expect(await emails(shop)).toEqual(["browse_email at day 0 12:30"]);
  });

  it("views two different products once each → nothing", async () => {
    const shop = await shopWithNoor();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(0, "10:30"));
    await shop.deliver(view("Q"));
    await shop.runUntil(at(2, "00:00"));
    expect(await shop.sent()).toEqual([]);
  });

  it("a second view two days later is a new first view → nothing", async () => {
    const shop = await shopWithNoor();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(2, "10:00"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(4, "00:00"));
    expect(await shop.sent()).toEqual([]);
  });

  it("one view with 90 seconds on the page at 10:00 → the email at 12:00", async () => {
    const shop = await shopWithNoor();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(view("P", undefined, { time_on_page: 90 }));
    await shop.runUntil(at(2, "00:00"));
    expect(await emails(shop)).toEqual(["browse_email at day 0 12:00"]);
  });

  it("both views delivered in one batch at 10:06 (stamped 10:00 and 10:05) → one journey, the email at 12:05, two hours after the second view", async () => {
    const shop = await shopWithNoor();
    await shop.runUntil(at(0, "10:06"));
    await shop.deliver(view("P", at(0, "10:00")), view("P", at(0, "10:05")));
    await shop.runUntil(at(2, "00:00"));
    expect(await shop.journeys()).toHaveLength(1);
    expect(await emails(shop)).toEqual(["browse_email at day 0 12:05"]);
  });

  it("views twice at 10:00 and 10:30 and does nothing more → the email at 12:30, the follow-up the next day at 12:30", async () => {
    const shop = await shopWithNoor();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(0, "10:30"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(4, "00:00"));
    // (The push is skipped: Noor has no browser subscribed to push.)
    expect(await shop.sent()).toEqual(["browse_email at day 0 12:30", "follow_up_email at day 1 12:30"]);
    expect(await shop.journeys()).toMatchObject([{ status: "completed" }]);
  });

  it("starts checking out the morning after the first email → no follow-up", async () => {
    const shop = await shopWithNoor();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(0, "10:30"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(1, "09:00"));
    await shop.deliver({ customer: "Noor", event: "Started Checkout", properties: { cart_id: "c1" } });
    await shop.runUntil(at(4, "00:00"));
    expect(await shop.sent()).toEqual(["browse_email at day 0 12:30"]);
    const journeys = await shop.journeys();
    expect(journeys).toMatchObject([{ status: "completed" }]);
    expect(journeys[0]?.path).toContain("checking_out_later:yes");
  });

  it("orders that evening (the order arrives the next morning, stamped 19:00) → no follow-up; the order converts", async () => {
    const shop = await shopWithNoor();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(0, "10:30"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(1, "08:00"));
    await shop.deliver({
      customer: "Noor",
      event: "Placed Order",
      properties: { order_id: "o1", value: 24 },
      timestamp: at(0, "19:00"),
    });
    await shop.runUntil(at(4, "00:00"));
    expect(await shop.sent()).toEqual(["browse_email at day 0 12:30"]);
    expect(await shop.journeys()).toMatchObject([{ status: "exited", exitReason: "goal" }]);
  });

  it("a long look at 09:00 on day 0 arrives late, day 1 08:00 (the phone was offline) → the email at once; another long look a week and an hour after the first, day 7 10:00 → a second journey, since the week counts from when she looked", async () => {
    const shop = await shopWithNoor();
    await shop.runUntil(at(1, "08:00"));
    await shop.deliver(view("P", at(0, "09:00"), { time_on_page: 90 }));
    await shop.runUntil(at(7, "10:00"));
    await shop.deliver(view("Q", undefined, { time_on_page: 90 }));
    await shop.runUntil(at(7, "23:00"));
    expect(await emails(shop)).toEqual(["browse_email at day 1 08:00", "browse_email at day 7 12:00"]);
    expect(await shop.journeys()).toHaveLength(2);
  });

  it("views twice, then starts checking out within the 2 hours → no email", async () => {
    const shop = await shopWithNoor();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(0, "10:30"));
    await shop.deliver(view("P"));
    await shop.runUntil(at(0, "11:00"));
    await shop.deliver({ customer: "Noor", event: "Started Checkout", properties: { cart_id: "c1" } });
    await shop.runUntil(at(2, "00:00"));
    expect(await shop.sent()).toEqual([]);
  });
});
