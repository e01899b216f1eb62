/**
 * Coupon pools end to end: CSV uploads refused by line and never half-written, generated
 * codes, and the draw — one code per message, the same code on every retry and resend, never
 * one code for two messages, even when executors draw at the same moment.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, eq, isNotNull } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import { createContact, FakeClock, publishGraph, storeEvent } from "@/server/testing/flows";
import { couponCodes, messages } from "@/server/db/schema";
import { createChannels } from "@/server/channels";
import { createResendEmailProvider } from "@/server/channels/email-resend";
import { startFakeResend, type FakeResend } from "@/server/testing/fake-resend-server";
import { chain, emailCopy, graph, node } from "@/server/engine/templates/build";
import { claimMessages, dispatchMessages } from "@/server/executor/dispatch";
import { runEnrollmentsNow } from "@/server/executor/runner";
import { enrollFromEvents } from "@/server/executor/enroll";
import { ExecutorCaches } from "@/server/executor/caches";
import { createFlowFromTemplate } from "@/server/flows/flows";
import { GraphInvalidError, previewPublish, publishFlow } from "@/server/flows/publish";
import {
  createCouponPool,
  drawCoupon,
  generateCoupons,
  importCouponCsv,
  listCouponPools,
  peekCoupon,
} from "./coupons";

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

async function poolWith(csv: string | null, name = "Spring") {
  const member = await createMember(t.db, "Coupons");
  const pool = await createCouponPool(t.db, { workspaceId: member.workspace.id, name });
  if (csv !== null) await importCouponCsv(t.db, { workspaceId: member.workspace.id, poolId: pool.id, csv });
  return { member, pool, workspaceId: member.workspace.id };
}

const codesOf = (poolId: string) =>
  t.db.select().from(couponCodes).where(eq(couponCodes.poolId, poolId)).orderBy(couponCodes.id);

const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { field?: string };
  }
  throw new Error("expected a refusal");
};

describe(`coupon CSV upload (${testDriver()})`, () => {
  it("takes a header, codes and an expires_at column, and counts what is left", async () => {
    const { pool, workspaceId } = await poolWith(
      "code,expires_at\nSPRING-A,2026-06-30\nSPRING-B,\nSPRING-C,2026-05-01T00:00:00Z\n",
    );
    const pools = await listCouponPools(t.db, { workspaceId, now: new Date(START) });
    // SPRING-C expired before START (5 May): it is not counted as remaining.
    expect(pools).toMatchObject([
      { id: pool.id, name: "Spring", total: 3, remaining: 2, expired: 1, used: 0 },
    ]);
    expect(pools[0]?.nextExpiry?.toISOString()).toBe("2026-06-30T23:59:59.000Z");
  });

  it("a file with blank lines and repeats is refused line by line, and nothing is imported", async () => {
    const { pool, workspaceId } = await poolWith(null);
    const error = await errorOf(
      importCouponCsv(t.db, {
        workspaceId,
        poolId: pool.id,
        csv: "code\nAAA1\n\nBBB2\naaa1\nCC 3\nDDD4\n   \nBBB2\n",
      }),
    );
    expect(error.field).toBe("csv");
    expect(error.message).toBe(
      "Nothing was imported. Fix the CSV and upload it again: line 3 is blank; line 5 “aaa1” repeats line 2; " +
        "line 6 “CC 3” may hold only letters, digits, “-”, “_” and “.”; line 8 is blank; line 9 “BBB2” repeats line 4.",
    );
    expect(await codesOf(pool.id)).toEqual([]);
  });

  it("a code already in the pool refuses the whole second file, naming its line", async () => {
    const { pool, workspaceId } = await poolWith("ONE\nTWO\n");
    const error = await errorOf(
      importCouponCsv(t.db, { workspaceId, poolId: pool.id, csv: "THREE\nFOUR\ntwo\n" }),
    );
    expect(error.message).toContain("line 3 “two” is already in the pool");
    expect((await codesOf(pool.id)).map((c) => c.code)).toEqual(["ONE", "TWO"]);
  });

  it("an unreadable expiry is named by line", async () => {
    const { pool, workspaceId } = await poolWith(null);
    const error = await errorOf(
      importCouponCsv(t.db, { workspaceId, poolId: pool.id, csv: "code,expires_at\nX1,next week\n" }),
    );
    expect(error.message).toContain("line 2 expiry “next week” is not a date like 2027-01-31");
  });

  it("answers bad input over HTTP with a 400 naming the field, never a 500", async () => {
    const { member, pool } = await poolWith(null);
    const dup = await callHttp(t.db, member.user, "coupons.importCsv", { poolId: pool.id, csv: "A1\nA1\n" });
    expect(dup.status).toBe(400);
    expect(Object.keys(dup.body.error?.json.data.fieldErrors ?? {})).toEqual(["csv"]);
    const count = await callHttp(t.db, member.user, "coupons.generate", { poolId: pool.id, count: 0 });
    expect(count.status).toBe(400);
    expect(Object.keys(count.body.error?.json.data.fieldErrors ?? {})).toEqual(["count"]);
    const prefix = await callHttp(t.db, member.user, "coupons.generate", {
      poolId: pool.id,
      count: 3,
      prefix: "BAD PREFIX",
    });
    expect(Object.keys(prefix.body.error?.json.data.fieldErrors ?? {})).toEqual(["prefix"]);
    const day = await callHttp(t.db, member.user, "coupons.generate", {
      poolId: pool.id,
      count: 3,
      expiresOn: "2026-02-30",
    });
    expect(Object.keys(day.body.error?.json.data.fieldErrors ?? {})).toEqual(["expiresOn"]);
    const name = await callHttp(t.db, member.user, "coupons.create", { name: "Spring" });
    expect(name.status).toBe(409);
    expect(Object.keys(name.body.error?.json.data.fieldErrors ?? {})).toEqual(["name"]);
    const other = await createMember(t.db, "Other shop");
    const foreign = await callHttp(t.db, other.user, "coupons.generate", { poolId: pool.id, count: 3 });
    expect(foreign.status).toBe(404);
    expect(await codesOf(pool.id)).toEqual([]);
  });
});

describe(`generated codes (${testDriver()})`, () => {
  it("makes N distinct codes with the prefix and the expiry", async () => {
    const { member, pool, workspaceId } = await poolWith(null);
    const made = await member.caller.coupons.generate({
      poolId: pool.id,
      count: 250,
      prefix: "BDAY-",
      expiresOn: "2026-12-31",
    });
    expect(made).toEqual({ generated: 250 });
    const codes = await codesOf(pool.id);
    expect(new Set(codes.map((c) => c.code)).size).toBe(250);
    for (const c of codes) {
      expect(c.code).toMatch(/^BDAY-[A-HJ-NP-Z2-9]{8}$/);
      expect(c.expiresAt?.toISOString()).toBe("2026-12-31T23:59:59.999Z");
    }
    expect((await listCouponPools(t.db, { workspaceId }))[0]?.remaining).toBe(250);
  });
});

describe(`drawing a code (${testDriver()})`, () => {
  it("draws once per message: asking again for the same message returns the same code", async () => {
    const { pool, workspaceId } = await poolWith("C1\nC2\nC3\n");
    const now = new Date(START);
    const messageId = crypto.randomUUID();
    const first = await drawCoupon(t.db, { workspaceId, poolId: pool.id, messageId, now });
    const again = await drawCoupon(t.db, { workspaceId, poolId: pool.id, messageId, now });
    expect(first).toEqual({ code: "C1", expiresAt: null });
    expect(again).toEqual(first);
    expect((await listCouponPools(t.db, { workspaceId }))[0]?.remaining).toBe(2);
    // A preview peeks at the next code without taking it.
    expect(await peekCoupon(t.db, { workspaceId, poolId: pool.id, now })).toEqual({
      code: "C2",
      expiresAt: null,
    });
    expect((await listCouponPools(t.db, { workspaceId }))[0]?.remaining).toBe(2);
  });

  it("never draws an expired code, and answers null when the pool is dry", async () => {
    const { pool, workspaceId } = await poolWith("code,expires_at\nOLD,2026-01-31\nNEW,2026-12-31\n");
    const now = new Date(START);
    const draw = () =>
      drawCoupon(t.db, { workspaceId, poolId: pool.id, messageId: crypto.randomUUID(), now });
    expect((await draw())?.code).toBe("NEW");
    expect(await draw()).toBeNull();
  });

  it("twenty messages drawing at once each get their own code, and the twenty-first none", async () => {
    const csv = Array.from({ length: 20 }, (_, i) => `RUSH-${i}`).join("\n");
    const { pool, workspaceId } = await poolWith(csv);
    const now = new Date(START);
    // Each draw in its own transaction, all started together: on Postgres they really overlap.
    const draws = await Promise.all(
      Array.from({ length: 21 }, () =>
        t.db.transaction((tx) =>
          drawCoupon(tx, { workspaceId, poolId: pool.id, messageId: crypto.randomUUID(), now }),
        ),
      ),
    );
    const codes = draws.filter((d) => d !== null).map((d) => d.code);
    expect(codes).toHaveLength(20);
    expect(new Set(codes).size).toBe(20);
    expect(draws.filter((d) => d === null)).toHaveLength(1);
    const rows = await codesOf(pool.id);
    expect(new Set(rows.map((r) => r.messageId)).size).toBe(20);
  });
});

/** Placed Order → marketing email that prints a code from `poolId`. */
function couponFlow(poolId: string) {
  return graph(
    [
      node("trigger", "trigger", 0, 0, { type: "event", event: "Placed Order", filter: null }),
      node(
        "thanks",
        "email",
        0,
        1,
        emailCopy({
          template: "post_purchase_thank_you",
          subject: "A thank-you code: {{ coupon.code }}",
          body: "Your code {{ coupon.code }} is good until {{ coupon.expires_at | default: 'further notice' }}.",
          couponCode: "{{ coupon.code }}",
          couponPool: poolId,
        }),
      ),
      node("exit", "exit", 0, 2, {}),
    ],
    chain("trigger", "thanks", "exit"),
    { entryKey: "order_id", reentry: { mode: "every_time" } },
  );
}

