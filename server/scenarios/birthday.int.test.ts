/**
 * Birthday, in the shop's words: 3 days before the birthday at 10:00 the customer gets an
 * email and a text, each with a unique code from the shop's “Birthday” coupon pool, printed
 * with its expiry → 7 days → ordered since? nothing : a reminder with a fresh code. Every
 * message draws its own code once; an empty pool skips the message and says which pool.
 *
 * Day 0 is Monday 2 March 2026; a birthday on Sunday 8 March is celebrated on Thursday
 * 5 March (day 3) at 10:00 London time.
 */
import { withEmailBodies } from "@/server/channels/email-bodies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { couponCodes, messages } from "@/server/db/schema";
import { getFlowTemplate } from "@/server/engine";
import type { FlowGraph } from "@/server/engine/graph";
import { ensureCouponPool, importCouponCsv, listCouponPools } from "@/server/coupons/coupons";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

/** The template as it ships, wired to the shop's Birthday pool holding these CSV lines. */
const birthdayWithPool =
  (csv: string) =>
  async (workspaceId: string): Promise<FlowGraph> => {
    const template = getFlowTemplate("birthday");
    if (!template) throw new Error("no birthday template");
    const pool = await ensureCouponPool(t.db, { workspaceId, name: "Birthday" });
    await importCouponCsv(t.db, { workspaceId, poolId: pool.id, csv });
    return {
      ...template.graph,
      nodes: template.graph.nodes.map((n) =>
        "couponPool" in n.config ? ({ ...n, config: { ...n.config, couponPool: pool.id } } as typeof n) : n,
      ),
    };
  };

const CODES =
  "code,expires_at\nBDAY-ANA1,2026-03-31\nBDAY-ANA2,2026-03-31\nBDAY-ANA3,2026-03-31\nBDAY-ANA4,2026-03-31\n";

/** What each message carried: step, status, the code drawn and the text the customer read. */
async function letters(shop: Shop) {
  const rows = await withEmailBodies(
    t.db,
    await t.db
      .select()
      .from(messages)
      .where(eq(messages.flowId, shop.flowId))
      .orderBy(asc(messages.createdAt), asc(messages.nodeId)),
  );
  return rows.map((m) => ({
    step: m.nodeId,
    status: m.status,
    code: (m.content.coupon as { code?: string } | undefined)?.code ?? null,
    text: typeof m.content.text === "string" ? m.content.text : "",
    why: m.lastError,
  }));
}

describe(`birthday scenarios (${testDriver()})`, () => {
  it("Ana's birthday is Sunday: Thursday 10:00 an email and a text, each with her own code valid to 31 March; no order → day 10 a reminder with a fresh code", async () => {
    const shop = await Shop.open(t, "birthday", birthdayWithPool(CODES));
    await shop.customer("Ana", { birthday: "1990-03-08" });
    await shop.runUntil(at(3, "09:59"));
    expect(await shop.sent()).toEqual([]);
    await shop.runUntil(at(3, "10:00"));
    await shop.runUntil(at(14, "00:00"));
    expect(await shop.sent()).toEqual([
      "birthday_email at day 3 10:00",
      "birthday_sms (sms) at day 3 10:00",
      "reminder_email at day 10 10:00",
    ]);
    const sent = await letters(shop);
    const codes = sent.map((l) => l.code);
    expect(new Set(codes).size).toBe(3);
    for (const l of sent) {
      expect(l.code).toMatch(/^BDAY-ANA\d$/);
      expect(l.text).toContain(l.code!);
      expect(l.text).toContain("March 31, 2026");
    }
    const [pool] = await listCouponPools(t.db, {
      workspaceId: shop.workspaceId,
      now: new Date(at(14, "00:00")),
    });
    expect([pool?.used, pool?.remaining]).toEqual([3, 1]);
  });

  it("Ana orders on day 5 → no reminder; only the two codes she was sent leave the pool", async () => {
    const shop = await Shop.open(t, "birthday", birthdayWithPool(CODES));
    await shop.customer("Ana", { birthday: "1990-03-08" });
    await shop.runUntil(at(3, "10:00"));
    await shop.runUntil(at(5, "12:00"));
    await shop.deliver({ customer: "Ana", event: "Placed Order", properties: { order_id: "B1", value: 40 } });
    await shop.runUntil(at(14, "00:00"));
    expect(await shop.sent()).toEqual(["birthday_email at day 3 10:00", "birthday_sms (sms) at day 3 10:00"]);
    const [pool] = await listCouponPools(t.db, {
      workspaceId: shop.workspaceId,
      now: new Date(at(14, "00:00")),
    });
    expect([pool?.used, pool?.remaining]).toEqual([2, 2]);
  });

  it("Ana and Ben share a birthday and enter in the same minute → four messages, four different codes", async () => {
    const shop = await Shop.open(t, "birthday", birthdayWithPool(CODES));
    await shop.customer("Ana", { birthday: "1991-03-08" });
    await shop.customer("Ben", { birthday: "1985-03-08" });
    await shop.runUntil(at(3, "10:00"));
    const sent = await letters(shop);
    expect(sent.map((l) => l.status)).toEqual(["sent", "sent", "sent", "sent"]);
    expect(new Set(sent.map((l) => l.code)).size).toBe(4);
  });

  it("the pool runs dry: Ana's email and text take the last two codes; Ben's, a day later, are skipped naming the pool", async () => {
    const shop = await Shop.open(
      t,
      "birthday",
      // One more code expired on day 1: it is never sent.
      birthdayWithPool("code,expires_at\nOLD-1,2026-03-03\nLAST-1,2026-03-31\nLAST-2,2026-03-31\n"),
    );
    await shop.customer("Ana", { birthday: "1990-03-08" });
    await shop.customer("Ben", { birthday: "1990-03-09" });
    await shop.runUntil(at(3, "10:00"));
    await shop.runUntil(at(4, "10:00"));
    const sends = await shop.sends();
    expect(sends.map((s) => [s.step, s.status, s.at, s.skipReason])).toEqual([
      ["birthday_email", "sent", "day 3 10:00", null],
      ["birthday_sms", "sent", "day 3 10:00", null],
      ["birthday_email", "skipped", "day 4 10:00", "coupon_pool_empty"],
      ["birthday_sms", "skipped", "day 4 10:00", "coupon_pool_empty"],
    ]);
    const sent = await letters(shop);
    expect(sent.map((l) => l.code)).toEqual(["LAST-1", "LAST-2", null, null]);
    expect(sent.slice(2).map((l) => l.why)).toEqual([
      "coupon pool “Birthday” is empty",
      "coupon pool “Birthday” is empty",
    ]);
    // Ben still moves on through the flow: he waits for the follow-up like anyone else.
    const journeys = await shop.journeys();
    expect(journeys[1]?.path).toEqual(["trigger:next", "birthday_email:next", "birthday_sms:next"]);
    const expired = await t.db.select().from(couponCodes).where(eq(couponCodes.code, "OLD-1"));
    expect(expired[0]?.messageId).toBeNull();
  });
});
