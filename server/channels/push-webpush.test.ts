import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpush from "web-push";
import {
  startFakePushService,
  verifyVapidJwt,
  type FakePushService,
} from "@/server/testing/fake-push-service";
import {
  createWebPushProvider,
  pushTopic,
  type PushSubscriptionStore,
  type StoredPushSubscription,
} from "./push-webpush";

/** The subscriptions table, kept in memory. */
function memoryStore(
  rows: Array<StoredPushSubscription & { workspaceId: string; contactId: string; lastSuccessAt?: Date }>,
) {
  const store: PushSubscriptionStore = {
    list: (workspaceId, contactId) =>
      Promise.resolve(
        rows
          .filter((r) => r.workspaceId === workspaceId && r.contactId === contactId)
          .map(({ id, endpoint, keys }) => ({ id, endpoint, keys })),
      ),
    remove: (workspaceId, id) => {
      const i = rows.findIndex((r) => r.workspaceId === workspaceId && r.id === id);
      if (i >= 0) rows.splice(i, 1);
      return Promise.resolve();
    },
    delivered: (workspaceId, id, at) => {
      const row = rows.find((r) => r.workspaceId === workspaceId && r.id === id);
      if (row) row.lastSuccessAt = at;
      return Promise.resolve();
    },
  };
  return { store, rows };
}

const keys = webpush.generateVAPIDKeys();
const vapid = { subject: "mailto:push@shop.example", ...keys };
let push: FakePushService;

beforeAll(async () => {
  push = await startFakePushService();
});
afterAll(() => push.close());

const message = {
  workspaceId: "ws-1",
  to: "contact-1",
  title: "Your cart misses you",
  body: "Still thinking it over?",
  url: "https://shop.example/cart",
  category: "marketing" as const,
};

