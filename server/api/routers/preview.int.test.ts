/**
 * The preview router against a real database: email, SMS and push rendered for a real
 * contact and event or for sample data, merge-field problems, workspace scoping, bad
 * input naming the field, and test sends landing in the Outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import { createContact, storeEvent } from "@/server/testing/flows";
import { messages } from "@/server/db/schema";
import { getOrCreateSecret } from "@/server/db/settings";
import { emailCatalog } from "@/emails/catalog";
import { verifyUnsubscribe } from "@/server/channels/unsubscribe-token";

let t: TestDb;
let a: Awaited<ReturnType<typeof createMember>>;
let b: Awaited<ReturnType<typeof createMember>>;
let maya: Awaited<ReturnType<typeof createContact>>;
let checkoutId: string;

const DAY = 86_400_000;
/** A checkout as the demo shop seeds it: the cart's fields at the top level of the properties. */
const checkout = (titles: [string, number, number][]) => ({
  cart_id: "c_1042",
  items: titles.map(([title, price, quantity], i) => ({
    product_id: `p${i}`,
    title,
    price,
    quantity,
    url: `/store/demo/products/p${i}`,
  })),
  value: titles.reduce((s, [, p, q]) => s + p * q, 0),
  currency: "USD",
  checkout_url: "/store/demo/checkout/c_1042",
});

const cartEmail = emailCatalog.abandoned_cart_1.defaultContent;

beforeAll(async () => {
  t = await createTestDb();
  a = await createMember(t.db, "Alice");
  b = await createMember(t.db, "Bob");
  maya = await createContact(t.db, a.workspace.id, {
    firstName: "Maya",
    lastName: "Okafor",
    email: "maya.okafor@example.com",
  });
  const now = Date.now();
  await storeEvent(t.db, {
    workspaceId: a.workspace.id,
    contactId: maya.id,
    name: "Started Checkout",
    properties: checkout([["Old Cart Item", 10, 1]]),
    at: now - 3 * DAY,
  });
  checkoutId = (
    await storeEvent(t.db, {
      workspaceId: a.workspace.id,
      contactId: maya.id,
      name: "Started Checkout",
      properties: checkout([
        ["Kenya AA Whole Bean", 18.5, 2],
        ["Ceramic Pour-Over Dripper", 32, 1],
      ]),
      at: now - DAY,
    })
  ).id;
  await storeEvent(t.db, {
    workspaceId: a.workspace.id,
    contactId: maya.id,
    name: "Viewed Product",
    properties: { product_id: "p9", title: "Burr Grinder" },
    at: now - 2 * DAY,
  });
});
afterAll(() => t.close());

async function expectCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === code);
}

