/**
 * Unsubscribe links against a real database: one-click POST flips consent at once, a GET
 * never does, the preference page resubscribes, a tampered token is a 400 that changes
 * nothing, and the executor honours the change from the contact's next step.
 */
import { withEmailBodies } from "@/server/channels/email-bodies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import {
  createContact,
  FakeClock,
  HOUR,
  publishGraph,
  runUntilIdle,
  storeEvent,
  testExecutor,
} from "@/server/testing/flows";
import { appSettings, contacts, messageEvents, messages } from "@/server/db/schema";
import { signUnsubscribe } from "@/server/channels/unsubscribe-token";
import { getFlowTemplate } from "@/server/engine/templates";
import {
  handlePreferencesGet,
  handlePreferencesPost,
  handleUnsubscribeGet,
  handleUnsubscribePost,
} from "./link-handlers";

/** The key the test executor signs with; stored as the installation's link-signing key. */
const KEY = "test-link-signing-key-0123456789";

let t: TestDb;
let a: Awaited<ReturnType<typeof createMember>>;
let b: Awaited<ReturnType<typeof createMember>>;

beforeAll(async () => {
  t = await createTestDb();
  await t.db.insert(appSettings).values({ key: "link_signing_key", value: KEY }).onConflictDoNothing();
  a = await createMember(t.db, "Alice");
  b = await createMember(t.db, "Bob");
});
afterAll(() => t.close());

async function consentOf(contactId: string) {
  const [row] = await t.db
    .select({ email: contacts.emailConsent, sms: contacts.smsConsent })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  return row;
}

