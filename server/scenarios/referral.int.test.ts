/**
 * Referral, in the shop's words: a week after an order, a happy repeat customer (two or more
 * orders, no low rating, not asked before) is asked to refer friends → a friend's first
 * order (`Referral Completed`) earns the reward email; no referral within a week? one
 * reminder, then up to 23 more days for the reward. A referral made before the reminder
 * still earns the reward, even when it reaches us after it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const order = (id: string, timestamp?: number) => ({
  customer: "Mia",
  event: "Placed Order",
  properties: { order_id: id, value: 42 },
  ...(timestamp !== undefined && { timestamp }),
});
const referred = (timestamp?: number, messageId?: string) => ({
  customer: "Mia",
  event: "Referral Completed",
  properties: { referral_code: "MIA15", referred_customer_id: "cust_friend" },
  ...(timestamp !== undefined && { timestamp }),
  ...(messageId !== undefined && { messageId }),
});

/** Mia orders on day 0 at 10:00 and again on day 3 at 12:00: a repeat customer. */
async function repeatCustomer() {
  const shop = await Shop.open(t, "referral");
  await shop.customer("Mia");
  await shop.runUntil(at(0, "10:00"));
  await shop.deliver(order("o-1"));
  await shop.runUntil(at(3, "12:00"));
  await shop.deliver(order("o-2"));
  return shop;
}

describe(`referral scenarios (${testDriver()})`, () => {
  it("a first order on day 0 at 10:00 and nothing more → no ask: she is not a repeat customer yet", async () => {
    const shop = await Shop.open(t, "referral");
    await shop.customer("Mia");
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(order("o-1"));
    await shop.runUntil(at(10, "00:00"));
    expect(await shop.sent()).toEqual([]);
    const journeys = await shop.journeys();
    expect(journeys).toMatchObject([{ status: "completed" }]);
    expect(journeys[0]?.path).toContain("happy_repeat:no");
  });

  it("orders on day 0 and day 3 → asked on day 7 at 10:00; a friend orders on day 9 at 15:00 → the reward at 15:00", async () => {
    const shop = await repeatCustomer();
    await shop.runUntil(at(9, "15:00"));
    await shop.deliver(referred());
    await shop.runUntil(at(40, "00:00"));
    expect(await shop.sent()).toEqual([
      "ask_email at day 7 10:00 for o-1",
      "reward_email at day 9 15:00 for o-1",
    ]);
  });

  it("no referral within a week → one reminder on day 14 at 10:00; a friend orders on day 20 → the reward then", async () => {
    const shop = await repeatCustomer();
    await shop.runUntil(at(20, "15:00"));
    await shop.deliver(referred());
    await shop.runUntil(at(40, "00:00"));
    expect(await shop.sent()).toEqual([
      "ask_email at day 7 10:00 for o-1",
      "reminder_email at day 14 10:00 for o-1",
      "reward_email at day 20 15:00 for o-1",
    ]);
  });

  it("never refers anyone → the ask, one reminder, and the journey ends 30 days after the ask", async () => {
    const shop = await repeatCustomer();
    await shop.runUntil(at(45, "00:00"));
    expect(await shop.sent()).toEqual([
      "ask_email at day 7 10:00 for o-1",
      "reminder_email at day 14 10:00 for o-1",
    ]);
    const journeys = await shop.journeys();
    expect(journeys).toMatchObject([{ status: "completed" }]);
    expect(journeys[0]?.path).toContain("wait_referral_late:timeout");
  });

  it("a friend ordered on day 13 at 22:00, but the referral program's nightly sync delivers it on day 15 at 08:00, after the reminder → the reward at 08:00", async () => {
    const shop = await repeatCustomer();
    await shop.runUntil(at(15, "08:00"));
    await shop.deliver(referred(at(13, "22:00")));
    await shop.runUntil(at(40, "00:00"));
    expect(await shop.sent()).toEqual([
      "ask_email at day 7 10:00 for o-1",
      "reminder_email at day 14 10:00 for o-1",
      "reward_email at day 15 08:00 for o-1",
    ]);
  });

  it("the referral is delivered twice (a retry with the same message id) → one reward", async () => {
    const shop = await repeatCustomer();
    await shop.runUntil(at(9, "15:00"));
    await shop.deliver(referred(undefined, "ref-1"));
    await shop.runUntil(at(9, "15:05"));
    await shop.deliver(referred(at(9, "15:00"), "ref-1"));
    await shop.runUntil(at(40, "00:00"));
    expect(await shop.sent()).toEqual([
      "ask_email at day 7 10:00 for o-1",
      "reward_email at day 9 15:00 for o-1",
    ]);
  });

  it("she rated her second order 2★ on day 5 → never asked", async () => {
    const shop = await repeatCustomer();
    await shop.runUntil(at(5, "09:00"));
    await shop.deliver({
      customer: "Mia",
      event: "Review Submitted",
      properties: { order_id: "o-2", rating: 2 },
    });
    await shop.runUntil(at(20, "00:00"));
    expect(await shop.sent()).toEqual([]);
  });

  it("asked once → a third order on day 20 and a fourth on day 50 never ask her again", async () => {
    const shop = await repeatCustomer();
    await shop.runUntil(at(9, "15:00"));
    await shop.deliver(referred());
    await shop.runUntil(at(20, "10:00"));
    await shop.deliver(order("o-3"));
    await shop.runUntil(at(50, "10:00"));
    await shop.deliver(order("o-4"));
    await shop.runUntil(at(60, "00:00"));
    expect(await shop.sent()).toEqual([
      "ask_email at day 7 10:00 for o-1",
      "reward_email at day 9 15:00 for o-1",
    ]);
  });

  it("both orders reach us in one batch on day 3 (stamped day 2 10:00 and day 3 09:00) → asked on day 9 at 10:00, a week after the first", async () => {
    const shop = await Shop.open(t, "referral");
    await shop.customer("Mia");
    await shop.runUntil(at(3, "09:30"));
    await shop.deliver(order("o-2", at(3, "09:00")), order("o-1", at(2, "10:00")));
    await shop.runUntil(at(12, "00:00"));
    expect(await shop.sent()).toEqual(["ask_email at day 9 10:00 for o-1"]);
  });
});
