/**
 * The flow dashboard on a scripted history: sign-ups on two days, emails, opens, a click,
 * orders credited and not credited. The per-day series, totals, funnel, A/B branch results
 * and recent enrollments come out exactly; bad input names the field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import {
  createContact,
  DAY,
  FakeClock,
  HOUR,
  publishGraph,
  runUntilIdle,
  storeEvent,
  testExecutor,
} from "@/server/testing/flows";
import { enrollments, enrollmentSteps, messageEvents, messages } from "@/server/db/schema";
import { edge, emailCopy, graph, node, orderGoal } from "@/server/engine/templates/build";
import { twoProportionTest } from "./stats";

let t: TestDb;
const T0 = Date.UTC(2026, 2, 2, 14, 0, 0); // Monday 2 March 2026, 14:00 UTC

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const email = (subject: string) =>
  emailCopy({
    template: "welcome",
    subject,
    body: "Hello {{ first_name }}",
    buttonText: "Shop",
    buttonUrl: "https://shop.example.com",
  });

/** Sign-up → split A/B → an email each → wait 3 days → exit; an order is the goal. */
export const abGraph = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
    node("split", "split", 0, 1, {
      branches: [
        { id: "a", label: "Plain", percent: 50 },
        { id: "b", label: "Discount", percent: 50 },
      ],
    }),
    node("email_a", "email", -1, 2, email("Welcome")),
    node("email_b", "email", 1, 2, email("Welcome — 10% off")),
    node("wait_a", "wait", -1, 3, { mode: "duration", amount: 3, unit: "days" }),
    node("wait_b", "wait", 1, 3, { mode: "duration", amount: 3, unit: "days" }),
    node("exit_a", "exit", -1, 4, {}),
    node("exit_b", "exit", 1, 4, {}),
  ],
  [
    edge("trigger", "next", "split"),
    edge("split", "a", "email_a"),
    edge("split", "b", "email_b"),
    edge("email_a", "next", "wait_a"),
    edge("email_b", "next", "wait_b"),
    edge("wait_a", "next", "exit_a"),
    edge("wait_b", "next", "exit_b"),
  ],
  { goal: orderGoal() },
);

