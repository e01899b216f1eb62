import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTwilioSmsProvider } from "./sms-twilio";

type Seen = { method: string; url: string; auth: string; form: URLSearchParams };
let seen: Seen[] = [];
let reply: (res: ServerResponse) => void = () => undefined;
let baseUrl = "";
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    seen.push({
      method: req.method ?? "",
      url: req.url ?? "",
      auth: req.headers.authorization ?? "",
      form: new URLSearchParams(Buffer.concat(chunks).toString("utf8")),
    });
    reply(res);
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
beforeEach(() => {
  seen = [];
});

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return (res: ServerResponse) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
}

const provider = (over: Partial<Parameters<typeof createTwilioSmsProvider>[0]> = {}) =>
  createTwilioSmsProvider({
    accountSid: "AC123",
    authToken: "secret",
    from: "+15550001111",
    baseUrl,
    timeoutMs: 1_000,
    ...over,
  });

const sms = { to: "+15557654321", body: "Your order shipped", category: "transactional" as const };

describe("Twilio SMS provider", () => {
  it("posts the message form with basic auth and returns the sid", async () => {
    reply = json(201, { sid: "SM0001", status: "queued" });
    const result = await provider({ statusCallbackUrl: "https://app.example/api/webhooks/twilio" }).send(
      sms,
      { idempotencyKey: "m-1" },
    );
    expect(result).toEqual({ ok: true, providerMessageId: "SM0001" });
    const [req] = seen;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("/2010-04-01/Accounts/AC123/Messages.json");
    expect(req?.auth).toBe(`Basic ${Buffer.from("AC123:secret").toString("base64")}`);
    expect(Object.fromEntries(req?.form ?? [])).toEqual({
      To: "+15557654321",
      From: "+15550001111",
      Body: "Your order shipped",
      StatusCallback: "https://app.example/api/webhooks/twilio",
    });
  });

  it("uses a Messaging Service when the sender is one", async () => {
    reply = json(201, { sid: "SM0002" });
    await provider({ from: "MG999" }).send(sms, { idempotencyKey: "m-2" });
    expect(seen[0]?.form.get("MessagingServiceSid")).toBe("MG999");
    expect(seen[0]?.form.has("From")).toBe(false);
  });

  it("reports an invalid number as final", async () => {
    reply = json(400, { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 });
    const result = await provider().send(sms, { idempotencyKey: "m-3" });
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok ? "" : result.error).toContain("21211");
  });

  it("reports 429 as retryable with Retry-After, and 5xx as retryable", async () => {
    reply = json(429, { code: 20429, message: "Too Many Requests" }, { "retry-after": "3" });
    expect(await provider().send(sms, { idempotencyKey: "m-4" })).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 3_000,
    });
    reply = json(503, { message: "Service unavailable" });
    expect(await provider().send(sms, { idempotencyKey: "m-5" })).toMatchObject({
      ok: false,
      retryable: true,
    });
  });

  it("retries only when the request surely never reached Twilio", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = createTwilioSmsProvider({
      accountSid: "AC1",
      authToken: "x",
      from: "+1555",
      baseUrl: `http://127.0.0.1:${port}`,
    });
    expect(await refused.send(sms, { idempotencyKey: "m-6" })).toMatchObject({ ok: false, retryable: true });
    reply = () => undefined; // never answers
    const slow = await provider({ timeoutMs: 150 }).send(sms, { idempotencyKey: "m-7" });
    expect(slow).toMatchObject({ ok: false, retryable: false });
    expect(slow.ok ? "" : slow.error).toContain("may have been sent");
  });

  it("refuses an empty message without calling Twilio", async () => {
    expect(await provider().send({ ...sms, body: "  " }, { idempotencyKey: "m-8" })).toMatchObject({
      ok: false,
      retryable: false,
    });
    expect(seen).toHaveLength(0);
  });
});
