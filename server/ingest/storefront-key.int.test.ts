/**
 * The storefront's publishable key against a real database: it may create and enrich
 * anonymous visitors and identify them once, but not change an identified contact's email or
 * phone, nor subscribe anyone except through the double opt-in link (which subscribes once);
 * unsubscribing is always allowed; secret keys keep full power. Also: every message type is
 * deduplicated by messageId per workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { consentConfirmations, contacts, events, messages } from "@/server/db/schema";
import { handleOptInGet, handleOptInPost } from "@/server/messages/opt-in";
import { handleBatch, handleIdentify, handleTrack } from "./handlers";
import { apiRequest, createShop, reply, rowCounts, type ErrorBody } from "@/server/testing/ingest-requests";

let t: TestDb;
let shop: Awaited<ReturnType<typeof createShop>>;

beforeAll(async () => {
  t = await createTestDb();
  shop = await createShop(t.db, "Storefront");
});
afterAll(() => t.close());

const identify = (key: string, body: Record<string, unknown>) =>
  reply(handleIdentify(t.db, apiRequest("/api/v1/identify", { key, body })));

async function contactByUser(userId: string) {
  const [row] = await t.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, shop.workspaceId), eq(contacts.externalId, userId)));
  return row;
}

async function optInEmails(to: string) {
  return t.db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, shop.workspaceId), eq(messages.toAddress, to)));
}

/** The confirmation link's token from the email the Outbox holds. */
function tokenIn(message: { content: Record<string, unknown> }): string {
  const text = String(message.content.text);
  const match = /\/c\/([A-Za-z0-9_.-]+)/.exec(text);
  if (!match) throw new Error(`no confirmation link in: ${text}`);
  return match[1]!;
}