describe(`preview.email (${testDriver()})`, () => {
  it("renders for a real contact and one of their events: name, cart items, subject and preheader", async () => {
    const p = await a.caller.preview.email({
      content: cartEmail,
      contactId: maya.id,
      eventId: checkoutId,
      triggerEventName: "Started Checkout",
    });
    expect(p.error).toBeNull();
    expect(p.rendered?.subject).toBe("Maya, you left something behind");
    expect(p.rendered?.preheader).toBe("Your cart is saved and ready when you are.");
    expect(p.rendered?.html).toContain("Kenya AA Whole Bean");
    expect(p.rendered?.html).toContain("Ceramic Pour-Over Dripper");
    expect(p.rendered?.text).toContain("Kenya AA Whole Bean");
    expect(p.to).toBe("maya.okafor@example.com");
    expect(p.from).toBe(`Alice's shop <${a.workspace.senderEmail}>`);
    expect(p.source).toMatchObject({
      kind: "contact",
      contact: { id: maya.id, name: "Maya Okafor" },
      event: {
        id: checkoutId,
        name: "Started Checkout",
        summary: "Kenya AA Whole Bean × 2, Ceramic Pour-Over Dripper · $69.00",
      },
    });
    expect(p.problems).toEqual([]);
    // The unsubscribe link is the contact's own, signed.
    const token = /href="[^"]*\/u\/([A-Za-z0-9_.-]+)"/.exec(p.rendered?.html ?? "")?.[1];
    expect(verifyUnsubscribe(token ?? "", await getOrCreateSecret(t.db, "link_signing_key"))).toMatchObject({
      contactId: maya.id,
      channel: "email",
    });
  });

  it("without an event id, uses the contact's latest trigger event", async () => {
    const p = await a.caller.preview.email({
      content: cartEmail,
      contactId: maya.id,
      triggerEventName: "Started Checkout",
    });
    expect(p.source.kind === "contact" && p.source.event?.id).toBe(checkoutId);
    expect(p.rendered?.html).not.toContain("Old Cart Item");
  });

  it("says so when the contact never had the trigger event", async () => {
    const p = await a.caller.preview.email({
      content: emailCatalog.order_confirmation.defaultContent,
      contactId: maya.id,
      triggerEventName: "Placed Order",
    });
    expect(p.source).toMatchObject({
      kind: "contact",
      event: null,
      note: "Maya Okafor has no “Placed Order” event yet, so its fields are empty.",
    });
    expect(p.empty).toContainEqual({ field: "subject", key: "order.order_id", guarded: false });
  });

  it("renders sample data without a contact", async () => {
    const p = await a.caller.preview.email({ content: cartEmail });
    expect(p.source).toEqual({ kind: "sample", triggerName: "Started Checkout" });
    expect(p.rendered?.subject).toBe("Maya, you left something behind");
    expect(p.rendered?.html).toContain("Organic Sencha Green Tea");
    expect(p.rendered?.html).toContain("/u/sample");
    // The real shop's name and colours, the sample customer.
    expect(p.rendered?.html).toContain("Alice&#x27;s shop");
  });

  it("reports merge-field problems and fields this contact leaves empty", async () => {
    const nameless = await createContact(t.db, a.workspace.id, { firstName: null, lastName: null });
    const content = {
      ...cartEmail,
      subject: '{{ first_name | default: "Hey" }}, {{ frist_name }} forgot {{ order.order_id }}',
      heading: "Hi {{ first_name }}",
    };
    const p = await a.caller.preview.email({
      content,
      contactId: nameless.id,
      triggerEventName: "Started Checkout",
    });
    expect(p.problems).toEqual([
      expect.objectContaining({ field: "subject", key: "frist_name", severity: "error" }),
      expect.objectContaining({ field: "subject", key: "order.order_id", severity: "error" }),
      expect.objectContaining({ field: "heading", key: "first_name", severity: "warning" }),
    ]);
    expect(p.empty).toEqual(
      expect.arrayContaining([
        { field: "subject", key: "first_name", guarded: true },
        { field: "heading", key: "first_name", guarded: false },
      ]),
    );
    expect(p.problems[1]?.message).toContain("isn’t available for this flow’s trigger");
    // Still rendered: problems are shown beside the preview, not instead of it.
    expect(p.rendered?.subject).toBe("Hey, forgot");
  });

  it("shows a render error inline instead of failing", async () => {
    const p = await a.caller.preview.email({ content: { ...cartEmail, template: "standard" } });
    expect(p.rendered).toBeNull();
    expect(p.error).toBe("Unknown email template “standard”.");
    const syntax = await a.caller.preview.email({ content: { ...cartEmail, body: "Hello {{ first_name " } });
    expect(syntax.rendered).toBeNull();
    expect(syntax.error).toMatch(/not closed|output|tag/i);
    expect(syntax.problems[0]).toMatchObject({ field: "body", severity: "error" });
  });

  it("keeps each workspace's contacts and events to itself", async () => {
    await expectCode(b.caller.preview.email({ content: cartEmail, contactId: maya.id }), "NOT_FOUND");
    await expectCode(b.caller.preview.sendTest({ content: cartEmail, contactId: maya.id }), "NOT_FOUND");
    await expectCode(b.caller.preview.triggerEvents({ contactId: maya.id }), "NOT_FOUND");
    const bob = await createContact(t.db, b.workspace.id);
    await expectCode(
      b.caller.preview.email({ content: cartEmail, contactId: bob.id, eventId: checkoutId }),
      "NOT_FOUND",
    );
    expect((await b.caller.preview.contacts({})).map((c) => c.id)).toEqual([bob.id]);
    expect((await b.caller.preview.contacts({ eventName: "Started Checkout" })).map((c) => c.id)).toEqual([]);
    const http = await callHttp(
      t.db,
      b.user,
      "preview.email",
      { content: cartEmail, contactId: maya.id },
      "query",
    );
    expect(http.status).toBe(404);
    expect(http.body.error?.json.data.fieldErrors).toEqual({ contactId: ["Contact not found"] });
  });

  it("answers bad input with a 400 naming the field", async () => {
    const badId = await callHttp(
      t.db,
      a.user,
      "preview.email",
      { content: cartEmail, contactId: "nope" },
      "query",
    );
    expect(badId.status).toBe(400);
    expect(badId.body.error?.json.data.fieldErrors).toEqual({ contactId: ["Not a contact id"] });
    const { subject: _subject, ...noSubject } = cartEmail;
    const missing = await callHttp(t.db, a.user, "preview.email", { content: noSubject }, "query");
    expect(Object.keys(missing.body.error?.json.data.fieldErrors ?? {})).toEqual(["content.subject"]);
    const extra = await callHttp(
      t.db,
      a.user,
      "preview.email",
      { content: { ...cartEmail, colour: "red" } },
      "query",
    );
    expect(extra.status).toBe(400);
    expect(Object.keys(extra.body.error?.json.data.fieldErrors ?? {})).toEqual(["content"]);
    const eventWithoutContact = await callHttp(
      t.db,
      a.user,
      "preview.email",
      { content: cartEmail, eventId: checkoutId },
      "query",
    );
    expect(eventWithoutContact.body.error?.json.data.fieldErrors).toEqual({
      eventId: ["Pick a contact before picking one of their events"],
    });
  });
});