describe(`a flow's email draws its code (${testDriver()})`, () => {
  it("a crash between the draw and the send: the resend carries the same code under the same key", async () => {
    const { member, pool, workspaceId } = await poolWith("code,expires_at\nTHX-1,2026-06-30\nTHX-2,\n");
    const clock = new FakeClock(START);
    const flow = await publishGraph(t.db, {
      workspaceId,
      userId: member.user.id,
      graph: couponFlow(pool.id),
      now: clock.t,
    });
    const contact = await createContact(t.db, workspaceId);
    const event = await storeEvent(t.db, {
      workspaceId,
      contactId: contact.id,
      name: "Placed Order",
      properties: { order_id: "o1" },
      at: clock.t,
    });
    const caches = new ExecutorCaches();
    const { enrolled } = await enrollFromEvents(t.db, [event], clock.t, caches);
    // The step runs: the message is queued and its code drawn in one transaction…
    await runEnrollmentsNow(t.db, enrolled, clock.t, caches);
    const [queued] = await t.db.select().from(messages).where(eq(messages.flowId, flow.flowId));
    expect(queued?.status).toBe("queued");
    expect(queued?.content.coupon).toEqual({ code: "THX-1", expiresAt: "2026-06-30T23:59:59.000Z" });
    // …a sender claims it and dies before recording anything.
    const claimed = await claimMessages(t.db, clock.t, 10, 30_000);
    expect(claimed.map((m) => m.id)).toEqual([queued!.id]);
    fake.failNext(1, 500);
    const channels = {
      ...createChannels({}),
      email: createResendEmailProvider({ apiKey: "re_test", baseUrl: fake.url }),
    };
    const options = (now: number) => ({
      now,
      appUrl: "https://shop.example.com",
      linkSigningKey: "test-link-signing-key-0123456789",
      random: () => 0.5,
    });
    // After the lease: a provider error, then a retry that goes through.
    await dispatchMessages(t.db, channels, options(clock.t + 31_000));
    await dispatchMessages(t.db, channels, options(clock.t + 120_000));
    const [sent] = await t.db.select().from(messages).where(eq(messages.id, queued!.id));
    expect(sent?.status).toBe("sent");
    const requests = fake.requests();
    expect(requests.length).toBe(2);
    expect(fake.countsByIdempotencyKey()).toEqual({ [queued!.id]: 1 });
    const received = fake.received();
    expect(received).toHaveLength(1);
    expect(received[0]?.subject).toBe("A thank-you code: THX-1");
    expect(received[0]?.html).toContain("THX-1");
    expect(received[0]?.html).toContain("June 30, 2026");
    // One code left the pool, to this message.
    const used = await t.db
      .select()
      .from(couponCodes)
      .where(and(eq(couponCodes.poolId, pool.id), isNotNull(couponCodes.messageId)));
    expect(used.map((c) => [c.code, c.messageId])).toEqual([["THX-1", queued!.id]]);
  });

  it("an empty pool is a problem on the step before publish, naming the pool", async () => {
    const { member, pool, workspaceId } = await poolWith(null, "Thank-you");
    const publish = publishGraph(t.db, {
      workspaceId,
      userId: member.user.id,
      graph: couponFlow(pool.id),
      now: START,
    });
    const error = await errorOf(publish);
    expect(error).toBeInstanceOf(GraphInvalidError);
    const issues = (error as GraphInvalidError).issues;
    expect(issues.map((i) => [i.nodeId, i.code])).toEqual([["thanks", "empty_coupon_pool"]]);
    expect(issues[0]?.message).toContain("Coupon pool “Thank-you” is empty");
    await generateCoupons(t.db, { workspaceId, poolId: pool.id, count: 1, prefix: "", expiresAt: null });
    await publishGraph(t.db, { workspaceId, userId: member.user.id, graph: couponFlow(pool.id), now: START });
  });

  it("the birthday template arrives wired to the workspace's Birthday pool, which publish asks to fill", async () => {
    const member = await createMember(t.db, "Birthdays");
    const workspaceId = member.workspace.id;
    const flow = await createFlowFromTemplate(t.db, {
      workspaceId,
      userId: member.user.id,
      templateKey: "birthday",
    });
    const pools = await listCouponPools(t.db, { workspaceId });
    expect(pools.map((p) => [p.name, p.remaining])).toEqual([["Birthday", 0]]);
    const email = flow.draftGraph.nodes.find((n) => n.id === "birthday_email");
    expect((email?.config as { couponPool?: string }).couponPool).toBe(pools[0]!.id);
    const preview = await previewPublish(t.db, { workspaceId, flowId: flow.id });
    expect(preview.issues.map((i) => [i.nodeId, i.code])).toEqual([
      ["birthday_email", "empty_coupon_pool"],
      ["birthday_sms", "empty_coupon_pool"],
      ["reminder_email", "empty_coupon_pool"],
    ]);
    await generateCoupons(t.db, {
      workspaceId,
      poolId: pools[0]!.id,
      count: 5,
      prefix: "BDAY-",
      expiresAt: null,
    });
    // A second birthday flow shares the pool rather than making another.
    await createFlowFromTemplate(t.db, { workspaceId, userId: member.user.id, templateKey: "birthday" });
    expect((await listCouponPools(t.db, { workspaceId })).map((p) => p.name)).toEqual(["Birthday"]);
    const published = await publishFlow(t.db, {
      workspaceId,
      flowId: flow.id,
      userId: member.user.id,
      moveInFlight: false,
    });
    expect(published.versionId).toBeTruthy();
  });
});
