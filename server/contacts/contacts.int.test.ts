/** Contacts: list filters, profile scoping, CSV import. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { contacts, events, messages } from "@/server/db/schema";

let t: TestDb;
let a: Awaited<ReturnType<typeof createMember>>;
let b: Awaited<ReturnType<typeof createMember>>;
let ann: string;

beforeAll(async () => {
  t = await createTestDb();
  a = await createMember(t.db, "Alice");
  b = await createMember(t.db, "Bob");
  const rows = await t.db
    .insert(contacts)
    .values([
      {
        workspaceId: a.workspace.id,
        email: "ann@example.com",
        firstName: "Ann",
        emailConsent: "subscribed",
        properties: { vip_level: "gold" },
        tags: ["vip"],
      },
      {
        workspaceId: a.workspace.id,
        email: "ben@example.com",
        firstName: "Ben",
        emailConsent: "unsubscribed",
        smsConsent: "subscribed",
      },
      { workspaceId: a.workspace.id, email: "cat@example.com", firstName: "Cat" },
      {
        workspaceId: b.workspace.id,
        email: "dan@example.com",
        firstName: "Dan",
        emailConsent: "subscribed",
        properties: { vip_level: "x" },
      },
    ])
    .returning({ id: contacts.id, email: contacts.email });
  ann = rows.find((r) => r.email === "ann@example.com")!.id;
  const ben = rows.find((r) => r.email === "ben@example.com")!.id;
  const dan = rows.find((r) => r.email === "dan@example.com")!.id;
  const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 12, m));
  await t.db.insert(events).values([
    {
      workspaceId: a.workspace.id,
      contactId: ann,
      name: "Placed Order",
      properties: { order_id: "o1", value: 20 },
      occurredAt: at(5),
      idempotencyKey: "e1",
    },
    {
      workspaceId: a.workspace.id,
      contactId: ann,
      name: "Viewed Product",
      properties: { product_id: "p1" },
      occurredAt: at(1),
      idempotencyKey: "e2",
    },
    {
      workspaceId: a.workspace.id,
      contactId: ben,
      name: "Viewed Product",
      properties: {},
      occurredAt: at(2),
      idempotencyKey: "e3",
    },
    {
      workspaceId: b.workspace.id,
      contactId: dan,
      name: "Placed Order",
      properties: {},
      occurredAt: at(3),
      idempotencyKey: "e4",
    },
  ]);
  await t.db.insert(messages).values([
    {
      workspaceId: a.workspace.id,
      contactId: ann,
      channel: "email",
      subject: "Thanks for your order",
      status: "sent",
    },
  ]);
});
afterAll(() => t.close());

const emails = (r: { items: Array<{ email: string | null }> }) => r.items.map((c) => c.email);

async function expectCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === code);
}

describe(`contacts list filters (${testDriver()})`, () => {
  it("filters by consent per channel", async () => {
    expect(
      emails(await a.caller.contacts.list({ consent: { channel: "email", status: "subscribed" } })),
    ).toEqual(["ann@example.com"]);
    expect(
      emails(await a.caller.contacts.list({ consent: { channel: "sms", status: "subscribed" } })),
    ).toEqual(["ben@example.com"]);
    expect(emails(await a.caller.contacts.list({ consent: { channel: "email", status: "none" } }))).toEqual([
      "cat@example.com",
    ]);
  });

  it("filters by a property and by an event done, inside the workspace only", async () => {
    expect(emails(await a.caller.contacts.list({ hasProperty: "vip_level" }))).toEqual(["ann@example.com"]);
    expect(emails(await a.caller.contacts.list({ didEvent: "Placed Order" }))).toEqual(["ann@example.com"]);
    expect(emails(await a.caller.contacts.list({ didEvent: "Viewed Product" }))).toEqual([
      "ann@example.com",
      "ben@example.com",
    ]);
    const both = await a.caller.contacts.list({
      didEvent: "Viewed Product",
      consent: { channel: "email", status: "unsubscribed" },
    });
    expect(emails(both)).toEqual(["ben@example.com"]);
    expect(both.total).toBe(1);
    expect(emails(await b.caller.contacts.list({ didEvent: "Placed Order" }))).toEqual(["dan@example.com"]);
    expect(await a.caller.contacts.eventNames()).toEqual(["Placed Order", "Viewed Product"]);
  });

  it("pages", async () => {
    const first = await a.caller.contacts.list({ limit: 2 });
    expect(emails(first)).toEqual(["ann@example.com", "ben@example.com"]);
    const page = await a.caller.contacts.list({ limit: 2, cursor: first.nextCursor! });
    expect(emails(page)).toEqual(["cat@example.com"]);
    expect(page.total).toBe(3);
    expect(page.nextCursor).toBeNull();
  });
});

describe(`contact profile (${testDriver()})`, () => {
  it("shows the contact, its timeline newest first and its messages", async () => {
    expect((await a.caller.contacts.get({ id: ann })).tags).toEqual(["vip"]);
    expect((await a.caller.contacts.timeline({ id: ann })).map((e) => e.name)).toEqual([
      "Placed Order",
      "Viewed Product",
    ]);
    expect((await a.caller.contacts.messages({ id: ann })).map((m) => m.subject)).toEqual([
      "Thanks for your order",
    ]);
  });

  it("does not let another workspace read it", async () => {
    await expectCode(b.caller.contacts.get({ id: ann }), "NOT_FOUND");
    await expectCode(b.caller.contacts.timeline({ id: ann }), "NOT_FOUND");
    await expectCode(b.caller.contacts.messages({ id: ann }), "NOT_FOUND");
  });
});

describe(`CSV import (${testDriver()})`, () => {
  it("writes good rows, reports bad rows by line, upserts by email", async () => {
    const csv = [
      "email,phone,first_name,last_name,timezone,birthday,email_consent,sms_consent,loyalty_tier",
      "new.one@example.com,+1 555 010 0001,New,One,Europe/Berlin,1990-04-02,yes,no,gold",
      "not-an-email,,,,,,,,",
      "ANN@example.com,,Annie,,,,,subscribed,silver",
      "bad.date@example.com,,,,,1990-13-45,,,",
      "bad.zone@example.com,,,,Mars/Olympus,,,,",
      "",
      "bad.consent@example.com,,,,,,maybe,,",
      "new.two@example.com,,Two,,,,unsubscribed,,",
    ].join("\n");
    const report = await a.caller.contacts.importCsv({ csv });
    expect(report.errors.map((e) => e.line)).toEqual([3, 5, 6, 8]);
    expect(report.errors[0]!.reason).toMatch(/bad email/);
    expect(report.errors[1]!.reason).toMatch(/bad date/);
    expect(report.errors[2]!.reason).toMatch(/unknown time zone/);
    expect(report.errors[3]!.reason).toMatch(/bad consent value/);
    expect(report).toMatchObject({ rows: 7, created: 2, updated: 1 });

    const [one] = await t.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, a.workspace.id), eq(contacts.email, "new.one@example.com")));
    expect(one).toMatchObject({
      phone: "+15550100001",
      timezone: "Europe/Berlin",
      birthday: "1990-04-02",
      emailConsent: "subscribed",
      smsConsent: "unsubscribed",
      properties: { loyalty_tier: "gold" },
    });
    const annNow = await a.caller.contacts.get({ id: ann });
    expect(annNow).toMatchObject({
      firstName: "Annie",
      emailConsent: "subscribed",
      smsConsent: "subscribed",
      properties: { vip_level: "gold", loyalty_tier: "silver" },
    });
    for (const bad of ["bad.date@example.com", "bad.zone@example.com", "bad.consent@example.com"]) {
      expect(await t.db.select().from(contacts).where(eq(contacts.email, bad))).toEqual([]);
    }
    expect((await b.caller.contacts.list({})).total).toBe(1);
  });

  it("writes nothing when the write fails part-way", async () => {
    const before = (await a.caller.contacts.list({})).total;
    const nameBefore = (await a.caller.contacts.get({ id: ann })).firstName;
    // The update of Ann runs first; the insert after it fails (Postgres refuses a NUL byte in text).
    const csv = ["email,first_name", "ann@example.com,Changed", "nul.row@example.com,Bad\u0000Name"].join(
      "\n",
    );
    await expect(a.caller.contacts.importCsv({ csv })).rejects.toBeTruthy();
    expect((await a.caller.contacts.list({})).total).toBe(before);
    expect((await a.caller.contacts.get({ id: ann })).firstName).toBe(nameBefore);
  });

  it("refuses a file without an email column", async () => {
    await expectCode(a.caller.contacts.importCsv({ csv: "name\nAnn" }), "BAD_REQUEST");
  });
});
