import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { migrateDb } from "./client";
import { eventKeys, events, workspaces } from "./schema";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe(`migrations (${testDriver()})`, () => {
  it("create every table of the data model", async () => {
    const result: unknown = await t.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{
      table_name: string;
    }>;
    const tables = rows.map((r) => r.table_name);
    expect(tables).toEqual(
      expect.arrayContaining([
        "workspaces",
        "members",
        "users",
        "sessions",
        "accounts",
        "api_keys",
        "contacts",
        "events",
        "products",
        "back_in_stock_subscriptions",
        "flows",
        "flow_versions",
        "enrollments",
        "enrollment_steps",
        "messages",
        "message_events",
        "conversions",
        "suppressions",
      ]),
    );
  });

  it("apply again as a no-op", async () => {
    await expect(migrateDb(t)).resolves.toBeUndefined();
  });

  it("store an event once per idempotency key", async () => {
    const [ws] = await t.db
      .insert(workspaces)
      .values({ name: "Shop", slug: `shop-${Date.now()}` })
      .returning();
    const row = { workspaceId: ws!.id, name: "Signed Up", occurredAt: new Date(), idempotencyKey: "msg-1" };
    const [first] = await t.db.insert(events).values(row).returning();
    // Writers claim the key first (events are partitioned by month, so the key is unique in event_keys).
    const claimed = await t.db
      .insert(eventKeys)
      .values({ workspaceId: ws!.id, idempotencyKey: "msg-1", eventId: randomUUID(), occurredAt: new Date() })
      .onConflictDoNothing()
      .returning();
    expect(claimed).toEqual([]);
    await expect(t.db.insert(events).values(row)).rejects.toThrow();
    // The same key in another month is refused too.
    await expect(
      t.db.insert(events).values({ ...row, occurredAt: new Date("2020-01-15T00:00:00Z") }),
    ).rejects.toThrow();
    const [count] = await t.db.select({ n: sql<number>`count(*)::int` }).from(events);
    expect(count?.n).toBe(1);
    const keys = await t.db.select().from(eventKeys);
    expect(keys).toEqual([expect.objectContaining({ idempotencyKey: "msg-1", eventId: first!.id })]);
  });
});
