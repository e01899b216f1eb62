/**
 * Property-based fuzzing of /track, /identify and /batch with thousands of random and
 * mutated payloads: never a 5xx, and never a partial write — the rows added match exactly
 * what the response reports (nothing at all for a refused request or message).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { inArray } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { events } from "@/server/db/schema";
import { handleBatch, handleIdentify, handleTrack } from "./handlers";
import { apiRequest, createShop, rowCounts } from "@/server/testing/ingest-requests";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

let t: TestDb;
let shop: Awaited<ReturnType<typeof createShop>>;

beforeAll(async () => {
  t = await createTestDb();
  shop = await createShop(t.db, "Fuzz");
});
afterAll(() => t.close());

// ---------------------------------------------------------------- payloads

const item = {
  product_id: "cof-kenya",
  title: "Kenya Nyeri AA",
  price: 21.9,
  quantity: 2,
  category: "Coffee",
  url: "/p/cof-kenya",
  image_url: "https://cdn.example.com/k.jpg",
};
const userId = fc.constantFrom("u1", "u2", "u3", "u4", 77);
const anonymousId = fc.constantFrom("a1", "a2", "a3");
const messageId = fc.option(fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `m${i}`)), {
  nil: undefined,
});
const properties = fc.constantFrom<Array<[string, Json]>>(
  ["Signed Up", { source: "popup" }],
  ["Viewed Product", { ...item, quantity: null }],
  ["Added to Cart", { cart_id: "c1", ...item }],
  [
    "Started Checkout",
    {
      cart_id: "c1",
      items: [item],
      value: 43.8,
      currency: "USD",
      checkout_url: "https://shop.example.com/c/1",
    },
  ],
  ["Placed Order", { order_id: "o1", cart_id: "c1", items: [item, item], value: 87.6, currency: "usd" }],
  ["Order Shipped", { order_id: "o1", carrier: "UPS", tracking_url: "https://ups.example.com/t/1" }],
  ["Order Delivered", { order_id: "o1" }],
  ["Review Submitted", { order_id: "o1", product_id: "cof-kenya", rating: 4 }],
  ["Referral Completed", { referral_code: "FRIEND" }],
  ["Subscribed to Back in Stock", { product_id: "cof-kenya" }],
  ["Played Quiz", { score: 3, answers: ["a", "b"] }],
);

const trackPayload = fc
  .record({
    userId: fc.option(userId, { nil: undefined }),
    anonymousId: fc.option(anonymousId, { nil: undefined }),
    messageId,
    p: properties,
    tz: fc.option(fc.constantFrom("Europe/Berlin", "America/New_York"), { nil: undefined }),
  })
  .map(({ p: [event, props], tz, ...ids }) => {
    const out: Record<string, Json> = {
      type: "track",
      event,
      properties: props,
      timestamp: "2026-01-02T03:04:05Z",
    };
    if (ids.userId !== undefined) out.userId = ids.userId;
    if (ids.anonymousId !== undefined) out.anonymousId = ids.anonymousId;
    if (!ids.userId && !ids.anonymousId) out.anonymousId = "a1";
    if (ids.messageId) out.messageId = ids.messageId;
    if (tz) out.context = { timezone: tz };
    return out;
  });

const identifyPayload = fc
  .record({
    userId: fc.option(userId, { nil: undefined }),
    anonymousId: fc.option(anonymousId, { nil: undefined }),
    email: fc.option(fc.constantFrom("a@example.com", "B@Example.com"), { nil: undefined }),
  })
  .map(({ userId: u, anonymousId: a, email }) => {
    const out: Record<string, Json> = {
      type: "identify",
      traits: {
        first_name: "Ann",
        birthday: "1990-01-31",
        timezone: "Asia/Tokyo",
        email_consent: "subscribed",
        phone: "+1 555 010 2000",
        plan: "gold",
        ...(email && { email }),
      },
    };
    if (u !== undefined) out.userId = u;
    if (a !== undefined) out.anonymousId = a;
    if (u === undefined && a === undefined) out.userId = "u1";
    return out;
  });

const weird: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom<Json>(
    "",
    " ",
    "\u0000",
    "\ud800",
    "x".repeat(300),
    "z".repeat(33_000),
    -0,
    1e308,
    -1e308,
    2 ** 53 + 2,
    1.5,
    -1,
    0,
    6,
    true,
    null,
    [],
    {},
    "2026-02-30T00:00:00Z",
    "1969-01-01T00:00:00Z",
    "Placed Order",
    "Review Submitted",
    "identify",
    "track",
    "javascript:alert(1)",
    "//evil.example.com",
    "Mars/Olympus",
    "__proto__",
  ),
);
const keyNames = fc.constantFrom(
  "type",
  "event",
  "userId",
  "anonymousId",
  "messageId",
  "timestamp",
  "properties",
  "traits",
  "context",
  "value",
  "items",
  "rating",
  "__proto__",
  "constructor",
  "email",
);

/** Every path in a JSON value, root first. */
function paths(value: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

interface Mutation {
  at: number;
  op: "replace" | "delete" | "add";
  value: Json;
  key: string;
}

function mutate(value: Json, m: Mutation): Json {
  const all = paths(value);
  const path = all[m.at % all.length]!;
  const root = structuredClone(value);
  if (path.length === 0) return m.op === "replace" ? m.value : root;
  let parent: Json = root;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string, Json>)[step as string]!;
  const last = path[path.length - 1]!;
  const container = parent as Record<string | number, Json>;
  if (m.op === "replace") container[last] = m.value;
  else if (m.op === "delete") {
    if (Array.isArray(container)) container.splice(last as number, 1);
    else delete container[last];
  } else {
    const target = container[last];
    if (target && typeof target === "object" && !Array.isArray(target))
      Object.defineProperty(target, m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else container[last] = m.value;
  }
  return root;
}

const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<Mutation["op"]>("replace", "delete", "add"),
  value: weird,
  key: keyNames,
});
const mutated = (base: fc.Arbitrary<Record<string, Json>>) =>
  fc.tuple(base, fc.array(mutation, { maxLength: 3 })).map(([v, ms]) => ms.reduce<Json>(mutate, v));

