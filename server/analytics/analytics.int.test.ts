/**
 * A scripted history — sends, opens, clicks and orders at known times — gives exactly the
 * expected per-node counts, conversions and revenue: an order outside the window is not
 * credited, two messages before one order credit the last touched once, an order with no
 * touch is not credited. And the click redirect records, forwards, and refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import {
  createContact,
  DAY,
  FakeClock,
  HOUR,
  publishGraph,
  runUntilIdle,
  storeEvent,
  testExecutor,
} from "@/server/testing/flows";
import { conversions, messageEvents, messages } from "@/server/db/schema";
import { getFlowTemplate } from "@/server/engine";
import { handleClick, signLink } from "./tracking";
import { twoProportionTest } from "./stats";

let t: TestDb;
const T0 = Date.UTC(2026, 2, 2, 14, 0, 0);
const KEY = "test-link-signing-key-0123456789";

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe(`flow analytics (${testDriver()})`, () => {
  it("counts a scripted abandoned-cart history exactly", async () => {
    const member = await createMember(t.db, "Analyst");
    const ws = member.workspace.id;
    const clock = new FakeClock(T0);
    const flow = await publishGraph(t.db, {
      workspaceId: ws,
      userId: member.user.id,
      graph: getFlowTemplate("abandoned_cart")!.graph,
      now: T0,
    });
    const executor = testExecutor(t, clock);
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => createContact(t.db, ws)));
    for (const x of [a!, b!, c!, d!]) {
      await executor.handleEvents([
        await storeEvent(t.db, {
          workspaceId: ws,
          contactId: x.id,
          name: "Started Checkout",
          properties: { cart_id: `cart_${x.id}`, value: 40 },
          at: T0,
        }),
      ]);
    }
    const messageOf = async (contactId: string, nodeId: string) => {
      const [m] = await t.db
        .select()
        .from(messages)
        .where(and(eq(messages.contactId, contactId), eq(messages.nodeId, nodeId)));
      if (!m) throw new Error(`no ${nodeId} for contact`);
      return m;
    };
    const engage = async (contactId: string, nodeId: string, type: "opened" | "clicked", at: number) => {
      const m = await messageOf(contactId, nodeId);
      await t.db.insert(messageEvents).values({
        workspaceId: ws,
        messageId: m.id,
        type,
        occurredAt: new Date(at),
        url: type === "clicked" ? "https://shop.example.com/cart" : null,
      });
    };
    const order = async (contactId: string, value: number, at: number) => {
      clock.t = at;
      await executor.handleEvents([
        await storeEvent(t.db, {
          workspaceId: ws,
          contactId,
          name: "Placed Order",
          properties: { order_id: `o_${contactId}`, value, currency: "USD" },
          at,
        }),
      ]);
    };

    await runUntilIdle(t.db, executor, clock, { until: T0 + 2 * HOUR }); // email_1 at +1 h to all four
    for (const x of [a!, b!, c!]) await engage(x.id, "email_1", "opened", T0 + 2 * HOUR);
    await order(a!.id, 50, T0 + 3 * HOUR); // credited to email_1
    await runUntilIdle(t.db, executor, clock, { until: T0 + 26 * HOUR }); // email_2 + SMS at +25 h to B, C, D
    await engage(b!.id, "email_2", "clicked", T0 + 26 * HOUR);
    await order(b!.id, 30, T0 + 27 * HOUR); // two touched messages: credited once, to email_2
    await order(d!.id, 99, T0 + 30 * HOUR); // no touch: not credited (a goal exit all the same)
    await runUntilIdle(t.db, executor, clock, { until: T0 + 7 * DAY }); // email_3 at +73 h to C
    await order(c!.id, 70, T0 + 8 * DAY); // last touch 8 days ago: outside the 5-day window

    const credited = await t.db
      .select({ contactId: conversions.contactId, nodeId: conversions.nodeId, value: conversions.valueCents })
      .from(conversions)
      .where(eq(conversions.flowId, flow.flowId));
    expect(credited.filter((r) => r.nodeId !== null).sort((x, y) => x.value - y.value)).toEqual([
      { contactId: b!.id, nodeId: "email_2", value: 3000 },
      { contactId: a!.id, nodeId: "email_1", value: 5000 },
    ]);
    expect(credited.filter((r) => r.contactId === c!.id)).toEqual([]);

    const stats = await member.caller.analytics.flowStats({ flowId: flow.flowId });
    const pick = (id: string) => {
      const n = stats.nodes[id]!;
      return {
        entered: n.entered,
        passed: n.passed,
        exited: n.exited,
        waiting: n.waiting,
        sent: n.sent,
        opened: n.opened,
        clicked: n.clicked,
        conversions: n.conversions,
        revenueCents: n.revenueCents,
      };
    };
    expect(pick("trigger")).toMatchObject({ entered: 4, passed: 4 });
    expect(pick("email_1")).toEqual({
      entered: 4,
      passed: 4,
      exited: 0,
      waiting: 0,
      sent: 4,
      opened: 3,
      clicked: 0,
      conversions: 1,
      revenueCents: 5000,
    });
    expect(pick("wait_1d")).toMatchObject({ entered: 4, passed: 3, exited: 1 });
    expect(pick("email_2")).toEqual({
      entered: 3,
      passed: 3,
      exited: 0,
      waiting: 0,
      sent: 3,
      opened: 0,
      clicked: 1,
      conversions: 1,
      revenueCents: 3000,
    });
    expect(pick("sms_reminder")).toMatchObject({ sent: 3, conversions: 0 });
    expect(pick("wait_2d")).toMatchObject({ entered: 3, passed: 1, exited: 2 });
    expect(pick("email_3")).toMatchObject({ sent: 1, conversions: 0 });
    expect(pick("exit")).toMatchObject({ entered: 1, exited: 1 });
    expect(stats.nodes.wait_1h!.outcomes).toEqual({ next: { count: 4, share: 1 } });
    expect(stats.flow).toMatchObject({ conversions: 2, revenueCents: 8000, entered: 4 });

    // Date range: nothing happened in April.
    const april = await member.caller.analytics.flowStats({
      flowId: flow.flowId,
      from: "2026-04-01",
      to: "2026-04-30",
    });
    expect(april.nodes.email_1?.sent ?? 0).toBe(0);
    // Another workspace sees nothing; bad input names the field.
    const other = await createMember(t.db, "Other");
    await expect(other.caller.analytics.flowStats({ flowId: flow.flowId })).rejects.toThrow(/not found/i);
    const bad = await callHttp(
      t.db,
      member.user,
      "analytics.flowStats",
      { flowId: flow.flowId, from: "yesterday" },
      "query",
    );
    expect(Object.keys(bad.body.error?.json.data.fieldErrors ?? {})).toEqual(["from"]);
  });

  it("the click redirect records and forwards; a tampered token forwards without recording; a foreign host is refused", async () => {
    const member = await createMember(t.db, "Clicker");
    const [m] = await t.db
      .insert(messages)
      .values({
        workspaceId: member.workspace.id,
        channel: "email",
        status: "sent",
        content: { links: ["https://shop.example.com/cart/1", "https://partner.example.org/offer"] },
      })
      .returning();
    const now = new Date(T0);
    const good = signLink({ m: m!.id, u: "https://partner.example.org/offer" }, KEY);
    expect(
      await handleClick(t.db, { token: good, key: KEY, appUrl: "https://shop.example.com", now }),
    ).toEqual({ status: 302, location: "https://partner.example.org/offer", recorded: true });

    const tampered = `${good.split(".")[0]}.${"A".repeat(32)}`;
    expect(
      await handleClick(t.db, { token: tampered, key: KEY, appUrl: "https://shop.example.com", now }),
    ).toEqual({ status: 302, location: "https://partner.example.org/offer", recorded: false });

    const forged = `${Buffer.from(JSON.stringify({ m: m!.id, u: "https://evil.example.net/" })).toString("base64url")}.${"B".repeat(32)}`;
    expect(
      (await handleClick(t.db, { token: forged, key: KEY, appUrl: "https://shop.example.com", now })).status,
    ).toBe(400);
    expect(
      (await handleClick(t.db, { token: "garbage", key: KEY, appUrl: "https://shop.example.com", now }))
        .status,
    ).toBe(400);

    const clicks = await t.db.select().from(messageEvents).where(eq(messageEvents.messageId, m!.id));
    expect(clicks.map((e) => [e.type, e.url])).toEqual([["clicked", "https://partner.example.org/offer"]]);
  });
});

describe("two-proportion test", () => {
  it("finds a real difference and not a fluke", () => {
    expect(
      twoProportionTest({ conversions: 120, contacts: 1000 }, { conversions: 80, contacts: 1000 })
        .significant,
    ).toBe(true);
    expect(
      twoProportionTest({ conversions: 11, contacts: 100 }, { conversions: 9, contacts: 100 }).significant,
    ).toBe(false);
    expect(twoProportionTest({ conversions: 0, contacts: 0 }, { conversions: 1, contacts: 10 }).pValue).toBe(
      1,
    );
  });
});
