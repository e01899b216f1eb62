/**
 * Provider webhooks against a real database: Resend (Svix signatures) and Twilio
 * (X-Twilio-Signature). A valid event is mapped onto its message; a bad signature writes
 * nothing; a replayed delivery counts once; hard bounces and complaints suppress the address.
 */
import { randomUUID } from "node:crypto";
import { Webhook } from "svix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { createContact } from "@/server/testing/flows";
import { contacts, messageEvents, messages, suppressions } from "@/server/db/schema";
import { twilioSignature } from "@/server/channels/twilio-signature";
import { handleResendWebhook } from "./resend-webhook";
import { handleTwilioWebhook } from "./twilio-webhook";

const SECRET = `whsec_${Buffer.from("tidings-test-webhook-secret-32bytes!").toString("base64")}`;
const OTHER_SECRET = `whsec_${Buffer.from("somebody-elses-webhook-secret-32by").toString("base64")}`;
const TWILIO_TOKEN = "twilio-auth-token-for-tests";
const TWILIO_URL = "https://app.tidings.example/api/webhooks/twilio";

let t: TestDb;
let a: Awaited<ReturnType<typeof createMember>>;
let b: Awaited<ReturnType<typeof createMember>>;

beforeAll(async () => {
  t = await createTestDb();
  a = await createMember(t.db, "Alice");
  b = await createMember(t.db, "Bob");
});
afterAll(() => t.close());

async function sentEmail(workspaceId: string, to = `maya.${randomUUID().slice(0, 6)}@Example.com`) {
  const id = randomUUID();
  const providerMessageId = randomUUID();
  await t.db.insert(messages).values({
    id,
    workspaceId,
    channel: "email",
    status: "sent",
    toAddress: to,
    subject: "Your cart",
    provider: "resend",
    providerMessageId,
    sentAt: new Date(),
  });
  return { id, providerMessageId, to };
}

function resendEvent(
  type: string,
  emailId: string,
  extra: Record<string, unknown> = {},
  tags: Record<string, string> = {},
) {
  return {
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: emailId,
      created_at: new Date().toISOString(),
      from: "Shop <hello@shop.example>",
      to: ["maya@example.com"],
      subject: "Your cart",
      tags,
      ...extra,
    },
  };
}

function signedRequest(
  payload: unknown,
  opts: { id?: string; at?: Date; secret?: string; tamper?: (body: string) => string } = {},
) {
  const body = JSON.stringify(payload);
  const id = opts.id ?? `msg_${randomUUID()}`;
  const at = opts.at ?? new Date();
  const signature = new Webhook(opts.secret ?? SECRET).sign(id, at, body);
  return new Request("https://app.tidings.example/api/webhooks/resend", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": signature,
    },
    body: opts.tamper ? opts.tamper(body) : body,
  });
}

const post = (req: Request) => handleResendWebhook(t.db, req, { secret: SECRET });

async function eventsOf(messageId: string) {
  return t.db.select().from(messageEvents).where(eq(messageEvents.messageId, messageId));
}
async function statusOf(messageId: string) {
  const [row] = await t.db
    .select({ status: messages.status, lastError: messages.lastError })
    .from(messages)
    .where(eq(messages.id, messageId));
  return row;
}
async function totalEvents() {
  const [row] = await t.db.select({ n: count() }).from(messageEvents);
  return Number(row?.n ?? 0);
}

