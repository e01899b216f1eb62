import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createShop } from "@/server/testing/ingest-requests";
import { callHttp } from "@/server/testing/fixtures";
import { ingestMessages } from "@/server/ingest/ingest";
import { createContact } from "@/server/testing/flows";
import { ORDER_EVENT } from "@/server/engine";
import { rowsOf } from "./rows";
import { conversions, eventKeys, events, flowStatsDaily, flows, workspaces } from "./schema";
import { listHistoryPartitions, monthStart, sweepHistory } from "./history";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const NOW = new Date("2026-12-03T18:00:00Z");
const monthsAgo = (n: number, day = 10) =>
  new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth() - n, day, 12));
const ymd = (d: Date) => d.toISOString().slice(0, 10);

async function partitionOf(eventId: string): Promise<string | undefined> {
  const rows = rowsOf(
    await t.db.execute(sql`select tableoid::regclass::text as p from events where id = ${eventId}`),
  );
  return rows[0]?.p as string | undefined;
}

async function insertEvent(
  workspaceId: string,
  contactId: string,
  name: string,
  at: Date,
  key: string = randomUUID(),
) {
  const [row] = await t.db
    .insert(events)
    .values({ workspaceId, contactId, name, occurredAt: at, idempotencyKey: key })
    .returning();
  return row!;
}