describe(`preview pickers (${testDriver()})`, () => {
  it("lists contacts who had the trigger event, and a contact's events newest first", async () => {
    const other = await createContact(t.db, a.workspace.id, { firstName: "Zed" });
    const withCarts = await a.caller.preview.contacts({ eventName: "Started Checkout" });
    expect(withCarts.map((c) => c.id)).toEqual([maya.id]);
    expect(withCarts[0]).toMatchObject({
      name: "Maya Okafor",
      email: "maya.okafor@example.com",
      emailConsent: "subscribed",
    });
    expect(withCarts[0]?.lastEventAt).toBeInstanceOf(Date);
    expect((await a.caller.preview.contacts({ search: "zed" })).map((c) => c.id)).toEqual([other.id]);

    const events = await a.caller.preview.triggerEvents({ contactId: maya.id });
    expect(events.map((e) => e.name)).toEqual(["Started Checkout", "Viewed Product", "Started Checkout"]);
    expect(events[1]?.summary).toBe("Burr Grinder");
    expect(
      (await a.caller.preview.triggerEvents({ contactId: maya.id, eventName: "Viewed Product" })).map(
        (e) => e.name,
      ),
    ).toEqual(["Viewed Product"]);
  });
});

describe(`preview.sms and preview.push (${testDriver()})`, () => {
  it("merges an SMS for a contact and counts its segments", async () => {
    const p = await a.caller.preview.sms({
      content: {
        body: "Hi {{ first_name }}, your cart ({{ cart.item_count }} items) is waiting: {{ cart.checkout_url }}",
        category: "marketing",
      },
      contactId: maya.id,
      eventId: checkoutId,
    });
    expect(p.rendered?.body).toMatch(
      /^Alice's shop: Hi Maya, your cart \(3 items\) is waiting: http.*\/store\/demo\/checkout\/c_1042\nReply STOP to opt out\.$/,
    );
    expect(p.rendered?.segments).toMatchObject({ encoding: "GSM-7", segments: 1 });
    expect(p.to).toBe(maya.phone);
    const long = await a.caller.preview.sms({
      content: { body: "☕ ".repeat(40), category: "transactional" },
    });
    expect(long.rendered?.segments).toMatchObject({ encoding: "UCS-2", segments: 2 });
  });

  it("merges a push notification", async () => {
    const p = await a.caller.preview.push({
      content: {
        title: "{{ first_name }}, still thinking?",
        body: "Your {{ cart.items }} are waiting",
        url: "{{ cart.checkout_url }}",
        category: "marketing",
      },
      contactId: maya.id,
      eventId: checkoutId,
    });
    expect(p.rendered).toMatchObject({
      title: "Maya, still thinking?",
      body: "Your Kenya AA Whole Bean × 2, Ceramic Pour-Over Dripper are waiting",
    });
    expect(p.rendered?.url).toMatch(/\/store\/demo\/checkout\/c_1042$/);
  });
});