/** A request body: mostly mutated valid messages, some random JSON, some broken text. */
const body = (base: fc.Arbitrary<Record<string, Json>>) =>
  fc.oneof(
    { weight: 6, arbitrary: mutated(base).map((v) => JSON.stringify(v)) },
    {
      weight: 1,
      arbitrary: (fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>).map(
        (v) => JSON.stringify(v) ?? "null",
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: mutated(base).chain((v) =>
        fc.nat().map((n) => JSON.stringify(v).slice(0, n % (JSON.stringify(v).length + 1))),
      ),
    },
  );

const batchBody = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(
        fc.oneof(
          { weight: 4, arbitrary: mutated(trackPayload) },
          { weight: 1, arbitrary: mutated(identifyPayload) },
          { weight: 1, arbitrary: weird },
        ),
        { minLength: 1, maxLength: 12 },
      )
      .map((batch) => ({ raw: JSON.stringify({ batch }), batch })),
  },
  {
    weight: 1,
    arbitrary: mutated(fc.constant({ batch: [{ type: "track", userId: "u1", event: "Signed Up" }] })).map(
      (v) => ({ raw: JSON.stringify(v), batch: null }),
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }).map((raw) => ({ raw, batch: null })) },
);

// ---------------------------------------------------------------- properties

const SERVER_STATUSES = new Set([200, 400, 413]);

/** How often each status came back, so a test can check the fuzzer reached both sides. */
const seen = new Map<string, number>();
const note = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);
function expectBothOutcomes(prefix: string, runs: number) {
  const stats = Object.fromEntries([...seen].filter(([k]) => k.startsWith(prefix)));
  console.log(`${prefix} outcomes:`, stats);
  expect(seen.get(`${prefix}:200`) ?? 0, JSON.stringify(stats)).toBeGreaterThan(runs / 10);
  expect(seen.get(`${prefix}:400`) ?? 0, JSON.stringify(stats)).toBeGreaterThan(runs / 10);
}

async function post(handler: typeof handleTrack, raw: string) {
  const res = await handler(t.db, apiRequest("/api/v1/fuzz", { body: raw, key: shop.secretKey }));
  const text = await res.text();
  let parsed: unknown = null;
  expect(
    () => {
      parsed = JSON.parse(text);
    },
    `response is JSON: ${text.slice(0, 200)}`,
  ).not.toThrow();
  return { status: res.status, body: parsed as Record<string, unknown> };
}

