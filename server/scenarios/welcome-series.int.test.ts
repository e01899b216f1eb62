/**
 * Welcome series, in the shop's words: Signed Up → welcome email with a discount → 2 days
 * → ordered since signing up? nothing : reminder. An order ends it (by event time).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const signedUp = (timestamp?: number) => ({
  customer: "Ines",
  event: "Signed Up",
  properties: { source: "footer" },
  ...(timestamp !== undefined && { timestamp }),
});
const ordered = (timestamp?: number) => ({
  customer: "Ines",
  event: "Placed Order",
  properties: { order_id: "W1", value: 30, currency: "USD" },
  ...(timestamp !== undefined && { timestamp }),
});

async function shopWithInes() {
  const shop = await Shop.open(t, "welcome_series");
  await shop.customer("Ines");
  return shop;
}

describe(`welcome series scenarios (${testDriver()})`, () => {
  it("signs up at 09:00 and never orders → welcome at 09:00, reminder on day 2 at 09:00", async () => {
    const shop = await shopWithInes();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(signedUp());
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["welcome_email at day 0 09:00", "reminder_email at day 2 09:00"]);
  });

  it("signs up at 09:00, orders on day 1 → the welcome only, and the order converts", async () => {
    const shop = await shopWithInes();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(signedUp());
    await shop.runUntil(at(1, "15:00"));
    await shop.deliver(ordered());
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["welcome_email at day 0 09:00"]);
    expect(await shop.journeys()).toMatchObject([{ status: "exited", exitReason: "goal" }]);
    expect((await shop.conversions()).map((c) => c.valueCents)).toEqual([3000]);
  });

  it("an order placed on day 1 but delivered on day 2 at 08:59, a minute before the reminder → no reminder", async () => {
    const shop = await shopWithInes();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(signedUp());
    await shop.runUntil(at(2, "08:59"));
    await shop.deliver(ordered(at(1, "12:00")));
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["welcome_email at day 0 09:00"]);
  });

  it("signs up at 10:00 and orders at 10:05, both in one batch → the welcome (due at 10:00) is sent, then the order ends it", async () => {
    const shop = await shopWithInes();
    await shop.runUntil(at(0, "10:05"));
    await shop.deliver(signedUp(at(0, "10:00")), ordered(at(0, "10:05")));
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["welcome_email at day 0 10:05"]);
    expect(await shop.journeys()).toMatchObject([{ status: "exited", exitReason: "goal" }]);
    expect((await shop.conversions()).map((c) => c.valueCents)).toEqual([3000]);
  });

  it("the order arrives first (10:05) and the sign-up it followed (10:00) a minute later → still the welcome, no reminder", async () => {
    const shop = await shopWithInes();
    await shop.runUntil(at(0, "10:05"));
    await shop.deliver(ordered(at(0, "10:05")));
    await shop.runUntil(at(0, "10:06"));
    await shop.deliver(signedUp(at(0, "10:00")));
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["welcome_email at day 0 10:06"]);
    expect(await shop.journeys()).toMatchObject([{ status: "exited", exitReason: "goal" }]);
  });

  it("signs up again a week later (a second browser) → no second welcome", async () => {
    const shop = await shopWithInes();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(signedUp());
    await shop.runUntil(at(7, "09:00"));
    await shop.deliver(signedUp());
    await shop.runUntil(at(12, "00:00"));
    expect(await shop.sent()).toEqual(["welcome_email at day 0 09:00", "reminder_email at day 2 09:00"]);
    expect(await shop.journeys()).toHaveLength(1);
  });
});
