/**
 * Win-back, in the shop's words: no order for 30 days (or a sign-up who never bought, 30
 * days after signing up) → "we miss you" on day 30 → 15% off on day 40 → last chance on day
 * 45 → two days later, still nothing: unsubscribed from marketing email (recorded as a
 * consent change) and tagged inactive. An order at any point ends it, by the order's time.
 * Whether customers already lapsed when the flow goes live enter is the marketer's choice
 * at publish.
 *
 * Customers live in London: from day 27 (29 March) it is summer time there, but win-back
 * counts whole days from the last order, so the scenario's UTC clock reads the same hour.
 */
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentChanges, contacts, enrollments } from "@/server/db/schema";
import { sweepTimeTriggers } from "@/server/executor/scheduler";
import { previewPublish } from "@/server/flows/publish";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const order = (customer: string, orderId: string, timestamp?: number) => ({
  customer,
  event: "Placed Order",
  properties: { order_id: orderId, value: 40, currency: "USD" },
  ...(timestamp !== undefined && { timestamp }),
});

const FULL_RUN = (day: number) => [
  `email_1 at day ${day} 09:00`,
  `email_2 at day ${day + 10} 09:00`,
  `email_3 at day ${day + 15} 09:00`,
];

async function contactOf(shop: Shop, name: string) {
  const rows = await t.db.select().from(contacts).where(eq(contacts.workspaceId, shop.workspaceId));
  const row = rows.find((c) => c.firstName === name);
  if (!row) throw new Error(`no contact ${name}`);
  return row;
}