describe(`flow dashboard (${testDriver()})`, () => {
  it("reports a scripted history exactly", async () => {
    const member = await createMember(t.db, "Dashboard");
    const ws = member.workspace.id;
    const clock = new FakeClock(T0);
    const flow = await publishGraph(t.db, {
      workspaceId: ws,
      userId: member.user.id,
      graph: abGraph,
      now: T0,
    });
    const executor = testExecutor(t, clock);

    const signUp = async (n: number, at: number, offset: number) => {
      const made = [];
      for (let i = 0; i < n; i++) {
        clock.t = at + i * 1000;
        const contact = await createContact(t.db, ws, {
          firstName: `Shopper${offset + i}`,
          lastName: "Test",
          email: `shopper${offset + i}@example.com`,
        });
        await executor.handleEvents([
          await storeEvent(t.db, { workspaceId: ws, contactId: contact.id, name: "Signed Up", at: clock.t }),
        ]);
        made.push(contact);
      }
      await runUntilIdle(t.db, executor, clock, { until: at + HOUR });
      return made;
    };
    const engage = async (contactId: string, type: "opened" | "clicked", at: number) => {
      const [m] = await t.db
        .select()
        .from(messages)
        .where(and(eq(messages.contactId, contactId), eq(messages.flowId, flow.flowId)));
      await t.db.insert(messageEvents).values({
        workspaceId: ws,
        messageId: m!.id,
        type,
        occurredAt: new Date(at),
        url: type === "clicked" ? "https://shop.example.com" : null,
      });
    };
    const order = async (contactId: string, value: number, at: number) => {
      clock.t = at;
      await executor.handleEvents([
        await storeEvent(t.db, {
          workspaceId: ws,
          contactId,
          name: "Placed Order",
          properties: { order_id: `o_${contactId}`, value, currency: "USD" },
          at,
        }),
      ]);
    };

    const first = await signUp(8, T0, 0); // 2 March: 8 sign-ups, 8 emails
    const [c0, c1, c2, , c4] = first;
    await engage(c0!.id, "opened", T0 + 1 * HOUR);
    await engage(c1!.id, "opened", T0 + 1 * HOUR);
    await engage(c2!.id, "opened", T0 + 1 * HOUR);
    await engage(c1!.id, "clicked", T0 + 2 * HOUR);
    await order(c0!.id, 50, T0 + 3 * HOUR); // credited to its email, 2 March
    await order(c4!.id, 20, T0 + DAY); // nothing touched: a goal exit, not credited
    await order(c1!.id, 30, T0 + 2 * DAY); // credited to the click, 4 March
    const later = await signUp(4, T0 + 2 * DAY + HOUR, 8); // 4 March: 4 sign-ups, 4 emails
    await runUntilIdle(t.db, executor, clock, { until: T0 + 7 * DAY });

    const summary = await member.caller.dashboard.summary({ flowId: flow.flowId, days: 7, to: "2026-03-08" });
    expect(summary.range).toEqual({ from: "2026-03-02", to: "2026-03-08", days: 7 });
    expect(summary.series.map((p) => [p.day, p.entered, p.sent, p.conversions, p.revenueCents])).toEqual([
      ["2026-03-02", 8, 8, 1, 5000],
      ["2026-03-03", 0, 0, 0, 0],
      ["2026-03-04", 4, 4, 1, 3000],
      ["2026-03-05", 0, 0, 0, 0],
      ["2026-03-06", 0, 0, 0, 0],
      ["2026-03-07", 0, 0, 0, 0],
      ["2026-03-08", 0, 0, 0, 0],
    ]);
    expect(summary.totals).toEqual({
      entered: 12,
      sent: 12,
      recipients: 12,
      conversions: 2,
      revenue: [{ currency: "USD", cents: 8000 }],
      currency: "USD",
      revenueCents: 8000,
      revenuePerRecipientCents: Math.round(8000 / 12),
      conversionRate: 2 / 12,
    });
    expect(summary.currency).toBe("USD");
    expect(summary.funnel.map((s) => [s.key, s.count])).toEqual([
      ["entered", 12],
      ["received", 12],
      ["opened", 3],
      ["clicked", 1],
      ["converted", 2],
    ]);
    expect(summary.funnel[2]).toMatchObject({ rateOfEntered: 3 / 12, rateOfPrevious: 3 / 12 });
    expect(summary.funnel[3]).toMatchObject({ rateOfEntered: 1 / 12, rateOfPrevious: 1 / 3 });

    // A narrower range: the chart counts what happened in it; the funnel follows the contacts
    // who entered in it, whenever they converted (the 4 March order of a 2 March entrant).
    const firstDays = await member.caller.dashboard.summary({
      flowId: flow.flowId,
      days: 7,
      to: "2026-03-03",
    });
    expect(firstDays.totals).toMatchObject({ entered: 8, sent: 8, conversions: 1, revenueCents: 5000 });
    expect(firstDays.funnel.map((s) => s.count)).toEqual([8, 8, 3, 1, 2]);

    // A/B: the branch each contact took, from the path log; conversions are goal orders after it.
    const taken = await t.db
      .select({ contactId: enrollments.contactId, branch: enrollmentSteps.outcome })
      .from(enrollmentSteps)
      .innerJoin(enrollments, eq(enrollments.id, enrollmentSteps.enrollmentId))
      .where(and(eq(enrollmentSteps.flowId, flow.flowId), eq(enrollmentSteps.nodeId, "split")));
    expect(taken).toHaveLength(12);
    const branchOf = new Map(taken.map((r) => [r.contactId, r.branch]));
    const orders = new Map([
      [c0!.id, 5000],
      [c4!.id, 2000],
      [c1!.id, 3000],
    ]);
    const expected = (branch: string) => {
      const members = [...branchOf].filter(([, b]) => b === branch).map(([id]) => id);
      const converted = members.filter((id) => orders.has(id));
      return {
        contacts: members.length,
        conversions: converted.length,
        revenueCents: converted.reduce((sum, id) => sum + orders.get(id)!, 0),
      };
    };
    const [split] = summary.splits;
    expect(split?.nodeId).toBe("split");
    expect(split?.winner).toBeNull();
    const [a, b] = split!.branches;
    expect(a).toMatchObject({ branchId: "a", label: "Plain", ...expected("a"), vsControl: null });
    expect(b).toMatchObject({ branchId: "b", label: "Discount", ...expected("b") });
    expect(a!.contacts + b!.contacts).toBe(12);
    expect(b!.conversionRate).toBeCloseTo(b!.contacts ? b!.conversions / b!.contacts : 0, 10);
    const test = twoProportionTest(b!, a!);
    // Which contacts take which branch is random, so the verdict follows the test on these counts.
    const verdict = !test.significant
      ? "Not enough data yet"
      : b!.conversionRate > a!.conversionRate
        ? "95% confident Discount beats Plain"
        : "95% confident Plain beats Discount";
    expect(b!.vsControl).toMatchObject({ pValue: test.pValue, significant: test.significant, verdict });
    // 12 contacts and 3 orders are too few to call a winner, whatever the split.
    expect(test.significant).toBe(false);

    // Recent enrollments: newest first, with contact, status, where they are and their last step.
    const recent = await member.caller.dashboard.recentEnrollments({ flowId: flow.flowId });
    expect(recent).toHaveLength(12);
    expect(recent.slice(0, 4).map((r) => r.contact.email)).toEqual(later.map((c) => c.email).reverse());
    const r0 = recent.find((r) => r.contact.id === c0!.id)!;
    expect(r0).toMatchObject({
      status: "exited",
      contact: { name: "Shopper0 Test", email: "shopper0@example.com" },
    });
    // It ordered while waiting after its email: the goal exit leaves it at the wait, no longer waiting.
    expect(r0.currentStep.label).toBe("Wait 3 days");
    expect(r0.ended).toEqual({ reason: "goal", label: "Reached the goal" });
    expect(r0.lastStep).toMatchObject({ label: "Wait 3 days", outcome: "wait", words: "stopped waiting" });
    const r2 = recent.find((r) => r.contact.id === c2!.id)!;
    expect(r2).toMatchObject({
      status: "completed",
      currentStep: { label: "Exit" },
      ended: { reason: "exit_node", label: "Exit step" },
      lastStep: { outcome: "exit", words: "reached an Exit step" },
    });
    expect(await member.caller.dashboard.recentEnrollments({ flowId: flow.flowId, limit: 5 })).toHaveLength(
      5,
    );
    const ordered = await t.db
      .select({ id: enrollments.id })
      .from(enrollments)
      .where(eq(enrollments.flowId, flow.flowId))
      .orderBy(asc(enrollments.enteredAt));
    expect(recent.at(-1)?.id).toBe(ordered[0]?.id);

    // Another workspace sees nothing of it.
    const other = await createMember(t.db, "Other shop");
    await expect(other.caller.dashboard.summary({ flowId: flow.flowId, days: 30 })).rejects.toThrow(
      /not found/i,
    );
    await expect(other.caller.dashboard.recentEnrollments({ flowId: flow.flowId })).rejects.toThrow(
      /not found/i,
    );
  });

  it("names the field on bad input", async () => {
    const member = await createMember(t.db, "Careless");
    const flowId = "00000000-0000-4000-8000-000000000000";
    const fields = async (path: string, input: unknown) => {
      const res = await callHttp(t.db, member.user, path, input, "query");
      expect(res.status).toBe(400);
      return Object.keys(res.body.error?.json.data.fieldErrors ?? {});
    };
    expect(await fields("dashboard.summary", { flowId, days: 14 })).toEqual(["days"]);
    expect(await fields("dashboard.summary", { flowId: "nope", days: 7 })).toEqual(["flowId"]);
    expect(await fields("dashboard.summary", { flowId, days: 7, to: "yesterday" })).toEqual(["to"]);
    expect(await fields("dashboard.recentEnrollments", { flowId, limit: 51 })).toEqual(["limit"]);
    expect(await fields("dashboard.recentEnrollments", { flowId, limit: 2.5 })).toEqual(["limit"]);
    const missing = await callHttp(t.db, member.user, "dashboard.summary", { flowId, days: 7 }, "query");
    expect(missing.status).toBe(404);
  });
});