describe(`Resend webhook (${testDriver()})`, () => {
  it("accepts a valid signature and maps delivered, opened and clicked onto the message", async () => {
    const m = await sentEmail(a.workspace.id);
    expect((await post(signedRequest(resendEvent("email.delivered", m.providerMessageId)))).status).toBe(200);
    expect((await post(signedRequest(resendEvent("email.opened", m.providerMessageId)))).status).toBe(200);
    const click = resendEvent("email.clicked", m.providerMessageId, {
      click: { link: "https://shop.example/checkout/c_1", timestamp: new Date().toISOString() },
    });
    const res = await post(signedRequest(click));
    expect(await res.json()).toEqual({ ok: true, status: "recorded" });

    const recorded = await eventsOf(m.id);
    expect(recorded.map((e) => e.type).sort()).toEqual(["clicked", "delivered", "opened"]);
    expect(recorded.every((e) => e.workspaceId === a.workspace.id)).toBe(true);
    expect(recorded.find((e) => e.type === "clicked")?.url).toBe("https://shop.example/checkout/c_1");
    expect((await statusOf(m.id))?.status).toBe("delivered");
  });

  it("finds the message by its message_id tag when the provider id is not stored yet", async () => {
    const id = randomUUID();
    await t.db.insert(messages).values({
      id,
      workspaceId: a.workspace.id,
      channel: "email",
      status: "sent",
      toAddress: "late@example.com",
      provider: "resend",
    });
    const res = await post(
      signedRequest(
        resendEvent("email.opened", "re-unknown-id", {}, { workspace_id: a.workspace.id, message_id: id }),
      ),
    );
    expect(await res.json()).toEqual({ ok: true, status: "recorded" });
    expect((await eventsOf(id)).map((e) => e.type)).toEqual(["opened"]);
  });

  it("refuses a tampered body, an old timestamp and another secret, writing nothing", async () => {
    const m = await sentEmail(a.workspace.id);
    const before = await totalEvents();
    const bounce = resendEvent("email.bounced", m.providerMessageId, {
      bounce: { type: "Permanent", subType: "General", message: "No such user" },
    });

    const tampered = await post(
      signedRequest(bounce, { tamper: (body) => body.replace("No such user", "No such user!") }),
    );
    const old = await post(signedRequest(bounce, { at: new Date(Date.now() - 10 * 60_000) }));
    const foreign = await post(signedRequest(bounce, { secret: OTHER_SECRET }));
    const unsigned = await post(
      new Request("https://x/api/webhooks/resend", { method: "POST", body: JSON.stringify(bounce) }),
    );
    for (const res of [tampered, old, foreign, unsigned]) expect(res.status).toBe(401);
    expect(((await old.json()) as { error: string }).error).toMatch(/timestamp/i);

    expect(await totalEvents()).toBe(before);
    expect((await statusOf(m.id))?.status).toBe("sent");
    expect(
      await t.db.select().from(suppressions).where(eq(suppressions.address, m.to.toLowerCase())),
    ).toEqual([]);
  });

  it("answers 503 and writes nothing when no signing secret is configured", async () => {
    const m = await sentEmail(a.workspace.id);
    const res = await handleResendWebhook(
      t.db,
      signedRequest(resendEvent("email.delivered", m.providerMessageId)),
      { secret: undefined },
    );
    expect(res.status).toBe(503);
    expect(await eventsOf(m.id)).toEqual([]);
  });

  it("counts a replayed svix-id once", async () => {
    const m = await sentEmail(a.workspace.id);
    const payload = resendEvent("email.opened", m.providerMessageId);
    const first = await post(signedRequest(payload, { id: "msg_replayed_once" }));
    const again = await post(signedRequest(payload, { id: "msg_replayed_once" }));
    expect(await first.json()).toEqual({ ok: true, status: "recorded" });
    expect(await again.json()).toEqual({ ok: true, status: "duplicate" });
    expect(await eventsOf(m.id)).toHaveLength(1);
  });

  it("puts a hard bounce on the suppression list and marks the message bounced; a soft bounce does neither", async () => {
    const hard = await sentEmail(a.workspace.id);
    const res = await post(
      signedRequest(
        resendEvent("email.bounced", hard.providerMessageId, {
          bounce: { type: "Permanent", subType: "Suppressed", message: "Mailbox does not exist" },
        }),
      ),
    );
    expect(res.status).toBe(200);
    expect(await statusOf(hard.id)).toEqual({
      status: "bounced",
      lastError: "Suppressed: Mailbox does not exist",
    });
    const rows = await t.db.select().from(suppressions).where(eq(suppressions.workspaceId, a.workspace.id));
    expect(rows.find((r) => r.address === hard.to.toLowerCase())).toMatchObject({
      channel: "email",
      reason: "hard_bounce",
    });
    // Only the sending workspace's list.
    expect(
      await t.db.select().from(suppressions).where(eq(suppressions.workspaceId, b.workspace.id)),
    ).toEqual([]);

    const soft = await sentEmail(a.workspace.id);
    await post(
      signedRequest(
        resendEvent("email.bounced", soft.providerMessageId, {
          bounce: { type: "Transient", subType: "MailboxFull", message: "Full" },
        }),
      ),
    );
    expect((await statusOf(soft.id))?.status).toBe("sent");
    expect((await eventsOf(soft.id))[0]?.data).toMatchObject({ bounce: "soft" });
    expect(
      await t.db.select().from(suppressions).where(eq(suppressions.address, soft.to.toLowerCase())),
    ).toEqual([]);
  });

  it("suppresses an address that complained, and the executor's contact facts see it", async () => {
    const contact = await createContact(t.db, a.workspace.id, { email: "complainer@example.com" });
    const m = await sentEmail(a.workspace.id, "Complainer@example.com");
    await post(signedRequest(resendEvent("email.complained", m.providerMessageId)));
    const [row] = await t.db
      .select()
      .from(suppressions)
      .where(
        and(eq(suppressions.workspaceId, a.workspace.id), eq(suppressions.address, "complainer@example.com")),
      );
    expect(row?.reason).toBe("complaint");
    const { loadFacts } = await import("@/server/executor/load");
    const { FlowGraph } = await import("@/server/engine/graph");
    const graph = FlowGraph.parse({
      schema: 1,
      nodes: [
        { id: "t", kind: "trigger", position: { x: 0, y: 0 }, config: { type: "event", event: "Signed Up" } },
      ],
      edges: [],
      settings: {},
    });
    const facts = await loadFacts(
      t.db,
      [{ workspaceId: a.workspace.id, contactId: contact.id, graph }],
      Date.now(),
    );
    expect(facts.get(contact.id)?.contact.suppressed.email).toBe(true);
  });

  it("acknowledges events for unknown messages and events it does not record, storing nothing", async () => {
    const before = await totalEvents();
    const unknown = await post(signedRequest(resendEvent("email.delivered", "not-ours")));
    expect(await unknown.json()).toEqual({ ok: true, status: "unknown_message" });
    const m = await sentEmail(a.workspace.id);
    const sent = await post(signedRequest(resendEvent("email.sent", m.providerMessageId)));
    expect(await sent.json()).toEqual({ ok: true, ignored: "email.sent" });
    // A tag naming another workspace does not attach the event to this one's message.
    const crossed = await post(
      signedRequest(resendEvent("email.opened", "x", {}, { workspace_id: b.workspace.id, message_id: m.id })),
    );
    expect(await crossed.json()).toEqual({ ok: true, status: "unknown_message" });
    expect(await totalEvents()).toBe(before);
  });
});

