/**
 * The classes of input that once gave a 500, each answered with a 4xx naming the field and
 * nothing written: NUL and lone surrogates wherever text enters, dates Postgres cannot store,
 * integers past their column, forged click tokens, deep batches, Liquid file-system tags;
 * and the ingest rules: JSON in UTF-8 only, canonical properties named, identify by email.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp } from "@/server/testing/fixtures";
import { deeplyNested, tableCounts } from "@/server/testing/fuzz";
import {
  handleBatch,
  handleIdentify,
  handleProductPut,
  handleShopifyWebhook,
  handleTrack,
} from "@/server/ingest/handlers";
import { handlePushSubscribe } from "@/server/ingest/push-handlers";
import { apiRequest, createShop, reply, type ErrorBody } from "@/server/testing/ingest-requests";
import { handleClick, signLink } from "@/server/analytics/tracking";
import { validateGraph } from "@/server/engine/validate";
import { flowTemplates } from "@/server/engine/templates";

let t: TestDb;
let shop: Awaited<ReturnType<typeof createShop>>;

beforeAll(async () => {
  t = await createTestDb();
  shop = await createShop(t.db, "Classes");
});
afterAll(() => t.close());

const fieldErrors = (res: Awaited<ReturnType<typeof callHttp>>) =>
  res.body.error?.json.data.fieldErrors ?? {};

describe(`NUL and lone surrogates are refused where text enters (${testDriver()})`, () => {
  it("tRPC: contact search and filters, preview contact search, names, and free-form drafts", async () => {
    const flow = await shop.caller.flows.create({ name: "Draft" });
    const before = await tableCounts(t.db);
    const cases: Array<[string, unknown, string, "query" | "mutation"]> = [
      ["contacts.list", { search: "a\u0000" }, "search", "query"],
      ["contacts.list", { hasProperty: "\ud800" }, "hasProperty", "query"],
      ["contacts.list", { didEvent: "x\u0000" }, "didEvent", "query"],
      ["preview.contacts", { search: "\u0000" }, "search", "query"],
      ["flows.create", { name: "N\u0000" }, "name", "mutation"],
      [
        "flows.saveDraft",
        { id: flow.id, graph: { nodes: [{ id: "\u0000" }] }, baseRevision: 1 },
        "graph.nodes.0.id",
        "mutation",
      ],
      ["contacts.importCsv", { csv: "email\n\u0000@x.com" }, "csv", "mutation"],
    ];
    for (const [path, input, field, method] of cases) {
      const res = await callHttp(t.db, shop.user, path, input, method);
      expect(res.status, path).toBe(400);
      expect(Object.keys(fieldErrors(res)), path).toEqual([field]);
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("ingest: push subscription endpoint, Shopify workspace slug, store product id", async () => {
    const before = await tableCounts(t.db);
    const push = await reply<ErrorBody>(
      handlePushSubscribe(
        t.db,
        apiRequest("/api/v1/push/subscriptions", {
          key: shop.publishableKey,
          body: {
            anonymousId: "a1",
            subscription: {
              endpoint: "https://push.example.com/a\u0000b",
              keys: { p256dh: `B${"A".repeat(86)}`, auth: "A".repeat(22) },
            },
          },
        }),
      ),
    );
    expect(push.status).toBe(400);
    expect(push.body.error.issues.map((i) => i.path)).toContain("subscription.endpoint");
    const shopify = await handleShopifyWebhook(
      t.db,
      apiRequest("/api/webhooks/shopify/x", { body: {} }),
      "a\u0000b",
    );
    expect(shopify.status).toBe(404);
    const product = await reply<ErrorBody>(
      handleProductPut(
        t.db,
        apiRequest("/api/v1/products/x", { method: "PUT", key: shop.secretKey, body: { title: "Mug" } }),
        "p\u0000",
      ),
    );
    expect(product.status).toBe(400);
    expect(product.body.error.issues[0]?.path).toBe("id");
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe(`dates and integers are bounded by what the columns hold (${testDriver()})`, () => {
  it("analytics and dashboard ranges refuse years Postgres cannot store, naming the field", async () => {
    const flow = await shop.caller.flows.create({ name: "Ranges" });
    for (const day of ["0000-01-01", "0001-01-01", "9999-12-31"]) {
      const stats = await callHttp(
        t.db,
        shop.user,
        "analytics.flowStats",
        { flowId: flow.id, from: day },
        "query",
      );
      expect(stats.status, day).toBe(400);
      expect(Object.keys(fieldErrors(stats))).toEqual(["from"]);
      const summary = await callHttp(
        t.db,
        shop.user,
        "dashboard.summary",
        { flowId: flow.id, days: 90, to: day },
        "query",
      );
      expect(summary.status, day).toBe(400);
      expect(Object.keys(fieldErrors(summary))).toEqual(["to"]);
    }
    const fine = await callHttp(
      t.db,
      shop.user,
      "dashboard.summary",
      { flowId: flow.id, days: 90, to: "1970-01-01" },
      "query",
    );
    expect(fine.status).toBe(200);
  });

  it("baseRevision ≥ 2³¹ and a product price past the 32-bit cents column are 400s", async () => {
    const flow = await shop.caller.flows.create({ name: "Big" });
    const full = await shop.caller.flows.get({ id: flow.id });
    const save = await callHttp(t.db, shop.user, "flows.saveDraft", {
      id: flow.id,
      graph: full.draftGraph,
      baseRevision: 2 ** 31,
    });
    expect(save.status).toBe(400);
    expect(Object.keys(fieldErrors(save))).toEqual(["baseRevision"]);
    const put = (price: number) =>
      reply<ErrorBody>(
        handleProductPut(
          t.db,
          apiRequest("/api/v1/products/big", {
            method: "PUT",
            key: shop.secretKey,
            body: { title: "Big", price },
          }),
          "big",
        ),
      );
    const tooBig = await put(21474836.48);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.issues[0]?.path).toBe("price");
    expect((await put(21474836.47)).status).toBe(201);
  });
});

describe(`forged click tokens (${testDriver()})`, () => {
  const key = "k".repeat(32);
  const click = (m: string, u: string) =>
    handleClick(t.db, {
      token: signLink({ m, u }, "another key of 32 bytes or so..."),
      key,
      appUrl: "https://shop.example.com",
      now: new Date(),
    });

  it("a message id that is not a uuid, or a URL with CR/LF, is a 400, never a throw", async () => {
    expect((await click("------------------------------------", "https://elsewhere.example/")).status).toBe(
      400,
    );
    expect((await click("not-a-uuid", "https://shop.example.com/x")).status).toBe(302);
    expect(
      (await click("00000000-0000-0000-0000-000000000000", "https://shop.example.com/\r\nSet-Cookie: a=b"))
        .status,
    ).toBe(400);
    const unicode = await click("x", "https://shop.example.com/café");
    expect(unicode).toMatchObject({ status: 302, location: "https://shop.example.com/caf%C3%A9" });
    if (unicode.status === 302) expect(() => new Headers({ location: unicode.location })).not.toThrow();
  });
});

describe(`ingest bodies (${testDriver()})`, () => {
  const post = (
    handler: typeof handleTrack,
    body: BodyInit,
    contentType: string | null = "application/json",
  ) =>
    reply<ErrorBody>(
      handler(
        t.db,
        new Request("http://shop.test/api/v1/x", {
          method: "POST",
          body,
          headers: {
            authorization: `Bearer ${shop.secretKey}`,
            ...(contentType && { "content-type": contentType }),
          },
        }),
      ),
    );
  const signUp = JSON.stringify({ userId: "u1", event: "Signed Up" });

  it("require a JSON Content-Type (415) and refuse bytes that are not UTF-8 (400), writing nothing", async () => {
    const before = await tableCounts(t.db);
    for (const handler of [handleTrack, handleIdentify, handleBatch]) {
      expect((await post(handler, signUp, "text/plain")).status).toBe(415);
      expect((await post(handler, signUp, null)).status).toBe(415);
      expect((await post(handler, signUp, "application/json; charset=latin1")).status).toBe(415);
    }
    const bad = await post(
      handleTrack,
      Buffer.concat([
        Buffer.from('{"userId":"u1","event":"'),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('"}'),
      ]),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/UTF-8/);
    expect((await post(handleTrack, Buffer.from([0xff, 0xfe, 0x7b]))).status).toBe(400);
    expect(await tableCounts(t.db)).toEqual(before);
    expect((await post(handleTrack, signUp, "application/json; charset=UTF-8")).status).toBe(200);
  });

  it("a canonical event with a null or missing required property names it and says why", async () => {
    const missing = await post(
      handleTrack,
      JSON.stringify({ userId: "u1", event: "Viewed Product", properties: {} }),
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues).toEqual([
      { path: "properties.product_id", message: 'Required: "Viewed Product" events carry product_id' },
    ]);
    const nulled = await post(
      handleTrack,
      JSON.stringify({ userId: "u1", event: "Placed Order", properties: { order_id: null } }),
    );
    expect(nulled.body.error.issues[0]?.path).toBe("properties.order_id");
    expect(nulled.body.error.issues[0]?.message).toMatch(/null/);
  });

  it("identify accepts traits.email alone, as the OpenAPI text says", async () => {
    const res = await reply<{ id: string }>(
      handleIdentify(
        t.db,
        apiRequest("/api/v1/identify", {
          key: shop.secretKey,
          body: { traits: { email: "Only@Example.com" } },
        }),
      ),
    );
    expect(res.status).toBe(200);
    const again = await reply<{ id: string }>(
      handleIdentify(
        t.db,
        apiRequest("/api/v1/identify", {
          key: shop.secretKey,
          body: { traits: { email: "only@example.com", first_name: "O" } },
        }),
      ),
    );
    expect(again.body.id).toBe(res.body.id);
    const none = await reply<ErrorBody>(
      handleIdentify(t.db, apiRequest("/api/v1/identify", { key: shop.secretKey, body: { traits: {} } })),
    );
    expect(none.status).toBe(400);
  });

  it("a batch over 32 KB nested 20,000 deep is answered per item, without overflowing the stack", async () => {
    const before = await tableCounts(t.db);
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const raw = `{"batch":[{"type":"track","userId":"u1","event":"Signed Up","properties":{"x":${deep}}}]}`;
    const res = await reply<{ results: Array<{ ok: boolean; error?: { status: number } }> }>(
      handleBatch(t.db, apiRequest("/api/v1/batch", { key: shop.secretKey, body: raw })),
    );
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ ok: false, error: { status: 413 } });
    expect(await tableCounts(t.db)).toEqual(before);
    expect(deeplyNested(3)).toEqual({ a: [{ a: "bottom" }] });
  });
});

describe(`Liquid file-system tags (${testDriver()})`, () => {
  it("preview reports include/render/layout as a problem instead of failing, and the validator refuses them", async () => {
    for (const tag of ["include 'x'", "render 'y'", "layout 'z'"]) {
      const res = await callHttp(
        t.db,
        shop.user,
        "preview.sms",
        { content: { body: `Hi {% ${tag} %}` } },
        "query",
      );
      expect(res.status, tag).toBe(200);
      expect(JSON.stringify(res.body)).toMatch(/is not available in messages/);
    }
    const template = flowTemplates()[0]!.graph as unknown as {
      nodes: Array<{ id: string; kind: string; config: Record<string, unknown> }>;
    };
    expect(validateGraph(template)).toEqual([]);
    const graph = structuredClone(template);
    const email = graph.nodes.find((n) => n.kind === "email")!;
    email.config.subject = "Hello {%- include 'header' -%}";
    const issues = validateGraph(graph);
    expect(issues.map((i) => i.nodeId)).toEqual([email.id]);
    expect(issues[0]?.message).toMatch(/include %} is not available/);
  });
});
