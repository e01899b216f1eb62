import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createResendEmailProvider, resendErrorResult, retryAfterMs, toResendTags } from "./email-resend";
import { startFakeResend, type FakeResend } from "@/server/testing/fake-resend-server";
import type { EmailBatchItem, EmailMessage } from "./types";

let fake: FakeResend;

beforeAll(async () => {
  fake = await startFakeResend({ apiKey: "re_test_key" });
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

const provider = () =>
  createResendEmailProvider({ apiKey: "re_test_key", baseUrl: `${fake.url}/`, timeoutMs: 2_000 });

function message(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    from: "Leaf & Kettle <hello@leafandkettle.example>",
    to: "maya@example.com",
    subject: "Your cart is waiting",
    html: "<p>Hi Maya</p>",
    text: "Hi Maya",
    category: "marketing",
    unsubscribeUrl: "https://app.tidings.example/u/token-1",
    tags: {
      workspace_id: "ws-1",
      flow_id: "flow-1",
      node_id: "n3",
      message_id: "6f1c0e1e-0000-4000-8000-000000000001",
    },
    ...overrides,
  };
}

describe("Resend provider", () => {
  it("sends with the idempotency key, tags and one-click unsubscribe headers", async () => {
    const result = await provider().send(message(), { idempotencyKey: "msg-1" });
    expect(result).toEqual({ ok: true, providerMessageId: expect.any(String) as string });
    const [email] = fake.received();
    expect(email?.idempotencyKey).toBe("msg-1");
    expect(email?.headers).toEqual({
      "List-Unsubscribe": "<https://app.tidings.example/u/token-1>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(email?.tags).toEqual([
      { name: "workspace_id", value: "ws-1" },
      { name: "flow_id", value: "flow-1" },
      { name: "node_id", value: "n3" },
      { name: "message_id", value: "6f1c0e1e-0000-4000-8000-000000000001" },
    ]);
  });

  it("puts no unsubscribe headers on transactional mail, even if the caller passed some", async () => {
    const result = await provider().send(
      message({
        category: "transactional",
        headers: { "List-Unsubscribe": "<https://evil.example>", "X-Entity-Ref-ID": "order-1042" },
      }),
      { idempotencyKey: "msg-tx" },
    );
    expect(result.ok).toBe(true);
    const headers = fake.received()[0]?.headers ?? {};
    expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain("list-unsubscribe");
    expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain("list-unsubscribe-post");
    expect(headers["X-Entity-Ref-ID"]).toBe("order-1042");
  });

  it("refuses marketing mail without an unsubscribe link, without calling Resend", async () => {
    const result = await provider().send(message({ unsubscribeUrl: undefined }), { idempotencyKey: "msg-2" });
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(fake.requests()).toHaveLength(0);
  });

  it("is idempotent: the same message sent twice with the same key is recorded once", async () => {
    const p = provider();
    const first = await p.send(message(), { idempotencyKey: "msg-3" });
    const second = await p.send(message(), { idempotencyKey: "msg-3" });
    expect(first.ok && second.ok).toBe(true);
    expect(second).toEqual(first);
    expect(fake.received()).toHaveLength(1);
    expect(fake.countsByIdempotencyKey()).toEqual({ "msg-3": 1 });
    expect(fake.requests().map((r) => r.replayed)).toEqual([false, true]);
  });

  it("a retry after a lost answer gets the first id and sends nothing new", async () => {
    const p = provider();
    fake.dropNext(1);
    const lost = await p.send(message(), { idempotencyKey: "msg-4" });
    expect(lost).toMatchObject({ ok: false, retryable: true });
    expect(fake.received()).toHaveLength(1);
    const retry = await p.send(message(), { idempotencyKey: "msg-4" });
    expect(retry).toEqual({ ok: true, providerMessageId: fake.received()[0]?.id });
    expect(fake.received()).toHaveLength(1);
  });

  it("reports 429 as retryable with the Retry-After delay", async () => {
    fake.failNext(1, 429, 7);
    const result = await provider().send(message(), { idempotencyKey: "msg-5" });
    expect(result).toMatchObject({ ok: false, retryable: true, retryAfterMs: 7_000 });
    expect(fake.received()).toHaveLength(0);
    // The next attempt goes through.
    expect((await provider().send(message(), { idempotencyKey: "msg-5" })).ok).toBe(true);
  });

  it("reports 5xx as retryable and validation errors as final", async () => {
    fake.failNext(1, 500);
    expect(await provider().send(message(), { idempotencyKey: "msg-6" })).toMatchObject({
      ok: false,
      retryable: true,
    });
    const invalid = await provider().send(message({ to: "not-an-address" }), { idempotencyKey: "msg-7" });
    expect(invalid).toMatchObject({ ok: false, retryable: false });
    expect(invalid.ok ? "" : invalid.error).toContain("validation_error");
  });

  it("reports the same key with a different body as final (409)", async () => {
    const p = provider();
    expect((await p.send(message(), { idempotencyKey: "msg-8" })).ok).toBe(true);
    const changed = await p.send(message({ subject: "Something else" }), { idempotencyKey: "msg-8" });
    expect(changed).toMatchObject({ ok: false, retryable: false });
    expect(changed.ok ? "" : changed.error).toContain("invalid_idempotent_request");
    expect(fake.received()).toHaveLength(1);
  });

  it("reports a wrong API key as final", async () => {
    const p = createResendEmailProvider({ apiKey: "re_wrong", baseUrl: fake.url });
    expect(await p.send(message(), { idempotencyKey: "msg-9" })).toMatchObject({
      ok: false,
      retryable: false,
    });
  });

  it("returns a retryable error, not a throw, when the server does not answer in time", async () => {
    fake.hangNext(1);
    const p = createResendEmailProvider({ apiKey: "re_test_key", baseUrl: fake.url, timeoutMs: 200 });
    const result = await p.send(message(), { idempotencyKey: "msg-10" });
    expect(result).toMatchObject({ ok: false, retryable: true });
  });

  it("makes tags acceptable to Resend", async () => {
    const result = await provider().send(message({ tags: { "flow id": "Spring sale / 2025", empty: "" } }), {
      idempotencyKey: "msg-11",
    });
    expect(result.ok).toBe(true);
    expect(fake.received()[0]?.tags).toEqual([{ name: "flow_id", value: "Spring_sale___2025" }]);
  });
});

describe("Resend provider, batches", () => {
  const items = (n: number, prefix = "b"): EmailBatchItem[] =>
    Array.from({ length: n }, (_, i) => ({
      ...message({ to: `c${i}@example.com` }),
      idempotencyKey: `${prefix}-${i}`,
    }));

  it("splits 250 emails into 100 + 100 + 50 and answers one id per email, in order", async () => {
    const results = await provider().sendBatch(items(250));
    expect(fake.requests().map((r) => [r.path, r.emails])).toEqual([
      ["/emails/batch", 100],
      ["/emails/batch", 100],
      ["/emails/batch", 50],
    ]);
    expect(results).toHaveLength(250);
    const received = fake.received();
    results.forEach((r, i) => {
      expect(r).toEqual({ ok: true, providerMessageId: received[i]?.id });
      expect(received[i]?.to).toEqual([`c${i}@example.com`]);
    });
    expect(new Set(received.map((e) => e.id)).size).toBe(250);
  });

  it("retrying the same batch sends nothing twice", async () => {
    const batch = items(120);
    const first = await provider().sendBatch(batch);
    const second = await provider().sendBatch(batch);
    expect(second).toEqual(first);
    expect(fake.received()).toHaveLength(120);
  });

  it("a 429 marks the chunk and the rest of the call retryable with the delay, unsent", async () => {
    const p = provider();
    await p.sendBatch(items(10, "warm"));
    fake.reset();
    fake.failNext(1, 429, 3);
    const results = await p.sendBatch(items(150));
    expect(fake.requests()).toHaveLength(1);
    for (const r of results) expect(r).toMatchObject({ ok: false, retryable: true, retryAfterMs: 3_000 });
  });

  it("isolates an invalid email: the others go out, the bad one fails for good", async () => {
    const batch = items(5);
    const bad = batch[2];
    if (!bad) throw new Error("no item");
    bad.to = "broken";
    const results = await provider().sendBatch(batch);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true, true]);
    expect(results[2]).toMatchObject({ ok: false, retryable: false });
    expect(fake.received().map((e) => e.to[0])).toEqual([
      "c0@example.com",
      "c1@example.com",
      "c3@example.com",
      "c4@example.com",
    ]);
  });

  it("fails marketing emails without an unsubscribe link on their own", async () => {
    const batch = items(3);
    const bad = batch[1];
    if (!bad) throw new Error("no item");
    delete bad.unsubscribeUrl;
    const results = await provider().sendBatch(batch);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(fake.requests().map((r) => r.emails)).toEqual([2]);
  });
});