describe(`preview.sendTest (${testDriver()})`, () => {
  it("sends to the signed-in member through the Outbox and records a message with no enrollment", async () => {
    const result = await a.caller.preview.sendTest({
      content: cartEmail,
      contactId: maya.id,
      eventId: checkoutId,
      triggerEventName: "Started Checkout",
    });
    expect(result).toMatchObject({ to: a.user.email, status: "sent", provider: "outbox", error: null });
    const [row] = await t.db.select().from(messages).where(eq(messages.id, result.messageId));
    expect(row).toMatchObject({
      workspaceId: a.workspace.id,
      enrollmentId: null,
      flowId: null,
      contactId: null,
      channel: "email",
      category: "marketing",
      status: "sent",
      toAddress: a.user.email,
      subject: "[Test] Maya, you left something behind",
      provider: "outbox",
      providerMessageId: `outbox_${result.messageId}`,
    });
    expect(row?.content).toMatchObject({
      subject: "Maya, you left something behind",
      preheader: "Your cart is saved and ready when you are.",
      test: { previewContactId: maya.id },
    });
    expect(String(row?.content.html)).toContain("Kenya AA Whole Bean");

    // The test's unsubscribe link is the previewed contact's, pointing back at this message.
    const token = /href="[^"]*\/u\/([A-Za-z0-9_.-]+)"/.exec(String(row?.content.html))?.[1];
    expect(verifyUnsubscribe(token ?? "", await getOrCreateSecret(t.db, "link_signing_key"))).toEqual({
      workspaceId: a.workspace.id,
      contactId: maya.id,
      channel: "email",
      messageId: result.messageId,
    });

    const listed = await a.caller.outbox.list();
    expect(listed[0]).toMatchObject({
      id: result.messageId,
      isTest: true,
      subject: "[Test] Maya, you left something behind",
      status: "sent",
    });
    const view = await a.caller.outbox.get({ id: result.messageId });
    expect(view).toMatchObject({
      isTest: true,
      contact: { id: maya.id, previewOnly: true },
      email: { preheader: "Your cart is saved and ready when you are." },
    });
    expect(view.email?.links.map((l) => l.kind)).toEqual(
      expect.arrayContaining(["unsubscribe", "preferences", "link"]),
    );
    await expectCode(b.caller.outbox.get({ id: result.messageId }), "NOT_FOUND");
    expect((await b.caller.outbox.list()).map((m) => m.id)).not.toContain(result.messageId);
  });

  it("sends sample data too, and refuses content that does not render", async () => {
    const sample = await a.caller.preview.sendTest({ content: emailCatalog.welcome.defaultContent });
    expect(sample.status).toBe("sent");
    const [row] = await t.db.select().from(messages).where(eq(messages.id, sample.messageId));
    expect(String(row?.content.html)).toContain("/u/sample");
    const before = (await a.caller.outbox.list()).length;
    const bad = await callHttp(t.db, a.user, "preview.sendTest", {
      content: { ...cartEmail, template: "nope" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.json.data.fieldErrors).toEqual({ content: ["Unknown email template “nope”."] });
    expect((await a.caller.outbox.list()).length).toBe(before);
  });

  it("filters the Outbox by channel and status", async () => {
    await t.db.insert(messages).values([
      {
        workspaceId: a.workspace.id,
        channel: "sms",
        status: "failed",
        toAddress: "+15550000001",
        lastError: "Twilio 400",
      },
      { workspaceId: a.workspace.id, channel: "push", status: "skipped", skipReason: "no_consent" },
    ]);
    expect((await a.caller.outbox.list({ channel: "sms" })).map((m) => m.status)).toEqual(["failed"]);
    expect((await a.caller.outbox.list({ status: "skipped" })).map((m) => m.channel)).toEqual(["push"]);
    expect(await a.caller.outbox.count({ channel: "email" })).toBe(2);
    const bad = await callHttp(t.db, a.user, "outbox.list", { channel: "fax" }, "query");
    expect(bad.body.error?.json.data.fieldErrors).toEqual({ channel: ["Pick email, sms or push"] });
  });
});

describe(`outbox.get of a message recorded without its rendered copy (${testDriver()})`, () => {
  it("renders it from the step's content for the contact and trigger it was sent for, and stores nothing", async () => {
    // A workspace of its own, so these rows stay out of the other Outbox tests.
    const c = await createMember(t.db, "Carol");
    const maya = await createContact(t.db, c.workspace.id, { firstName: "Maya", email: "maya@example.com" });
    const trigger = { name: "Started Checkout", properties: checkout([["Kenya AA Whole Bean", 18.5, 2]]) };
    const [row] = await t.db
      .insert(messages)
      .values({
        workspaceId: c.workspace.id,
        flowId: crypto.randomUUID(),
        nodeId: "email_1",
        contactId: maya.id,
        channel: "email",
        status: "sent",
        provider: "history",
        toAddress: maya.email,
        subject: cartEmail.subject,
        content: { config: cartEmail, trigger },
      })
      .returning();
    // The list merges the subject the row holds unmerged.
    expect(cartEmail.subject).toContain("{{");
    expect((await c.caller.outbox.list()).find((m) => m.id === row!.id)?.subject).toBe(
      "Maya, you left something behind",
    );
    const view = await c.caller.outbox.get({ id: row!.id });
    expect(view.isTest).toBe(false);
    expect(view.subject).toBe("Maya, you left something behind");
    expect(view.email).toMatchObject({
      renderedSubject: "Maya, you left something behind",
      preheader: "Your cart is saved and ready when you are.",
    });
    expect(view.email?.html).toContain("Kenya AA Whole Bean");
    expect(view.email?.text).toContain("Kenya AA Whole Bean");
    expect(view.email?.links.map((l) => l.kind)).toEqual(expect.arrayContaining(["unsubscribe", "link"]));
    const token = /href="[^"]*\/u\/([A-Za-z0-9_.-]+)"/.exec(view.email?.html ?? "")?.[1];
    expect(verifyUnsubscribe(token ?? "", await getOrCreateSecret(t.db, "link_signing_key"))).toEqual({
      workspaceId: c.workspace.id,
      contactId: maya.id,
      channel: "email",
      messageId: row!.id,
    });
    const [after] = await t.db
      .select({ content: messages.content })
      .from(messages)
      .where(eq(messages.id, row!.id));
    expect(after?.content).not.toHaveProperty("html");

    // Nothing to render from (or not sent): shown without a body, never an error.
    const [bare] = await t.db
      .insert(messages)
      .values({
        workspaceId: c.workspace.id,
        flowId: crypto.randomUUID(),
        nodeId: "email_1",
        contactId: maya.id,
        channel: "email",
        status: "sent",
        content: {},
      })
      .returning();
    expect((await c.caller.outbox.get({ id: bare!.id })).email?.html).toBeNull();
    const [skipped] = await t.db
      .insert(messages)
      .values({
        workspaceId: c.workspace.id,
        flowId: crypto.randomUUID(),
        nodeId: "email_1",
        contactId: maya.id,
        channel: "email",
        status: "skipped",
        content: { config: cartEmail, trigger },
      })
      .returning();
    expect((await c.caller.outbox.get({ id: skipped!.id })).email?.html).toBeNull();
  });
});
