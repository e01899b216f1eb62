/**
 * Every seed flow end to end through the real executor and database, with a fake clock:
 * triggers, waits, conditions, goals and time-based entries, messages in the Outbox.
 */
import { withEmailBodies } from "@/server/channels/email-bodies";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateCoupons, listCouponPools } from "@/server/coupons/coupons";
import { withWorkspacePools } from "@/server/flows/flows";
import type { FlowGraph } from "@/server/engine/graph";
import { and, asc, eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
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
import { conversions, enrollments, enrollmentSteps, flows, messages } from "@/server/db/schema";
import { flowTemplates, getFlowTemplate } from "@/server/engine";
import type { FlowTemplateKey } from "@/server/engine";
import { sweepTimeTriggers } from "./scheduler";

let t: TestDb;
let member: Awaited<ReturnType<typeof createMember>>;
// Monday 2 March 2026, 14:00 UTC = 09:00 in New York.
const START = Date.UTC(2026, 2, 2, 14, 0, 0);

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());
beforeEach(async () => {
  member = await createMember(t.db, "Marketer");
});

const ORDER = {
  order_id: "ord_1001",
  cart_id: "cart_77",
  product_id: "cof-ethiopia",
  title: "Ethiopia Yirgacheffe, 340 g",
  category: "Coffee",
  price: 18.9,
  quantity: 2,
  days_per_unit: 14,
  time_on_page: 90,
  value: 37.8,
  currency: "USD",
  checkout_url: "https://shop.example.com/checkout/cart_77",
  tracking_url: "https://tracking.example.com/ord_1001",
  items: [
    {
      product_id: "cof-ethiopia",
      title: "Ethiopia Yirgacheffe, 340 g",
      price: 18.9,
      quantity: 2,
      url: "https://shop.example.com/p/cof-ethiopia",
    },
  ],
};

/** A template's coupon pools (birthday's) become the workspace's, with codes in them. */
async function withFilledPools(workspaceId: string, graph: FlowGraph): Promise<FlowGraph> {
  const wired = await withWorkspacePools(t.db, workspaceId, graph);
  for (const pool of await listCouponPools(t.db, { workspaceId }))
    await generateCoupons(t.db, { workspaceId, poolId: pool.id, count: 10, prefix: "T-", expiresAt: null });
  return wired;
}

async function setup(key: FlowTemplateKey, clock: FakeClock, publishedAt = clock.t) {
  const template = getFlowTemplate(key);
  if (!template) throw new Error(`no template ${key}`);
  const flow = await publishGraph(t.db, {
    workspaceId: member.workspace.id,
    userId: member.user.id,
    graph: await withFilledPools(member.workspace.id, template.graph),
    name: template.name,
    now: publishedAt,
  });
  return { flow, executor: testExecutor(t, clock) };
}

/** The flow's messages, each sent email with its HTML and text as sent. */
async function sentFor(flowId: string) {
  const rows = await t.db
    .select({
      workspaceId: messages.workspaceId,
      bodyDesign: messages.bodyDesign,
      body: messages.body,
      nodeId: messages.nodeId,
      channel: messages.channel,
      status: messages.status,
      skipReason: messages.skipReason,
      lastError: messages.lastError,
      createdAt: messages.createdAt,
      subject: messages.subject,
      content: messages.content,
    })
    .from(messages)
    .where(eq(messages.flowId, flowId))
    .orderBy(asc(messages.createdAt), asc(messages.nodeId));
  return withEmailBodies(t.db, rows);
}