describe(`win-back scenarios (${testDriver()})`, () => {
  it("Ravi orders on day 0 at 09:00 and never again → day 30, day 40 with 15% off, day 45 last chance; on day 47 he is unsubscribed from marketing email and tagged inactive", async () => {
    const shop = await Shop.open(t, "win_back");
    await shop.customer("Ravi");
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(order("Ravi", "R1"));
    await shop.runUntil(at(70, "00:00"));
    expect(await shop.sent()).toEqual(FULL_RUN(30));
    const [journey] = await shop.journeys();
    expect(journey?.status).toBe("completed");
    expect(journey?.path).toContain("unsubscribe:next");
    expect(journey?.path).toContain("tag_inactive:next");
    const ravi = await contactOf(shop, "Ravi");
    expect(ravi.emailConsent).toBe("unsubscribed");
    expect(ravi.smsConsent).toBe("subscribed");
    expect(ravi.tags).toContain("inactive");
    const changes = await t.db
      .select()
      .from(consentChanges)
      .where(and(eq(consentChanges.workspaceId, shop.workspaceId), eq(consentChanges.contactId, ravi.id)));
    expect(changes).toMatchObject([
      {
        channel: "email",
        fromStatus: "subscribed",
        toStatus: "unsubscribed",
        source: "flow",
        flowId: shop.flowId,
        nodeId: "unsubscribe",
      },
    ]);
    expect(changes[0]!.occurredAt.getTime()).toBe(at(47, "09:00"));
  });

  it("an order on day 35 between the first email and the 15% off ends it: no more emails, he stays subscribed, the order converts", async () => {
    const shop = await Shop.open(t, "win_back");
    await shop.customer("Ravi");
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(order("Ravi", "R1"));
    await shop.runUntil(at(35, "12:00"));
    await shop.deliver(order("Ravi", "R2"));
    await shop.runUntil(at(60, "00:00"));
    expect(await shop.sent()).toEqual(["email_1 at day 30 09:00"]);
    expect(await shop.journeys()).toMatchObject([{ status: "exited", exitReason: "goal" }]);
    expect((await shop.conversions()).map((c) => c.valueCents)).toEqual([4000]);
    expect((await contactOf(shop, "Ravi")).emailConsent).toBe("subscribed");
  });

  it("an order placed on day 44 but delivered on day 45 at 08:59, a minute before the last chance → no last chance, no unsubscribe", async () => {
    const shop = await Shop.open(t, "win_back");
    await shop.customer("Ravi");
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(order("Ravi", "R1"));
    await shop.runUntil(at(45, "08:59"));
    await shop.deliver(order("Ravi", "R2", at(44, "12:00")));
    await shop.runUntil(at(60, "00:00"));
    expect(await shop.sent()).toEqual(["email_1 at day 30 09:00", "email_2 at day 40 09:00"]);
    expect((await contactOf(shop, "Ravi")).emailConsent).toBe("subscribed");
  });

  it("last year's order imported on day 20 does not move his lapse: still day 30", async () => {
    const shop = await Shop.open(t, "win_back");
    await shop.customer("Ravi");
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver(order("Ravi", "R1"));
    await shop.runUntil(at(20, "10:00"));
    await shop.deliver(order("Ravi", "OLD", at(-300, "10:00")));
    await shop.runUntil(at(31, "00:00"));
    expect(await shop.sent()).toEqual(["email_1 at day 30 09:00"]);
  });

  it("Ines signs up on day 0 at 09:00 and never buys → the win-back starts on day 30 at 09:00", async () => {
    const shop = await Shop.open(t, "win_back");
    await shop.runUntil(at(0, "09:00"));
    await shop.customer("Ines");
    await shop.deliver({ customer: "Ines", event: "Signed Up" });
    await shop.runUntil(at(70, "00:00"));
    expect(await shop.sent()).toEqual(FULL_RUN(30));
    expect((await contactOf(shop, "Ines")).emailConsent).toBe("unsubscribed");
  });

  describe("customers already lapsed when the flow goes live on day 0 at 08:00", () => {
    // Ravi last ordered on day -40 (lapsed on day -10), Lena on day -20 (lapses on day 10
    // 09:00), Ines signed up on day -50 and never bought (lapsed on day -20).
    async function shopWithHistory() {
      const shop = await Shop.prepare(t, "win_back", { from: at(-50, "09:00") });
      await shop.customer("Ines");
      await shop.customer("Ravi");
      await shop.customer("Lena");
      await shop.runUntil(at(-40, "09:00"));
      await shop.deliver(order("Ravi", "R1"));
      await shop.runUntil(at(-20, "09:00"));
      await shop.deliver(order("Lena", "L1"));
      await shop.runUntil(at(0, "08:00"));
      return shop;
    }
    /** Who entered, in order of entry. */
    const who = async (shop: Shop) =>
      (
        await t.db
          .select({ name: contacts.firstName })
          .from(enrollments)
          .innerJoin(contacts, eq(contacts.id, enrollments.contactId))
          .where(eq(enrollments.flowId, shop.flowId))
          .orderBy(asc(enrollments.enteredAt), asc(contacts.firstName))
      ).map((r) => r.name);

    it("published without catch-up → only Lena, on day 10 at 09:00 when she reaches 30 days", async () => {
      const shop = await shopWithHistory();
      await shop.publish({ catchUpInactive: false });
      await shop.runUntil(at(30, "00:00"));
      expect(await shop.sent()).toEqual([
        "email_1 at day 10 09:00",
        "email_2 at day 20 09:00",
        "email_3 at day 25 09:00",
      ]);
      expect(await who(shop)).toEqual(["Lena"]);
    });

    it("the publish dialog counts Ravi and Ines as inactive already; publishing again with catch-up on day 3 at 10:00 lets them in then", async () => {
      const shop = await shopWithHistory();
      await shop.publish({ catchUpInactive: false });
      await shop.runUntil(at(3, "10:00"));
      const preview = await previewPublish(t.db, {
        workspaceId: shop.workspaceId,
        flowId: shop.flowId,
        now: new Date(shop.clock.t),
      });
      expect(preview.inactive).toEqual({ count: 2, event: "Placed Order", days: 30, includeNeverDone: true });
      await shop.publish({ catchUpInactive: true });
      await shop.runUntil(at(12, "00:00"));
      expect(await shop.sent()).toEqual([
        "email_1 at day 3 10:00",
        "email_1 at day 3 10:00",
        "email_1 at day 10 09:00",
      ]);
      expect(await who(shop)).toEqual(["Ines", "Ravi", "Lena"]);
    });

    it("published with catch-up → Ravi and Ines at once at 08:00, Lena on day 10 at 09:00", async () => {
      const shop = await shopWithHistory();
      await shop.publish({ catchUpInactive: true });
      await shop.runUntil(at(30, "00:00"));
      const sent = await shop.sent();
      expect(sent.filter((s) => s.startsWith("email_1"))).toEqual([
        "email_1 at day 0 08:00",
        "email_1 at day 0 08:00",
        "email_1 at day 10 09:00",
      ]);
      expect(sent).toHaveLength(9);
      expect(await who(shop)).toEqual(["Ines", "Ravi", "Lena"]);
      // Two workers sweeping at once, a later sweep, or a republish enroll nobody twice for one lapse.
      await Promise.all([
        sweepTimeTriggers(t.db, shop.clock.t, { workspaceId: shop.workspaceId }),
        sweepTimeTriggers(t.db, shop.clock.t, { workspaceId: shop.workspaceId }),
      ]);
      await shop.publish({ catchUpInactive: true });
      await shop.runUntil(at(31, "00:00"));
      expect(await who(shop)).toEqual(["Ines", "Ravi", "Lena"]);
    });
  });
});