// ------------------------------------------------------------------ Twilio

async function sentSms(
  workspaceId: string,
  phone = "+1555" + String(Math.floor(Math.random() * 1e7)).padStart(7, "0"),
) {
  const id = randomUUID();
  const sid = `SM${randomUUID().replace(/-/g, "")}`;
  await t.db.insert(messages).values({
    id,
    workspaceId,
    channel: "sms",
    status: "sent",
    toAddress: phone,
    provider: "twilio",
    providerMessageId: sid,
    sentAt: new Date(),
  });
  return { id, sid, phone };
}

function twilioRequest(
  params: Record<string, string>,
  opts: { token?: string; url?: string; signature?: string } = {},
) {
  const body = new URLSearchParams(params);
  const signature =
    opts.signature ?? twilioSignature(opts.url ?? TWILIO_URL, params, opts.token ?? TWILIO_TOKEN);
  return new Request("http://127.0.0.1:3000/api/webhooks/twilio", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
    body: body.toString(),
  });
}

const postTwilio = (req: Request) =>
  handleTwilioWebhook(t.db, req, { authToken: TWILIO_TOKEN, urls: [TWILIO_URL] });

describe(`Twilio status callback (${testDriver()})`, () => {
  const base = (sid: string, status: string, extra: Record<string, string> = {}) => ({
    AccountSid: "AC0123",
    MessageSid: sid,
    SmsSid: sid,
    MessageStatus: status,
    SmsStatus: status,
    To: "+15550001111",
    From: "+15559990000",
    ApiVersion: "2010-04-01",
    ...extra,
  });

  it("accepts a valid signature and marks the message delivered, once per status", async () => {
    const m = await sentSms(a.workspace.id);
    const res = await postTwilio(twilioRequest(base(m.sid, "delivered")));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, status: "recorded" });
    expect(await (await postTwilio(twilioRequest(base(m.sid, "delivered")))).json()).toEqual({
      ok: true,
      status: "duplicate",
    });
    expect((await eventsOf(m.id)).map((e) => e.type)).toEqual(["delivered"]);
    expect((await statusOf(m.id))?.status).toBe("delivered");
    // In-flight statuses are acknowledged and not stored.
    expect(await (await postTwilio(twilioRequest(base(m.sid, "sent")))).json()).toEqual({
      ok: true,
      ignored: "sent",
    });
  });

  it("refuses a wrong signature, another token or changed parameters, writing nothing", async () => {
    const m = await sentSms(a.workspace.id);
    const params = base(m.sid, "undelivered", { ErrorCode: "30005" });
    const before = await totalEvents();
    const wrongToken = await postTwilio(twilioRequest(params, { token: "not-the-token" }));
    const wrongUrl = await postTwilio(
      twilioRequest(params, { url: "https://evil.example/api/webhooks/twilio" }),
    );
    const good = twilioSignature(TWILIO_URL, params, TWILIO_TOKEN);
    const changed = await postTwilio(twilioRequest({ ...params, ErrorCode: "30003" }, { signature: good }));
    const missing = await postTwilio(
      new Request("http://x/api/webhooks/twilio", {
        method: "POST",
        body: new URLSearchParams(params).toString(),
      }),
    );
    for (const res of [wrongToken, wrongUrl, changed, missing]) expect(res.status).toBe(401);
    expect(await totalEvents()).toBe(before);
    expect((await statusOf(m.id))?.status).toBe("sent");
  });

  it("suppresses a number that cannot get texts; a temporary failure only marks the message", async () => {
    const hard = await sentSms(a.workspace.id);
    await postTwilio(
      twilioRequest(
        base(hard.sid, "undelivered", { ErrorCode: "30005", ErrorMessage: "Unknown destination handset" }),
      ),
    );
    expect(await statusOf(hard.id)).toEqual({
      status: "bounced",
      lastError: "Twilio error 30005: Unknown destination handset",
    });
    const [row] = await t.db
      .select()
      .from(suppressions)
      .where(and(eq(suppressions.channel, "sms"), eq(suppressions.address, hard.phone)));
    expect(row).toMatchObject({ workspaceId: a.workspace.id, reason: "hard_bounce" });

    const soft = await sentSms(a.workspace.id);
    await postTwilio(twilioRequest(base(soft.sid, "undelivered", { ErrorCode: "30003" })));
    expect((await statusOf(soft.id))?.status).toBe("bounced");
    expect(await t.db.select().from(suppressions).where(eq(suppressions.address, soft.phone))).toEqual([]);
  });

  it("turns SMS consent off when Twilio says the recipient opted out", async () => {
    const phone = "+15557770001";
    const contact = await createContact(t.db, a.workspace.id, { phone, smsConsent: "subscribed" });
    const m = await sentSms(a.workspace.id, phone);
    await postTwilio(twilioRequest(base(m.sid, "failed", { ErrorCode: "21610" })));
    const [row] = await t.db
      .select({ smsConsent: contacts.smsConsent })
      .from(contacts)
      .where(eq(contacts.id, contact.id));
    expect(row?.smsConsent).toBe("unsubscribed");
    expect((await eventsOf(m.id)).map((e) => e.type)).toEqual(["unsubscribed"]);
  });

  it("answers 503 without an auth token", async () => {
    const m = await sentSms(a.workspace.id);
    const res = await handleTwilioWebhook(t.db, twilioRequest(base(m.sid, "delivered")), {
      authToken: undefined,
      urls: [TWILIO_URL],
    });
    expect(res.status).toBe(503);
    expect(await eventsOf(m.id)).toEqual([]);
  });
});