async function eventsExist(ids: string[]) {
  if (ids.length === 0) return 0;
  return (await t.db.select({ id: events.id }).from(events).where(inArray(events.id, ids))).length;
}

describe(`fuzzing the ingest endpoints (${testDriver()})`, () => {
  it(
    "track: never a 5xx, one row per stored event, nothing for a refusal",
    { timeout: 600_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(body(trackPayload), async (raw) => {
          const before = await rowCounts(t.db, shop.workspaceId);
          const res = await post(handleTrack, raw);
          note(`track:${res.status}`);
          expect(SERVER_STATUSES.has(res.status), `status ${res.status} for ${raw.slice(0, 300)}`).toBe(true);
          const after = await rowCounts(t.db, shop.workspaceId);
          if (res.status !== 200) {
            expect(after, raw.slice(0, 300)).toEqual(before);
            expect((res.body.error as { message?: string }).message).toBeTruthy();
            return;
          }
          expect(after.events - before.events).toBe(res.body.duplicate ? 0 : 1);
          expect(after.contacts - before.contacts).toBeLessThanOrEqual(1);
          expect(after.subscriptions - before.subscriptions).toBeLessThanOrEqual(1);
          expect(await eventsExist([res.body.id as string])).toBe(1);
        }),
        { numRuns: 2000, seed: 20260501 },
      );
      expectBothOutcomes("track", 2000);
    },
  );

  it("identify: never a 5xx, never an event, at most one new contact", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(body(identifyPayload), async (raw) => {
        const before = await rowCounts(t.db, shop.workspaceId);
        const res = await post(handleIdentify, raw);
        note(`identify:${res.status}`);
        // 409: the email belongs to a contact with another userId (one contact per email).
        expect(
          SERVER_STATUSES.has(res.status) || res.status === 409,
          `status ${res.status} for ${raw.slice(0, 300)}`,
        ).toBe(true);
        const after = await rowCounts(t.db, shop.workspaceId);
        expect(after.events).toBe(before.events);
        if (res.status !== 200) expect(after, raw.slice(0, 300)).toEqual(before);
        else expect(after.contacts - before.contacts).toBeLessThanOrEqual(1);
      }),
      { numRuns: 800, seed: 20260502 },
    );
    expectBothOutcomes("identify", 800);
  });

  it("batch: never a 5xx, rows added match the per-item results exactly", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(batchBody, async ({ raw, batch }) => {
        const before = await rowCounts(t.db, shop.workspaceId);
        const res = await post(handleBatch, raw);
        note(`batch:${res.status}`);
        expect(SERVER_STATUSES.has(res.status), `status ${res.status} for ${raw.slice(0, 300)}`).toBe(true);
        const after = await rowCounts(t.db, shop.workspaceId);
        if (res.status !== 200) {
          expect(after).toEqual(before);
          return;
        }
        const results = res.body.results as Array<{
          index: number;
          ok: boolean;
          id?: string;
          duplicate?: boolean;
          error?: { status: number };
        }>;
        if (batch) expect(results).toHaveLength(batch.length);
        expect(results.map((r) => r.index)).toEqual(results.map((_, i) => i));
        for (const r of results) {
          note(`batch-item:${r.ok ? 200 : (r.error?.status ?? 0)}`);
          if (!r.ok) expect(r.error?.status).toBeLessThan(500);
        }
        const items = (JSON.parse(raw) as { batch: unknown[] }).batch;
        const isTrack = (i: number) => (items[i] as { type?: unknown } | null)?.type === "track";
        const newTracks = results.filter((r) => r.ok && !r.duplicate && isTrack(r.index));
        expect(after.events - before.events).toBe(newTracks.length);
        const ok = results.filter((r) => r.ok);
        expect(after.contacts - before.contacts).toBeLessThanOrEqual(ok.length);
        expect(after.subscriptions - before.subscriptions).toBeLessThanOrEqual(ok.length);
        expect(
          await eventsExist([...new Set(results.filter((r) => r.ok && isTrack(r.index)).map((r) => r.id!))]),
        ).toBe(new Set(results.filter((r) => r.ok && isTrack(r.index)).map((r) => r.id)).size);
      }),
      { numRuns: 700, seed: 20260503 },
    );
    expectBothOutcomes("batch-item", 700);
  });
});
