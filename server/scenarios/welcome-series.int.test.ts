/**
 * Welcome series, in the shop's words: Signed Up → welcome email with a discount → 2 days
 * → ordered since signing up? nothing : reminder. An order ends it (by event time).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { and, eq, sql } from "drizzle-orm";
import { contactMerges, contacts } from "@/server/db/schema";
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

  it("signs up on the storefront at 09:00 (publishable key), clicks the confirmation link at 09:20 → the welcome goes at 09:20, the reminder two days later", async () => {
    const shop = await Shop.open(t, "welcome_series");
    await shop.runUntil(at(0, "09:00"));
    await shop.signUp({ session: "anon_ines_phone", email: "ines@example.com", name: "Ines" });
    await shop.runUntil(at(0, "09:20"));
    expect(await shop.sends()).toEqual([]);
    expect(await shop.journeys()).toMatchObject([{ status: "active" }]);
    await shop.confirmSubscription("ines@example.com");
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["welcome_email at day 0 09:20", "reminder_email at day 2 09:20"]);
  });

  it("signs up on the storefront at 09:00 and confirms on day 3 at 18:00 → the welcome then, the reminder two days after it", async () => {
    const shop = await Shop.open(t, "welcome_series");
    await shop.runUntil(at(0, "09:00"));
    await shop.signUp({ session: "anon_ines_phone", email: "ines@example.com", name: "Ines" });
    await shop.runUntil(at(3, "18:00"));
    await shop.confirmSubscription("ines@example.com");
    await shop.runUntil(at(9, "00:00"));
    expect(await shop.sent()).toEqual(["welcome_email at day 3 18:00", "reminder_email at day 5 18:00"]);
  });

  it("signs up on the storefront at 09:00 and never confirms → nothing is sent; when the link expires a week later the welcome is skipped as no consent, and so is the reminder", async () => {
    const shop = await Shop.open(t, "welcome_series");
    await shop.runUntil(at(0, "09:00"));
    await shop.signUp({ session: "anon_ines_phone", email: "ines@example.com", name: "Ines" });
    await shop.runUntil(at(10, "00:00"));
    expect(await shop.sent()).toEqual([]);
    expect(await shop.sends()).toMatchObject([
      { step: "welcome_email", at: "day 7 09:00", status: "skipped", skipReason: "no_consent" },
      { step: "reminder_email", at: "day 9 09:00", status: "skipped", skipReason: "no_consent" },
    ]);
  });

  it("two browser sessions sign up with one email at the same moment (09:00) → one contact, one journey, one welcome email, one reminder", async () => {
    const shop = await Shop.open(t, "welcome_series");
    await shop.runUntil(at(0, "09:00"));
    await Promise.all([
      shop.signUp({ session: "anon_laptop", email: "Jo@example.com", name: "Jo", key: "secret" }),
      shop.signUp({ session: "anon_phone", email: "jo@example.com", name: "Jo", key: "secret" }),
    ]);
    await shop.runUntil(at(5, "00:00"));
    const found = await t.db
      .select()
      .from(contacts)
      .where(
        and(eq(contacts.workspaceId, shop.workspaceId), sql`lower(${contacts.email}) = 'jo@example.com'`),
      );
    expect(found).toHaveLength(1);
    expect(found[0]!.anonymousIds.sort()).toEqual(["anon_laptop", "anon_phone"]);
    expect(await shop.sent()).toEqual(["welcome_email at day 0 09:00", "reminder_email at day 2 09:00"]);
    expect(await shop.journeys()).toHaveLength(1);
  });

  it("the same on the storefront's publishable key → one contact and one journey; her one welcome goes when she confirms", async () => {
    const shop = await Shop.open(t, "welcome_series");
    await shop.runUntil(at(0, "09:00"));
    await Promise.all([
      shop.signUp({ session: "anon_a", email: "kim@example.com", name: "Kim" }),
      shop.signUp({ session: "anon_b", email: "KIM@example.com", name: "Kim" }),
    ]);
    await shop.runUntil(at(1, "00:00"));
    const found = await t.db
      .select({ id: contacts.id })
      .from(contacts)
      .where(
        and(eq(contacts.workspaceId, shop.workspaceId), sql`lower(${contacts.email}) = 'kim@example.com'`),
      );
    expect(found).toHaveLength(1);
    expect(await shop.journeys()).toHaveLength(1);
    await shop.confirmSubscription("kim@example.com");
    await shop.runUntil(at(1, "00:10"));
    expect(await shop.sent()).toEqual(["welcome_email at day 1 00:00"]);
  });

  it("newsletter sign-up at 09:00 (email only) and a shop account at 09:30 (userId only), identified as one at 09:31 → one contact, the account's journey cancelled as merged, one reminder on day 2", async () => {
    const shop = await Shop.open(t, "welcome_series");
    await shop.runUntil(at(0, "09:00"));
    await shop.signUp({ session: "anon_footer", email: "lu@example.com", name: "Lu", key: "secret" });
    await shop.runUntil(at(0, "09:30"));
    await shop.send([
      { type: "track", userId: "acct_lu", event: "Signed Up", properties: { source: "account" } },
    ]);
    await shop.runUntil(at(0, "09:31"));
    await shop.send([{ type: "identify", userId: "acct_lu", traits: { email: "lu@example.com" } }]);
    await shop.runUntil(at(5, "00:00"));

    const found = await t.db.select().from(contacts).where(eq(contacts.workspaceId, shop.workspaceId));
    expect(found).toMatchObject([{ email: "lu@example.com", externalId: "acct_lu" }]);
    expect(
      await t.db.select().from(contactMerges).where(eq(contactMerges.survivorId, found[0]!.id)),
    ).toMatchObject([{ mergedExternalId: "acct_lu", reason: "identify" }]);
    expect(await shop.journeys()).toMatchObject([
      { status: "completed" },
      { status: "cancelled", exitReason: "merged" },
    ]);
    // The account's welcome at 09:30 had no address yet; the newsletter journey's reminder goes out once.
    expect(await shop.sent()).toEqual(["welcome_email at day 0 09:00", "reminder_email at day 2 09:00"]);
  });
});
