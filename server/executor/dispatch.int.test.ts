/**
 * The dispatcher against a local Resend-protocol server with the real SDK: retries with
 * backoff, 429 honours Retry-After, the last failure fails the enrollment with its reason,
 * and a lease that expires resends with the same idempotency key (the provider dedupes).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { createContact, FakeClock, publishGraph, storeEvent, testExecutor } from "@/server/testing/flows";
import { contacts, enrollments, messages, renderedDesigns, workspaces } from "@/server/db/schema";
import { withEmailBodies } from "@/server/channels/email-bodies";
import { EmailDesignCache } from "@/server/channels/email-designs";
import type { RenderEmailInput } from "@/server/channels/render-email";
import { getOutboxMessage } from "@/server/outbox/outbox";
import { getFlowTemplate } from "@/server/engine";
import { createChannels } from "@/server/channels";
import { createResendEmailProvider } from "@/server/channels/email-resend";
import { startFakeResend, type FakeResend } from "@/server/testing/fake-resend-server";
import type { Channels } from "@/server/channels";
import { claimMessages, dispatchMessages, MAX_RETRY_AGE_MS, retryDelayMs } from "./dispatch";
import { enrollFromEvents, type EnrollEvent } from "./enroll";
import { ExecutorCaches } from "./caches";
import { runEnrollmentsNow } from "./runner";

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
afterEach(() => fake.reset());

/** One buyer places an order; the executor handles it (and tries to send) at once. */
async function orderPlaced(clock: FakeClock) {
  const { flow, executor, channels, events } = await ordersPlaced(clock, 1);
  await executor.handleEvents(events);
  const [message] = await t.db.select().from(messages).where(eq(messages.flowId, flow.flowId));
  if (!message) throw new Error("no message");
  return { flow, executor, channels, message };
}

/** n buyers place an order at once: their confirmations are due together. */
async function ordersPlaced(clock: FakeClock, n: number) {
  const member = await createMember(t.db, "Batch");
  const template = getFlowTemplate("order_confirmation");
  if (!template) throw new Error("template");
  const flow = await publishGraph(t.db, {
    workspaceId: member.workspace.id,
    userId: member.user.id,
    graph: template.graph,
    now: clock.t,
  });
  const channels = {
    ...createChannels({}),
    email: createResendEmailProvider({ apiKey: "re_test", baseUrl: fake.url }),
  };
  const executor = testExecutor(t, clock, channels);
  const events = [];
  const buyers = [];
  for (let i = 0; i < n; i++) {
    const contact = await createContact(t.db, member.workspace.id, { firstName: `Buyer ${i}` });
    buyers.push(contact);
    events.push(
      await storeEvent(t.db, {
        workspaceId: member.workspace.id,
        contactId: contact.id,
        name: "Placed Order",
        properties: { order_id: `ord_${i}`, value: 12 },
        at: clock.t,
      }),
    );
  }
  return { member, flow, executor, channels, events, buyers };
}

const flowMessages = (flowId: string) =>
  t.db.select().from(messages).where(eq(messages.flowId, flowId)).orderBy(messages.batchIndex);

const options = (now: number) => ({
  now,
  appUrl: "https://shop.example.com",
  linkSigningKey: "test-link-signing-key-0123456789",
  random: () => 0.5,
});

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
    // Two provider failures counted; three claims.
    expect([row.status, row.attempts, row.claims, row.lastError]).toEqual(["sent", 2, 3, null]);
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
    const [enrollment] = await t.db
      .select()
      .from(enrollments)
      .where(eq(enrollments.id, message.enrollmentId!));
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
    const due = (
      await t.db.select().from(messages).where(eq(messages.id, message.id))
    )[0]!.nextAttemptAt.getTime();
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

