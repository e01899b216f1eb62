/**
 * A step's report on the analytics canvas, in the shop's words, through the real executor on
 * a fake clock: four shoppers start checkout at 20:30 in one batch; Ben's address is
 * suppressed, so email 1 goes to Rosa, Sam and Ann at 21:30 and skips Ben. Rosa opens it and
 * orders at 22:10; Sam opened it at 21:40 and ordered at 21:50, but that order only arrives
 * the next morning. Ann and Ben wait for the second email. The report of email 1 agrees with
 * the card's numbers, lists the four messages with merged subjects, the skip reason, both
 * orders with their revenue; the wait's report lists Ann and Ben. Bad input names the field.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { contacts, members, messageEvents, messages, suppressions, users } from "@/server/db/schema";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import { at, Shop } from "@/server/scenarios/shop";
import { flowStats } from "./stats";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const cart = (id: string) => ({
  cart_id: id,
  value: 37.8,
  currency: "USD",
  checkout_url: `https://shop.example.com/checkout/${id}`,
  items: [{ product_id: "cof-ethiopia", title: "Ethiopia Yirgacheffe, 340 g", price: 18.9, quantity: 2 }],
});
const order = (customer: string, cartId: string, orderId: string, timestamp: number) => ({
  customer,
  event: "Placed Order",
  properties: { order_id: orderId, cart_id: cartId, value: 37.8, currency: "USD" },
  timestamp,
});

async function memberOf(workspaceId: string) {
  const user = { id: randomUUID(), name: "Marketer", email: `m.${randomUUID().slice(0, 8)}@example.com` };
  await t.db.insert(users).values(user);
  await t.db.insert(members).values({ workspaceId, userId: user.id, role: "owner" });
  return { user, caller: createCaller(createContext({ db: t.db, user })) };
}

describe(`step report (${testDriver()})`, () => {
  it("email 1 and the day wait of the abandoned cart, as the shop lived them", async () => {
    const shop = await Shop.open(t, "abandoned_cart");
    const ids: Record<string, string> = {};
    for (const name of ["Rosa", "Sam", "Ann", "Ben"]) ids[name] = await shop.customer(name);
    const [ben] = await t.db
      .select({ email: contacts.email })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, shop.workspaceId), eq(contacts.externalId, ids.Ben!)));
    await t.db.insert(suppressions).values({
      workspaceId: shop.workspaceId,
      channel: "email",
      address: ben!.email!,
      reason: "hard_bounce",
    });

    await shop.runUntil(at(0, "20:30"));
    await shop.deliver(
      ...["Rosa", "Sam", "Ann", "Ben"].map((customer) => ({
        customer,
        event: "Started Checkout",
        properties: cart(`cart_${customer.toLowerCase()}`),
        timestamp: at(0, "20:30"),
      })),
    );
    await shop.runUntil(at(0, "21:35"));
    const open = async (customer: string, when: number) => {
      const [m] = await t.db
        .select({ id: messages.id })
        .from(messages)
        .innerJoin(contacts, eq(contacts.id, messages.contactId))
        .where(
          and(
            eq(messages.flowId, shop.flowId),
            eq(messages.nodeId, "email_1"),
            eq(contacts.externalId, ids[customer]!),
          ),
        );
      await t.db.insert(messageEvents).values({
        workspaceId: shop.workspaceId,
        messageId: m!.id,
        type: "opened",
        occurredAt: new Date(when),
      });
    };
    await open("Sam", at(0, "21:40"));
    await open("Rosa", at(0, "21:45"));
    await shop.runUntil(at(0, "22:10"));
    await shop.deliver(order("Rosa", "cart_rosa", "ord_rosa", at(0, "22:10")));
    // Sam's order, placed at 21:50, arrives the next morning.
    await shop.runUntil(at(1, "09:00"));
    await shop.deliver(order("Sam", "cart_sam", "ord_sam", at(0, "21:50")));
    await shop.runUntil(at(1, "10:00"));

    const { caller } = await memberOf(shop.workspaceId);
    const range = { from: "2026-03-02", to: "2026-03-03" };
    const report = await caller.stepReport.get({ flowId: shop.flowId, nodeId: "email_1", ...range });

    expect(report.node).toEqual({ id: "email_1", kind: "email" });
    const total = (key: "sent" | "conversions" | "revenueCents") =>
      report.days.reduce((sum, d) => sum + d[key], 0);
    expect(total("sent")).toBe(3);
    expect(report.days.map((d) => d.day)).toEqual(expect.arrayContaining(["2026-03-02"]));
    expect(report.skipped).toEqual([{ reason: "suppressed", count: 1 }]);
    expect(report.conversions).toMatchObject({ total: 2, revenueCents: 7560, currency: "USD" });
    expect(report.conversions.rows.map((r) => [r.orderId, r.valueCents, r.contact.name])).toEqual([
      ["ord_rosa", 3780, "Rosa"],
      ["ord_sam", 3780, "Sam"],
    ]);
    expect(report.messages).toHaveLength(4);
    expect(report.messages.filter((m) => m.status === "skipped").map((m) => m.contactName)).toEqual(["Ben"]);
    for (const m of report.messages.filter((m) => m.status !== "skipped")) {
      expect(m.subject).toBeTruthy();
      expect(m.subject).not.toContain("{{");
    }
    expect(report.messages.find((m) => m.contactName === "Rosa")?.opened).toBe(true);
    expect(report.waiting.total).toBe(0);

    // The same numbers as the step's card on the canvas.
    const card = (await flowStats(t.db, { workspaceId: shop.workspaceId, flowId: shop.flowId, ...range }))
      .nodes.email_1!;
    expect([card.sent, card.conversions, card.revenueCents, card.skipped]).toEqual([
      total("sent"),
      report.conversions.total,
      report.conversions.revenueCents,
      { suppressed: 1 },
    ]);

    // Ann and Ben wait a day for the second email (until 21:30); Rosa and Sam have left.
    const wait = await caller.stepReport.get({ flowId: shop.flowId, nodeId: "wait_1d", ...range });
    expect(wait.waiting.total).toBe(2);
    // Both entered in one batch, at the same time: listed in either order.
    expect(wait.waiting.rows.map((r) => [r.contact.name, r.nextRunAt?.toISOString()]).sort()).toEqual([
      ["Ann", new Date(at(1, "21:30")).toISOString()],
      ["Ben", new Date(at(1, "21:30")).toISOString()],
    ]);
    expect(wait.messages).toEqual([]);

    // A day with nothing: no sends or orders, the waiting list is "now" all the same.
    const later = await caller.stepReport.get({
      flowId: shop.flowId,
      nodeId: "email_1",
      from: "2026-03-05",
      to: "2026-03-05",
    });
    expect([later.days, later.messages, later.conversions.rows, later.conversions.total]).toEqual([
      [],
      [],
      [],
      0,
    ]);
  });

  it("refuses bad input with a 4xx naming the field, and another shop's flow is not found", async () => {
    const shop = await Shop.open(t, "abandoned_cart");
    const { user } = await memberOf(shop.workspaceId);
    const ask = (input: unknown) => callHttp(t.db, user, "stepReport.get", input, "query");

    const unknownStep = await ask({ flowId: shop.flowId, nodeId: "nope" });
    expect(unknownStep.status).toBe(404);
    expect(unknownStep.body.error?.json.message).toBe("Step not found");

    const backwards = await ask({
      flowId: shop.flowId,
      nodeId: "email_1",
      from: "2026-03-05",
      to: "2026-03-01",
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error?.json.data.fieldErrors).toEqual({
      to: ["The end date is before the start date"],
    });

    for (const [input, field] of [
      [{ flowId: "x", nodeId: "email_1" }, "flowId"],
      [{ flowId: shop.flowId, nodeId: "" }, "nodeId"],
      [{ flowId: shop.flowId, nodeId: "email_1", from: "yesterday" }, "from"],
      [{ flowId: shop.flowId, nodeId: "email_1", versionId: 7 }, "versionId"],
    ] as const) {
      const res = await ask(input);
      expect(res.status, field).toBe(400);
      expect(Object.keys(res.body.error?.json.data.fieldErrors ?? {}), field).toEqual([field]);
    }

    const wrongVersion = await ask({ flowId: shop.flowId, nodeId: "email_1", versionId: randomUUID() });
    expect(wrongVersion.status).toBe(404);

    const stranger = await createMember(t.db, "Stranger");
    const theirs = await callHttp(
      t.db,
      stranger.user,
      "stepReport.get",
      { flowId: shop.flowId, nodeId: "email_1" },
      "query",
    );
    expect(theirs.status).toBe(404);
  });
});