const oneClick = (token: string) =>
  new Request(`https://app.tidings.example/u/${token}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });

const form = (token: string, fields: [string, string][]) =>
  new Request(`https://app.tidings.example/u/${token}/preferences`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });

describe(`unsubscribe links (${testDriver()})`, () => {
  it("one-click POST unsubscribes at once and records it on the message", async () => {
    const contact = await createContact(t.db, a.workspace.id);
    const [message] = await t.db
      .insert(messages)
      .values({
        workspaceId: a.workspace.id,
        contactId: contact.id,
        channel: "email",
        status: "sent",
        toAddress: contact.email,
      })
      .returning();
    const token = signUnsubscribe(
      { workspaceId: a.workspace.id, contactId: contact.id, channel: "email", messageId: message!.id },
      KEY,
    );

    const res = await handleUnsubscribePost(t.db, oneClick(token), token);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("You’re unsubscribed");
    expect(await consentOf(contact.id)).toEqual({ email: "unsubscribed", sms: "subscribed" });
    const events = await t.db.select().from(messageEvents).where(eq(messageEvents.messageId, message!.id));
    expect(events.map((e) => [e.type, e.data.source])).toEqual([["unsubscribed", "one-click"]]);

    // A second click succeeds and records nothing new.
    expect((await handleUnsubscribePost(t.db, oneClick(token), token)).status).toBe(200);
    expect(
      await t.db.select().from(messageEvents).where(eq(messageEvents.messageId, message!.id)),
    ).toHaveLength(1);
  });

  it("GET shows a confirmation page and changes nothing", async () => {
    const contact = await createContact(t.db, a.workspace.id, { email: "maya.chen@example.com" });
    const token = signUnsubscribe(
      { workspaceId: a.workspace.id, contactId: contact.id, channel: "email" },
      KEY,
    );
    const res = await handleUnsubscribeGet(t.db, token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain(`Unsubscribe from ${a.workspace.name.replace("'", "&#x27;")} emails?`);
    expect(html).toMatch(
      new RegExp(`<form (action="/u/${token}" method="post"|method="post" action="/u/${token}")>`),
    );
    expect(html).toContain("ma•••@example.com");
    expect(html).not.toContain("maya.chen@example.com");
    expect(await consentOf(contact.id)).toEqual({ email: "subscribed", sms: "subscribed" });
  });

  it("the preference page resubscribes and unsubscribes per channel", async () => {
    const contact = await createContact(t.db, a.workspace.id, {
      emailConsent: "unsubscribed",
      smsConsent: "subscribed",
    });
    const token = signUnsubscribe(
      { workspaceId: a.workspace.id, contactId: contact.id, channel: "email" },
      KEY,
    );
    const page = await (await handlePreferencesGet(t.db, token)).text();
    expect(page).toContain('name="email"');
    expect(page).toContain('name="sms"');

    const saved = await handlePreferencesPost(
      t.db,
      form(token, [
        ["channels", "email"],
        ["channels", "sms"],
        ["email", "on"],
      ]),
      token,
    );
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Saved.");
    expect(await consentOf(contact.id)).toEqual({ email: "subscribed", sms: "unsubscribed" });

    // A channel not on the form keeps its consent.
    await handlePreferencesPost(t.db, form(token, [["channels", "email"]]), token);
    expect(await consentOf(contact.id)).toEqual({ email: "unsubscribed", sms: "unsubscribed" });
  });

  it("does not switch on a channel the contact never opted in to", async () => {
    const contact = await createContact(t.db, a.workspace.id, {
      emailConsent: "subscribed",
      smsConsent: "none",
    });
    const token = signUnsubscribe(
      { workspaceId: a.workspace.id, contactId: contact.id, channel: "email" },
      KEY,
    );
    await handlePreferencesPost(
      t.db,
      form(token, [
        ["channels", "email"],
        ["channels", "sms"],
        ["email", "on"],
        ["sms", "on"],
      ]),
      token,
    );
    expect(await consentOf(contact.id)).toEqual({ email: "subscribed", sms: "none" });
  });

  it("answers a tampered, truncated or foreign token with a friendly 400 and changes nothing", async () => {
    const contact = await createContact(t.db, a.workspace.id);
    const token = signUnsubscribe(
      { workspaceId: a.workspace.id, contactId: contact.id, channel: "email" },
      KEY,
    );
    const [part, sig] = token.split(".") as [string, string];
    const other = await createContact(t.db, b.workspace.id);
    // The same signature on a payload pointing at another contact.
    const forged = `${Buffer.from(JSON.stringify({ w: b.workspace.id, c: other.id, ch: "email" })).toString("base64url")}.${sig}`;
    const foreign = signUnsubscribe(
      { workspaceId: a.workspace.id, contactId: contact.id, channel: "email" },
      "some-other-installation-key",
    );
    const bad = [`${part}.${sig.slice(0, -2)}xx`, part, forged, foreign, "%00", "a.b.c", "x".repeat(5000)];
    for (const token of bad) {
      for (const res of [
        await handleUnsubscribeGet(t.db, token),
        await handleUnsubscribePost(t.db, oneClick(token), token),
        await handlePreferencesGet(t.db, token),
        await handlePreferencesPost(t.db, form(token, [["channels", "email"]]), token),
      ]) {
        expect(res.status).toBe(400);
        expect(await res.text()).toContain("This link doesn’t work");
      }
    }
    expect(await consentOf(contact.id)).toEqual({ email: "subscribed", sms: "subscribed" });
    expect(await consentOf(other.id)).toEqual({ email: "subscribed", sms: "subscribed" });
  });

  it("a token for a contact in another workspace is refused", async () => {
    const contact = await createContact(t.db, b.workspace.id);
    const token = signUnsubscribe(
      { workspaceId: a.workspace.id, contactId: contact.id, channel: "email" },
      KEY,
    );
    expect((await handleUnsubscribePost(t.db, oneClick(token), token)).status).toBe(400);
    expect(await consentOf(contact.id)).toEqual({ email: "subscribed", sms: "subscribed" });
  });

  it("the sample link used in sample previews explains itself", async () => {
    const res = await handleUnsubscribeGet(t.db, "sample");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("This is an example link");
  });

  it("the executor honours the unsubscribe from the contact's next step", async () => {
    const START = Date.UTC(2026, 2, 2, 14, 0, 0);
    const clock = new FakeClock(START);
    const template = getFlowTemplate("abandoned_cart");
    if (!template) throw new Error("no abandoned cart template");
    const flow = await publishGraph(t.db, {
      workspaceId: a.workspace.id,
      userId: a.user.id,
      graph: template.graph,
      now: START,
    });
    const executor = testExecutor(t, clock);
    const contact = await createContact(t.db, a.workspace.id, { firstName: "Rosa" });
    const cart = {
      cart_id: "c_1",
      value: 36,
      currency: "USD",
      checkout_url: "https://shop.example.com/checkout/c_1",
      items: [{ product_id: "p1", title: "Kenya AA", price: 18, quantity: 2 }],
    };
    await executor.handleEvents([
      await storeEvent(t.db, {
        workspaceId: a.workspace.id,
        contactId: contact.id,
        name: "Started Checkout",
        properties: cart,
        at: START,
      }),
    ]);
    await runUntilIdle(t.db, executor, clock, { until: START + 2 * HOUR });

    const [first] = await withEmailBodies(
      t.db,
      await t.db.select().from(messages).where(eq(messages.flowId, flow.flowId)),
    );
    expect(first?.status).toBe("sent");
    const link = /href="https:\/\/shop\.example\.com\/u\/([A-Za-z0-9_.-]+)"/.exec(
      String(first?.content.html),
    )?.[1];
    expect(link).toBeTruthy();
    expect((await handleUnsubscribePost(t.db, oneClick(link!), link!)).status).toBe(200);

    await runUntilIdle(t.db, executor, clock);
    const sent = await t.db
      .select({
        nodeId: messages.nodeId,
        channel: messages.channel,
        status: messages.status,
        skipReason: messages.skipReason,
      })
      .from(messages)
      .where(eq(messages.flowId, flow.flowId))
      .orderBy(asc(messages.createdAt), asc(messages.nodeId));
    expect(sent).toEqual([
      { nodeId: "email_1", channel: "email", status: "sent", skipReason: null },
      { nodeId: "email_2", channel: "email", status: "skipped", skipReason: "no_consent" },
      { nodeId: "sms_reminder", channel: "sms", status: "sent", skipReason: null },
      { nodeId: "email_3", channel: "email", status: "skipped", skipReason: "no_consent" },
    ]);
  });
});