describe(`seed flows end to end (${testDriver()})`, () => {
  it("abandoned cart: 1 h, 1 day, 2 days, with SMS, rendered into the Outbox", async () => {
    const clock = new FakeClock(START);
    const { flow, executor } = await setup("abandoned_cart", clock);
    const contact = await createContact(t.db, member.workspace.id, { firstName: "Rosa" });
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: member.workspace.id,
        contactId: contact.id,
        name: "Started Checkout",
        properties: ORDER,
        at: clock.t,
      }),
    ]);
    expect(await sentFor(flow.flowId)).toHaveLength(0);

    await runUntilIdle(t.db, executor, clock);
    const sent = await sentFor(flow.flowId);
    expect(sent.map((m) => [m.nodeId, m.channel, m.status])).toEqual([
      ["email_1", "email", "sent"],
      ["email_2", "email", "sent"],
      ["sms_reminder", "sms", "sent"],
      ["email_3", "email", "sent"],
    ]);
    expect(sent.map((m) => (m.createdAt.getTime() - START) / HOUR)).toEqual([1, 25, 25, 73]);
    expect(sent[0]?.subject).toBe("Rosa, you left something behind");
    expect(String(sent[3]?.content.html)).toContain("COMEBACK10");
    const [enrollment] = await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId));
    expect(enrollment?.status).toBe("completed");
  });

  it("abandoned cart stops when Placed Order arrives, and records the conversion", async () => {
    const clock = new FakeClock(START);
    const { flow, executor } = await setup("abandoned_cart", clock);
    const contact = await createContact(t.db, member.workspace.id);
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: member.workspace.id,
        contactId: contact.id,
        name: "Started Checkout",
        properties: ORDER,
        at: clock.t,
      }),
    ]);
    await runUntilIdle(t.db, executor, clock, { until: START + 2 * HOUR });
    expect((await sentFor(flow.flowId)).map((m) => m.nodeId)).toEqual(["email_1"]);

    clock.t = START + 5 * HOUR;
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: member.workspace.id,
        contactId: contact.id,
        name: "Placed Order",
        properties: ORDER,
        at: clock.t,
      }),
    ]);
    const [enrollment] = await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId));
    expect(enrollment?.status).toBe("exited");
    expect(enrollment?.exitReason).toBe("goal");
    const conv = await t.db.select().from(conversions).where(eq(conversions.flowId, flow.flowId));
    expect(conv.map((c) => c.valueCents)).toEqual([3780]);

    await runUntilIdle(t.db, executor, clock, { until: START + 5 * DAY });
    expect((await sentFor(flow.flowId)).map((m) => m.nodeId)).toEqual(["email_1"]);
  });

  for (const [label, rating, expected] of [
    ["rating 5 → thanks", 5, "thanks_email"],
    ["rating 2 → recovery offer", 2, "recovery_email"],
    ["no review → reminder", null, "reminder_email"],
  ] as const) {
    it(`review request: ${label}`, async () => {
      const clock = new FakeClock(START);
      const { flow, executor } = await setup("review_request", clock);
      const contact = await createContact(t.db, member.workspace.id);
      await executor.handleEvents([
        await storeEvent(t.db, {
          workspaceId: member.workspace.id,
          contactId: contact.id,
          name: "Order Delivered",
          properties: ORDER,
          at: clock.t,
        }),
      ]);
      expect((await sentFor(flow.flowId)).map((m) => m.nodeId)).toEqual(["ask_email"]);
      if (rating !== null) {
        clock.t = START + 2 * DAY;
        await executor.handleEvents([
          await storeEvent(t.db, {
            workspaceId: member.workspace.id,
            contactId: contact.id,
            name: "Review Submitted",
            properties: { order_id: ORDER.order_id, rating },
            at: clock.t,
          }),
        ]);
      }
      await runUntilIdle(t.db, executor, clock);
      expect((await sentFor(flow.flowId)).map((m) => m.nodeId)).toEqual(["ask_email", expected]);
    });
  }

  it("review request ignores a review of another order", async () => {
    const clock = new FakeClock(START);
    const { flow, executor } = await setup("review_request", clock);
    const contact = await createContact(t.db, member.workspace.id);
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: member.workspace.id,
        contactId: contact.id,
        name: "Order Delivered",
        properties: ORDER,
        at: clock.t,
      }),
    ]);
    clock.t += DAY;
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: member.workspace.id,
        contactId: contact.id,
        name: "Review Submitted",
        properties: { order_id: "ord_other", rating: 5 },
        at: clock.t,
      }),
    ]);
    await runUntilIdle(t.db, executor, clock);
    expect((await sentFor(flow.flowId)).map((m) => m.nodeId)).toEqual(["ask_email", "reminder_email"]);
  });

  it("birthday fires from the date property, 3 days before at 10:00 local, once", async () => {
    const clock = new FakeClock(Date.UTC(2026, 2, 10, 16, 0, 0)); // 12:00 in New York (EDT from 8 March)
    const { flow, executor } = await setup("birthday", clock, clock.t - 7 * DAY);
    await createContact(t.db, member.workspace.id, { birthday: "1990-03-13", firstName: "Bea" });
    await createContact(t.db, member.workspace.id, { birthday: "1990-07-01" });
    await createContact(t.db, member.workspace.id, { birthday: null });
    await Promise.all([sweepTimeTriggers(t.db, clock.t), sweepTimeTriggers(t.db, clock.t)]);
    await sweepTimeTriggers(t.db, clock.t);
    await runUntilIdle(t.db, executor, clock, { until: clock.t + 2 * DAY });
    const sent = await sentFor(flow.flowId);
    expect(sent.filter((m) => m.nodeId === "birthday_email")).toHaveLength(1);
    expect(sent[0]?.subject).toContain("Bea");
    expect(await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId))).toHaveLength(1);
  });

  it("win-back fires 30 days after the last order, once per lapse", async () => {
    const clock = new FakeClock(START);
    const { flow, executor } = await setup("win_back", clock);
    const lapsed = await createContact(t.db, member.workspace.id);
    const recent = await createContact(t.db, member.workspace.id);
    await storeEvent(t.db, {
      workspaceId: member.workspace.id,
      contactId: lapsed.id,
      name: "Placed Order",
      properties: ORDER,
      at: START - 29 * DAY,
    });
    await storeEvent(t.db, {
      workspaceId: member.workspace.id,
      contactId: recent.id,
      name: "Placed Order",
      properties: ORDER,
      at: START - 10 * DAY,
    });
    await sweepTimeTriggers(t.db, clock.t);
    expect(await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId))).toHaveLength(0);
    clock.t = START + DAY + HOUR;
    await sweepTimeTriggers(t.db, clock.t);
    await sweepTimeTriggers(t.db, clock.t);
    const entered = await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId));
    expect(entered.map((e) => e.contactId)).toEqual([lapsed.id]);
    await runUntilIdle(t.db, executor, clock, { until: clock.t + 30 * DAY });
    const sent = (await sentFor(flow.flowId)).filter((m) => m.status === "sent");
    expect(sent.length).toBeGreaterThanOrEqual(2);
  });

  it("a paused flow holds its contacts and takes no new ones", async () => {
    const clock = new FakeClock(START);
    const { flow, executor } = await setup("abandoned_cart", clock);
    const contact = await createContact(t.db, member.workspace.id);
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: member.workspace.id,
        contactId: contact.id,
        name: "Started Checkout",
        properties: ORDER,
        at: clock.t,
      }),
    ]);
    await member.caller.flows.pause({ id: flow.flowId });
    clock.t += 3 * HOUR;
    await executor.drain();
    expect(await sentFor(flow.flowId)).toHaveLength(0);
    const other = await createContact(t.db, member.workspace.id);
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: member.workspace.id,
        contactId: other.id,
        name: "Started Checkout",
        properties: ORDER,
        at: clock.t,
      }),
    ]);
    expect(await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId))).toHaveLength(1);
    await member.caller.flows.resume({ id: flow.flowId });
    await executor.drain();
    expect((await sentFor(flow.flowId)).map((m) => m.nodeId)).toEqual(["email_1"]);
  });

  it("skips marketing email without consent, records why, and moves on", async () => {
    const clock = new FakeClock(START);
    const { flow, executor } = await setup("welcome_series", clock);
    const contact = await createContact(t.db, member.workspace.id, { emailConsent: "unsubscribed" });
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: member.workspace.id,
        contactId: contact.id,
        name: "Signed Up",
        at: clock.t,
      }),
    ]);
    await runUntilIdle(t.db, executor, clock);
    const sent = await sentFor(flow.flowId);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((m) => m.status === "skipped" && m.skipReason === "no_consent")).toBe(true);
    const [enrollment] = await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId));
    expect(enrollment?.status).not.toBe("active");
  });

  it("sends transactional mail without marketing consent", async () => {
    const clock = new FakeClock(START);
    const { flow, executor } = await setup("order_confirmation", clock);
    const contact = await createContact(t.db, member.workspace.id, { emailConsent: "unsubscribed" });
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: member.workspace.id,
        contactId: contact.id,
        name: "Placed Order",
        properties: ORDER,
        at: clock.t,
      }),
    ]);
    const sent = await sentFor(flow.flowId);
    expect(sent.map((m) => [m.nodeId, m.status, m.lastError])).toEqual([["receipt_email", "sent", null]]);
    expect(String(sent[0]?.content.html)).toContain("ord_1001");
  });

  it("runs every one of the 14 templates to its end with at least one message", async () => {
    expect(flowTemplates()).toHaveLength(14);
    for (const template of flowTemplates()) {
      const clock = new FakeClock(Date.UTC(2026, 10, 20, 15, 0, 0));
      const own = await createMember(t.db, `Owner ${template.key}`);
      const graph = await withFilledPools(own.workspace.id, template.graph);
      const flow = await publishGraph(t.db, {
        workspaceId: own.workspace.id,
        userId: own.user.id,
        graph,
        now: clock.t - 30 * DAY,
      });
      const executor = testExecutor(t, clock);
      const contact = await createContact(t.db, own.workspace.id, {
        birthday: "1991-11-23",
        country: "US",
        timezone: "America/New_York",
      });
      const trigger = template.graph.nodes.find((n) => n.kind === "trigger");
      const config = trigger?.config as { type: string; event?: string };
      if (config.type === "event") {
        await storeEvent(t.db, {
          workspaceId: own.workspace.id,
          contactId: contact.id,
          name: "Placed Order",
          properties: ORDER,
          at: clock.t - 100 * DAY,
        });
        await executor.handleEvents([
          await storeEvent(t.db, {
            workspaceId: own.workspace.id,
            contactId: contact.id,
            name: config.event ?? "",
            properties: ORDER,
            at: clock.t,
          }),
        ]);
      } else if (config.type === "back_in_stock") {
        await executor.handleEvents([
          await storeEvent(t.db, {
            workspaceId: own.workspace.id,
            contactId: contact.id,
            name: "Back in Stock",
            properties: ORDER,
            at: clock.t,
          }),
        ]);
      } else if (config.type === "inactivity") {
        await storeEvent(t.db, {
          workspaceId: own.workspace.id,
          contactId: contact.id,
          name: "Placed Order",
          properties: ORDER,
          at: clock.t - 29 * DAY,
        });
        // It lapses (30 days) a day after the flow went live.
        clock.t += DAY + HOUR;
      } else {
        // date property / schedule: sweep across the coming year until it fires.
        for (
          let i = 0;
          i < 380 &&
          (await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId))).length === 0;
          i++
        ) {
          await sweepTimeTriggers(t.db, clock.t, { workspaceId: own.workspace.id });
          if ((await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId))).length === 0)
            clock.t += DAY;
        }
      }
      await sweepTimeTriggers(t.db, clock.t, { workspaceId: own.workspace.id });
      await runUntilIdle(t.db, executor, clock);
      const entered = await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId));
      expect(entered, template.key).toHaveLength(1);
      expect(entered[0]?.status, `${template.key}: ${entered[0]?.lastError ?? ""}`).toMatch(
        /completed|exited/,
      );
      const sent = (await sentFor(flow.flowId)).filter((m) => m.status === "sent");
      expect(sent.length, template.key).toBeGreaterThan(0);
      const steps = await t.db
        .select()
        .from(enrollmentSteps)
        .where(and(eq(enrollmentSteps.flowId, flow.flowId)));
      expect(steps.length, template.key).toBeGreaterThan(1);
      await t.db.update(flows).set({ status: "archived" }).where(eq(flows.id, flow.flowId));
    }
  });
});
