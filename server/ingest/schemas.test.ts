import { describe, expect, it } from "vitest";
import { IdentifyRequest, parseBatchItem, ProductInput, toIssues, TrackRequest } from "./schemas";
import { jsonProblems, MAX_JSON_DEPTH } from "./json-value";

const paths = (result: { success: boolean; error?: Parameters<typeof toIssues>[0] }) =>
  result.success ? [] : toIssues(result.error!).map((i) => i.path);

describe("track messages", () => {
  it("normalizes a Segment track call", () => {
    const parsed = TrackRequest.parse({
      type: "track",
      userId: 42,
      anonymousId: null,
      event: " Placed Order ",
      messageId: "m-1",
      timestamp: "2026-01-02T03:04:05+02:00",
      context: { timezone: "Europe/Berlin", ip: "1.2.3.4" },
      properties: { order_id: 1001, value: 12.5, currency: "eur", coupon: "WELCOME" },
      integrations: { All: true },
    });
    expect(parsed).toEqual({
      type: "track",
      userId: "42",
      event: "Placed Order",
      messageId: "m-1",
      timestamp: new Date("2026-01-02T01:04:05Z"),
      timezone: "Europe/Berlin",
      properties: { order_id: "1001", value: 12.5, currency: "EUR", coupon: "WELCOME" },
    });
  });

  it("keeps the demo shop's property shapes valid", () => {
    const item = {
      product_id: "cof-kenya",
      title: "Kenya Nyeri AA, 340 g",
      price: 21.9,
      quantity: 2,
      category: "Coffee",
      url: "/store/demo/products/cof-kenya",
      image_url: "/store/demo/images/cof-kenya.svg",
    };
    const cases: Array<[string, Record<string, unknown>]> = [
      ["Signed Up", { source: "popup" }],
      ["Viewed Product", { ...item, quantity: undefined }],
      ["Added to Cart", { cart_id: "cart_1_0", ...item }],
      [
        "Started Checkout",
        {
          cart_id: "cart_1_0",
          items: [item],
          value: 43.8,
          currency: "USD",
          checkout_url: "/store/demo/checkout/cart_1_0",
        },
      ],
      [
        "Placed Order",
        { order_id: "ord_1_0", cart_id: "cart_1_0", items: [item], value: 43.8, currency: "USD" },
      ],
      [
        "Order Shipped",
        { order_id: "ord_1_0", carrier: "UPS", tracking_url: "https://tracking.example.com/ord_1_0" },
      ],
      ["Order Delivered", { order_id: "ord_1_0" }],
      ["Review Submitted", { order_id: "ord_1_0", product_id: "cof-kenya", rating: 5 }],
    ];
    for (const [event, properties] of cases)
      expect(TrackRequest.safeParse({ userId: "u", event, properties }).success, event).toBe(true);
  });

  it("names the field at fault", () => {
    expect(
      paths(
        TrackRequest.safeParse({
          userId: "u",
          event: "Placed Order",
          properties: { order_id: "o", items: [{ quantity: 1.5 }] },
        }),
      ),
    ).toEqual(["properties.items.0.quantity"]);
    expect(paths(TrackRequest.safeParse({ event: "x" }))).toEqual(["userId"]);
    expect(
      paths(TrackRequest.safeParse({ userId: "u", event: "x", properties: { a: { b: "\u0000" } } })),
    ).toEqual(["properties.a.b"]);
  });

  it("refuses timestamps that are not real, too old or too far ahead", () => {
    for (const timestamp of [
      "2026-02-29T00:00:00Z",
      "1960-01-01T00:00:00Z",
      "3000-01-01T00:00:00Z",
      "2026-01-01",
    ]) {
      expect(paths(TrackRequest.safeParse({ userId: "u", event: "x", timestamp })), timestamp).toEqual([
        "timestamp",
      ]);
    }
    expect(
      TrackRequest.safeParse({ userId: "u", event: "x", timestamp: "2024-02-29T23:59:59.999-05:00" }).success,
    ).toBe(true);
  });
});

describe("identify messages", () => {
  it("splits traits into contact columns and properties", () => {
    const parsed = IdentifyRequest.parse({
      userId: "u1",
      traits: {
        email: " Ann@Example.COM ",
        first_name: "Ann",
        lastName: "Lee",
        phone: "+1 (555) 010-2000",
        country: "gb",
        birthday: "1990-05-17T00:00:00Z",
        sms_consent: "subscribed",
        plan: "gold",
      },
    });
    expect(parsed.traits).toEqual({
      email: "ann@example.com",
      firstName: "Ann",
      lastName: "Lee",
      phone: "+15550102000",
      country: "GB",
      birthday: "1990-05-17",
      smsConsent: "subscribed",
      properties: { plan: "gold" },
    });
  });

  it("prefers camelCase names and passes nulls through to clear a field", () => {
    expect(
      IdentifyRequest.parse({ userId: "u", traits: { firstName: "A", first_name: "B", email: null } }).traits,
    ).toEqual({ firstName: "A", email: null, properties: {} });
  });
});

describe("batch items", () => {
  it("dispatches on type and prefixes paths with the index", () => {
    expect(parseBatchItem({ type: "page" }, 4)).toEqual({
      ok: false,
      issues: [{ path: "batch.4.type", message: 'Must be "track" or "identify"' }],
    });
    expect(parseBatchItem([1], 0)).toMatchObject({ ok: false, issues: [{ path: "batch.0" }] });
    expect(parseBatchItem({ type: "track", userId: "u" }, 2)).toMatchObject({
      ok: false,
      issues: [{ path: "batch.2.event" }],
    });
    expect(parseBatchItem({ type: "identify", userId: "u" }, 1)).toMatchObject({
      ok: true,
      message: { type: "identify", userId: "u" },
    });
  });

  it("gives messages without a context the batch's context", () => {
    const parsed = parseBatchItem({ type: "track", userId: "u", event: "x" }, 0, { timezone: "Asia/Tokyo" });
    expect(parsed).toMatchObject({ ok: true, message: { timezone: "Asia/Tokyo" } });
  });
});

describe("products", () => {
  it("reports an unknown field at its own path", () => {
    expect(paths(ProductInput.safeParse({ title: "T", inventroy: 1, colour: "red" }))).toEqual([
      "inventroy",
      "colour",
    ]);
  });
});

describe("free-form JSON", () => {
  it("finds NULs, unpaired surrogates and deep nesting", () => {
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_JSON_DEPTH; i++) deep = [deep];
    expect(
      jsonProblems({ ok: "fine 😀", bad: "\ud83d", list: ["x", "\u0000"], ["k\u0000"]: 1, deep }).map((p) =>
        p.path.join("."),
      ),
    ).toEqual(["bad", "list.1", "k\u0000", `deep${".0".repeat(MAX_JSON_DEPTH - 1)}`]);
  });
});
