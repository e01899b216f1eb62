/**
 * Time-based triggers through the real scheduler and database with a fake clock, across
 * daylight-saving changes in several time zones, with two sweepers running at every tick:
 * each contact enters once per occurrence, at the local hour it asked for.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import {
  createContact,
  DAY,
  FakeClock,
  HOUR,
  publishGraph,
  storeEvent,
  testExecutor,
} from "@/server/testing/flows";
import { enrollments } from "@/server/db/schema";
import { edge, graph, node } from "@/server/engine/templates/build";
import type { TriggerConfig } from "@/server/engine/nodes/trigger";
import { when } from "@/server/engine/predicate";
import { sweepTimeTriggers } from "./scheduler";

let t: TestDb;
let member: Awaited<ReturnType<typeof createMember>>;

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());
beforeEach(async () => {
  member = await createMember(t.db, "Marketer");
});

/** trigger → exit: what is measured is who enters, and for which occurrence. */
function timeFlow(trigger: TriggerConfig) {
  return graph(
    [node("trigger", "trigger", 0, 0, trigger), node("exit", "exit", 0, 1, {})],
    [edge("trigger", "next", "exit")],
  );
}

/** Sweeps from `from` to `to` every `step`, two sweepers at once at every tick; drains the executor after each tick when given. */
async function sweepAcross(
  clock: FakeClock,
  from: number,
  to: number,
  step: number,
  drain?: () => Promise<unknown>,
) {
  for (clock.t = from; clock.t <= to; clock.t += step) {
    await Promise.all([
      sweepTimeTriggers(t.db, clock.t, { workspaceId: member.workspace.id }),
      sweepTimeTriggers(t.db, clock.t, { workspaceId: member.workspace.id }),
    ]);
    if (drain) await drain();
  }
}

async function entries(flowId: string) {
  const rows = await t.db.select().from(enrollments).where(eq(enrollments.flowId, flowId));
  return rows.map((r) => ({
    contactId: r.contactId,
    occurrence: (r.triggerData as { properties: { occurrence: string } }).properties.occurrence,
    enteredAt: r.enteredAt.getTime(),
  }));
}

const iso = (ms: number) => new Date(ms).toISOString();

