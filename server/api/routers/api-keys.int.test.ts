/**
 * The apiKeys router: keys are shown once, stored hashed, scoped to the workspace (B can
 * neither list nor revoke A's keys), and bad input names the field. Also the Shopify secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import { apiKeys, workspaces } from "@/server/db/schema";
import { authenticateApiKey, hashApiKey } from "@/server/api-keys/api-keys";

let t: TestDb;
let a: Awaited<ReturnType<typeof createMember>>;
let b: Awaited<ReturnType<typeof createMember>>;

beforeAll(async () => {
  t = await createTestDb();
  a = await createMember(t.db, "Alice");
  b = await createMember(t.db, "Bob");
});
afterAll(() => t.close());

async function expectCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === code);
}

describe(`apiKeys router (${testDriver()})`, () => {
  it("creates a key shown once, stores only its hash and prefix", async () => {
    const secret = await a.caller.apiKeys.create({ name: "  Storefront server ", kind: "secret" });
    const publishable = await a.caller.apiKeys.create({ name: "Browser", kind: "publishable" });
    expect(secret.key).toMatch(/^tid_sk_[A-Za-z0-9_-]{43}$/);
    expect(publishable.key).toMatch(/^tid_pk_/);
    expect(secret.apiKey).toMatchObject({
      name: "Storefront server",
      kind: "secret",
      prefix: secret.key.slice(0, 13),
      lastUsedAt: null,
      revokedAt: null,
    });
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, secret.apiKey.id));
    expect(row?.hash).toBe(hashApiKey(secret.key));
    expect(JSON.stringify(row)).not.toContain(secret.key);

    const listed = await a.caller.apiKeys.list();
    expect(listed.map((k) => k.name)).toEqual(["Browser", "Storefront server"]);
    expect(JSON.stringify(listed)).not.toContain(secret.key);
    expect(listed[0]).not.toHaveProperty("hash");
  });

  it("notes when a key was last used", async () => {
    const { key, apiKey } = await a.caller.apiKeys.create({ name: "Used", kind: "secret" });
    expect(await authenticateApiKey(t.db, key)).toMatchObject({
      workspaceId: a.workspace.id,
      kind: "secret",
    });
    expect((await a.caller.apiKeys.list()).find((k) => k.id === apiKey.id)?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("keeps each workspace's keys to itself: B can neither see nor revoke A's key", async () => {
    const { key, apiKey } = await a.caller.apiKeys.create({ name: "Alice's", kind: "secret" });
    expect((await b.caller.apiKeys.list()).map((k) => k.id)).not.toContain(apiKey.id);
    await expectCode(b.caller.apiKeys.revoke({ id: apiKey.id }), "NOT_FOUND");
    expect(await authenticateApiKey(t.db, key)).not.toBeNull();

    const revoked = await a.caller.apiKeys.revoke({ id: apiKey.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await authenticateApiKey(t.db, key)).toBeNull();
    // Revoking twice changes nothing.
    expect((await a.caller.apiKeys.revoke({ id: apiKey.id })).revokedAt).toEqual(revoked.revokedAt);
  });

  it("refuses callers without a session", async () => {
    const res = await callHttp(t.db, null, "apiKeys.list", undefined, "query");
    expect(res.status).toBe(401);
  });

  it("answers bad input with a 400 naming the field, and writes nothing", async () => {
    const before = (await a.caller.apiKeys.list()).length;
    const empty = await callHttp(t.db, a.user, "apiKeys.create", { name: "  ", kind: "secret" });
    expect(empty.status).toBe(400);
    expect(empty.body.error?.json.data.fieldErrors).toEqual({ name: ["Give the key a name"] });
    const long = await callHttp(t.db, a.user, "apiKeys.create", { name: "k".repeat(81), kind: "secret" });
    expect(long.body.error?.json.data.fieldErrors).toEqual({ name: ["Keep the name under 80 characters"] });
    const kind = await callHttp(t.db, a.user, "apiKeys.create", { name: "Key", kind: "admin" });
    expect(kind.body.error?.json.data.fieldErrors).toEqual({ kind: ['Either "secret" or "publishable"'] });
    const badId = await callHttp(t.db, a.user, "apiKeys.revoke", { id: "nope" });
    expect(badId.status).toBe(400);
    expect(badId.body.error?.json.data.fieldErrors).toEqual({ id: ["Not an API key id"] });
    expect((await a.caller.apiKeys.list()).length).toBe(before);
  });
});

describe(`Shopify secret in Settings (${testDriver()})`, () => {
  it("stores the secret per workspace and only ever shows its last characters", async () => {
    expect(await a.caller.apiKeys.shopify()).toMatchObject({
      configured: false,
      secretHint: null,
      webhookPath: `/api/webhooks/shopify/${a.workspace.slug}`,
    });
    const saved = await a.caller.apiKeys.setShopifySecret({ secret: " shpss_abcdef0123456789 " });
    expect(saved).toMatchObject({ configured: true, secretHint: "6789" });
    expect(JSON.stringify(saved)).not.toContain("shpss_abcdef");
    expect((await b.caller.apiKeys.shopify()).configured).toBe(false);
    const [row] = await t.db
      .select({ secret: workspaces.shopifyWebhookSecret })
      .from(workspaces)
      .where(eq(workspaces.id, a.workspace.id));
    expect(row?.secret).toBe("shpss_abcdef0123456789");
    expect((await a.caller.apiKeys.setShopifySecret({ secret: null })).configured).toBe(false);
  });

  it("names the field when the secret is not plausible", async () => {
    const res = await callHttp(t.db, a.user, "apiKeys.setShopifySecret", { secret: "short" });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error?.json.data.fieldErrors ?? {})).toEqual(["secret"]);
  });
});
