import { Webhook } from "svix";
import { describe, expect, it } from "vitest";
import { verifyResendWebhook } from "./resend-webhook";

const secret = `whsec_${Buffer.from("a-test-signing-secret-of-32-bytes").toString("base64")}`;
const otherSecret = `whsec_${Buffer.from("another-secret-of-at-least-32-byt").toString("base64")}`;

function signed(payload: unknown, opts: { at?: Date; id?: string; key?: string } = {}) {
  const body = JSON.stringify(payload);
  const at = opts.at ?? new Date();
  const id = opts.id ?? "msg_2a1b3c";
  const signature = new Webhook(opts.key ?? secret).sign(id, at, body);
  const headers = {
    "svix-id": id,
    "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
    "svix-signature": signature,
  };
  return { body, headers };
}

const clicked = {
  type: "email.clicked",
  created_at: "2025-05-01T10:00:00.000Z",
  data: {
    email_id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c",
    created_at: "2025-05-01T09:59:00.000Z",
    from: "Leaf & Kettle <hello@leafandkettle.example>",
    to: ["maya@example.com"],
    subject: "Your cart is waiting",
    tags: { workspace_id: "ws-1", message_id: "m-1" },
    click: {
      ipAddress: "203.0.113.9",
      link: "https://shop.example/checkout/c_1",
      timestamp: "2025-05-01T10:00:01.000Z",
      userAgent: "x",
    },
  },
};

describe("verifyResendWebhook", () => {
  it("accepts a valid signature and maps the event", () => {
    const { body, headers } = signed(clicked);
    const result = verifyResendWebhook(body, headers, secret);
    expect(result).toEqual({
      ok: true,
      resendType: "email.clicked",
      event: {
        id: "msg_2a1b3c",
        type: "clicked",
        resendType: "email.clicked",
        messageProviderId: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c",
        tags: { workspace_id: "ws-1", message_id: "m-1" },
        url: "https://shop.example/checkout/c_1",
        occurredAt: new Date("2025-05-01T10:00:01.000Z"),
      },
    });
  });

  it("accepts a Headers object and a Buffer body", () => {
    const { body, headers } = signed({ ...clicked, type: "email.delivered" });
    const result = verifyResendWebhook(Buffer.from(body), new Headers(headers), secret);
    expect(result.ok && result.event?.type).toBe("delivered");
  });

  it("tells hard bounces from soft ones and maps suppressions to hard bounces", () => {
    const bounce = (type: string) => ({
      type: "email.bounced",
      created_at: "2025-05-01T10:00:00.000Z",
      data: {
        ...clicked.data,
        click: undefined,
        bounce: { type, subType: "General", message: "Mailbox does not exist" },
      },
    });
    const hard = verifyResendWebhook(
      signed(bounce("Permanent")).body,
      signed(bounce("Permanent")).headers,
      secret,
    );
    expect(hard.ok && hard.event).toMatchObject({
      type: "bounced",
      bounce: "hard",
      reason: "General: Mailbox does not exist",
    });
    const soft = signed(bounce("Transient"));
    const softResult = verifyResendWebhook(soft.body, soft.headers, secret);
    expect(softResult.ok && softResult.event).toMatchObject({ type: "bounced", bounce: "soft" });
    const suppressed = signed({
      type: "email.suppressed",
      created_at: "2025-05-01T10:00:00.000Z",
      data: { ...clicked.data, suppressed: { message: "On list", type: "bounce" } },
    });
    const supResult = verifyResendWebhook(suppressed.body, suppressed.headers, secret);
    expect(supResult.ok && supResult.event).toMatchObject({
      type: "bounced",
      bounce: "hard",
      reason: "On list",
    });
  });

  it("maps complaints and delays, and ignores events it does not record", () => {
    for (const [resendType, type] of [
      ["email.complained", "complained"],
      ["email.delivery_delayed", "delayed"],
      ["email.opened", "opened"],
    ] as const) {
      const { body, headers } = signed({ ...clicked, type: resendType });
      const r = verifyResendWebhook(body, headers, secret);
      expect(r.ok && r.event?.type).toBe(type);
    }
    const sent = signed({ ...clicked, type: "email.sent" });
    expect(verifyResendWebhook(sent.body, sent.headers, secret)).toEqual({
      ok: true,
      event: null,
      resendType: "email.sent",
    });
  });

  it("refuses a tampered body", () => {
    const { body, headers } = signed(clicked);
    const tampered = body.replace("checkout/c_1", "evil");
    const result = verifyResendWebhook(tampered, headers, secret);
    expect(result.ok).toBe(false);
  });

  it("refuses an old timestamp (replay)", () => {
    const { body, headers } = signed(clicked, { at: new Date(Date.now() - 10 * 60 * 1000) });
    const result = verifyResendWebhook(body, headers, secret);
    expect(result).toMatchObject({ ok: false });
    expect(result.ok ? "" : result.reason).toMatch(/timestamp/i);
  });

  it("refuses a signature made with another secret", () => {
    const { body, headers } = signed(clicked, { key: otherSecret });
    expect(verifyResendWebhook(body, headers, secret).ok).toBe(false);
  });

  it("refuses missing headers and a missing or malformed secret", () => {
    const { body, headers } = signed(clicked);
    expect(verifyResendWebhook(body, { "svix-id": headers["svix-id"] }, secret).ok).toBe(false);
    expect(verifyResendWebhook(body, headers, "").ok).toBe(false);
    expect(verifyResendWebhook(body, headers, "whsec_%%%").ok).toBe(false);
  });
});
