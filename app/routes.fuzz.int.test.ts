/**
 * Fuzzing every route handler: the `app/**\/route.ts` files are found on disk (a new route is
 * covered without editing this file) and each exported method is called with generated
 * requests — hostile path params, headers, bodies (mutated valid JSON, hostile JSON, bytes
 * that are not UTF-8, wrong content types). Every answer must be a Response below 500, and a
 * refused request must leave every table's row count as it was. The process database is the
 * test database, so the handlers run exactly as the server runs them.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { hostileValue, mutated, tableCounts } from "@/server/testing/fuzz";
import { createShop } from "@/server/testing/ingest-requests";
import { badPathResponse, pathProblem } from "@/server/http/path-guard";

const APP = path.resolve(import.meta.dirname);
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => unknown;
interface Route {
  file: string;
  /** The URL path pattern, route groups removed: `/api/v1/products/[id]`. */
  pattern: string;
  params: string[];
  handlers: Array<[string, Handler]>;
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

let t: TestDb;
let shop: Awaited<ReturnType<typeof createShop>>;
const routes: Route[] = [];
const DB_KEY = Symbol.for("tidings.db");
let previousDb: unknown;

beforeAll(async () => {
  // The webhooks answer 503 until they are configured; configured, their whole path is fuzzed.
  process.env.RESEND_WEBHOOK_SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
  process.env.TWILIO_AUTH_TOKEN = "fuzz-auth-token";
  t = await createTestDb();
  const g = globalThis as Record<symbol, unknown>;
  previousDb = g[DB_KEY];
  g[DB_KEY] = Promise.resolve(t);
  shop = await createShop(t.db, "Route fuzz");
  for (const file of routeFiles(APP)) {
    const segments = path
      .relative(APP, path.dirname(file))
      .split(path.sep)
      .filter((s) => s && !/^\(.*\)$/.test(s));
    const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
    routes.push({
      file: path.relative(APP, file),
      pattern: `/${segments.join("/")}`,
      params: segments.filter((s) => s.startsWith("[")).map((s) => s.replace(/^\[(\.\.\.)?|\]$/g, "")),
      handlers: METHODS.filter((m) => typeof mod[m] === "function").map((m) => [m, mod[m] as Handler]),
    });
  }
  // One plain call of each handler first: secrets created on first use are not the fuzz's doing.
  for (const route of routes)
    for (const [method, handler] of route.handlers)
      await Promise.resolve(
        handler(new Request(`http://127.0.0.1:3000${route.pattern}`, { method }), {
          params: Promise.resolve(Object.fromEntries(route.params.map((p) => [p, "x"]))),
        }),
      ).catch(() => {});
});
afterAll(async () => {
  (globalThis as Record<symbol, unknown>)[DB_KEY] = previousDb;
  await t.close();
});

// ---------------------------------------------------------------- generated requests

const sampleBodies: unknown[] = [
  { userId: "u1", event: "Viewed Product", properties: { product_id: "p1", price: 10 } },
  { userId: "u1", event: "Placed Order", properties: { order_id: "o1", value: 20, items: [] } },
  { anonymousId: "a1", traits: { email: "a@example.com", first_name: "Ann" } },
  {
    batch: [
      { type: "track", userId: "u2", event: "Signed Up" },
      { type: "identify", userId: "u2" },
    ],
  },
  { title: "Mug", price: 12.5, inventory: 3, currency: "USD" },
  {
    subscription: {
      endpoint: "https://push.example.com/s/1",
      keys: { p256dh: "B".padEnd(87, "A"), auth: "AAAAAAAAAAAAAAAAAAAAAA" },
    },
    anonymousId: "a1",
  },
  { endpoint: "https://push.example.com/s/1" },
  { email: "fuzz@example.com", password: "correct horse battery", name: "Fuzz" },
  { type: "email.delivered", data: { email_id: "00000000-0000-0000-0000-000000000000" } },
  { id: 1, email: "a@example.com", line_items: [], total_price: "10.00" },
];

const paramValue = fc.oneof(
  fc.constantFrom("x", "demo", "p1", "00000000-0000-0000-0000-000000000000", "a.b", "a.svg", "%ZZ", "%25"),
  fc.string({ unit: "binary", maxLength: 30 }),
  hostileValue().map((v) => (typeof v === "string" ? v : JSON.stringify(v).slice(0, 200))),
);

const authorization = fc.constantFrom<(() => string) | null>(
  null,
  () => `Bearer ${shop.secretKey}`,
  () => `Bearer ${shop.publishableKey}`,
  () => "Bearer tid_sk_nope",
  () => `Basic ${Buffer.from(`${shop.secretKey}:`).toString("base64")}`,
  () => "Bearer \u00ff\u00fe",
);

const contentType = fc.constantFrom<string | null>(
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/json; charset=latin1",
  null,
);

const body = fc.oneof(
  { weight: 5, arbitrary: mutated(fc.constantFrom(...sampleBodies)).map(jsonText) },
  { weight: 2, arbitrary: hostileValue().map(jsonText) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.concat([Buffer.from([0xff, 0xc3]), b])),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | Buffer | null>(
      null,
      "",
      "{",
      `${"[".repeat(20_000)}${"]".repeat(20_000)}`,
    ),
  },
  { weight: 1, arbitrary: fc.constant(Buffer.from('{"userId":"u1","event":"\xed\xa0\x80"}', "latin1")) },
);

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
  }
}

