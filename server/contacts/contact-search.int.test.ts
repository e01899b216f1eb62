/** Finding customers by name, email and id, and reading long lists page by page. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import { contacts, messages } from "@/server/db/schema";
import { encodeCursor } from "@/server/pagination/cursor";

let t: TestDb;
let shop: Awaited<ReturnType<typeof createMember>>;
let other: Awaited<ReturnType<typeof createMember>>;

beforeAll(async () => {
  t = await createTestDb();
  shop = await createMember(t.db, "Shop");
  other = await createMember(t.db, "Other");
  await t.db.insert(contacts).values([
    {
      workspaceId: shop.workspace.id,
      email: "lucas.rossi@example.com",
      firstName: "Lucas",
      lastName: "Rossi",
    },
    {
      workspaceId: shop.workspace.id,
      email: "lucas.bianchi@example.com",
      firstName: "Lucas",
      lastName: "Bianchi",
    },
    {
      workspaceId: shop.workspace.id,
      email: "marco.rossi@example.com",
      firstName: "Marco",
      lastName: "Rossi",
    },
    {
      workspaceId: shop.workspace.id,
      email: "l.rossini@example.com",
      firstName: "Luca",
      lastName: "Rossini",
    },
    { workspaceId: shop.workspace.id, email: "lucas@example.com", firstName: "Luke", lastName: "Smith" },
    { workspaceId: shop.workspace.id, email: "pepe@example.com", firstName: "José", lastName: "Álvarez" },
    { workspaceId: shop.workspace.id, email: "jm@example.com", firstName: "JÜRGEN", lastName: "MÜLLER" },
    { workspaceId: shop.workspace.id, externalId: "CUST-00917", phone: "+15550100917", firstName: "Nora" },
    {
      workspaceId: other.workspace.id,
      email: "lucas.rossi@other.example",
      firstName: "Lucas",
      lastName: "Rossi",
    },
  ]);
});
afterAll(() => t.close());

const find = async (search: string) =>
  (await shop.caller.contacts.list({ search })).items.map((c) => c.email ?? c.externalId);

describe(`contact search (${testDriver()})`, () => {
  it("finds a customer by first and last name together, in either order", async () => {
    expect(await find("lucas rossi")).toEqual(["lucas.rossi@example.com"]);
    expect(await find("Rossi  Lucas")).toEqual(["lucas.rossi@example.com"]);
    expect(await find("rossi")).toEqual(
      expect.arrayContaining(["lucas.rossi@example.com", "marco.rossi@example.com", "l.rossini@example.com"]),
    );
  });

  it("finds by the start of an email, the exact address first", async () => {
    expect(await find("lucas.ro")).toEqual(["lucas.rossi@example.com"]);
    const lucas = await find("lucas@example.com");
    expect(lucas[0]).toBe("lucas@example.com");
    // Emails starting with the word come before names that merely contain it.
    expect((await find("luca")).at(-1)).toBe("l.rossini@example.com");
  });

  it("ignores letter case and accents on both sides", async () => {
    expect(await find("jose alvarez")).toEqual(["pepe@example.com"]);
    expect(await find("JOSÉ")).toEqual(["pepe@example.com"]);
    expect(await find("álvarez")).toEqual(["pepe@example.com"]);
    expect(await find("jürgen müller")).toEqual(["jm@example.com"]);
    expect(await find("muller")).toEqual(["jm@example.com"]);
  });

  it("finds by customer id and phone, and treats % and _ as plain characters", async () => {
    expect(await find("cust-00917")).toEqual(["CUST-00917"]);
    expect(await find("5550100917")).toEqual(["CUST-00917"]);
    expect(await find("%")).toEqual([]);
    expect(await find("lucas_rossi")).toEqual([]);
  });

  it("never shows another shop's customers", async () => {
    expect((await other.caller.contacts.list({ search: "lucas rossi" })).items.map((c) => c.email)).toEqual([
      "lucas.rossi@other.example",
    ]);
  });

  it("pages through search results by cursor", async () => {
    const first = await shop.caller.contacts.list({ search: "luca", limit: 2 });
    expect(first.total).toBe(4);
    const second = await shop.caller.contacts.list({ search: "luca", limit: 2, cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items].map((c) => c.email);
    expect(new Set(all).size).toBe(4);
    expect(all.at(-1)).toBe("l.rossini@example.com");
  });
});

describe(`keyset pages (${testDriver()})`, () => {
  it("walks the contacts list without gaps or repeats while contacts are added", async () => {
    const { workspace, caller } = await createMember(t.db, "Walker");
    const email = (i: number) => `c${String(i).padStart(3, "0")}@walk.example`;
    const initial = [
      ...Array.from({ length: 23 }, (_, i) => ({ workspaceId: workspace.id, email: email(i * 10) })),
      // Contacts known only by phone come after those with an email.
      ...Array.from({ length: 5 }, (_, i) => ({ workspaceId: workspace.id, phone: `+1555000${i}` })),
    ];
    const rows = await t.db.insert(contacts).values(initial).returning({ id: contacts.id });
    const seen: string[] = [];
    let cursor: string | undefined;
    let added = 0;
    for (let pages = 0; pages < 50; pages++) {
      const page = await caller.contacts.list({ limit: 4, cursor });
      seen.push(...page.items.map((c) => c.id));
      // Others sign up meanwhile, before and after the page just read, and without an email.
      await t.db.insert(contacts).values([
        { workspaceId: workspace.id, email: email(++added * 10 - 5) },
        { workspaceId: workspace.id, email: `z${added}@walk.example` },
        { workspaceId: workspace.id, phone: `+1666000${added}` },
      ]);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const r of rows) expect(seen).toContain(r.id);
  });

  it("walks the Outbox newest first without gaps or repeats while messages are written", async () => {
    const { workspace, caller } = await createMember(t.db, "Sender");
    const at = new Date("2026-11-27T09:00:00.000Z");
    // Same millisecond apart by microseconds, and the very same instant: the id settles the order.
    const initial = await t.db
      .insert(messages)
      .values(
        Array.from({ length: 17 }, (_, i) => ({
          workspaceId: workspace.id,
          channel: "email" as const,
          subject: `m${i}`,
          createdAt: at,
        })),
      )
      .returning({ id: messages.id });
    await t.db.execute(
      `update messages set created_at = created_at + (random() * 900)::int * interval '1 microsecond' where workspace_id = '${workspace.id}' and subject in ('m1','m2','m3','m4','m5')`,
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = await caller.outbox.list({ limit: 3, cursor });
      seen.push(...page.map((m) => m.id));
      await t.db.insert(messages).values({ workspaceId: workspace.id, channel: "sms", subject: "new" });
      if (page.length < 3) break;
      cursor = page.at(-1)!.cursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const r of initial) expect(seen).toContain(r.id);
    expect(seen.length).toBe(17);
  });

  it("refuses a cursor that is not one of the list's own, naming the field", async () => {
    for (const cursor of [
      "not a cursor",
      "bm9wZQ",
      encodeCursor("outbox", ["2026-01-01 00:00:00+00", "00000000-0000-4000-8000-000000000000"]),
      encodeCursor("contacts", ["email", 42, "x"]),
    ]) {
      const res = await callHttp(t.db, shop.user, "contacts.list", { cursor }, "query");
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.error?.json.data.fieldErrors ?? {})).toEqual(["cursor"]);
    }
    const searchCursor = encodeCursor("contacts", [
      "search",
      2,
      -0.5,
      "00000000-0000-4000-8000-000000000000",
    ]);
    const mixed = await callHttp(t.db, shop.user, "contacts.list", { cursor: searchCursor }, "query");
    expect(mixed.status).toBe(400);
    expect(Object.keys(mixed.body.error?.json.data.fieldErrors ?? {})).toEqual(["cursor"]);
    const outbox = await callHttp(t.db, shop.user, "outbox.list", { cursor: "e30" }, "query");
    expect(outbox.status).toBe(400);
    expect(Object.keys(outbox.body.error?.json.data.fieldErrors ?? {})).toEqual(["cursor"]);
  });
});
