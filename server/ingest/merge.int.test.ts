/**
 * One contact per email, through the public ingest API on a real database: an identify that
 * names an email another contact already has lands on that contact (any letter case), a
 * second contact of the same person is merged into it (events moved, the merge recorded),
 * concurrent sign-ups with one email make one contact, and the migration merged the
 * duplicates an installation already had.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactMerges, contacts, events } from "@/server/db/schema";
import { rowsOf } from "@/server/db/rows";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { apiRequest, createShop, reply, type ErrorBody } from "@/server/testing/ingest-requests";
import { signUnsubscribe } from "@/server/channels/unsubscribe-token";
import { linkSigningKey, resolveUnsubscribeLink, unsubscribeByLink } from "@/server/messages/consent";
import { handleIdentify, handleTrack } from "./handlers";

let t: TestDb;
let shop: Awaited<ReturnType<typeof createShop>>;

beforeAll(async () => {
  t = await createTestDb();
  shop = await createShop(t.db, "Merges");
});
afterAll(() => t.close());

const identify = (key: string, body: Record<string, unknown>) =>
  reply<ErrorBody & { id?: string }>(handleIdentify(t.db, apiRequest("/api/v1/identify", { key, body })));
const track = (key: string, body: Record<string, unknown>) =>
  reply(handleTrack(t.db, apiRequest("/api/v1/track", { key, body })));

async function contactsWithEmail(email: string) {
  return t.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, shop.workspaceId), sql`lower(${contacts.email}) = lower(${email})`));
}

async function eventsOf(contactId: string) {
  const rows = await t.db
    .select({ name: events.name, anonymousId: events.anonymousId })
    .from(events)
    .where(eq(events.contactId, contactId));
  return rows.map((r) => `${r.name}/${r.anonymousId ?? "-"}`).sort();
}

describe(`one contact per email (${testDriver()})`, () => {
  it("two browser sessions sign up on the storefront with one email (different case) → one contact with both sessions' events", async () => {
    const key = shop.publishableKey;
    expect(
      (await track(key, { anonymousId: "sess-a", event: "Viewed Product", properties: { product_id: "p1" } }))
        .status,
    ).toBe(200);
    expect(
      (await identify(key, { anonymousId: "sess-a", traits: { email: "Ann.Lee@Example.com" } })).status,
    ).toBe(200);
    expect(
      (await track(key, { anonymousId: "sess-b", event: "Viewed Product", properties: { product_id: "p1" } }))
        .status,
    ).toBe(200);
    expect(
      (await identify(key, { anonymousId: "sess-b", traits: { email: "ann.lee@example.com" } })).status,
    ).toBe(200);
    expect((await track(key, { anonymousId: "sess-b", event: "Signed Up", properties: {} })).status).toBe(
      200,
    );

    const found = await contactsWithEmail("ann.lee@example.com");
    expect(found).toHaveLength(1);
    expect(found[0]!.anonymousIds.sort()).toEqual(["sess-a", "sess-b"]);
    expect(await eventsOf(found[0]!.id)).toEqual([
      "Signed Up/sess-b",
      "Viewed Product/sess-a",
      "Viewed Product/sess-b",
    ]);
  });

  it("a customer known by userId identifies with a newsletter contact's email → merged into it: events moved, the merge recorded", async () => {
    const key = shop.secretKey;
    // The newsletter form (email only) and the shop's account (userId only) are two contacts so far.
    await identify(key, { anonymousId: "footer-1", traits: { email: "bo@example.com", first_name: "Bo" } });
    await track(key, { anonymousId: "footer-1", event: "Signed Up", properties: {} });
    await track(key, { userId: "acct-bo", event: "Placed Order", properties: { order_id: "B1", value: 12 } });
    const [newsletter] = await contactsWithEmail("bo@example.com");
    const [account] = await t.db.select().from(contacts).where(eq(contacts.externalId, "acct-bo"));
    expect(newsletter!.id).not.toBe(account!.id);

    const merged = await identify(key, {
      userId: "acct-bo",
      traits: { email: "BO@example.com", last_name: "Berg" },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.id).toBe(newsletter!.id);

    const after = await contactsWithEmail("bo@example.com");
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: newsletter!.id,
      externalId: "acct-bo",
      firstName: "Bo",
      lastName: "Berg",
    });
    expect(await t.db.select().from(contacts).where(eq(contacts.id, account!.id))).toEqual([]);
    expect(await eventsOf(newsletter!.id)).toEqual(["Placed Order/-", "Signed Up/footer-1"]);
    const [record] = await t.db.select().from(contactMerges).where(eq(contactMerges.mergedId, account!.id));
    expect(record).toMatchObject({
      workspaceId: shop.workspaceId,
      survivorId: newsletter!.id,
      mergedExternalId: "acct-bo",
      reason: "identify",
    });
    expect(record!.moved).toMatchObject({ events: 1 });

    // Later events by the userId reach the one contact.
    await track(key, { userId: "acct-bo", event: "Placed Order", properties: { order_id: "B2" } });
    expect((await eventsOf(newsletter!.id)).filter((e) => e.startsWith("Placed Order"))).toHaveLength(2);
  });

  it("an unsubscribe link emailed to the merged contact unsubscribes the contact it became", async () => {
    const key = shop.secretKey;
    await identify(key, {
      anonymousId: "nl-fay",
      traits: { email: "fay@example.com", email_consent: "subscribed" },
    });
    await identify(key, { userId: "acct-fay", traits: { phone: "+15550002", sms_consent: "subscribed" } });
    const [account] = await t.db.select().from(contacts).where(eq(contacts.externalId, "acct-fay"));
    const token = signUnsubscribe(
      { workspaceId: shop.workspaceId, contactId: account!.id, channel: "sms" },
      await linkSigningKey(t.db),
    );
    await identify(key, { userId: "acct-fay", traits: { email: "fay@example.com" } });
    const [survivor] = await contactsWithEmail("fay@example.com");
    expect(survivor).toMatchObject({
      externalId: "acct-fay",
      smsConsent: "subscribed",
      emailConsent: "subscribed",
    });

    const link = await resolveUnsubscribeLink(t.db, token);
    expect(link.kind).toBe("valid");
    if (link.kind !== "valid") return;
    expect(link.contact.id).toBe(survivor!.id);
    await unsubscribeByLink(t.db, { payload: link.payload, source: "one-click" });
    expect((await contactsWithEmail("fay@example.com"))[0]).toMatchObject({
      smsConsent: "unsubscribed",
      emailConsent: "subscribed",
    });
  });

  it("an email that belongs to another customer's userId is refused with 409 naming traits.email; nothing changes", async () => {
    const key = shop.secretKey;
    await identify(key, { userId: "cust-1", traits: { email: "cy@example.com" } });
    const refused = await identify(key, {
      userId: "cust-2",
      traits: { email: "Cy@example.com", first_name: "X" },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.issues[0]?.path).toBe("traits.email");
    expect(await contactsWithEmail("cy@example.com")).toMatchObject([
      { externalId: "cust-1", firstName: null },
    ]);
    expect(await t.db.select().from(contacts).where(eq(contacts.externalId, "cust-2"))).toEqual([]);
  });

  it("a publishable key cannot merge two contacts (403 naming traits.email)", async () => {
    await identify(shop.secretKey, { anonymousId: "nl-dee", traits: { email: "dee@example.com" } });
    await track(shop.secretKey, {
      userId: "acct-dee",
      event: "Viewed Product",
      properties: { product_id: "p1" },
    });
    const refused = await identify(shop.publishableKey, {
      userId: "acct-dee",
      traits: { email: "dee@example.com" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.issues[0]?.path).toBe("traits.email");
    expect(await t.db.select().from(contacts).where(eq(contacts.externalId, "acct-dee"))).toHaveLength(1);
  });

  it("sign-ups with one email at the same moment (two sessions each, five emails) → one contact per email, every request 200", async () => {
    const emails = Array.from({ length: 5 }, (_, i) => `rush${i}@example.com`);
    const replies = await Promise.all(
      emails.flatMap((email, i) =>
        ["x", "y"].map((s) =>
          identify(shop.publishableKey, {
            anonymousId: `rush-${i}-${s}`,
            traits: { email: s === "x" ? email : email.toUpperCase(), first_name: "Rush" },
          }),
        ),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    for (const [i, email] of emails.entries()) {
      const found = await contactsWithEmail(email);
      expect(found).toHaveLength(1);
      expect(found[0]!.anonymousIds.sort()).toEqual([`rush-${i}-x`, `rush-${i}-y`]);
    }
  });

  it("a userId's contact and an email's contact identified together from two places at once → one contact", async () => {
    const key = shop.secretKey;
    await track(key, { userId: "acct-eve", event: "Viewed Product", properties: { product_id: "p1" } });
    const replies = await Promise.all([
      identify(key, { userId: "acct-eve", traits: { email: "eve@example.com" } }),
      identify(key, { anonymousId: "nl-eve", traits: { email: "eve@example.com" } }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    const found = await contactsWithEmail("eve@example.com");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ externalId: "acct-eve" });
    expect(found[0]!.anonymousIds).toContain("nl-eve");
  });
});

describe(`the migration to one contact per email (${testDriver()})`, () => {
  const migration = readFileSync(
    path.join(import.meta.dirname, "../../drizzle/0013_one_contact_per_email.sql"),
    "utf8",
  ).split("--> statement-breakpoint");
  const statement = (start: string) => {
    const found = migration.map((s) => s.trim()).find((s) => s.replace(/^--.*\n/gm, "").startsWith(start));
    if (!found) throw new Error(`no statement starting ${start}`);
    return found;
  };

  it("applies the merge function exactly as server/db/sql/merge-contacts.sql writes it", async () => {
    const source = readFileSync(path.join(import.meta.dirname, "../db/sql/merge-contacts.sql"), "utf8");
    const body = /\$\$([\s\S]*?)\$\$;/.exec(source)?.[1];
    expect(statement("CREATE OR REPLACE FUNCTION tidings_merge_contacts")).toContain(body);
    const [row] = rowsOf<{ body: string }>(
      await t.db.execute(sql`select prosrc as body from pg_proc where proname = 'tidings_merge_contacts'`),
    );
    expect(row?.body).toBe(body);
  });

  it("contacts that already shared an email (any case) become one, the oldest surviving with everyone's events", async () => {
    const other = await createShop(t.db, "Legacy");
    await t.db.execute(sql`drop index contacts_workspace_email_uq`);
    try {
      const old = new Date("2026-01-01T00:00:00Z");
      const rows = await t.db
        .insert(contacts)
        .values([
          {
            workspaceId: other.workspaceId,
            email: "gil@example.com",
            createdAt: old,
            emailConsent: "subscribed",
          },
          {
            workspaceId: other.workspaceId,
            email: "GIL@example.com",
            externalId: "gil-1",
            phone: "+15550001",
            createdAt: new Date("2026-02-01T00:00:00Z"),
            emailConsent: "unsubscribed",
          },
          {
            workspaceId: other.workspaceId,
            email: "gil@example.com",
            createdAt: new Date("2026-03-01T00:00:00Z"),
          },
          // The same address in another workspace is another contact.
          { workspaceId: shop.workspaceId, email: "gil@example.com" },
        ])
        .returning({ id: contacts.id });
      await t.db.insert(events).values(
        rows.slice(0, 3).map((r, i) => ({
          workspaceId: other.workspaceId,
          contactId: r.id,
          name: `E${i}`,
          occurredAt: old,
          idempotencyKey: `legacy-${i}`,
        })),
      );
      await t.db.execute(sql.raw(statement("DO $$")));
    } finally {
      await t.db.execute(sql.raw(statement('CREATE UNIQUE INDEX "contacts_workspace_email_uq"')));
    }
    const left = await t.db.select().from(contacts).where(eq(contacts.workspaceId, other.workspaceId));
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({
      email: "gil@example.com",
      externalId: "gil-1",
      phone: "+15550001",
      emailConsent: "unsubscribed",
    });
    expect((await eventsOf(left[0]!.id)).length).toBe(3);
    const records = await t.db
      .select()
      .from(contactMerges)
      .where(eq(contactMerges.workspaceId, other.workspaceId));
    expect(records.map((r) => r.reason)).toEqual(["migration", "migration"]);
    expect(await contactsWithEmail("gil@example.com")).toHaveLength(1);
  });
});