const query = fc.constantFrom("", "?x=%ZZ", "?input=%7B", "?token=\u0000", "?a=1&a=2");

interface Generated {
  params: Record<string, string>;
  auth: (() => string) | null;
  contentType: string | null;
  body: string | Buffer | null;
  query: string;
  extra: Record<string, string>;
}

const requestFor = (route: Route): fc.Arbitrary<Generated> =>
  fc.record({
    params: fc.record(Object.fromEntries(route.params.map((p) => [p, paramValue]))),
    auth: authorization,
    contentType,
    body,
    query,
    extra: fc.constantFrom<Record<string, string>>(
      {},
      { origin: "https://evil.example" },
      { "content-length": "99999999" },
      { "x-shopify-hmac-sha256": "AAAA", "x-shopify-topic": "orders/create", "x-shopify-webhook-id": "w1" },
      { "svix-id": "x", "svix-timestamp": "1", "svix-signature": "v1,AAAA" },
      { "x-twilio-signature": "AAAA" },
    ),
  });

/** The URL only carries the param (handlers get it decoded, as from Next); a lone surrogate has no encoding. */
function safeEncode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%EF%BF%BD";
  }
}

function buildRequest(route: Route, method: string, g: Generated): Request {
  const urlPath = route.pattern.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_, name: string) =>
    safeEncode(g.params[name] ?? "x"),
  );
  const headers = new Headers();
  const auth = g.auth?.();
  if (auth) headers.set("authorization", auth);
  if (g.contentType) headers.set("content-type", g.contentType);
  for (const [k, v] of Object.entries(g.extra)) if (k !== "content-length") headers.set(k, v);
  const hasBody = method !== "GET" && method !== "HEAD" && g.body !== null;
  const bodyInit: BodyInit | null = !hasBody
    ? null
    : typeof g.body === "string"
      ? g.body
      : new Uint8Array(g.body!);
  return new Request(`http://127.0.0.1:3000${urlPath}${g.query}`, { method, headers, body: bodyInit });
}

const settings = (seed: number): fc.Parameters<[Generated]> => ({
  numRuns: RUNS,
  seed,
  endOnFailure: true,
  reporter(details) {
    if (details.failed) throw details.errorInstance ?? new Error("property failed");
  },
});

// ---------------------------------------------------------------- properties

describe(`fuzzing every route handler (${testDriver()})`, () => {
  it("finds the route files", () => {
    expect(routes.map((r) => r.pattern)).toEqual(
      expect.arrayContaining(["/api/v1/track", "/api/trpc/[trpc]", "/r/[token]", "/api/v1/products/[id]"]),
    );
  });

  it(
    "answers every generated request below 500, and a refusal writes nothing",
    { timeout: 600_000 },
    async () => {
      const statuses: Record<string, number> = {};
      let counts = await tableCounts(t.db);
      let seed = 20261205;
      for (const route of routes)
        for (const [method, handler] of route.handlers) {
          await fc.assert(
            fc.asyncProperty(requestFor(route), async (g) => {
              const req = buildRequest(route, method, g);
              const label = `${method} ${route.pattern} ${req.url.slice(0, 200)} ${JSON.stringify(g).slice(0, 300)}`;
              let res: unknown;
              try {
                res = await handler(req, { params: Promise.resolve(g.params) });
              } catch (error) {
                throw new Error(`${label} threw: ${String(error)}`);
              }
              expect(res, label).toBeInstanceOf(Response);
              const status = (res as Response).status;
              await (res as Response).arrayBuffer().catch(() => null);
              statuses[`${method} ${route.pattern} ${status}`] =
                (statuses[`${method} ${route.pattern} ${status}`] ?? 0) + 1;
              expect(status, label).toBeLessThan(500);
              const after = await tableCounts(t.db);
              if (status >= 400) expect(after, label).toEqual(counts);
              counts = after;
            }),
            settings(seed++),
          );
        }
      console.log("route statuses:", statuses);
    },
  );

  it("refuses a path whose segments do not decode to storable text before any route sees it", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: "binary", maxLength: 8 }),
            fc.constantFrom("%ZZ", "%ED%A0%80", "%00", "%E2%82", "%41"),
          ),
          {
            maxLength: 5,
          },
        ),
        (segments) => {
          const pathname = `/${segments.join("/")}`;
          const problem = pathProblem(pathname);
          if (problem) {
            const res = badPathResponse(pathname, problem);
            expect(res.status).toBe(400);
            return;
          }
          for (const s of pathname.split("/")) expect(() => decodeURIComponent(s), pathname).not.toThrow();
        },
      ),
      { numRuns: 2000 },
    );
    expect(pathProblem("/contacts/%ZZ")).toBeTruthy();
    expect(pathProblem("/r/%ED%A0%80")).toBeTruthy();
    expect(pathProblem("/api/trpc/%ZZ")).toBeTruthy();
    expect(pathProblem("/store/a%00b")).toBeTruthy();
    expect(pathProblem("/store/caf%C3%A9")).toBeNull();
  });
});
