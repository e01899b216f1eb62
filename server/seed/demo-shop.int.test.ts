import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { contacts, events, members, products, workspaces } from "@/server/db/schema";
import { createAuth } from "@/server/auth/auth";
import { DEMO_LOGIN, seedDemoShop } from "./demo-shop";
import { flowStats } from "@/server/analytics/stats";
import { flows } from "@/server/db/schema";
import { rowsOf } from "@/server/db/rows";
import { HISTORY_STEP_MS } from "./history";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe(`demo shop seed (${testDriver()})`, () => {
  const now = new Date("2026-11-20T15:00:00Z");

  it("creates a signed-up demo member, products, contacts and 60 days of events", async () => {
    const result = await seedDemoShop(t.db, { now, contacts: 500, history: false });
    expect(result.created).toBe(true);
    expect(result.counts.products).toBe(30);
    expect(result.counts.contacts).toBe(500);
    const [ws] = await t.db.select().from(workspaces).where(eq(workspaces.id, result.workspaceId));
    expect(ws?.slug).toBe("demo");
    const [p] = await t.db
      .select({ n: count() })
      .from(products)
      .where(eq(products.workspaceId, result.workspaceId));
    expect(p?.n).toBe(30);
    const zones = await t.db.selectDistinct({ tz: contacts.timezone }).from(contacts);
    expect(zones.length).toBeGreaterThan(5);
    const names = await t.db
      .select({ name: events.name, n: count() })
      .from(events)
      .where(eq(events.workspaceId, result.workspaceId))
      .groupBy(events.name);
    const byName = Object.fromEntries(names.map((r) => [r.name, r.n]));
    for (const name of [
      "Signed Up",
      "Viewed Product",
      "Added to Cart",
      "Started Checkout",
      "Placed Order",
      "Order Shipped",
      "Order Delivered",
    ]) {
      expect(byName[name], name).toBeGreaterThan(10);
    }
    const [span] = await t.db
      .select({
        min: sql<string>`min(${events.occurredAt})::text`,
        max: sql<string>`max(${events.occurredAt})::text`,
      })
      .from(events);
    expect(new Date(span!.min).getTime()).toBeGreaterThanOrEqual(now.getTime() - 60 * 86_400_000);
    expect(new Date(span!.max).getTime()).toBeLessThanOrEqual(now.getTime());
  });

  it("is not seeded twice", async () => {
    const again = await seedDemoShop(t.db, { now });
    expect(again.created).toBe(false);
    const [c] = await t.db.select({ n: count() }).from(contacts);
    expect(c?.n).toBe(500);
  });

  it("lets the demo member sign in with the printed password", async () => {
    const auth = await createAuth(t.db);
    const res = await auth.api.signInEmail({
      body: { email: DEMO_LOGIN.email, password: DEMO_LOGIN.password },
    });
    expect(res.user.email).toBe(DEMO_LOGIN.email);
    await expect(
      auth.api.signInEmail({ body: { email: DEMO_LOGIN.email, password: "wrong-password" } }),
    ).rejects.toThrow();
  });

  it("gives every new sign-up a workspace of its own", async () => {
    const auth = await createAuth(t.db);
    const res = await auth.api.signUpEmail({
      body: { email: "new.owner@example.com", password: "a-long-password", name: "Nia" },
    });
    const rows = await t.db.select().from(members).where(eq(members.userId, res.user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.role).toBe("owner");
  });
});

describe(`demo shop history (${testDriver()})`, () => {
  it("runs the demo flows over the seeded history, so the canvas has real numbers", async () => {
    const other = await createTestDb();
    try {
      const now = new Date("2026-11-20T15:00:00Z");
      const result = await seedDemoShop(other.db, { now, contacts: 150, days: 20 });
      expect(result.counts.flows).toBe(6);
      expect(result.counts.enrollments).toBeGreaterThan(20);
      const [cart] = await other.db.select().from(flows).where(eq(flows.templateKey, "abandoned_cart"));
      const stats = await flowStats(other.db, {
        workspaceId: result.workspaceId,
        flowId: cart!.id,
      });
      expect(stats.nodes.trigger?.entered).toBeGreaterThan(0);
      expect(stats.nodes.email_1?.sent).toBeGreaterThan(0);
      expect(stats.nodes.email_1?.opened).toBeGreaterThan(0);
      expect(Object.values(stats.nodes).some((n) => n.exited > 0)).toBe(true);
      // Nothing is left for the live executor to send from the past.
      const queued = await other.db.execute(
        sql`select count(*)::int as n from messages where status = 'queued'`,
      );
      const rows = (Array.isArray(queued) ? queued : (queued as { rows: unknown[] }).rows) as Array<{
        n: number;
      }>;
      expect(rows[0]?.n).toBe(0);

      // The replay behaves as live (HISTORY_STEP_MS): each reminder goes out within two
      // steps of its wait after its trigger, and never after the cart was ordered.
      const delays = async (template: string, nodeId: string) =>
        rowsOf<{ minutes: number | string }>(
          await other.db.execute(sql`
            select extract(epoch from (m.created_at - ev.occurred_at)) / 60 as minutes
            from messages m
            join enrollments en on en.id = m.enrollment_id
            join events ev on ev.id = en.trigger_event_id
            join flows f on f.id = m.flow_id
            where f.template_key = ${template} and m.node_id = ${nodeId}`),
        ).map((r) => Number(r.minutes));
      const step = HISTORY_STEP_MS / 60_000;
      const cartEmails = await delays("abandoned_cart", "email_1");
      expect(cartEmails.length).toBeGreaterThan(0);
      for (const minutes of cartEmails) expect(minutes).toBeGreaterThanOrEqual(60);
      for (const minutes of cartEmails) expect(minutes).toBeLessThanOrEqual(60 + 2 * step);
      for (const minutes of await delays("browse_abandonment", "browse_email")) {
        expect(minutes).toBeGreaterThanOrEqual(120);
        expect(minutes).toBeLessThanOrEqual(120 + 2 * step);
      }
      const [ordered] = rowsOf<{ n: number | string }>(
        await other.db.execute(sql`
          select count(*)::int as n
          from messages m
          join enrollments en on en.id = m.enrollment_id
          join events ev on ev.id = en.trigger_event_id
          join flows f on f.id = m.flow_id
          join events o on o.contact_id = en.contact_id and o.name = 'Placed Order'
            and o.properties->>'cart_id' = ev.properties->>'cart_id' and o.occurred_at < m.created_at
          where f.template_key = 'abandoned_cart'`),
      );
      expect(Number(ordered?.n)).toBe(0);
    } finally {
      await other.close();
    }
  }, 300_000);
});
