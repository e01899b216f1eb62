/**
 * Web Push end to end against a local push service that speaks the protocol: a browser
 * subscribes through the public endpoint, a flow sends a push, the real `web-push` library
 * encrypts and signs it, and the fake push service decrypts exactly what the browser gets.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { openDb } from "@/server/db/client";
import {
  appSettings,
  contacts,
  enrollments,
  events,
  flowStatsDaily,
  messages,
  pushSubscriptions,
} from "@/server/db/schema";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { FakeClock, publishGraph, storeEvent, testExecutor } from "@/server/testing/flows";
import { startFakePushService, type FakePushService } from "@/server/testing/fake-push-service";
import type { FlowGraph } from "@/server/engine/graph";
import { handleIdentify } from "./handlers";
import { apiRequest, createShop, reply, type ErrorBody } from "@/server/testing/ingest-requests";
import { createAppChannels } from "@/server/channels/app-channels";
import { handlePushKey, handlePushSubscribe, handlePushUnsubscribe } from "./push-handlers";
import { listContactSubscriptions } from "@/server/channels/push-subscriptions";
import { getVapidKeys } from "@/server/channels/vapid";

let t: TestDb;
let fake: FakePushService;
let shop: Awaited<ReturnType<typeof createShop>>;
const ENV = { VAPID_SUBJECT: "mailto:push@juniper.example" };

beforeAll(async () => {
  t = await createTestDb();
  fake = await startFakePushService();
  shop = await createShop(t.db, "Juniper");
});
afterAll(async () => {
  await fake.close();
  await t.close();
});

const subscribe = (body: unknown, key: string | null = shop.publishableKey) =>
  reply<Record<string, unknown> & ErrorBody>(
    handlePushSubscribe(t.db, apiRequest("/api/v1/push/subscriptions", { body, key })),
  );
const unsubscribe = (body: unknown, key: string | null = shop.publishableKey) =>
  reply<Record<string, unknown> & ErrorBody>(
    handlePushUnsubscribe(t.db, apiRequest("/api/v1/push/subscriptions", { method: "DELETE", body, key })),
  );
const pushKey = (key: string | null = shop.publishableKey) =>
  reply<{ publicKey: string; delivery: string }>(
    handlePushKey(t.db, apiRequest("/api/v1/push/key", { method: "GET", key }), ENV),
  );

async function contactOf(userId: string) {
  const [row] = await t.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, shop.workspaceId), eq(contacts.externalId, userId)));
  if (!row) throw new Error(`no contact ${userId}`);
  return row;
}
const subscriptionRows = () =>
  t.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.workspaceId, shop.workspaceId));

const orderPush: FlowGraph = {
  schema: 1,
  nodes: [
    {
      id: "trigger",
      kind: "trigger",
      position: { x: 0, y: 0 },
      config: { type: "event", event: "Placed Order", filter: null },
    },
    {
      id: "push_1",
      kind: "push",
      position: { x: 0, y: 200 },
      config: {
        title: 'Thanks, {{ first_name | default: "friend" }}',
        body: "Order {{ order.order_id }} is confirmed.",
        url: "https://juniper.example/orders",
        category: "transactional",
      },
    },
    { id: "exit", kind: "exit", position: { x: 0, y: 400 }, config: {} },
  ],
  edges: [
    { id: "e1", source: "trigger", sourceHandle: "next", target: "push_1" },
    { id: "e2", source: "push_1", sourceHandle: "next", target: "exit" },
  ],
  settings: {
    goal: null,
    filter: null,
    reentry: { mode: "every_time" },
    entryKey: null,
    smartSendingHours: 0,
    quietHours: { enabled: false, start: "21:00", end: "08:00" },
    attributionDays: 5,
  },
};

describe(`Web Push (${testDriver()})`, () => {
  it("a browser subscribes for a contact; a flow's push reaches it encrypted, with the title and body", async () => {
    await reply(
      handleIdentify(
        t.db,
        apiRequest("/api/v1/identify", {
          body: { userId: "cus_maya", traits: { email: "maya@example.com", first_name: "Maya" } },
          key: shop.publishableKey,
        }),
      ),
    );
    const browser = fake.browser();
    const first = await subscribe({
      userId: "cus_maya",
      subscription: { ...browser.subscription, expirationTime: null },
      userAgent: "Firefox on a laptop",
    });
    expect(first.status).toBe(201);
    const maya = await contactOf("cus_maya");
    expect(first.body).toMatchObject({ ok: true, contactId: maya.id });
    expect(maya.pushConsent).toBe("subscribed");
    const again = await subscribe({ userId: "cus_maya", subscription: browser.subscription });
    expect(again.status).toBe(200);
    expect(await subscriptionRows()).toMatchObject([
      {
        contactId: maya.id,
        endpoint: browser.subscription.endpoint,
        p256dh: browser.subscription.keys.p256dh,
        auth: browser.subscription.keys.auth,
      },
    ]);
    const [recorded] = await t.db
      .select()
      .from(events)
      .where(and(eq(events.contactId, maya.id), eq(events.name, "Push Subscribed")));
    expect(recorded).toBeDefined();

    const clock = new FakeClock(Date.parse("2026-03-02T15:00:00Z"));
    const flow = await publishGraph(t.db, {
      workspaceId: shop.workspaceId,
      userId: shop.user.id,
      graph: orderPush,
      now: clock.t,
    });
    const executor = testExecutor(t, clock, await createAppChannels(t.db, ENV, { agent: fake.agent }));
    const before = fake.received().length;
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: shop.workspaceId,
        contactId: maya.id,
        name: "Placed Order",
        properties: { order_id: "ord_9", value: 20 },
        at: clock.t,
      }),
    ]);
    await executor.drain();

    const [message] = await t.db.select().from(messages).where(eq(messages.flowId, flow.flowId));
    expect(message).toMatchObject({
      channel: "push",
      status: "sent",
      provider: "webpush",
      subject: "Thanks, Maya",
    });
    const got = fake.received().slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]?.endpoint).toBe(browser.subscription.endpoint);
    expect(JSON.parse(got[0]!.payload)).toEqual({
      title: "Thanks, Maya",
      body: "Order ord_9 is confirmed.",
      url: "https://juniper.example/orders",
      tag: message!.id,
    });
    expect(got[0]).toMatchObject({
      urgency: "high",
      vapidKey: (await pushKey()).body.publicKey,
      claims: { aud: fake.url, sub: ENV.VAPID_SUBJECT },
    });
    const [row] = await subscriptionRows();
    expect(row?.lastSuccessAt).toBeInstanceOf(Date);

    // The browser unsubscribed: the push service answers 410, the subscription goes, the push is skipped.
    fake.unsubscribe(browser.subscription.endpoint);
    clock.advance(60_000);
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: shop.workspaceId,
        contactId: maya.id,
        name: "Placed Order",
        properties: { order_id: "ord_10", value: 20 },
        at: clock.t,
      }),
    ]);
    await executor.drain();
    expect(await subscriptionRows()).toEqual([]);
    const all = await t.db
      .select()
      .from(messages)
      .where(eq(messages.flowId, flow.flowId))
      .orderBy(messages.createdAt);
    expect(all.map((m) => [m.status, m.skipReason])).toEqual([
      ["sent", null],
      ["skipped", "no_push_subscription"],
    ]);
    const runs = await t.db
      .select({ status: enrollments.status })
      .from(enrollments)
      .where(eq(enrollments.flowId, flow.flowId));
    expect(runs.map((r) => r.status)).toEqual(["completed", "completed"]);
    expect(fake.received().length - before).toBe(1);
  });

  it("a visitor's subscription made before identify reaches the contact once identified", async () => {
    const browser = fake.browser();
    const res = await subscribe({ anonymousId: "anon_pre_1", subscription: browser.subscription });
    expect(res).toMatchObject({ status: 201, body: { contactId: null } });
    await reply(
      handleIdentify(
        t.db,
        apiRequest("/api/v1/identify", {
          body: { userId: "cus_ola", anonymousId: "anon_pre_1", traits: { email: "ola@example.com" } },
          key: shop.publishableKey,
        }),
      ),
    );
    const ola = await contactOf("cus_ola");
    expect((await listContactSubscriptions(t.db, shop.workspaceId, ola.id)).map((s) => s.endpoint)).toEqual([
      browser.subscription.endpoint,
    ]);
    expect(await unsubscribe({ endpoint: browser.subscription.endpoint })).toMatchObject({
      status: 200,
      body: { ok: true, deleted: true },
    });
    expect(await listContactSubscriptions(t.db, shop.workspaceId, ola.id)).toEqual([]);
    expect(await unsubscribe({ endpoint: browser.subscription.endpoint })).toMatchObject({
      status: 200,
      body: { deleted: false },
    });
  });

  it("refuses bad input with the field's path and writes nothing", async () => {
    const good = fake.browser().subscription;
    const eventsBefore = (await t.db.select().from(events).where(eq(events.workspaceId, shop.workspaceId)))
      .length;
    const cases: Array<[unknown, string]> = [
      [{ subscription: good }, "userId"],
      [
        { userId: "cus_x", subscription: { ...good, endpoint: "http://push.example/abc" } },
        "subscription.endpoint",
      ],
      [
        { userId: "cus_x", subscription: { ...good, keys: { ...good.keys, auth: "short" } } },
        "subscription.keys.auth",
      ],
      [
        {
          userId: "cus_x",
          subscription: {
            ...good,
            keys: { p256dh: Buffer.alloc(65, 1).toString("base64url"), auth: good.keys.auth },
          },
        },
        "subscription.keys.p256dh",
      ],
      [{ userId: "cus_x", subscription: { endpoint: good.endpoint } }, "subscription.keys"],
      [{ userId: "", subscription: good }, "userId"],
      [{ userId: "cus_x" }, "subscription"],
    ];
    for (const [body, field] of cases) {
      const res = await subscribe(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.issues.map((i) => i.path)).toContain(field);
    }
    expect((await subscribe("{not json")).status).toBe(400);
    expect(await unsubscribe({ endpoint: 42 })).toMatchObject({
      status: 400,
      body: { error: { issues: [{ path: "endpoint" }] } },
    });
    expect((await subscriptionRows()).map((r) => r.endpoint)).not.toContain(good.endpoint);
    expect((await t.db.select().from(events).where(eq(events.workspaceId, shop.workspaceId))).length).toBe(
      eventsBefore,
    );
    await expect(contactOf("cus_x")).rejects.toThrow();
  });

  it("refuses a missing or unknown key (401)", async () => {
    const good = fake.browser().subscription;
    expect((await subscribe({ userId: "cus_k", subscription: good }, null)).status).toBe(401);
    expect((await subscribe({ userId: "cus_k", subscription: good }, "tid_pk_wrong")).status).toBe(401);
    expect((await unsubscribe({ endpoint: good.endpoint }, "tid_pk_wrong")).status).toBe(401);
    expect((await pushKey("tid_pk_wrong")).status).toBe(401);
    expect((await subscriptionRows()).map((r) => r.endpoint)).not.toContain(good.endpoint);
  });

  it("skips a push to a contact with no subscribed browser", async () => {
    await reply(
      handleIdentify(
        t.db,
        apiRequest("/api/v1/identify", {
          body: { userId: "cus_none", traits: { email: "none@example.com" } },
          key: shop.secretKey,
        }),
      ),
    );
    const contact = await contactOf("cus_none");
    const clock = new FakeClock(Date.parse("2026-03-03T15:00:00Z"));
    const flow = await publishGraph(t.db, {
      workspaceId: shop.workspaceId,
      userId: shop.user.id,
      graph: orderPush,
      now: clock.t,
    });
    const executor = testExecutor(t, clock, await createAppChannels(t.db, ENV, { agent: fake.agent }));
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: shop.workspaceId,
        contactId: contact.id,
        name: "Placed Order",
        properties: { order_id: "ord_11" },
        at: clock.t,
      }),
    ]);
    await executor.drain();
    const rows = await t.db.select().from(messages).where(eq(messages.flowId, flow.flowId));
    expect(rows.map((m) => [m.status, m.skipReason, m.provider])).toEqual([
      ["skipped", "no_push_subscription", "webpush"],
    ]);
    // The canvas counts it with its reason.
    const stats = await t.db
      .select({ metric: flowStatsDaily.metric, value: flowStatsDaily.value })
      .from(flowStatsDaily)
      .where(and(eq(flowStatsDaily.flowId, flow.flowId), eq(flowStatsDaily.nodeId, "push_1")));
    expect(
      stats
        .filter((s) => s.metric.startsWith("skipped:") || s.metric === "sent" || s.metric === "failed")
        .map((s) => [s.metric, Number(s.value)]),
    ).toEqual([["skipped:no_push_subscription", 1]]);
  });

  it("the public key is generated once and served to browsers", async () => {
    const a = await pushKey();
    expect(a).toMatchObject({ status: 200, body: { delivery: "webpush" } });
    expect(Buffer.from(a.body.publicKey, "base64url")).toHaveLength(65);
    expect((await pushKey(shop.secretKey)).body.publicKey).toBe(a.body.publicKey);
    const [stored] = await t.db.select().from(appSettings).where(eq(appSettings.key, "vapid_keys"));
    expect(JSON.parse(stored!.value)).toMatchObject({ publicKey: a.body.publicKey });
    const configured = {
      VAPID_PUBLIC_KEY: "BPub".padEnd(87, "A"),
      VAPID_PRIVATE_KEY: "priv".padEnd(43, "A"),
    };
    expect(await getVapidKeys(t.db, configured)).toEqual({
      publicKey: configured.VAPID_PUBLIC_KEY,
      privateKey: configured.VAPID_PRIVATE_KEY,
    });
  });
});

describe(`VAPID keys across a restart (${testDriver()})`, () => {
  it("survive closing and reopening the database", async () => {
    if (t.url) {
      const first = await openDb({ url: t.url, migrate: false });
      const keys = await getVapidKeys(first.db, {});
      await first.close();
      const second = await openDb({ url: t.url, migrate: false });
      expect(await getVapidKeys(second.db, {})).toEqual(keys);
      await second.close();
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), "tidings-vapid-"));
    try {
      const first = await openDb({ dataDir: path.join(dir, "pglite") });
      const keys = await getVapidKeys(first.db, {});
      await first.close();
      const second = await openDb({ dataDir: path.join(dir, "pglite") });
      expect(await getVapidKeys(second.db, {})).toEqual(keys);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
