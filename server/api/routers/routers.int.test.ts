/**
 * Workspace scoping, one block per router: a member of workspace A can neither read nor
 * change B's rows through any procedure. Bad input returns a typed error naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import { contacts, messages } from "@/server/db/schema";

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

describe(`workspace router (${testDriver()})`, () => {
  it("returns the member's own workspace", async () => {
    expect((await a.caller.workspace.current()).id).toBe(a.workspace.id);
    expect((await b.caller.workspace.current()).id).toBe(b.workspace.id);
  });

  it("refuses a caller with no session", async () => {
    const res = await callHttp(t.db, null, "workspace.current", undefined, "query");
    expect(res.status).toBe(401);
    expect(res.body.error?.json.data.code).toBe("UNAUTHORIZED");
  });
});

describe(`flows router (${testDriver()})`, () => {
  it("keeps each workspace's flows to itself", async () => {
    const mine = await a.caller.flows.create({ name: "Welcome series" });
    await b.caller.flows.create({ name: "Bob's win-back" });
    expect((await a.caller.flows.list()).map((f) => f.name)).toEqual(["Welcome series"]);
    expect((await b.caller.flows.list()).map((f) => f.name)).toEqual(["Bob's win-back"]);
    await expectCode(b.caller.flows.get({ id: mine.id }), "NOT_FOUND");
    await expectCode(b.caller.flows.rename({ id: mine.id, name: "Taken over" }), "NOT_FOUND");
    expect((await a.caller.flows.get({ id: mine.id })).name).toBe("Welcome series");
  });

  it("renames its own flow", async () => {
    const flow = await a.caller.flows.create({ name: "Draft" });
    expect((await a.caller.flows.rename({ id: flow.id, name: "Abandoned cart" })).name).toBe(
      "Abandoned cart",
    );
  });

  it("answers bad input with a 400 naming the field, and writes nothing", async () => {
    const before = (await a.caller.flows.list()).length;
    const empty = await callHttp(t.db, a.user, "flows.create", { name: "   " });
    expect(empty.status).toBe(400);
    expect(empty.body.error?.json.data.code).toBe("BAD_REQUEST");
    expect(empty.body.error?.json.data.fieldErrors).toEqual({ name: ["Give the flow a name"] });

    const long = await callHttp(t.db, a.user, "flows.create", { name: "x".repeat(121) });
    expect(long.body.error?.json.data.fieldErrors?.name).toEqual(["Keep the name under 120 characters"]);

    const badId = await callHttp(t.db, a.user, "flows.rename", { id: "not-a-uuid", name: "ok" });
    expect(badId.status).toBe(400);
    expect(Object.keys(badId.body.error?.json.data.fieldErrors ?? {})).toEqual(["id"]);

    const wrongType = await callHttp(t.db, a.user, "flows.create", { name: 42 });
    expect(wrongType.body.error?.json.data.fieldErrors?.name).toHaveLength(1);
    expect((await a.caller.flows.list()).length).toBe(before);
  });
});

describe(`contacts router (${testDriver()})`, () => {
  it("lists and searches only the member's contacts", async () => {
    await t.db.insert(contacts).values([
      { workspaceId: a.workspace.id, email: "ann@example.com", firstName: "Ann" },
      { workspaceId: a.workspace.id, email: "andy@example.com", firstName: "Andy" },
      { workspaceId: b.workspace.id, email: "ann.b@example.com", firstName: "Ann" },
    ]);
    const all = await a.caller.contacts.list({});
    expect(all.total).toBe(2);
    const search = await a.caller.contacts.list({ search: "ann" });
    expect(search.items.map((c) => c.email)).toEqual(["ann@example.com"]);
    expect((await b.caller.contacts.list({ search: "an" })).items.map((c) => c.email)).toEqual([
      "ann.b@example.com",
    ]);
    expect((await a.caller.contacts.list({ search: "%" })).total).toBe(0);
  });

  it("rejects a bad page size with the field named", async () => {
    const res = await callHttp(t.db, a.user, "contacts.list", { limit: 5000 }, "query");
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error?.json.data.fieldErrors ?? {})).toEqual(["limit"]);
  });
});

describe(`outbox router (${testDriver()})`, () => {
  it("shows only the member's messages", async () => {
    await t.db.insert(messages).values([
      { workspaceId: a.workspace.id, channel: "email", toAddress: "ann@example.com", subject: "Welcome" },
      { workspaceId: b.workspace.id, channel: "sms", toAddress: "+15550000000" },
    ]);
    expect((await a.caller.outbox.list()).map((m) => m.subject)).toEqual(["Welcome"]);
    expect((await b.caller.outbox.list()).map((m) => m.channel)).toEqual(["sms"]);
  });
});
