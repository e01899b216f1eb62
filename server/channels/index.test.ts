import { describe, expect, it } from "vitest";
import { createChannels, twilioStatusCallbackUrl } from "./index";
import { vapidSubject } from "@/server/channels/vapid";
import type { EmailMessage } from "./types";

const email: EmailMessage = {
  from: "Shop <hello@shop.example>",
  to: "maya@example.com",
  subject: "Hi",
  html: "<p>Hi</p>",
  text: "Hi",
  category: "marketing",
  unsubscribeUrl: "https://app.example/u/t",
};

describe("createChannels", () => {
  it("uses the Outbox without configuration", () => {
    const c = createChannels({});
    expect([c.email.name, c.sms.name, c.push.name]).toEqual(["outbox", "outbox", "outbox"]);
  });

  it("switches to Resend and Twilio by key, and needs all three Twilio settings", () => {
    expect(createChannels({ RESEND_API_KEY: "re_123" }).email.name).toBe("resend");
    expect(createChannels({ RESEND_API_KEY: " " }).email.name).toBe("outbox");
    expect(createChannels({ TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t" }).sms.name).toBe("outbox");
    expect(
      createChannels({ TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t", TWILIO_FROM: "+1555" }).sms.name,
    ).toBe("twilio");
  });

  it("switches push to Web Push by a VAPID subject or key pair", () => {
    const webPush = {
      vapid: { subject: "mailto:a@b.example", publicKey: "p", privateKey: "k" },
      store: {
        list: () => Promise.resolve([]),
        remove: () => Promise.resolve(),
        delivered: () => Promise.resolve(),
      },
    };
    expect(createChannels({}, { webPush }).push.name).toBe("outbox");
    expect(createChannels({ VAPID_SUBJECT: "mailto:a@b.example" }, { webPush }).push.name).toBe("webpush");
    expect(createChannels({ VAPID_PUBLIC_KEY: "p" }, { webPush }).push.name).toBe("outbox");
    expect(createChannels({ VAPID_PUBLIC_KEY: "p", VAPID_PRIVATE_KEY: "k" }, { webPush }).push.name).toBe(
      "webpush",
    );
  });

  it("defaults the VAPID subject to the app's https URL, else a mailto: address", () => {
    expect(vapidSubject({ VAPID_SUBJECT: " mailto:ops@shop.example " })).toBe("mailto:ops@shop.example");
    expect(vapidSubject({ APP_URL: "https://tidings.shop.example/app" })).toBe(
      "https://tidings.shop.example",
    );
    expect(vapidSubject({ APP_URL: "http://marketing.internal:3000" })).toBe(
      "mailto:push@marketing.internal",
    );
    expect(vapidSubject({ APP_URL: "http://localhost:3000" })).toBe("mailto:push@tidings.example");
    expect(vapidSubject({})).toBe("mailto:push@tidings.example");
  });
});

describe("Outbox providers", () => {
  const { email: outbox, sms, push } = createChannels({});

  it("accept with an id derived from the idempotency key, the same on retry", async () => {
    const a = await outbox.send(email, { idempotencyKey: "m-1" });
    const b = await outbox.send(email, { idempotencyKey: "m-1" });
    expect(a).toEqual({ ok: true, providerMessageId: "outbox_m-1" });
    expect(b).toEqual(a);
    expect(
      await sms.send({ to: "+1555", body: "Hi", category: "marketing" }, { idempotencyKey: "s-1" }),
    ).toEqual({
      ok: true,
      providerMessageId: "outbox_s-1",
    });
    expect(
      await push.send(
        { workspaceId: "ws-1", to: "contact-1", title: "Hi", body: "", category: "marketing" },
        { idempotencyKey: "p-1" },
      ),
    ).toEqual({
      ok: true,
      providerMessageId: "outbox_p-1",
    });
  });

  it("hold marketing mail to the same unsubscribe rule as Resend", async () => {
    expect(
      await outbox.send({ ...email, unsubscribeUrl: undefined }, { idempotencyKey: "m-2" }),
    ).toMatchObject({ ok: false, retryable: false });
    expect(
      await outbox.send(
        { ...email, category: "transactional", unsubscribeUrl: undefined },
        { idempotencyKey: "m-3" },
      ),
    ).toMatchObject({
      ok: true,
    });
  });

  it("answer a batch in order", async () => {
    const results = await outbox.sendBatch([
      { ...email, idempotencyKey: "b-1" },
      { ...email, to: "nobody", idempotencyKey: "b-2" },
      { ...email, idempotencyKey: "b-3" },
    ]);
    expect(results.map((r) => (r.ok ? r.providerMessageId : "failed"))).toEqual([
      "outbox_b-1",
      "failed",
      "outbox_b-3",
    ]);
  });
});

describe("twilioStatusCallbackUrl", () => {
  it("uses the configured URL, else the public app's webhook, never a local one", () => {
    expect(
      twilioStatusCallbackUrl({
        TWILIO_STATUS_CALLBACK_URL: "https://hooks.example/twilio",
        APP_URL: "https://app.example",
      }),
    ).toBe("https://hooks.example/twilio");
    expect(twilioStatusCallbackUrl({ APP_URL: "https://app.example/" })).toBe(
      "https://app.example/api/webhooks/twilio",
    );
    expect(twilioStatusCallbackUrl({ APP_URL: "http://localhost:3000" })).toBeUndefined();
    expect(twilioStatusCallbackUrl({})).toBeUndefined();
  });
});