describe(`history by month (${testDriver()})`, () => {
  it("creates the coming months' partitions ahead, moving rows the default partition held", async () => {
    const shop = await createShop(t.db, "Ahead");
    const contact = await createContact(t.db, shop.workspaceId);
    // An event far in the future lands in the default partition until its month is made.
    const later = new Date(Date.UTC(2027, 5, 2));
    const early = await insertEvent(shop.workspaceId, contact.id, "Viewed Product", later);
    expect(await partitionOf(early.id)).toBe("events_default");

    const sweep = await sweepHistory(t.db, new Date(Date.UTC(2027, 3, 1)));
    expect(sweep?.created).toEqual(
      expect.arrayContaining(["events_p2027_04", "events_p2027_05", "events_p2027_06"]),
    );
    const months = (await listHistoryPartitions(t.db, "events")).map((p) => p.month);
    for (let offset = 0; offset <= 3; offset++)
      expect(months).toContain(ymd(monthStart(new Date(Date.UTC(2027, 3, 1)), offset)));
    expect(await partitionOf(early.id)).toBe("events_p2027_06");
    // A second sweep changes nothing.
    const again = await sweepHistory(t.db, new Date(Date.UTC(2027, 3, 1)));
    expect(again?.created).toEqual([]);
  });

  it("expires months older than the history kept, keeping orders, their keys and the rollups", async () => {
    const shop = await createShop(t.db, "Expiry");
    const ws = shop.workspaceId;
    const contact = await createContact(t.db, ws);
    const oldMonth = monthsAgo(27);
    // The old month has its own partition (as a shop running for years would).
    await t.db.execute(sql`select tidings_history_partition('events', ${ymd(monthStart(oldMonth))}::date)`);
    const viewed = await insertEvent(ws, contact.id, "Viewed Product", oldMonth, "old-view");
    const order = await insertEvent(ws, contact.id, ORDER_EVENT, oldMonth, "old-order");
    // Older than any month partition: in the default partition, expired row by row.
    const ancient = await insertEvent(
      ws,
      contact.id,
      "Viewed Product",
      new Date("2009-03-01T00:00:00Z"),
      "ancient",
    );
    const recent = await insertEvent(ws, contact.id, "Viewed Product", monthsAgo(2), "recent");
    expect(await partitionOf(order.id)).toBe(
      `events_p${ymd(monthStart(oldMonth)).slice(0, 7).replace("-", "_")}`,
    );
    expect(await partitionOf(ancient.id)).toBe("events_default");

    // The order was credited to a flow: its conversion and the daily rollup are not history rows.
    const [flow] = await t.db
      .insert(flows)
      .values({ workspaceId: ws, name: "Old flow", draftGraph: { schema: 1, nodes: [], edges: [] } as never })
      .returning();
    await t.db.insert(conversions).values({
      workspaceId: ws,
      flowId: flow!.id,
      contactId: contact.id,
      eventId: order.id,
      valueCents: 4200,
      occurredAt: oldMonth,
    });
    await t.db.insert(flowStatsDaily).values({
      workspaceId: ws,
      flowId: flow!.id,
      versionId: randomUUID(),
      nodeId: "*",
      day: ymd(oldMonth),
      metric: "revenue_cents",
      value: 4200,
    });

    const sweep = await sweepHistory(t.db, NOW);
    expect(sweep?.expired).toContain(`events_p${ymd(monthStart(oldMonth)).slice(0, 7).replace("-", "_")}`);

    const left = await t.db.select({ id: events.id }).from(events).where(eq(events.workspaceId, ws));
    expect(left.map((r) => r.id).sort()).toEqual([order.id, recent.id].sort());
    expect(await partitionOf(order.id)).toMatch(/_kept$/);
    expect(await partitionOf(viewed.id)).toBeUndefined();

    const [conversion] = await t.db.select().from(conversions).where(eq(conversions.flowId, flow!.id));
    expect(conversion).toMatchObject({ eventId: order.id, valueCents: 4200 });
    const [rollup] = await t.db
      .select({ n: sql<string>`sum(${flowStatsDaily.value})` })
      .from(flowStatsDaily)
      .where(and(eq(flowStatsDaily.flowId, flow!.id), eq(flowStatsDaily.metric, "revenue_cents")));
    expect(Number(rollup?.n)).toBe(4200);

    // Keys: the expired events' keys are released, the order's is kept.
    const keys = (await t.db.select().from(eventKeys).where(eq(eventKeys.workspaceId, ws))).map(
      (k) => k.idempotencyKey,
    );
    expect(keys.sort()).toEqual(["old-order", "recent"]);
    const replay = await ingestMessages(t.db, {
      workspaceId: ws,
      now: NOW,
      messages: [
        {
          type: "track",
          userId: "u1",
          event: ORDER_EVENT,
          properties: {},
          timestamp: monthsAgo(1),
          messageId: "old-order",
        },
      ],
    });
    expect(replay.outcomes[0]).toMatchObject({ ok: true, duplicate: true, id: order.id });

    // The expired month is not expired again: the kept rows stay where they are.
    const again = await sweepHistory(t.db, NOW);
    expect(again?.expired).toEqual([]);
    expect(await partitionOf(order.id)).toMatch(/_kept$/);
  });

  it("trims a workspace that keeps fewer months, row by row, orders kept", async () => {
    const shop = await createShop(t.db, "Short memory");
    const ws = shop.workspaceId;
    await t.db.update(workspaces).set({ historyMonths: 6 }).where(eq(workspaces.id, ws));
    const contact = await createContact(t.db, ws);
    const old = await insertEvent(ws, contact.id, "Viewed Product", monthsAgo(8));
    const order = await insertEvent(ws, contact.id, ORDER_EVENT, monthsAgo(8));
    const kept = await insertEvent(ws, contact.id, "Viewed Product", monthsAgo(4));
    await sweepHistory(t.db, NOW);
    const left = await t.db.select({ id: events.id }).from(events).where(eq(events.workspaceId, ws));
    expect(left.map((r) => r.id).sort()).toEqual([order.id, kept.id].sort());
    expect(left.map((r) => r.id)).not.toContain(old.id);
  });

  it("stores a message once across months, and one sent twice in one batch once", async () => {
    const shop = await createShop(t.db, "Across months");
    const ws = shop.workspaceId;
    const send = (timestamp: Date) =>
      ingestMessages(t.db, {
        workspaceId: ws,
        now: NOW,
        messages: [
          {
            type: "track",
            userId: "u9",
            event: "Viewed Product",
            properties: {},
            timestamp,
            messageId: "m-1",
          },
          {
            type: "track",
            userId: "u9",
            event: "Viewed Product",
            properties: {},
            timestamp,
            messageId: "m-1",
          },
        ],
      });
    const first = await send(monthsAgo(3));
    const second = await send(monthsAgo(1));
    expect(first.outcomes[0]).toMatchObject({ ok: true, duplicate: false });
    expect(first.outcomes[1]).toMatchObject({ ok: true, duplicate: true });
    expect(second.outcomes[0]).toMatchObject({ ok: true, duplicate: true, id: first.stored[0]!.id });
    const stored = await t.db.select().from(events).where(eq(events.workspaceId, ws));
    expect(stored).toHaveLength(1);
    // A direct insert of the key in another month is refused.
    await expect(
      t.db.insert(events).values({
        workspaceId: ws,
        name: "Viewed Product",
        occurredAt: monthsAgo(5),
        idempotencyKey: "m-1",
      }),
    ).rejects.toThrow();
  });

  it("is set per workspace in Settings; a bad value is a 400 naming the field", async () => {
    const shop = await createShop(t.db, "Setting");
    expect((await shop.caller.workspace.current()).historyMonths).toBe(25);
    for (const bad of [0, 1.5, 121, "twelve", null]) {
      const res = await callHttp(
        t.db,
        shop.user,
        "workspace.setHistoryMonths",
        { historyMonths: bad },
        "mutation",
      );
      expect(res.status, String(bad)).toBe(400);
      expect(Object.keys(res.body.error?.json.data.fieldErrors ?? {}), String(bad)).toEqual([
        "historyMonths",
      ]);
    }
    await shop.caller.workspace.setHistoryMonths({ historyMonths: 13 });
    expect((await shop.caller.workspace.current()).historyMonths).toBe(13);
  });
});