describe(`dispatcher batches (${testDriver()})`, () => {
  // Messages the tests above left waiting for a retry would join these batches.
  beforeEach(() =>
    t.db
      .update(messages)
      .set({ status: "failed" })
      .where(inArray(messages.status, ["queued", "sending"])),
  );

  it("emails due together go out in one batch call, each with its own provider id and tags", async () => {
    const clock = new FakeClock(START);
    const { flow, executor, events, buyers } = await ordersPlaced(clock, 5);
    await executor.handleEvents(events);
    const rows = await flowMessages(flow.flowId);
    expect(rows.map((r) => r.status)).toEqual(["sent", "sent", "sent", "sent", "sent"]);
    expect(fake.requests().map((r) => [r.path, r.emails])).toEqual([["/emails/batch", 5]]);
    // One batch, its members in order, each recorded with the id the provider gave it.
    expect(new Set(rows.map((r) => r.batchId)).size).toBe(1);
    expect(rows.map((r) => r.batchIndex)).toEqual([0, 1, 2, 3, 4]);
    const received = fake.received();
    expect(rows.map((r) => r.providerMessageId)).toEqual(received.map((e) => e.id));
    expect(received.map((e) => e.tags.find((tag) => tag.name === "message_id")?.value)).toEqual(
      rows.map((r) => r.id),
    );
    expect(received.map((e) => e.subject)).toEqual(rows.map((r) => r.subject));
    const firstName = new Map(buyers.map((b) => [b.id, b.firstName]));
    rows.forEach((r, i) =>
      expect(received[i]?.html).toContain(`Thanks for your order, ${firstName.get(r.contactId!)}!`),
    );
  });

  it("each sent email is stored as its difference from the step's base and rebuilt byte for byte as sent", async () => {
    const clock = new FakeClock(START);
    const { member, flow, executor, events } = await ordersPlaced(clock, 6);
    // Five in one batch call, then one alone.
    await executor.handleEvents(events.slice(0, 5));
    await executor.handleEvents(events.slice(5));
    const rows = await t.db
      .select()
      .from(messages)
      .where(eq(messages.flowId, flow.flowId))
      .orderBy(messages.createdAt, messages.batchIndex);
    expect(rows.map((r) => [r.status, r.lastError])).toEqual(Array.from({ length: 6 }, () => ["sent", null]));
    expect(fake.requests().map((r) => [r.path, r.emails])).toEqual([
      ["/emails/batch", 5],
      ["/emails", 1],
    ]);
    // Neither the HTML nor the text is stored whole; one base for the step, in this process.
    for (const r of rows) {
      expect(r.content).not.toHaveProperty("html");
      expect(r.content).not.toHaveProperty("text");
      expect(r.body).not.toBeNull();
    }
    expect(new Set(rows.map((r) => r.bodyDesign)).size).toBe(1);
    const bases = await t.db
      .select()
      .from(renderedDesigns)
      .where(eq(renderedDesigns.workspaceId, member.workspace.id));
    expect(bases).toHaveLength(1);
    // Rebuilt from storage: exactly what the provider received, byte for byte.
    const rebuilt = await withEmailBodies(t.db, rows);
    const byId = new Map(
      fake.received().map((e) => [e.tags.find((tag) => tag.name === "message_id")?.value, e]),
    );
    for (const r of rebuilt) {
      const sent = byId.get(r.id);
      expect(Buffer.from(String(r.content.html)).equals(Buffer.from(sent?.html ?? "-"))).toBe(true);
      expect(Buffer.from(String(r.content.text)).equals(Buffer.from(sent?.text ?? "-"))).toBe(true);
      expect(r.body!.length).toBeLessThan((sent?.html?.length ?? 0) / 5);
    }
    // The Outbox shows the email as sent (tracking links unwrapped, as for any stored email).
    const view = await getOutboxMessage(t.db, { workspaceId: member.workspace.id, id: rows[5]!.id });
    expect(view.email?.text).toBe(byId.get(rows[5]!.id)?.text);
    expect(view.email?.html).toContain("Thanks for your order");
  });

  it("a lost answer: the batch is resent as first written, whichever member is claimed, and sent once", async () => {
    const clock = new FakeClock(START);
    const { member, flow, executor, channels, events } = await ordersPlaced(clock, 4);
    fake.dropNext(1); // the provider sends the batch, the answer never arrives
    await executor.handleEvents(events);
    let rows = await flowMessages(flow.flowId);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(Array.from({ length: 4 }, () => ["queued", 1]));
    expect(new Set(rows.map((r) => r.nextAttemptAt.getTime())).size).toBe(1); // one delay: they stay due together
    expect(fake.received()).toHaveLength(4);

    // A re-render would now differ; the resend must not.
    await t.db.update(workspaces).set({ name: "Renamed Shop" }).where(eq(workspaces.id, member.workspace.id));
    const due = rows[0]!.nextAttemptAt.getTime();
    const result = await dispatchMessages(t.db, channels, { ...options(due), limit: 1 });
    expect(result).toMatchObject({ claimed: 4, sent: 4 });
    rows = await flowMessages(flow.flowId);
    // One failure (the lost answer), two claims.
    expect(rows.map((r) => [r.status, r.attempts, r.claims])).toEqual(
      Array.from({ length: 4 }, () => ["sent", 1, 2]),
    );
    expect(fake.requests().map((r) => [r.path, r.emails, r.replayed])).toEqual([
      ["/emails/batch", 4, false],
      ["/emails/batch", 4, true],
    ]);
    expect(rows.map((r) => r.providerMessageId)).toEqual(fake.received().map((e) => e.id));
    expect(Object.values(fake.countsByTag("message_id"))).toEqual([1, 1, 1, 1]);
    expect(fake.received().every((e) => !e.from.includes("Renamed"))).toBe(true);
  });

  it("a member already settled is still part of the repeated request, and stays as it was", async () => {
    const clock = new FakeClock(START);
    const { flow, executor, channels, events } = await ordersPlaced(clock, 3);
    fake.failNext(1, 500);
    await executor.handleEvents(events);
    let rows = await flowMessages(flow.flowId);
    expect(rows.map((r) => r.status)).toEqual(["queued", "queued", "queued"]);
    // One member was recorded as sent by a sender that died before recording the others.
    await t.db
      .update(messages)
      .set({ status: "sent", providerMessageId: "kept" })
      .where(eq(messages.id, rows[0]!.id));
    await dispatchMessages(t.db, channels, options(rows[1]!.nextAttemptAt.getTime()));
    rows = await flowMessages(flow.flowId);
    expect(rows.map((r) => [r.status, r.attempts, r.claims])).toEqual([
      ["sent", 1, 1],
      ["sent", 1, 2],
      ["sent", 1, 2],
    ]);
    expect(rows[0]?.providerMessageId).toBe("kept");
    expect(fake.requests().map((r) => [r.path, r.status])).toEqual([
      ["/emails/batch", 500],
      ["/emails/batch", 200],
    ]);
    expect(fake.requests()[1]?.emails).toBe(3);
  });

  it("an email first tried alone keeps going alone, under its own key", async () => {
    const clock = new FakeClock(START);
    const { flow, executor, events } = await ordersPlaced(clock, 4);
    fake.dropNext(1);
    await executor.handleEvents(events.slice(0, 1));
    const [first] = await flowMessages(flow.flowId);
    expect([first?.status, first?.batchId]).toEqual(["queued", null]);
    clock.t = first!.nextAttemptAt.getTime();
    // Due with three new ones: those three form a batch; the first goes alone again.
    await executor.handleEvents(events.slice(1));
    const rows = await flowMessages(flow.flowId);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(rows.filter((r) => r.batchId !== null)).toHaveLength(3);
    expect(
      fake
        .requests()
        .map((r) => [r.path, r.emails, r.replayed])
        .sort(),
    ).toEqual([
      ["/emails", 1, false],
      ["/emails", 1, true],
      ["/emails/batch", 3, false],
    ]);
    expect(Object.values(fake.countsByTag("message_id"))).toEqual([1, 1, 1, 1]);
  });

  it("emails claimed again before their batch was written go one by one", async () => {
    const clock = new FakeClock(START);
    const { flow, executor, channels, events } = await ordersPlaced(clock, 3);
    fake.failNext(1, 503);
    await executor.handleEvents(events);
    await t.db
      .update(messages)
      .set({ batchId: null, batchIndex: null })
      .where(eq(messages.flowId, flow.flowId)); // as if the write had not happened
    const due = (await flowMessages(flow.flowId))[0]!.nextAttemptAt.getTime();
    const result = await dispatchMessages(t.db, channels, options(due));
    expect(result.sent).toBe(3);
    expect(fake.requests().map((r) => r.path)).toEqual(["/emails/batch", "/emails", "/emails", "/emails"]);
  });

  it("a refused batch finds the bad email and sends the rest", async () => {
    const clock = new FakeClock(START);
    const { flow, executor, events, buyers } = await ordersPlaced(clock, 3);
    const bad = buyers[1];
    await t.db.update(contacts).set({ email: "not an address" }).where(eq(contacts.id, bad!.id));
    await executor.handleEvents(events);
    const rows = await flowMessages(flow.flowId);
    const byContact = new Map(rows.map((r) => [r.contactId, r]));
    expect(byContact.get(bad!.id)?.status).toBe("failed");
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(2);
    expect(fake.requests().map((r) => [r.path, r.status])).toEqual([
      ["/emails/batch", 422],
      ...fake
        .requests()
        .slice(1)
        .map((r) => ["/emails", r.status]),
    ]);
    expect(
      fake
        .requests()
        .map((r) => r.status)
        .sort(),
    ).toEqual([200, 200, 422, 422]);
    expect(
      fake
        .received()
        .map((e) => e.to[0])
        .sort(),
    ).toEqual(
      buyers
        .filter((b) => b !== bad)
        .map((b) => b.email)
        .sort(),
    );
  });
});

