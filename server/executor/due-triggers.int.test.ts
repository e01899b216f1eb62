/**
 * Work that follows what is due: a birthday flow keeps each customer's next occurrence and
 * re-computes it when the customer's birthday or time zone changes; two sweepers at once
 * enroll each customer once; "no order for 30 days" reads each customer's last order kept
 * on ingest; a publish moves or exits in-flight journeys a step at a time, not one by one;
 * the orders of a batch are credited to the flows that earned them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { createContact, DAY, FakeClock, HOUR, publishGraph, storeEvent } from "@/server/testing/flows";
import {
  contactEventLast,
  contacts,
  contactTriggerDue,
  conversions,
  enrollments,
  flows,
  flowTriggerSweeps,
  messageEvents,
  messages,
  workspaces,
} from "@/server/db/schema";
import { when } from "@/server/engine/predicate";
import { openDb } from "@/server/db/client";
import { edge, graph, node } from "@/server/engine/templates/build";
import type { TriggerConfig } from "@/server/engine/nodes/trigger";
import { emptyState } from "@/server/engine/facts";
import { publishFlow } from "@/server/flows/publish";
import { sweepTimeTriggers } from "./scheduler";
import { enrollFromEvents } from "./enroll";
import { ExecutorCaches } from "./caches";

const onPostgres = testDriver() === "postgres";
let t: TestDb;
let member: Awaited<ReturnType<typeof createMember>>;

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());
beforeEach(async () => {
  member = await createMember(t.db, "Marketer");
});

function timeFlow(trigger: TriggerConfig) {
  return graph(
    [node("trigger", "trigger", 0, 0, trigger), node("exit", "exit", 0, 1, {})],
    [edge("trigger", "next", "exit")],
  );
}

const birthdayAt9 = timeFlow({
  type: "date_property",
  property: "birthday",
  daysBefore: 0,
  time: "09:00",
  yearly: true,
});

const iso = (ms: number) => new Date(ms).toISOString();

async function entries(flowId: string) {
  const rows = await t.db.select().from(enrollments).where(eq(enrollments.flowId, flowId));
  return rows.map((r) => ({
    contactId: r.contactId,
    occurrence: (r.triggerData as { properties: { occurrence: string } }).properties.occurrence,
    enteredAt: r.enteredAt.getTime(),
  }));
}

async function storedDue(flowId: string, contactId: string) {
  const [row] = await t.db
    .select({ dueAt: contactTriggerDue.dueAt })
    .from(contactTriggerDue)
    .where(and(eq(contactTriggerDue.flowId, flowId), eq(contactTriggerDue.contactId, contactId)));
  return row ? iso(row.dueAt.getTime()) : null;
}

async function sweepEvery(step: number, clock: FakeClock, from: number, to: number) {
  for (clock.t = from; clock.t <= to; clock.t += step)
    await sweepTimeTriggers(t.db, clock.t, { workspaceId: member.workspace.id });
}

describe(`due-driven birthdays (${testDriver()})`, () => {
  it("Maya's birthday on New York's clock-change day is stored for 09:00 EDT; she moves to Berlin and it fires at 09:00 Berlin time instead", async () => {
    const start = Date.UTC(2026, 2, 1, 0, 0);
    const clock = new FakeClock(start);
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: birthdayAt9,
      now: start - DAY,
    });
    const maya = await createContact(t.db, member.workspace.id, {
      timezone: "America/New_York",
      birthday: "1990-03-08",
    });
    await sweepTimeTriggers(t.db, clock.t, { workspaceId: member.workspace.id });
    // 8 March 2026 New York springs forward: 09:00 EDT is 13:00 UTC.
    expect(await storedDue(flow.flowId, maya.id)).toBe(iso(Date.UTC(2026, 2, 8, 13, 0)));

    clock.t = Date.UTC(2026, 2, 5, 12, 0);
    await t.db.update(contacts).set({ timezone: "Europe/Berlin" }).where(eq(contacts.id, maya.id));
    await sweepTimeTriggers(t.db, clock.t, { workspaceId: member.workspace.id });
    // Berlin is still on winter time on 8 March: 09:00 CET is 08:00 UTC.
    expect(await storedDue(flow.flowId, maya.id)).toBe(iso(Date.UTC(2026, 2, 8, 8, 0)));

    await sweepEvery(HOUR, clock, Date.UTC(2026, 2, 7, 0, 0), Date.UTC(2026, 2, 9, 0, 0));
    const got = await entries(flow.flowId);
    expect(got.map((g) => g.occurrence)).toEqual([iso(Date.UTC(2026, 2, 8, 8, 0))]);
    expect(got[0]?.enteredAt).toBe(Date.UTC(2026, 2, 8, 8, 0));
    // Once weighed, the row waits for next year's birthday (still winter time in Berlin on 8 March).
    expect(await storedDue(flow.flowId, maya.id)).toBe(iso(Date.UTC(2027, 2, 8, 8, 0)));
  });

  it("Tom corrects his birthday after it was stored: he enters on the new date, not the old one", async () => {
    const start = Date.UTC(2026, 5, 1, 0, 0);
    const clock = new FakeClock(start);
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: birthdayAt9,
      now: start - DAY,
    });
    const tom = await createContact(t.db, member.workspace.id, {
      timezone: "Europe/London",
      birthday: "1985-06-20",
    });
    const ann = await createContact(t.db, member.workspace.id, { timezone: "Europe/London", birthday: null });
    await sweepTimeTriggers(t.db, clock.t, { workspaceId: member.workspace.id });
    expect(await storedDue(flow.flowId, tom.id)).toBe(iso(Date.UTC(2026, 5, 20, 8, 0)));
    expect(await storedDue(flow.flowId, ann.id)).toBeNull();

    await t.db.update(contacts).set({ birthday: "1985-06-05" }).where(eq(contacts.id, tom.id));
    // Ann adds hers through a property change of the same row.
    await t.db.update(contacts).set({ birthday: "1991-06-06" }).where(eq(contacts.id, ann.id));
    await sweepEvery(4 * HOUR, clock, start + 4 * HOUR, Date.UTC(2026, 5, 25, 0, 0));
    const got = await entries(flow.flowId);
    expect(got.find((g) => g.contactId === tom.id)?.occurrence).toBe(iso(Date.UTC(2026, 5, 5, 8, 0)));
    expect(got.find((g) => g.contactId === ann.id)?.occurrence).toBe(iso(Date.UTC(2026, 5, 6, 8, 0)));
    expect(got).toHaveLength(2);
  });

  it("a republished version rebuilds the occurrences for its own hour", async () => {
    const start = Date.UTC(2026, 8, 1, 0, 0);
    const clock = new FakeClock(start);
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: birthdayAt9,
      now: start - DAY,
    });
    const lee = await createContact(t.db, member.workspace.id, {
      timezone: "Asia/Tokyo",
      birthday: "1999-09-10",
    });
    await sweepTimeTriggers(t.db, clock.t, { workspaceId: member.workspace.id });
    expect(await storedDue(flow.flowId, lee.id)).toBe(iso(Date.UTC(2026, 8, 10, 0, 0)));
    const at18 = timeFlow({
      type: "date_property",
      property: "birthday",
      daysBefore: 0,
      time: "18:00",
      yearly: true,
    });
    await t.db.update(flows).set({ draftGraph: at18 }).where(eq(flows.id, flow.flowId));
    await publishFlow(t.db, {
      workspaceId: member.workspace.id,
      flowId: flow.flowId,
      userId: member.user.id,
      moveInFlight: false,
      now: new Date(clock.t),
    });
    await sweepTimeTriggers(t.db, clock.t + HOUR, { workspaceId: member.workspace.id });
    expect(await storedDue(flow.flowId, lee.id)).toBe(iso(Date.UTC(2026, 8, 10, 9, 0)));
  });

  it.skipIf(!onPostgres)(
    "two sweepers on separate connections enroll each of 40 birthdays once",
    async () => {
      const start = Date.UTC(2026, 10, 1, 0, 0);
      const clock = new FakeClock(start);
      const flow = await publishGraph(t.db, {
        workspaceId: member.workspace.id,
        userId: member.user.id,
        graph: birthdayAt9,
        now: start - DAY,
      });
      for (let i = 0; i < 40; i++)
        await createContact(t.db, member.workspace.id, {
          timezone: i % 2 ? "America/Chicago" : "Europe/Paris",
          birthday: "1980-11-03",
        });
      const other = await openDb({ url: t.url!, migrate: false, maxConnections: 2 });
      try {
        for (clock.t = start; clock.t <= Date.UTC(2026, 10, 4, 0, 0); clock.t += 2 * HOUR)
          await Promise.all([
            sweepTimeTriggers(t.db, clock.t, { workspaceId: member.workspace.id }),
            sweepTimeTriggers(other.db, clock.t, { workspaceId: member.workspace.id }),
          ]);
      } finally {
        await other.close();
      }
      const got = await entries(flow.flowId);
      expect(got).toHaveLength(40);
      expect(new Set(got.map((g) => g.contactId)).size).toBe(40);
    },
  );
});

describe(`inactivity reads each customer's last order (${testDriver()})`, () => {
  it("the last order is kept on ingest, a late older order does not move it back, and the 30-day lapse counts from it", async () => {
    const start = Date.UTC(2026, 0, 10, 9, 0);
    const ravi = await createContact(t.db, member.workspace.id);
    await storeEvent(t.db, {
      workspaceId: member.workspace.id,
      contactId: ravi.id,
      name: "Placed Order",
      at: start,
    });
    // An older order arriving late does not move it back.
    await storeEvent(t.db, {
      workspaceId: member.workspace.id,
      contactId: ravi.id,
      name: "Placed Order",
      at: start - 40 * DAY,
    });
    const last = await t.db.select().from(contactEventLast).where(eq(contactEventLast.contactId, ravi.id));
    expect(last.map((l) => [l.eventName, l.lastAt.getTime()])).toEqual([["Placed Order", start]]);

    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: timeFlow({ type: "inactivity", event: "Placed Order", days: 30, segment: null }),
      now: start,
    });
    await sweepTimeTriggers(t.db, start + 30 * DAY - HOUR, { workspaceId: member.workspace.id });
    expect(await entries(flow.flowId)).toHaveLength(0);
    await sweepTimeTriggers(t.db, start + 30 * DAY, { workspaceId: member.workspace.id });
    const got = await entries(flow.flowId);
    expect(got.map((g) => [g.contactId, g.occurrence])).toEqual([[ravi.id, iso(start + 30 * DAY)]]);
  });
});

describe(`schedules and segmented inactivity weigh what fell due since the last sweep (${testDriver()})`, () => {
  it("a daily 09:00 in each customer's clock reaches Tokyo, then Paris, then those with no zone (the shop's New York), once each", async () => {
    await t.db
      .update(workspaces)
      .set({ timezone: "America/New_York" })
      .where(eq(workspaces.id, member.workspace.id));
    const start = Date.UTC(2026, 11, 2, 20, 0); // 15:00 in New York, 05:00 on the 3rd in Tokyo
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: timeFlow({
        type: "schedule",
        schedule: { frequency: "daily", time: "09:00" },
        timezone: "contact",
        segment: null,
      }),
      now: start,
    });
    const tokyo = await createContact(t.db, member.workspace.id, { timezone: "Asia/Tokyo" });
    const paris = await createContact(t.db, member.workspace.id, { timezone: "Europe/Paris" });
    const zoneless = await createContact(t.db, member.workspace.id, { timezone: null });
    const sweep = (at: number) =>
      Promise.all([
        sweepTimeTriggers(t.db, at, { workspaceId: member.workspace.id }),
        sweepTimeTriggers(t.db, at, { workspaceId: member.workspace.id }),
      ]);
    const who = async () =>
      (await entries(flow.flowId))
        .sort((a, b) => a.occurrence.localeCompare(b.occurrence))
        .map((e) => [e.contactId, e.occurrence]);

    await sweep(Date.UTC(2026, 11, 2, 23, 0)); // 08:00 in Tokyo on the 3rd: nothing yet
    expect(await who()).toEqual([]);
    await sweep(Date.UTC(2026, 11, 3, 0, 30)); // 09:30 in Tokyo
    expect(await who()).toEqual([[tokyo.id, iso(Date.UTC(2026, 11, 3, 0, 0))]]);
    await sweep(Date.UTC(2026, 11, 3, 8, 30)); // 09:30 in Paris
    await sweep(Date.UTC(2026, 11, 3, 14, 30)); // 09:30 in New York
    await sweep(Date.UTC(2026, 11, 3, 15, 0));
    expect(await who()).toEqual([
      [tokyo.id, iso(Date.UTC(2026, 11, 3, 0, 0))],
      [paris.id, iso(Date.UTC(2026, 11, 3, 8, 0))],
      [zoneless.id, iso(Date.UTC(2026, 11, 3, 14, 0))],
    ]);
    const [mark] = await t.db
      .select()
      .from(flowTriggerSweeps)
      .where(eq(flowTriggerSweeps.flowId, flow.flowId));
    expect(mark?.sweptTo.getTime()).toBe(Date.UTC(2026, 11, 3, 15, 0));
    // A sweep running late (behind the mark) weighs nothing again and leaves the mark where it was.
    await sweepTimeTriggers(t.db, Date.UTC(2026, 11, 3, 9, 0), { workspaceId: member.workspace.id });
    expect(await who()).toHaveLength(3);
    const [still] = await t.db
      .select()
      .from(flowTriggerSweeps)
      .where(eq(flowTriggerSweeps.flowId, flow.flowId));
    expect(still?.sweptTo.getTime()).toBe(Date.UTC(2026, 11, 3, 15, 0));
  });

  it("'no order for 30 days, US only' weighs a lapse when it falls due: a customer refused then is not let in by a later sweep", async () => {
    const start = Date.UTC(2026, 5, 1, 12, 0);
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: timeFlow({
        type: "inactivity",
        event: "Placed Order",
        days: 30,
        segment: when.contact("country", "eq", "US"),
      }),
      now: start - 10 * DAY,
    });
    const amelie = await createContact(t.db, member.workspace.id, { country: "FR" });
    const bob = await createContact(t.db, member.workspace.id, { country: "US" });
    const order = (contactId: string, at: number) =>
      storeEvent(t.db, { workspaceId: member.workspace.id, contactId, name: "Placed Order", at });
    await order(amelie.id, start - 30 * DAY - HOUR); // lapses an hour before `start`
    await order(bob.id, start - 30 * DAY + 2 * HOUR); // lapses two hours after it
    await sweepTimeTriggers(t.db, start, { workspaceId: member.workspace.id });
    expect(await entries(flow.flowId)).toEqual([]);
    // Amélie moves to the US after her lapse was weighed: the next sweeps leave her lapse alone.
    await t.db.update(contacts).set({ country: "US" }).where(eq(contacts.id, amelie.id));
    await sweepTimeTriggers(t.db, start + HOUR, { workspaceId: member.workspace.id });
    await sweepTimeTriggers(t.db, start + 3 * HOUR, { workspaceId: member.workspace.id });
    const got = await entries(flow.flowId);
    expect(got.map((g) => [g.contactId, g.occurrence])).toEqual([[bob.id, iso(start + 2 * HOUR)]]);
  });
});

describe(`the migration to due-driven triggers (${testDriver()})`, () => {
  it("fills each customer's last event from the events already stored", async () => {
    const migration = readFileSync(
      path.join(import.meta.dirname, "../../drizzle/0018_due_triggers_backfill.sql"),
      "utf8",
    ).split("--> statement-breakpoint");
    const backfill = migration
      .map((s) => s.trim().replace(/^--.*\n/gm, ""))
      .find((s) => s.startsWith("INSERT INTO contact_event_last"));
    expect(backfill).toBeDefined();
    const at = Date.UTC(2026, 1, 1, 12, 0);
    const kim = await createContact(t.db, member.workspace.id);
    await storeEvent(t.db, { workspaceId: member.workspace.id, contactId: kim.id, name: "Placed Order", at });
    await storeEvent(t.db, {
      workspaceId: member.workspace.id,
      contactId: kim.id,
      name: "Placed Order",
      at: at - DAY,
    });
    await storeEvent(t.db, {
      workspaceId: member.workspace.id,
      contactId: kim.id,
      name: "Viewed Product",
      at: at + HOUR,
    });
    await t.db.delete(contactEventLast).where(eq(contactEventLast.workspaceId, member.workspace.id));
    await t.db.execute(sql.raw(backfill!));
    const rows = await t.db.select().from(contactEventLast).where(eq(contactEventLast.contactId, kim.id));
    expect(rows.map((r) => [r.eventName, r.lastAt.getTime()]).sort()).toEqual([
      ["Placed Order", at],
      ["Viewed Product", at + HOUR],
    ]);
  });
});

describe(`set-based writes (${testDriver()})`, () => {
  it("publishing with 'move in-flight' moves those on kept steps and exits those on a removed step, nobody else", async () => {
    const now = Date.UTC(2026, 4, 1, 9, 0);
    const v1 = graph(
      [
        node("trigger", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("wait_a", "wait", 0, 1, { mode: "duration", amount: 1, unit: "days" }),
        node("wait_b", "wait", 0, 2, { mode: "duration", amount: 2, unit: "days" }),
        node("exit", "exit", 0, 3, {}),
      ],
      [edge("trigger", "next", "wait_a"), edge("wait_a", "next", "wait_b"), edge("wait_b", "next", "exit")],
    );
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: v1,
      now,
    });
    const other = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: v1,
      now,
    });
    const people = [];
    for (let i = 0; i < 7; i++) people.push(await createContact(t.db, member.workspace.id));
    const enroll = (
      flowId: string,
      versionId: string,
      contactId: string,
      nodeId: string,
      status = "active",
    ) =>
      t.db
        .insert(enrollments)
        .values({
          workspaceId: member.workspace.id,
          flowId,
          versionId,
          contactId,
          currentNodeId: nodeId,
          status: status as "active",
          nextRunAt: new Date(now + DAY),
          occurrenceKey: `test:${contactId}`,
          state: emptyState(),
        })
        .returning({ id: enrollments.id })
        .then((r) => r[0]!.id);
    const onA = [
      await enroll(flow.flowId, flow.versionId, people[0]!.id, "wait_a"),
      await enroll(flow.flowId, flow.versionId, people[1]!.id, "wait_a"),
      await enroll(flow.flowId, flow.versionId, people[2]!.id, "wait_a"),
    ];
    const onB = [
      await enroll(flow.flowId, flow.versionId, people[3]!.id, "wait_b"),
      await enroll(flow.flowId, flow.versionId, people[4]!.id, "wait_b"),
    ];
    const done = await enroll(flow.flowId, flow.versionId, people[5]!.id, "exit", "completed");
    const elsewhere = await enroll(other.flowId, other.versionId, people[6]!.id, "wait_b");

    const v2 = graph(
      [
        node("trigger", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("wait_a", "wait", 0, 1, { mode: "duration", amount: 3, unit: "days" }),
        node("exit", "exit", 0, 2, {}),
      ],
      [edge("trigger", "next", "wait_a"), edge("wait_a", "next", "exit")],
    );
    await t.db.update(flows).set({ draftGraph: v2 }).where(eq(flows.id, flow.flowId));
    const published = await publishFlow(t.db, {
      workspaceId: member.workspace.id,
      flowId: flow.flowId,
      userId: member.user.id,
      moveInFlight: true,
      now: new Date(now),
    });
    expect([published.moved, published.exited]).toEqual([3, 2]);
    const byId = new Map((await t.db.select().from(enrollments)).map((e) => [e.id, e] as const));
    for (const id of onA) {
      expect(byId.get(id)?.versionId).toBe(published.versionId);
      expect(byId.get(id)?.status).toBe("active");
    }
    for (const id of onB) {
      expect(byId.get(id)?.status).toBe("exited");
      expect(byId.get(id)?.exitReason).toBe("node_removed");
      expect(byId.get(id)?.nextRunAt).toBeNull();
      expect(byId.get(id)?.versionId).toBe(flow.versionId);
    }
    expect(byId.get(done)?.versionId).toBe(flow.versionId);
    expect(byId.get(done)?.status).toBe("completed");
    expect(byId.get(elsewhere)?.status).toBe("active");
    expect(byId.get(elsewhere)?.versionId).toBe(other.versionId);
  });

  it("a batch of orders credits each flow the customer opened, in one pass", async () => {
    const now = Date.UTC(2026, 6, 1, 12, 0);
    const simple = timeFlow({ type: "event", event: "Bench Never", filter: null });
    const news = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: simple,
      now,
      name: "News",
    });
    const cart = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: simple,
      now,
      name: "Cart",
    });
    const [ana, ben, cy] = [
      await createContact(t.db, member.workspace.id),
      await createContact(t.db, member.workspace.id),
      await createContact(t.db, member.workspace.id),
    ];
    const sent = async (flowId: string, contactId: string, openedAgo: number) => {
      const [m] = await t.db
        .insert(messages)
        .values({
          workspaceId: member.workspace.id,
          flowId,
          nodeId: "email_1",
          contactId,
          channel: "email",
          status: "sent",
          createdAt: new Date(now - 2 * DAY),
        })
        .returning({ id: messages.id });
      await t.db.insert(messageEvents).values({
        workspaceId: member.workspace.id,
        messageId: m!.id,
        type: "opened",
        occurredAt: new Date(now - openedAgo),
      });
      return m!.id;
    };
    const anaNews = await sent(news.flowId, ana.id, 3 * HOUR);
    const anaCart = await sent(cart.flowId, ana.id, HOUR);
    const benCart = await sent(cart.flowId, ben.id, 2 * HOUR);
    // Ben opened News too long ago (10 days): no credit for News.
    await sent(news.flowId, ben.id, 10 * DAY);
    const order = (contactId: string, value: number) =>
      storeEvent(t.db, {
        workspaceId: member.workspace.id,
        contactId,
        name: "Placed Order",
        properties: { value, currency: "EUR" },
        at: now,
      });
    const batch = [await order(ana.id, 40), await order(ben.id, 25), await order(cy.id, 10)];
    await enrollFromEvents(t.db, batch, now, new ExecutorCaches());
    const rows = await t.db
      .select()
      .from(conversions)
      .where(eq(conversions.workspaceId, member.workspace.id));
    const got = rows
      .map((r) => [
        r.flowId === news.flowId ? "News" : "Cart",
        r.contactId,
        r.messageId,
        r.valueCents,
        r.currency,
      ])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])));
    expect(got).toEqual(
      [
        ["Cart", ana.id, anaCart, 4000, "EUR"],
        ["Cart", ben.id, benCart, 2500, "EUR"],
        ["News", ana.id, anaNews, 4000, "EUR"],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))),
    );
  });
});
