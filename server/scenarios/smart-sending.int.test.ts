/**
 * Smart sending per message, in the shop's words. The shop runs abandoned cart and
 * post-purchase as they ship. Smart sending (16 h) holds back a marketing email when the
 * customer got one recently — but not the thank-you for the order she just placed, whose
 * step has smart sending off (Klaviyo's model). A step with it on keeps the visible reason.
 */
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { members, messages } from "@/server/db/schema";
import { getFlowTemplate } from "@/server/engine";
import type { FlowGraph } from "@/server/engine/graph";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { publishGraph } from "@/server/testing/flows";
import { at, dayTime, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const cart = (cartId: string) => ({
  cart_id: cartId,
  value: 37.8,
  currency: "USD",
  checkout_url: `https://shop.example.com/checkout/${cartId}`,
});

function shippedPostPurchase(): FlowGraph {
  const template = getFlowTemplate("post_purchase");
  if (!template) throw new Error("no post-purchase template");
  return template.graph;
}

/** Abandoned cart and post-purchase live in one shop, with Rosa as a customer. */
async function shopWithBothFlows(postPurchase: FlowGraph = shippedPostPurchase()) {
  const shop = await Shop.open(t, "abandoned_cart");
  const [member] = await t.db
    .select({ userId: members.userId })
    .from(members)
    .where(eq(members.workspaceId, shop.workspaceId));
  if (!member) throw new Error("no member");
  const flow = await publishGraph(t.db, {
    workspaceId: shop.workspaceId,
    userId: member.userId,
    graph: postPurchase,
    name: "Post-purchase",
    now: shop.clock.t,
  });
  await shop.customer("Rosa");
  return { shop, postPurchaseFlowId: flow.flowId };
}

/** Every message of a flow: "step status at day N HH:MM (reason)". */
async function written(flowId: string): Promise<string[]> {
  const rows = await t.db
    .select({
      step: messages.nodeId,
      status: messages.status,
      at: messages.createdAt,
      reason: messages.skipReason,
    })
    .from(messages)
    .where(eq(messages.flowId, flowId))
    .orderBy(asc(messages.createdAt), asc(messages.nodeId));
  return rows.map(
    (r) => `${r.step} ${r.status} at ${dayTime(r.at.getTime())}${r.reason ? ` (${r.reason})` : ""}`,
  );
}

describe(`smart sending per message (${testDriver()})`, () => {
  it("a cart reminder at 10:00, her order at 11:00 → the first-order thank-you still goes out at 11:00", async () => {
    const { shop, postPurchaseFlowId } = await shopWithBothFlows();
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver({ customer: "Rosa", event: "Started Checkout", properties: cart("cart_77") });
    await shop.runUntil(at(0, "11:00"));
    await shop.deliver({
      customer: "Rosa",
      event: "Placed Order",
      properties: { order_id: "ord_1", cart_id: "cart_77", value: 37.8 },
    });
    await shop.runUntil(at(4, "00:00"));
    expect(await written(shop.flowId)).toEqual(["email_1 sent at day 0 10:00"]);
    expect((await shop.journeys()).map((j) => j.exitReason)).toEqual(["goal"]);
    expect(await written(postPurchaseFlowId)).toEqual([
      "thanks_first sent at day 0 11:00",
      "cross_sell_email sent at day 3 11:00",
    ]);
  });

  it("the thank-you at 11:00 counts as her last marketing email: a new cart's reminder at 15:00 is skipped, and says why", async () => {
    const { shop, postPurchaseFlowId } = await shopWithBothFlows();
    await shop.runUntil(at(0, "11:00"));
    await shop.deliver({
      customer: "Rosa",
      event: "Placed Order",
      properties: { order_id: "ord_1", cart_id: "cart_76", value: 20 },
    });
    await shop.runUntil(at(0, "14:00"));
    await shop.deliver({ customer: "Rosa", event: "Started Checkout", properties: cart("cart_78") });
    await shop.runUntil(at(1, "12:00"));
    expect(await written(postPurchaseFlowId)).toEqual(["thanks_first sent at day 0 11:00"]);
    // Email 1 is held back by smart sending; email 2, a day later, is outside the 16 hours.
    expect(await written(shop.flowId)).toEqual(["email_1 skipped at day 0 15:00 (smart_sending)"]);
    await shop.runUntil(at(1, "16:00"));
    expect(await written(shop.flowId)).toEqual([
      "email_1 skipped at day 0 15:00 (smart_sending)",
      "email_2 sent at day 1 15:00",
      "sms_reminder sent at day 1 15:00",
    ]);
  });

  it("a marketer who turns smart sending on for the thank-you gets it skipped after the 10:00 reminder, with the reason shown", async () => {
    const graph = shippedPostPurchase();
    const strict: FlowGraph = {
      ...graph,
      nodes: graph.nodes.map((n) =>
        n.kind === "email" && n.id === "thanks_first"
          ? { ...n, config: { ...n.config, smartSending: true } }
          : n,
      ),
    };
    const { shop, postPurchaseFlowId } = await shopWithBothFlows(strict);
    await shop.runUntil(at(0, "09:00"));
    await shop.deliver({ customer: "Rosa", event: "Started Checkout", properties: cart("cart_77") });
    await shop.runUntil(at(0, "11:00"));
    await shop.deliver({
      customer: "Rosa",
      event: "Placed Order",
      properties: { order_id: "ord_1", cart_id: "cart_77", value: 37.8 },
    });
    await shop.runUntil(at(0, "12:00"));
    expect(await written(postPurchaseFlowId)).toEqual([
      "thanks_first skipped at day 0 11:00 (smart_sending)",
    ]);
  });
});