describe(`dispatcher retries (${testDriver()})`, () => {
  beforeEach(() =>
    t.db
      .update(messages)
      .set({ status: "failed" })
      .where(inArray(messages.status, ["queued", "sending"])),
  );
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** The same provider, answering only after `ms`. */
  function slow(channels: Channels, ms: number): Channels {
    const email = channels.email;
    return {
      ...channels,
      email: {
        name: email.name,
        send: async (m, o) => (await sleep(ms), email.send(m, o)),
        sendBatch: async (items) => (await sleep(ms), email.sendBatch(items)),
      },
    };
  }

  it("re-claimed after a lease ran out, unsent emails go out in one batch call", async () => {
    const clock = new FakeClock(START);
    const { flow, channels, events } = await ordersPlaced(clock, 3);
    await queueOnly(events, clock.t);
    // The first sender claims them and dies before writing anything.
    await claimMessages(t.db, START, 10, 60_000);
    let rows = await flowMessages(flow.flowId);
    expect(rows.map((r) => [r.status, r.claims, r.batchId])).toEqual(
      Array.from({ length: 3 }, () => ["sending", 1, null]),
    );
    const result = await dispatchMessages(t.db, channels, { ...options(START + 61_000), leaseMs: 60_000 });
    expect(result).toMatchObject({ claimed: 3, sent: 3 });
    expect(fake.requests().map((r) => [r.path, r.emails])).toEqual([["/emails/batch", 3]]);
    rows = await flowMessages(flow.flowId);
    expect(rows.map((r) => [r.status, r.attempts, r.claims])).toEqual(
      Array.from({ length: 3 }, () => ["sent", 0, 2]),
    );
  });

  it("a sender whose lease ran out before it wrote anything sends nothing: the email goes once, in the new holder's batch", async () => {
    const clock = new FakeClock(START);
    const { flow, channels, events } = await ordersPlaced(clock, 2);
    await queueOnly(events, clock.t);
    // The first sender claims one email and is held up while rendering it.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached = () => {};
    const rendering = new Promise<void>((resolve) => (reached = resolve));
    class HeldUp extends EmailDesignCache {
      override async render(input: RenderEmailInput) {
        reached();
        await gate;
        return super.render(input);
      }
    }
    const first = dispatchMessages(t.db, channels, {
      ...options(START),
      limit: 1,
      leaseMs: 30_000,
      designs: new HeldUp(),
    });
    await rendering;
    // Its lease runs out (its renewal, every 10 s of wall time, cannot reach past START + 120 s
    // within this test); a second sender claims both emails and sends them in one batch.
    const second = await dispatchMessages(t.db, channels, { ...options(START + 120_000), leaseMs: 60_000 });
    expect(second).toMatchObject({ claimed: 2, sent: 2 });
    release();
    expect(await first).toMatchObject({ claimed: 1, sent: 0, retried: 0, failed: 0 });
    const rows = await flowMessages(flow.flowId);
    expect(rows.every((r) => r.status === "sent" && r.lastError === null)).toBe(true);
    expect(fake.requests().map((r) => [r.path, r.emails])).toEqual([["/emails/batch", 2]]);
    expect(Object.values(fake.countsByTag("message_id"))).toEqual([1, 1]);
    expect(rows.map((r) => r.providerMessageId).sort()).toEqual(
      fake
        .received()
        .map((e) => e.id)
        .sort(),
    );
  });

  it("a 429 storm longer than six claims: Retry-After is not a failure, the email is still sent once", async () => {
    const clock = new FakeClock(START);
    fake.failNext(9, 429, 1);
    const { message, channels } = await orderPlaced(clock);
    for (let i = 0; i < 20; i++) {
      const [row] = await t.db.select().from(messages).where(eq(messages.id, message.id));
      if (row?.status !== "queued") break;
      expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(START + 1000);
      await dispatchMessages(t.db, channels, options(row.nextAttemptAt.getTime()));
    }
    const [row] = await t.db.select().from(messages).where(eq(messages.id, message.id));
    expect([row?.status, row?.attempts, row?.claims]).toEqual(["sent", 0, 10]);
    expect(fake.countsByIdempotencyKey()).toEqual({ [message.id]: 1 });
  });

  it("gives up by time: 24 h after the first attempt, not after a number of claims", async () => {
    const clock = new FakeClock(START);
    fake.failNext(1000, 503);
    const { message, channels } = await orderPlaced(clock);
    let tries = 1;
    for (; tries < 100; tries++) {
      const [row] = await t.db.select().from(messages).where(eq(messages.id, message.id));
      if (row?.status !== "queued") break;
      await dispatchMessages(t.db, channels, options(row.nextAttemptAt.getTime()));
    }
    const [row] = await t.db.select().from(messages).where(eq(messages.id, message.id));
    expect(row?.status).toBe("failed");
    expect(row!.attempts).toBe(tries);
    expect(row!.attempts).toBeGreaterThan(6);
    const lastTry = row!.nextAttemptAt.getTime();
    expect(lastTry - START).toBeLessThan(MAX_RETRY_AGE_MS);
    expect(lastTry - START).toBeGreaterThan(MAX_RETRY_AGE_MS - 2 * 3_600_000);
    const [enrollment] = await t.db
      .select()
      .from(enrollments)
      .where(eq(enrollments.id, message.enrollmentId!));
    expect(enrollment?.lastError).toMatch(new RegExp(`email not sent within 24 h \\(${tries} attempts\\)`));
  });

  it("backoff is measured from the failure, not from the start of the pass", async () => {
    const clock = new FakeClock(START);
    fake.failNext(1, 500);
    const { flow, channels, events } = await ordersPlaced(clock, 1);
    await queueOnly(events, clock.t);
    const due = START;
    await dispatchMessages(t.db, slow(channels, 1_000), { ...options(due), random: () => 0 });
    const [row] = await flowMessages(flow.flowId);
    expect([row?.status, row?.attempts]).toEqual(["queued", 1]);
    expect(row!.nextAttemptAt.getTime() - due).toBeGreaterThanOrEqual(
      1_000 + retryDelayMs(1, undefined, () => 0),
    );
  });

  it("a sender renews its lease while a slow call is in flight: nobody else claims the email", async () => {
    const clock = new FakeClock(START);
    const { flow, channels, events } = await ordersPlaced(clock, 1);
    await queueOnly(events, clock.t);
    const due = START;
    const sending = dispatchMessages(t.db, slow(channels, 1_500), { ...options(due), leaseMs: 300 });
    await sleep(900); // three leases' worth of wall time into the call
    expect(await claimMessages(t.db, due + 900, 10, 300)).toEqual([]);
    await sleep(300);
    expect(await claimMessages(t.db, due + 1_200, 10, 300)).toEqual([]);
    expect((await sending).sent).toBe(1);
    const [row] = await flowMessages(flow.flowId);
    expect([row?.status, row?.claims]).toEqual(["sent", 1]);
    expect(fake.requests()).toHaveLength(1);
  });
});

/** Enrolls and runs the first steps, queuing the messages without sending them. */
async function queueOnly(events: EnrollEvent[], now: number) {
  const caches = new ExecutorCaches();
  const { enrolled } = await enrollFromEvents(t.db, events, now, caches);
  await runEnrollmentsNow(t.db, enrolled, now, caches);
}

describe("retryDelayMs", () => {
  it("grows exponentially with jitter, capped, never below Retry-After", () => {
    expect(retryDelayMs(1, undefined, () => 0)).toBe(2_500);
    expect(retryDelayMs(1, undefined, () => 1)).toBe(5_000);
    expect(retryDelayMs(3, undefined, () => 1)).toBe(20_000);
    expect(retryDelayMs(30, undefined, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(1, 90_000, () => 0)).toBe(90_000);
  });
});
