import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeResend, type FakeResend } from "./fake-resend-server";

let fake: FakeResend;
beforeAll(async () => {
  fake = await startFakeResend();
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

const email = { from: "a@shop.example", to: "b@example.com", subject: "Hi", html: "<p>Hi</p>" };

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${fake.url}${path}`, {
    method: "POST",
    headers: { authorization: "Bearer re_123", "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("fake Resend server", () => {
  it("answers Resend's shapes for single and batch sends, and serves the email back", async () => {
    const single = await post("/emails", email);
    expect(single.status).toBe(200);
    const { id } = (await single.json()) as { id: string };
    const batch = await post("/emails/batch", [email, { ...email, to: ["c@example.com"] }]);
    const body = (await batch.json()) as { data: { id: string }[] };
    expect(body.data).toHaveLength(2);
    const got = await fetch(`${fake.url}/emails/${id}`, { headers: { authorization: "Bearer re_123" } });
    expect(await got.json()).toMatchObject({ object: "email", id, subject: "Hi", to: ["b@example.com"] });
    expect(fake.received()).toHaveLength(3);
  });

  it("requires a Bearer key", async () => {
    const res = await fetch(`${fake.url}/emails`, { method: "POST", body: JSON.stringify(email) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ statusCode: 401, name: "missing_api_key" });
    const wrong = await post("/emails", email, { authorization: "Bearer nope" });
    expect(wrong.status).toBe(403);
  });

  it("replays the same key and body, refuses the same key with another body", async () => {
    const a = (await (await post("/emails", email, { "idempotency-key": "k" })).json()) as { id: string };
    const b = (await (await post("/emails", email, { "idempotency-key": "k" })).json()) as { id: string };
    expect(b.id).toBe(a.id);
    const c = await post("/emails", { ...email, subject: "Other" }, { "idempotency-key": "k" });
    expect(c.status).toBe(409);
    expect(await c.json()).toMatchObject({ name: "invalid_idempotent_request" });
    expect(fake.countsByIdempotencyKey()).toEqual({ k: 1 });
  });

  it("counts accepted emails by tag across single and batch sends, not replays", async () => {
    const tagged = (id: string) => ({ ...email, tags: [{ name: "message_id", value: id }] });
    await post("/emails", tagged("m1"), { "idempotency-key": "m1" });
    await post("/emails/batch", [tagged("m2"), tagged("m3")], { "idempotency-key": "b" });
    await post("/emails/batch", [tagged("m2"), tagged("m3")], { "idempotency-key": "b" });
    await post("/emails", tagged("m3"));
    expect(fake.countsByTag("message_id")).toEqual({ m1: 1, m2: 1, m3: 2 });
  });

  it("validates batches and emails like Resend", async () => {
    expect(
      (
        await post(
          "/emails/batch",
          Array.from({ length: 101 }, () => email),
        )
      ).status,
    ).toBe(422);
    expect((await post("/emails", { ...email, to: "nope" })).status).toBe(422);
    expect((await post("/emails", { ...email, tags: [{ name: "a b", value: "x" }] })).status).toBe(422);
    const permissive = await post("/emails/batch", [email, { ...email, subject: "" }], {
      "x-batch-validation": "permissive",
    });
    expect(await permissive.json()).toMatchObject({
      data: [{ id: expect.any(String) as string }],
      errors: [{ index: 1 }],
    });
  });

  it("fails the next requests on demand, with Retry-After on 429", async () => {
    fake.failNext(2, 429, 5);
    const first = await post("/emails", email);
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("5");
    expect((await post("/emails", email)).status).toBe(429);
    expect((await post("/emails", email)).status).toBe(200);
    expect(fake.received()).toHaveLength(1);
  });
});
