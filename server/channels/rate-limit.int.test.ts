/**
 * Resend's rate limit is kept by all senders together: two dispatchers, each with its own
 * connection, share one token bucket per API key in Postgres, and the provider never sees
 * more requests a second than the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { openDb, type DbHandle } from "@/server/db/client";
import { createMember } from "@/server/testing/fixtures";
import { createContact, publishGraph, storeEvent } from "@/server/testing/flows";
import { messages, providerRateLimits } from "@/server/db/schema";
import { getFlowTemplate } from "@/server/engine";
import { createChannels } from "@/server/channels";
import { createResendEmailProvider } from "@/server/channels/email-resend";
import { startFakeResend, type FakeResend } from "@/server/testing/fake-resend-server";
import { dispatchMessages } from "@/server/executor/dispatch";
import { enrollFromEvents } from "@/server/executor/enroll";
import { ExecutorCaches } from "@/server/executor/caches";
import { runEnrollmentsNow } from "@/server/executor/runner";
import { EmailDesignCache } from "./email-designs";
import { postgresTokenBucket, rateLimitKey } from "./rate-limit";

let t: TestDb;
let second: DbHandle;
let fake: FakeResend;
const START = Date.UTC(2026, 10, 27, 14, 0, 0);
const PER_SECOND = 10;
const ORDERS = 30;

beforeAll(async () => {
  t = await createTestDb();
  // On Postgres the second dispatcher has a connection of its own; PGlite has only one.
  second = testDriver() === "postgres" && t.url ? await openDb({ url: t.url, migrate: false }) : t;
  fake = await startFakeResend();
});
afterAll(async () => {
  await fake.close();
  if (second !== t) await second.close();
  await t.close();
});

function sender(handle: DbHandle) {
  const key = "re_black_friday";
  return {
    ...createChannels({}),
    email: createResendEmailProvider({
      apiKey: key,
      baseUrl: fake.url,
      limiter: postgresTokenBucket(handle.db, rateLimitKey("resend", key), { perSecond: PER_SECOND }),
    }),
  };
}

describe("the provider's rate limit", () => {
  it("two dispatchers send 30 order confirmations at no more than 10 requests a second", async () => {
    const member = await createMember(t.db, "Rate limited shop");
    const template = getFlowTemplate("order_confirmation");
    if (!template) throw new Error("template");
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: template.graph,
      now: START,
    });
    const events = [];
    for (let i = 0; i < ORDERS; i++) {
      const contact = await createContact(t.db, member.workspace.id, { firstName: `Buyer ${i}` });
      events.push(
        await storeEvent(t.db, {
          workspaceId: member.workspace.id,
          contactId: contact.id,
          name: "Placed Order",
          // The same basket for everyone: each email is filled into one rendered design, so the
          // test process is idle and the fake sees requests when they are sent.
          properties: { value: 40 },
          at: START,
        }),
      );
    }
    const caches = new ExecutorCaches();
    const { enrolled } = await enrollFromEvents(t.db, events, START, caches);
    await runEnrollmentsNow(t.db, enrolled, START, caches);

    // One email per request (no batches), half the queue each, both at once.
    const options = {
      now: START,
      limit: ORDERS / 2,
      minBatch: 1_000,
      concurrency: 8,
      appUrl: "http://localhost:3170",
      linkSigningKey: "k".repeat(32),
    };
    const started = Date.now();
    const [a, b] = await Promise.all([
      dispatchMessages(t.db, sender(t), { ...options, designs: new EmailDesignCache() }),
      dispatchMessages(second.db, sender(second), { ...options, designs: new EmailDesignCache() }),
    ]);
    expect(a.sent + b.sent).toBe(ORDERS);
    expect(a.sent).toBeGreaterThan(0);
    expect(b.sent).toBeGreaterThan(0);

    const arrivals = fake
      .requests()
      .map((r) => r.at)
      .sort((x, y) => x - y);
    expect(arrivals).toHaveLength(ORDERS);
    expect(fake.requests().every((r) => r.status === 200)).toBe(true);
    // Slots are 1/PER_SECOND s apart from the start; a request can only arrive after its slot
    // (on a busy machine some arrive late and bunch up behind it, never early). So by any
    // moment t after the start, the provider has seen at most PER_SECOND × t + 1 requests.
    arrivals.forEach((at, i) => expect(at - started).toBeGreaterThanOrEqual((i * 1000) / PER_SECOND - 5));
    // And they all went out, not long after the last slot (a busy machine adds some seconds).
    expect(arrivals.at(-1)! - started).toBeLessThan(((ORDERS - 1) * 1000) / PER_SECOND + 20_000);

    const sent = await t.db.select().from(messages).where(eq(messages.flowId, flow.flowId));
    expect(sent.every((m) => m.status === "sent")).toBe(true);
    // The bucket's row names a hash of the key, never the key.
    const buckets = await t.db.select().from(providerRateLimits);
    expect(buckets.map((r) => r.key)).toEqual([rateLimitKey("resend", "re_black_friday")]);
    expect(buckets[0]!.key).not.toContain("re_black_friday");
  }, 120_000);
});
