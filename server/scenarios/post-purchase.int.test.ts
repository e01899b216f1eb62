/**
 * Post-purchase, in the shop's words: Placed Order → thank-you (first order or repeat
 * buyer) → cross-sell after 3 days → review ask after 10 days (soft goods) or 21 (hard
 * goods). One journey per order: a second order never ends the first one's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const placed = (orderId: string, extra: Record<string, unknown> = {}, timestamp?: number) => ({
  customer: "Lena",
  event: "Placed Order",
  properties: { order_id: orderId, value: 42, currency: "USD", ...extra },
  ...(timestamp !== undefined && { timestamp }),
});

async function shopWithLena() {
  const shop = await Shop.open(t, "post_purchase");
  await shop.customer("Lena");
  return shop;
}

describe(`post-purchase scenarios (${testDriver()})`, () => {
  it("a first order of soft goods at 09:00 → first-order thanks at once, cross-sell on day 3, review ask on day 13", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(placed("A"));
    await shop.runUntil(at(30, "00:00"));
    expect(await shop.sent()).toEqual([
      "thanks_first at day 0 09:00 for A",
      "cross_sell_email at day 3 09:00 for A",
      "review_email at day 13 09:00 for A",
    ]);
  });

  it("hard goods wait 21 days for the review ask", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(placed("A", { goods_type: "hard" }));
    await shop.runUntil(at(30, "00:00"));
    expect((await shop.sent()).at(-1)).toBe("review_email at day 24 09:00 for A");
  });

  it("a second order on day 2 → both orders get their review ask, the second as a repeat buyer", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(placed("A"));
    await shop.runUntil(at(2, "09:00"));
    await shop.deliver(placed("B"));
    await shop.runUntil(at(30, "00:00"));
    expect(await shop.sent()).toEqual([
      "thanks_first at day 0 09:00 for A",
      "thanks_repeat at day 2 09:00 for B",
      "cross_sell_email at day 3 09:00 for A",
      "cross_sell_email at day 5 09:00 for B",
      "review_email at day 13 09:00 for A",
      "review_email at day 15 09:00 for B",
    ]);
    expect((await shop.journeys()).map((j) => [j.about, j.status])).toEqual([
      ["A", "completed"],
      ["B", "completed"],
    ]);
  });

  it("two orders in one batch (A at 09:00, B at 09:05) → A is the first order, B the repeat, both journeys run", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "09:06"));
    await shop.deliver(placed("B", {}, at(0, "09:05")), placed("A", {}, at(0, "09:00")));
    await shop.runUntil(at(30, "00:00"));
    // Entered together: list them by order.
    const journeys = (await shop.journeys()).sort((a, b) => a.about.localeCompare(b.about));
    expect(journeys.map((j) => [j.about, j.path.find((p) => p.startsWith("first_order"))])).toEqual([
      ["A", "first_order:yes"],
      ["B", "first_order:no"],
    ]);
    expect(journeys.map((j) => j.status)).toEqual(["completed", "completed"]);
    // Each order reaches its review ask (a message is written for both, whatever smart sending decides).
    expect(
      (await shop.sends())
        .filter((s) => s.step === "review_email")
        .map((s) => s.about)
        .sort(),
    ).toEqual(["A", "B"]);
  });

  it("the same order delivered twice (a retried webhook with a new message id) → one journey", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(placed("A"));
    await shop.runUntil(at(0, "09:01"));
    await shop.deliver(placed("A"));
    await shop.runUntil(at(30, "00:00"));
    expect((await shop.journeys()).map((j) => j.about)).toEqual(["A"]);
    expect((await shop.sent()).filter((s) => s.startsWith("review_email"))).toEqual([
      "review_email at day 13 09:00 for A",
    ]);
  });
});