describe("Resend provider, network errors", () => {
  it("returns a retryable error, not a throw, when the server is gone", async () => {
    const gone = await startFakeResend();
    const url = gone.url;
    await gone.close();
    const p = createResendEmailProvider({ apiKey: "re_test_key", baseUrl: url });
    await expect(p.send(message(), { idempotencyKey: "net-1" })).resolves.toMatchObject({
      ok: false,
      retryable: true,
    });
    const batch = await p.sendBatch([{ ...message(), idempotencyKey: "net-2" }]);
    expect(batch).toEqual([expect.objectContaining({ ok: false, retryable: true })]);
  });
});

describe("Resend error mapping", () => {
  it("reads Retry-After in seconds or as a date, then ratelimit-reset", () => {
    expect(retryAfterMs({ "retry-after": "2" })).toBe(2_000);
    expect(
      retryAfterMs(
        { "retry-after": "Wed, 21 Oct 2015 07:28:10 GMT" },
        Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"),
      ),
    ).toBe(10_000);
    expect(retryAfterMs({ "ratelimit-reset": "4" })).toBe(4_000);
    expect(retryAfterMs({})).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it("treats quotas and idempotency conflicts right", () => {
    expect(
      resendErrorResult({ name: "monthly_quota_exceeded", statusCode: 429, message: "" }, {}),
    ).toMatchObject({ retryable: false });
    expect(
      resendErrorResult(
        { name: "daily_quota_exceeded", statusCode: 429, message: "" },
        { "retry-after": "60" },
      ),
    ).toMatchObject({
      retryable: true,
      retryAfterMs: 60_000,
    });
    expect(
      resendErrorResult({ name: "concurrent_idempotent_requests", statusCode: 409, message: "" }, {}),
    ).toMatchObject({
      retryable: true,
    });
    expect(
      resendErrorResult(
        { name: "application_error", statusCode: null, message: "Unable to fetch data." },
        null,
      ),
    ).toMatchObject({
      retryable: true,
    });
  });

  it("sanitises tags", () => {
    expect(toResendTags({ "a b": "ü/1" })).toEqual([{ name: "a_b", value: "__1" }]);
    expect(toResendTags({})).toBeUndefined();
  });
});
