/**
 * The dispatcher against a local Resend-protocol server with the real SDK: retries with
 * backoff, 429 honours Retry-After, the last failure fails the enrollment with its reason,
 * and a lease that expires resends with the same idempotency key (the provider dedupes).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { createContact, FakeClock, publishGraph, storeEvent, testExecutor } from "@/server/testing/flows";
import { enrollments, messages } from "@/server/db/schema";
import { getFlowTemplate } from "@/server/engine";
import { createChannels } from "@/server/channels";
import { createResendEmailProvider } from "@/server/channels/email-resend";
import { startFakeResend, type FakeResend } from "@/server/channels/fake-resend-server";
import { claimMessages, dispatchMessages, retryDelayMs } from "./dispatch";
import { invalidateLiveFlows } from "./enroll";

let t: TestDb;
let fake: FakeResend;
const START = Date.UTC(2026, 4, 5, 15, 0, 0);

beforeAll(async () => {
  t = await createTestDb();
  fake = await startFakeResend();
});
afterAll(async () => {
  await fake.close();
  await t.close();
});
beforeEach(() => invalidateLiveFlows());
afterEach(() => fake.reset());

async function orderPlaced(clock: FakeClock) {
  const member = await createMember(t.db, "Sender");
  const template = getFlowTemplate("order_confirmation");
  if (!template) throw new Error("template");
  const flow = await publishGraph(t.db, { workspaceId: member.workspace.id, userId: member.user.id, graph: template.graph, now: clock.t });
  const channels = { ...createChannels({}), email: createResendEmailProvider({ apiKey: "re_test", baseUrl: fake.url }) };
  const executor = testExecutor(t, clock, channels);
  const contact = await createContact(t.db, member.workspace.id);
  await executor.handleEvents([
    await storeEvent(t.db, { workspaceId: member.workspace.id, contactId: contact.id, name: "Placed Order", properties: { order_id: "ord_9", value: 12 }, at: clock.t }),
  ]);
  const [message] = await t.db.select().from(messages).where(eq(messages.flowId, flow.flowId));
  if (!message) throw new Error("no message");
  return { flow, executor, channels, message };
}

const options = (now: number) => ({ now, appUrl: "https://shop.example.com", linkSigningKey: "test-link-signing-key-0123456789", random: () => 0.5 });

describe(`dispatcher (${testDriver()})`, () => {
  it("retries a provider error with backoff, then sends once", async () => {
    const clock = new FakeClock(START);
    fake.failNext(2, 500);
    const { message, channels } = await orderPlaced(clock);
    let row = (await t.db.select().from(messages).where(eq(messages.id, message.id)))[0]!;
    expect([row.status, row.attempts]).toEqual(["queued", 1]);
    // First retry: 5 s base with jitter, 2.5–5 s.
    expect(row.nextAttemptAt.getTime() - START).toBeGreaterThanOrEqual(retryDelayMs(1, undefined, () => 0));
    expect(row.nextAttemptAt.getTime() - START).toBeLessThanOrEqual(retryDelayMs(1, undefined, () => 1));

    // Not due yet: nothing is claimed.
    expect((await dispatchMessages(t.db, channels, options(START + 1000))).claimed).toBe(0);
    await dispatchMessages(t.db, channels, options(row.nextAttemptAt.getTime()));
    row = (await t.db.select().from(messages).where(eq(messages.id, message.id)))[0]!;
    expect([row.status, row.attempts]).toEqual(["queued", 2]);
    await dispatchMessages(t.db, channels, options(row.nextAttemptAt.getTime()));
    row = (await t.db.select().from(messages).where(eq(messages.id, message.id)))[0]!;
    expect([row.status, row.attempts, row.lastError]).toEqual(["sent", 3, null]);
    expect(fake.countsByIdempotencyKey()).toEqual({ [message.id]: 1 });
  });

  it("waits out a 429's Retry-After", async () => {
    const clock = new FakeClock(START);
    fake.failNext(1, 429, 120);
    const { message } = await orderPlaced(clock);
    const [row] = await t.db.select().from(messages).where(eq(messages.id, message.id));
    expect(row?.status).toBe("queued");
    expect(row!.nextAttemptAt.getTime() - START).toBeGreaterThanOrEqual(120_000);
  });

  it("fails the message and the enrollment with the reason after the last attempt", async () => {
    const clock = new FakeClock(START);
    fake.failNext(100, 503);
    const { message, channels } = await orderPlaced(clock);
    for (let i = 0; i < 10; i++) {
      const [row] = await t.db.select().from(messages).where(eq(messages.id, message.id));
      if (row?.status !== "queued") break;
      await dispatchMessages(t.db, channels, { ...options(row.nextAttemptAt.getTime()), maxAttempts: 4 });
    }
    const [row] = await t.db.select().from(messages).where(eq(messages.id, message.id));
    expect([row?.status, row?.attempts]).toEqual(["failed", 4]);
    const [enrollment] = await t.db.select().from(enrollments).where(eq(enrollments.id, message.enrollmentId!));
    expect(enrollment?.status).toBe("failed");
    expect(enrollment?.lastError).toMatch(/email not sent after 4 attempts/);
    expect(fake.received()).toHaveLength(0);
  });

  it("does not retry a request the provider refuses as invalid", async () => {
    const clock = new FakeClock(START);
    fake.failNext(1, 422);
    const { message } = await orderPlaced(clock);
    const [row] = await t.db.select().from(messages).where(eq(messages.id, message.id));
    expect([row?.status, row?.attempts]).toEqual(["failed", 1]);
  });

  it("a sender that died mid-call: the lease expires and the resend carries the same key", async () => {
    const clock = new FakeClock(START);
    fake.failNext(1, 500); // keep the message queued after the first attempt
    const { message, channels } = await orderPlaced(clock);
    // A sender claims it and "dies" (never records a result).
    const due = (await t.db.select().from(messages).where(eq(messages.id, message.id)))[0]!.nextAttemptAt.getTime();
    const claimed = await claimMessages(t.db, due, 10, 30_000);
    expect(claimed.map((m) => m.id)).toEqual([message.id]);
    // While the lease holds, nobody else takes it.
    expect((await dispatchMessages(t.db, channels, options(due + 10_000))).claimed).toBe(0);
    // After it, the message is sent, once.
    const result = await dispatchMessages(t.db, channels, options(due + 31_000));
    expect(result.sent).toBe(1);
    expect(fake.countsByIdempotencyKey()).toEqual({ [message.id]: 1 });
  });
});

describe("retryDelayMs", () => {
  it("grows exponentially with jitter, capped, never below Retry-After", () => {
    expect(retryDelayMs(1, undefined, () => 0)).toBe(2_500);
    expect(retryDelayMs(1, undefined, () => 1)).toBe(5_000);
    expect(retryDelayMs(3, undefined, () => 1)).toBe(20_000);
    expect(retryDelayMs(30, undefined, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(1, 90_000, () => 0)).toBe(90_000);
  });
});