describe(`time-based triggers across DST and time zones (${testDriver()})`, () => {
  it("a birthday at 09:00 local fires once, at 09:00 on either side of each zone's clock change", async () => {
    const start = Date.UTC(2026, 2, 5, 0, 0);
    const end = Date.UTC(2026, 3, 7, 0, 0);
    const clock = new FakeClock(start);
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: timeFlow({
        type: "date_property",
        property: "birthday",
        daysBefore: 0,
        time: "09:00",
        yearly: true,
      }),
      now: start - DAY,
    });
    const cases = [
      // New York springs forward on 8 March 2026: 09:00 is 14:00 UTC the day before, 13:00 UTC on the day.
      { timezone: "America/New_York", birthday: "1988-03-07", expected: Date.UTC(2026, 2, 7, 14, 0) },
      { timezone: "America/New_York", birthday: "1990-03-08", expected: Date.UTC(2026, 2, 8, 13, 0) },
      // Berlin springs forward on 29 March: 08:00 UTC before, 07:00 UTC after.
      { timezone: "Europe/Berlin", birthday: "1985-03-28", expected: Date.UTC(2026, 2, 28, 8, 0) },
      { timezone: "Europe/Berlin", birthday: "1992-03-29", expected: Date.UTC(2026, 2, 29, 7, 0) },
      // Sydney falls back on 5 April: 09:00 AEDT is 22:00 UTC the day before, 09:00 AEST 23:00 UTC.
      { timezone: "Australia/Sydney", birthday: "1979-04-04", expected: Date.UTC(2026, 3, 3, 22, 0) },
      { timezone: "Australia/Sydney", birthday: "1995-04-05", expected: Date.UTC(2026, 3, 4, 23, 0) },
      // Kolkata has no DST and a half-hour offset.
      { timezone: "Asia/Kolkata", birthday: "2000-03-15", expected: Date.UTC(2026, 2, 15, 3, 30) },
    ];
    const people = [];
    for (const c of cases)
      people.push({
        ...c,
        id: (await createContact(t.db, member.workspace.id, { timezone: c.timezone, birthday: c.birthday }))
          .id,
      });
    // Outside the window, or no birthday: never.
    await createContact(t.db, member.workspace.id, { timezone: "Europe/Berlin", birthday: "1990-06-01" });
    await createContact(t.db, member.workspace.id, { birthday: null });

    const step = 2 * HOUR;
    await sweepAcross(clock, start, end, step);

    const got = await entries(flow.flowId);
    expect(got).toHaveLength(cases.length);
    for (const p of people) {
      const mine = got.filter((g) => g.contactId === p.id);
      expect(mine, `${p.timezone} ${p.birthday}`).toHaveLength(1);
      expect(mine[0]?.occurrence, `${p.timezone} ${p.birthday}`).toBe(iso(p.expected));
      // Entered on the first sweep at or after the occurrence.
      expect(mine[0]!.enteredAt - p.expected).toBeGreaterThanOrEqual(0);
      expect(mine[0]!.enteredAt - p.expected).toBeLessThan(step);
    }

    // A restart that sweeps the same window again enrolls nobody twice.
    await sweepAcross(clock, end - 3 * DAY, end, HOUR);
    expect(await entries(flow.flowId)).toHaveLength(cases.length);
  });

  it("a daily schedule at 01:30 contact-local runs once a day through New York's repeated hour", async () => {
    // 1 November 2026: New York falls back at 02:00, so 01:30 happens twice; the contact gets it once.
    const start = Date.UTC(2026, 9, 30, 0, 0);
    const end = Date.UTC(2026, 10, 3, 0, 0);
    const clock = new FakeClock(start);
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: timeFlow({
        type: "schedule",
        schedule: { frequency: "daily", time: "01:30" },
        timezone: "contact",
        segment: null,
      }),
      now: start,
    });
    const ny = await createContact(t.db, member.workspace.id, { timezone: "America/New_York" });
    const tokyo = await createContact(t.db, member.workspace.id, { timezone: "Asia/Tokyo" });
    const executor = testExecutor(t, clock);
    await sweepAcross(clock, start, end, 30 * 60_000, () => executor.drain());

    const got = await entries(flow.flowId);
    const at = (id: string) =>
      got
        .filter((g) => g.contactId === id)
        .map((g) => g.occurrence)
        .sort();
    expect(at(ny.id)).toEqual([
      iso(Date.UTC(2026, 9, 30, 5, 30)), // EDT, UTC−4
      iso(Date.UTC(2026, 9, 31, 5, 30)),
      iso(Date.UTC(2026, 10, 1, 5, 30)), // the first 01:30 (EDT); the repeated one (06:30 UTC) is not a second run
      iso(Date.UTC(2026, 10, 2, 6, 30)), // EST, UTC−5
    ]);
    // Tokyo (UTC+9, no DST): 16:30 UTC the day before, every day.
    expect(at(tokyo.id)).toEqual(
      [
        Date.UTC(2026, 9, 30, 16, 30),
        Date.UTC(2026, 9, 31, 16, 30),
        Date.UTC(2026, 10, 1, 16, 30),
        Date.UTC(2026, 10, 2, 16, 30),
      ].map(iso),
    );
  });

  it("a one-off seasonal schedule with a segment enrolls only that segment, once, at the contact's hour", async () => {
    const start = Date.UTC(2026, 10, 26, 0, 0);
    const clock = new FakeClock(start);
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: timeFlow({
        type: "schedule",
        schedule: { frequency: "once", at: "2026-11-27T08:00" },
        timezone: "contact",
        segment: when.contact("country", "eq", "US"),
      }),
      now: start - DAY,
    });
    const us = await createContact(t.db, member.workspace.id, {
      timezone: "America/Los_Angeles",
      country: "US",
    });
    await createContact(t.db, member.workspace.id, { timezone: "Europe/Paris", country: "FR" });
    await sweepAcross(clock, start, start + 3 * DAY, HOUR);
    const got = await entries(flow.flowId);
    expect(got.map((g) => g.contactId)).toEqual([us.id]);
    expect(got[0]?.occurrence).toBe(iso(Date.UTC(2026, 10, 27, 16, 0))); // 08:00 PST
  });

  it("win-back on inactivity enrolls once per lapse with two sweepers, and again after a new order lapses", async () => {
    const start = Date.UTC(2026, 2, 1, 12, 0);
    const clock = new FakeClock(start);
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: timeFlow({ type: "inactivity", event: "Placed Order", days: 30, segment: null }),
      now: start - DAY,
    });
    const executor = testExecutor(t, clock);
    const lapsed = await createContact(t.db, member.workspace.id, { timezone: "Europe/London" });
    const active = await createContact(t.db, member.workspace.id, { timezone: "Europe/London" });
    await storeEvent(t.db, {
      workspaceId: member.workspace.id,
      contactId: lapsed.id,
      name: "Placed Order",
      at: start - 29 * DAY,
    });
    await storeEvent(t.db, {
      workspaceId: member.workspace.id,
      contactId: active.id,
      name: "Placed Order",
      at: start - 5 * DAY,
    });
    // British Summer Time starts on 29 March in the middle of this window; inactivity counts days, not wall clocks.
    await sweepAcross(clock, start, start + 10 * DAY, 6 * HOUR, () => executor.drain());
    expect((await entries(flow.flowId)).map((g) => g.contactId)).toEqual([lapsed.id]);

    // The lapsed contact orders again; 30 days later they lapse again and re-enter, once.
    await storeEvent(t.db, {
      workspaceId: member.workspace.id,
      contactId: lapsed.id,
      name: "Placed Order",
      at: start + 11 * DAY,
    });
    await sweepAcross(clock, start + 11 * DAY, start + 45 * DAY, 6 * HOUR, () => executor.drain());
    const got = await entries(flow.flowId);
    expect(got.filter((g) => g.contactId === lapsed.id)).toHaveLength(2);
    expect(got.filter((g) => g.contactId === active.id)).toHaveLength(1);
  });
});
