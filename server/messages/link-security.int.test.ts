/**
 * The doors around signed links and errors, against a real database: the preference page
 * refuses a browser's cross-origin POST; rotated links still unsubscribe but cannot
 * resubscribe; `/r/` redirects only to http(s); an internal tRPC error reaches the client as
 * an error id, with the SQL only in the server log.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import { createContact } from "@/server/testing/flows";
import { appSettings, contacts, messageEvents, messages } from "@/server/db/schema";
import { signUnsubscribe } from "@/server/channels/unsubscribe-token";
import { handleClick, signLink } from "@/server/analytics/tracking";
import { handlePreferencesPost, handleUnsubscribePost } from "./link-handlers";

const KEY = "test-link-signing-key-0123456789";
const APP = "https://app.tidings.example";

let t: TestDb;
let a: Awaited<ReturnType<typeof createMember>>;

beforeAll(async () => {
  t = await createTestDb();
  await t.db.insert(appSettings).values({ key: "link_signing_key", value: KEY }).onConflictDoNothing();
  a = await createMember(t.db, "Alice");
});
afterAll(() => t.close());

async function consentOf(contactId: string) {
  const [row] = await t.db
    .select({ email: contacts.emailConsent, sms: contacts.smsConsent })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  return row;
}

const preferences = (token: string, fields: [string, string][], headers: Record<string, string> = {}) =>
  new Request(`${APP}/u/${token}/preferences`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });

const resubscribe: [string, string][] = [
  ["channels", "email"],
  ["email", "on"],
];

describe(`preference page (${testDriver()})`, () => {
  it("refuses a cross-origin POST and changes nothing; its own form still saves", async () => {
    const contact = await createContact(t.db, a.workspace.id, { emailConsent: "unsubscribed" });
    const token = signUnsubscribe(
      { workspaceId: a.workspace.id, contactId: contact.id, channel: "email" },
      KEY,
    );

    const crossOrigin: Array<Record<string, string>> = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: "https://shop.tidings.example" },
      { origin: "null" },
    ];
    for (const headers of crossOrigin) {
      const res = await handlePreferencesPost(t.db, preferences(token, resubscribe, headers), token);
      expect(res.status).toBe(403);
      expect((await consentOf(contact.id))?.email).toBe("unsubscribed");
    }

    const own = await handlePreferencesPost(
      t.db,
      preferences(token, resubscribe, { origin: APP, "sec-fetch-site": "same-origin" }),
      token,
    );
    expect(own.status).toBe(200);
    expect((await consentOf(contact.id))?.email).toBe("subscribed");
  });

  it("after the contact's links are rotated, an old link still unsubscribes but cannot resubscribe", async () => {
    const contact = await createContact(t.db, a.workspace.id, { emailConsent: "subscribed" });
    const old = signUnsubscribe(
      { workspaceId: a.workspace.id, contactId: contact.id, channel: "email" },
      KEY,
    );
    expect(await a.caller.contacts.rotateLinks({ id: contact.id })).toEqual({ rotated: true });

    const oneClick = new Request(`${APP}/u/${old}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect((await handleUnsubscribePost(t.db, oneClick, old)).status).toBe(200);
    expect((await consentOf(contact.id))?.email).toBe("unsubscribed");

    const again = await handlePreferencesPost(t.db, preferences(old, resubscribe), old);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("disabled");
    expect((await consentOf(contact.id))?.email).toBe("unsubscribed");

    const current = signUnsubscribe(
      { workspaceId: a.workspace.id, contactId: contact.id, channel: "email", version: 1 },
      KEY,
    );
    await handlePreferencesPost(t.db, preferences(current, resubscribe), current);
    expect((await consentOf(contact.id))?.email).toBe("subscribed");
  });
});

describe(`click redirect (${testDriver()})`, () => {
  it("redirects only to http(s), even for a genuine token", async () => {
    const [m] = await t.db
      .insert(messages)
      .values({
        workspaceId: a.workspace.id,
        channel: "email",
        status: "sent",
        content: { links: ["javascript:alert(1)", "https://shop.example.com/ok"] },
      })
      .returning();
    const now = new Date();
    for (const u of [
      "javascript:alert(document.cookie)",
      "data:text/html,<script>1</script>",
      "JaVaScRiPt:alert(1)",
    ]) {
      const outcome = await handleClick(t.db, {
        token: signLink({ m: m!.id, u }, KEY),
        key: KEY,
        appUrl: APP,
        now,
      });
      expect(outcome.status).toBe(400);
    }
    // A forged token for a javascript: URL on the app's own host is refused too.
    const forged = `${Buffer.from(JSON.stringify({ m: m!.id, u: "javascript://app.tidings.example/%0aalert(1)" })).toString("base64url")}.${"A".repeat(43)}`;
    expect((await handleClick(t.db, { token: forged, key: KEY, appUrl: APP, now })).status).toBe(400);
    // The open-pixel token is not a click token.
    const pixel = signLink({ m: m!.id }, KEY);
    expect((await handleClick(t.db, { token: pixel, key: KEY, appUrl: APP, now })).status).toBe(400);
    const ok = await handleClick(t.db, {
      token: signLink({ m: m!.id, u: "https://shop.example.com/ok" }, KEY),
      key: KEY,
      appUrl: APP,
      now,
    });
    expect(ok).toEqual({ status: 302, location: "https://shop.example.com/ok", recorded: true });
    const clicks = await t.db.select().from(messageEvents).where(eq(messageEvents.messageId, m!.id));
    expect(clicks).toHaveLength(1);
  });
});

describe(`tRPC internal errors (${testDriver()})`, () => {
  it("reach the client as a generic message with an error id; the SQL goes to the server log under that id", async () => {
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    await t.db.execute(sql`alter table contacts rename to contacts_away`);
    try {
      const res = await callHttp(t.db, a.user, "contacts.list", {}, "query");
      expect(res.status).toBe(500);
      const error = res.body.error!.json as { message: string; data: { code: string; errorId?: string } };
      const text = JSON.stringify(res.body);
      expect(error.data.code).toBe("INTERNAL_SERVER_ERROR");
      expect(error.data.errorId).toMatch(/^[0-9a-f]{8}$/);
      expect(error.message).toContain(error.data.errorId!);
      for (const secret of ["select ", "contacts_away", a.workspace.id, "relation", "params"])
        expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
      const line = logged.find((args) => String(args[0]).includes(error.data.errorId!));
      expect(line).toBeDefined();
      expect(String((line![1] as Error).message ?? line![1]).toLowerCase()).toMatch(/select .*contacts/);
    } finally {
      await t.db.execute(sql`alter table contacts_away rename to contacts`);
      spy.mockRestore();
    }
    // Domain errors keep their messages.
    const missing = await callHttp(t.db, a.user, "contacts.rotateLinks", {
      id: "00000000-0000-4000-8000-000000000000",
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error?.json.message).toBe("Contact not found");
  });
});
