/**
 * Back in stock, in the shop's words: a customer asks to be told when a sold-out product
 * returns; when the shop's catalog sync moves its inventory from 0 to more, every waiting
 * subscriber gets the email at once, one per product. Being told uses the subscription up:
 * the next restock tells only those who asked again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const KENYA = { title: "Kenya AA, 340 g", price: 19.5, category: "Coffee", url: "/p/kenya-aa" };
const subscribe = (customer: string, product = "kenya-aa", messageId?: string) => ({
  customer,
  event: "Subscribed to Back in Stock",
  properties: { product_id: product },
  ...(messageId !== undefined && { messageId }),
});

/** A shop whose Kenya AA sold out on day 0 at 08:00, with Rosa and Ali as customers. */
async function soldOutShop() {
  const shop = await Shop.open(t, "back_in_stock");
  await shop.customer("Rosa");
  await shop.customer("Ali");
  await shop.runUntil(at(0, "08:00"));
  await shop.product("kenya-aa", { ...KENYA, inventory: 0 });
  return shop;
}

const restockEmails = async (shop: Shop) =>
  (await shop.sends()).filter((s) => s.step === "restock_email" && s.status === "sent").map((s) => s.at);

describe(`back in stock scenarios (${testDriver()})`, () => {
  it("Rosa asks at 10:00, Ali at 11:00; 20 bags arrive on day 2 at 09:00 → both are emailed at 09:00", async () => {
    const shop = await soldOutShop();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(subscribe("Rosa"));
    await shop.runUntil(at(0, "11:00"));
    await shop.deliver(subscribe("Ali"));
    await shop.runUntil(at(2, "09:00"));
    expect(await shop.product("kenya-aa", { inventory: 20 })).toBe(2);
    await shop.runUntil(at(3, "00:00"));
    expect(await restockEmails(shop)).toEqual(["day 2 09:00", "day 2 09:00"]);
  });

  it("nothing is sent while it stays sold out, nor when stock goes from 20 to 35 the same afternoon", async () => {
    const shop = await soldOutShop();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(subscribe("Rosa"));
    await shop.runUntil(at(1, "09:00"));
    expect(await shop.product("kenya-aa", { inventory: 0, price: 18.5 })).toBe(0);
    await shop.runUntil(at(2, "09:00"));
    await shop.product("kenya-aa", { inventory: 20 });
    await shop.runUntil(at(2, "15:00"));
    expect(await shop.product("kenya-aa", { inventory: 35 })).toBe(0);
    await shop.runUntil(at(3, "00:00"));
    expect(await restockEmails(shop)).toEqual(["day 2 09:00"]);
  });

  it("Rosa taps 'notify me' twice (two events in one batch, then a retry) → one email", async () => {
    const shop = await soldOutShop();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(subscribe("Rosa", "kenya-aa", "bis-1"), subscribe("Rosa", "kenya-aa", "bis-2"));
    await shop.runUntil(at(0, "10:01"));
    await shop.deliver(subscribe("Rosa", "kenya-aa", "bis-1"));
    await shop.runUntil(at(2, "09:00"));
    await shop.product("kenya-aa", { inventory: 20 });
    await shop.runUntil(at(3, "00:00"));
    expect(await restockEmails(shop)).toEqual(["day 2 09:00"]);
    expect(await shop.journeys()).toHaveLength(1);
  });

  it("it sells out again on day 4; only Rosa asks again; restocked on day 9 at 09:00 → only Rosa hears again", async () => {
    const shop = await soldOutShop();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(subscribe("Rosa"), { ...subscribe("Ali") });
    await shop.runUntil(at(2, "09:00"));
    await shop.product("kenya-aa", { inventory: 20 });
    await shop.runUntil(at(4, "12:00"));
    await shop.product("kenya-aa", { inventory: 0 });
    await shop.runUntil(at(5, "10:00"));
    await shop.deliver(subscribe("Rosa"));
    await shop.runUntil(at(9, "09:00"));
    expect(await shop.product("kenya-aa", { inventory: 12 })).toBe(1);
    await shop.runUntil(at(10, "00:00"));
    const sends = (await shop.sends()).filter((s) => s.status === "sent");
    expect(sends.map((s) => s.at)).toEqual(["day 2 09:00", "day 2 09:00", "day 9 09:00"]);
  });

  it("Rosa waits for two products restocked in the same sync → one email for each product", async () => {
    const shop = await soldOutShop();
    await shop.product("ghana-cocoa", { title: "Ghana cocoa nibs", price: 9, inventory: 0 });
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(subscribe("Rosa"), subscribe("Rosa", "ghana-cocoa"));
    await shop.runUntil(at(2, "09:00"));
    await shop.product("kenya-aa", { inventory: 20 });
    await shop.product("ghana-cocoa", { inventory: 5 });
    await shop.runUntil(at(3, "00:00"));
    expect(await restockEmails(shop)).toEqual(["day 2 09:00", "day 2 09:00"]);
    expect(await shop.journeys()).toHaveLength(2);
  });

  it("Rosa buys it at 09:30 after the email → nothing more is sent", async () => {
    const shop = await soldOutShop();
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver(subscribe("Rosa"));
    await shop.runUntil(at(2, "09:00"));
    await shop.product("kenya-aa", { inventory: 20 });
    await shop.runUntil(at(2, "09:30"));
    await shop.deliver({
      customer: "Rosa",
      event: "Placed Order",
      properties: { order_id: "o-9", value: 19.5, items: [{ product_id: "kenya-aa", quantity: 1 }] },
    });
    await shop.runUntil(at(3, "00:00"));
    expect(await restockEmails(shop)).toEqual(["day 2 09:00"]);
  });
});