describe(`publishable key limits (${testDriver()})`, () => {
  it("creates an anonymous visitor's contact and identifies it once; a later email change is refused", async () => {
    const first = await identify(shop.publishableKey, {
      anonymousId: "anon-1",
      userId: "shopper-1",
      traits: { email: "robin@example.com", first_name: "Robin" },
    });
    expect(first.status).toBe(200);
    const before = await contactByUser("shopper-1");
    expect(before).toMatchObject({ email: "robin@example.com", firstName: "Robin" });

    const hijack = await identify(shop.publishableKey, {
      userId: "shopper-1",
      traits: { email: "attacker@evil.example", phone: "+15551234567" },
    });
    expect(hijack.status).toBe(403);
    expect((hijack.body as unknown as ErrorBody).error.issues[0]?.path).toBe("traits.email");
    const byAnonymous = await identify(shop.publishableKey, {
      anonymousId: "anon-1",
      traits: { email: "attacker@evil.example" },
    });
    expect(byAnonymous.status).toBe(403);
    const phone = await identify(shop.publishableKey, {
      userId: "shopper-1",
      traits: { phone: "+15551234567" },
    });
    expect(phone.status).toBe(403);
    expect((phone.body as unknown as ErrorBody).error.issues[0]?.path).toBe("traits.phone");

    // Profile traits of an identified contact are only filled in, never replaced.
    await identify(shop.publishableKey, {
      userId: "shopper-1",
      traits: { email: "ROBIN@example.com", first_name: "Mallory", last_name: "Shopper" },
    });
    expect(await contactByUser("shopper-1")).toMatchObject({
      email: "robin@example.com",
      phone: null,
      firstName: "Robin",
      lastName: "Shopper",
    });

    // A secret key keeps full power.
    const server = await identify(shop.secretKey, {
      userId: "shopper-1",
      traits: { email: "robin.new@example.com" },
    });
    expect(server.status).toBe(200);
    expect((await contactByUser("shopper-1"))?.email).toBe("robin.new@example.com");
    // The new address rotates the contact's links: those in the old inbox cannot resubscribe.
    expect((await contactByUser("shopper-1"))?.linkVersion).toBe(before!.linkVersion + 1);
  });

  it("cannot resubscribe a contact who unsubscribed; unsubscribing is always allowed", async () => {
    await identify(shop.secretKey, {
      userId: "shopper-2",
      traits: {
        email: "sam@example.com",
        email_consent: "subscribed",
        sms_consent: "subscribed",
        phone: "+15550000002",
      },
    });
    const out = await identify(shop.publishableKey, {
      userId: "shopper-2",
      traits: { email_consent: "unsubscribed", sms_consent: "unsubscribed" },
    });
    expect(out.status).toBe(200);
    expect(await contactByUser("shopper-2")).toMatchObject({
      emailConsent: "unsubscribed",
      smsConsent: "unsubscribed",
    });

    const back = await identify(shop.publishableKey, {
      userId: "shopper-2",
      traits: { email_consent: "subscribed", sms_consent: "subscribed" },
    });
    expect(back.status).toBe(200);
    expect(await contactByUser("shopper-2")).toMatchObject({
      emailConsent: "unsubscribed",
      smsConsent: "unsubscribed",
    });
    // Through a batch too.
    const batch = await reply(
      handleBatch(
        t.db,
        apiRequest("/api/v1/batch", {
          key: shop.publishableKey,
          body: {
            batch: [{ type: "identify", userId: "shopper-2", traits: { email_consent: "subscribed" } }],
          },
        }),
      ),
    );
    expect(batch.status).toBe(200);
    expect((await contactByUser("shopper-2"))?.emailConsent).toBe("unsubscribed");
  });

  it("a subscription asked for with the publishable key waits for the double opt-in link, which subscribes once", async () => {
    const signUp = await identify(shop.publishableKey, {
      userId: "shopper-3",
      anonymousId: "anon-3",
      traits: { email: "kim@example.com", email_consent: "subscribed" },
    });
    expect(signUp.status).toBe(200);
    expect((await contactByUser("shopper-3"))?.emailConsent).toBe("none");
    // Asking again moments later sends no second email.
    await identify(shop.publishableKey, { userId: "shopper-3", traits: { email_consent: "subscribed" } });
    const emails = await optInEmails("kim@example.com");
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ status: "sent", category: "transactional", provider: "outbox" });
    const token = tokenIn(emails[0]!);

    // Opening the link (as a scanner would) changes nothing.
    const page = await handleOptInGet(t.db, token);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Yes, subscribe me");
    expect((await contactByUser("shopper-3"))?.emailConsent).toBe("none");

    const forged = new Request(`http://localhost:3000/c/${token}`, {
      method: "POST",
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect((await handleOptInPost(t.db, token, new Date(), forged)).status).toBe(403);
    expect((await contactByUser("shopper-3"))?.emailConsent).toBe("none");

    const confirmed = await handleOptInPost(t.db, token);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("subscribed");
    expect((await contactByUser("shopper-3"))?.emailConsent).toBe("subscribed");

    // Unsubscribed later, the same link does not subscribe again.
    await identify(shop.publishableKey, { userId: "shopper-3", traits: { email_consent: "unsubscribed" } });
    const again = await handleOptInPost(t.db, token);
    expect(await again.text()).toContain("already used");
    expect((await contactByUser("shopper-3"))?.emailConsent).toBe("unsubscribed");

    // A forged or tampered token changes nothing.
    const [part] = token.split(".");
    expect((await handleOptInPost(t.db, `${part}.${"A".repeat(43)}`)).status).toBe(400);
    expect((await handleOptInPost(t.db, "garbage")).status).toBe(400);
    const rows = await t.db
      .select()
      .from(consentConfirmations)
      .where(eq(consentConfirmations.address, "kim@example.com"));
    expect(rows).toHaveLength(1);
  });

  it("an expired link does not subscribe", async () => {
    await identify(shop.publishableKey, {
      userId: "shopper-4",
      traits: { email: "lee@example.com", email_consent: "subscribed" },
    });
    const [email] = await optInEmails("lee@example.com");
    const late = new Date(Date.now() + 8 * 24 * 60 * 60 * 1000);
    const res = await handleOptInPost(t.db, tokenIn(email!), late);
    expect(await res.text()).toContain("expired");
    expect((await contactByUser("shopper-4"))?.emailConsent).toBe("none");
  });
});

describe(`messageId deduplication (${testDriver()})`, () => {
  it("an identify with a repeated messageId is applied once", async () => {
    const body = {
      messageId: "id-msg-1",
      userId: "dedupe-1",
      traits: { email: "one@example.com", first_name: "One" },
    };
    const first = await identify(shop.secretKey, body);
    expect(first.body).toMatchObject({ ok: true, duplicate: false });
    // Changed in between: the repeat must not write its traits again.
    await identify(shop.secretKey, { userId: "dedupe-1", traits: { first_name: "Changed" } });
    const again = await identify(shop.secretKey, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ok: true, id: first.body.id, duplicate: true });
    expect((await contactByUser("dedupe-1"))?.firstName).toBe("Changed");
  });

  it("a repeated track with a new userId does not create that contact", async () => {
    const track = (userId: string) =>
      reply(
        handleTrack(
          t.db,
          apiRequest("/api/v1/track", {
            key: shop.secretKey,
            body: { messageId: "track-msg-1", userId, event: "Viewed Page", properties: {} },
          }),
        ),
      );
    const first = await track("dedupe-track-a");
    expect(first.body).toMatchObject({ ok: true, duplicate: false });
    const before = await rowCounts(t.db, shop.workspaceId);
    const again = await track("dedupe-track-b");
    expect(again.body).toMatchObject({ ok: true, id: first.body.id, duplicate: true });
    expect(await rowCounts(t.db, shop.workspaceId)).toEqual(before);
    expect(await contactByUser("dedupe-track-b")).toBeUndefined();
    const stored = await t.db.select().from(events).where(eq(events.idempotencyKey, "track-msg-1"));
    expect(stored).toHaveLength(1);
  });
});