describe("Web Push provider", () => {
  it("encrypts the notification for every browser of the contact, signed with the VAPID key", async () => {
    const phone = push.browser();
    const laptop = push.browser();
    const other = push.browser();
    const { store, rows } = memoryStore([
      { id: "s1", workspaceId: "ws-1", contactId: "contact-1", ...phone.subscription },
      { id: "s2", workspaceId: "ws-1", contactId: "contact-1", ...laptop.subscription },
      { id: "s3", workspaceId: "ws-2", contactId: "contact-1", ...other.subscription },
    ]);
    const provider = createWebPushProvider({
      vapid,
      store,
      agent: push.agent,
      now: () => new Date("2026-01-02T03:04:05Z"),
    });
    const before = push.received().length;
    const result = await provider.send(message, { idempotencyKey: "msg-1" });
    expect(result).toMatchObject({
      ok: true,
      providerMessageId: expect.stringContaining(`${push.url}/message/`) as string,
    });
    const got = push.received().slice(before);
    expect(got.map((g) => g.endpoint).sort()).toEqual(
      [phone.subscription.endpoint, laptop.subscription.endpoint].sort(),
    );
    for (const g of got) {
      expect(JSON.parse(g.payload)).toEqual({
        title: message.title,
        body: message.body,
        url: message.url,
        tag: "msg-1",
      });
      expect(g.vapidKey).toBe(keys.publicKey);
      expect(g.claims).toMatchObject({ aud: push.url, sub: vapid.subject });
      expect(g.ttl).toBe(24 * 3600);
      expect(g.urgency).toBe("normal");
      expect(g.topic).toBe(pushTopic("msg-1"));
    }
    expect(
      rows
        .filter((r) => r.lastSuccessAt)
        .map((r) => r.id)
        .sort(),
    ).toEqual(["s1", "s2"]);
  });

  it("sends transactional pushes with high urgency and a longer TTL", async () => {
    const { store } = memoryStore([
      { id: "s1", workspaceId: "ws-1", contactId: "contact-1", ...push.browser().subscription },
    ]);
    const before = push.received().length;
    await provider(store).send({ ...message, category: "transactional" }, { idempotencyKey: "msg-2" });
    expect(push.received().slice(before)).toMatchObject([{ urgency: "high", ttl: 3 * 24 * 3600 }]);
  });

  it("deletes a subscription the push service calls gone (410) and skips when none is left", async () => {
    const browser = push.browser();
    const { store, rows } = memoryStore([
      { id: "s1", workspaceId: "ws-1", contactId: "contact-1", ...browser.subscription },
    ]);
    push.unsubscribe(browser.subscription.endpoint);
    const result = await provider(store).send(message, { idempotencyKey: "msg-3" });
    expect(result).toMatchObject({ ok: false, retryable: false, skipReason: "no_push_subscription" });
    expect(rows).toEqual([]);
    expect(await provider(store).send(message, { idempotencyKey: "msg-4" })).toEqual({
      ok: false,
      retryable: false,
      error: "The contact has not allowed notifications in any browser.",
      skipReason: "no_push_subscription",
    });
  });

  it("answers retryable for 429 (with Retry-After) and 5xx, keeping the subscription", async () => {
    const { store, rows } = memoryStore([
      { id: "s1", workspaceId: "ws-1", contactId: "contact-1", ...push.browser().subscription },
    ]);
    push.failNext(1, 429, 30);
    expect(await provider(store).send(message, { idempotencyKey: "msg-5" })).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 30_000,
    });
    push.failNext(1, 503);
    expect(await provider(store).send(message, { idempotencyKey: "msg-5" })).toMatchObject({
      ok: false,
      retryable: true,
    });
    expect(rows).toHaveLength(1);
    expect(await provider(store).send(message, { idempotencyKey: "msg-5" })).toMatchObject({ ok: true });
  });

  it("fails without retry when the push service refuses the sender (403)", async () => {
    const { store } = memoryStore([
      { id: "s1", workspaceId: "ws-1", contactId: "contact-1", ...push.browser().subscription },
    ]);
    push.failNext(1, 403);
    expect(await provider(store).send(message, { idempotencyKey: "msg-6" })).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringContaining("403") as string,
    });
  });

  it("counts the message sent when one browser accepted and another is down", async () => {
    const ok = push.browser();
    const gone = push.browser();
    push.unsubscribe(gone.subscription.endpoint);
    const { store, rows } = memoryStore([
      { id: "s1", workspaceId: "ws-1", contactId: "contact-1", ...ok.subscription },
      { id: "s2", workspaceId: "ws-1", contactId: "contact-1", ...gone.subscription },
    ]);
    expect(await provider(store).send(message, { idempotencyKey: "msg-7" })).toMatchObject({ ok: true });
    expect(rows.map((r) => r.id)).toEqual(["s1"]);
  });

  it("refuses an empty notification and a missing idempotency key", async () => {
    const { store } = memoryStore([]);
    expect(
      await provider(store).send({ ...message, title: " ", body: "" }, { idempotencyKey: "x" }),
    ).toMatchObject({ ok: false, retryable: false });
    expect(await provider(store).send(message, { idempotencyKey: "" })).toMatchObject({
      ok: false,
      retryable: false,
    });
  });
});

describe("the fake push service's VAPID check", () => {
  it("refuses a JWT signed by another key or for another audience", () => {
    const headers = webpush.getVapidHeaders(
      "https://push.example",
      "mailto:a@b.example",
      keys.publicKey,
      keys.privateKey,
      "aes128gcm",
    );
    const [, token, key] = /^vapid t=(\S+), k=(\S+)$/.exec(headers.Authorization) ?? [];
    expect(verifyVapidJwt(token!, key!, "https://push.example")).toMatchObject({ ok: true });
    expect(verifyVapidJwt(token!, key!, "https://elsewhere.example")).toMatchObject({ ok: false });
    expect(verifyVapidJwt(token!, webpush.generateVAPIDKeys().publicKey, "https://push.example")).toEqual({
      ok: false,
      error: "signature does not match k",
    });
  });
});

function provider(store: PushSubscriptionStore) {
  return createWebPushProvider({ vapid, store, agent: push.agent });
}
