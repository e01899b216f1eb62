import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { createContact, DAY, HOUR, storeEvent } from "@/server/testing/flows";
import { consentChanges, enrollments, messages, suppressions } from "@/server/db/schema";
import { abandonedCart } from "@/server/engine/templates/abandoned-cart";
import { FlowGraph } from "@/server/engine/graph";
import { backtest, BacktestAborted } from "./backtest";

let t: TestDb;
let workspaceId: string;
const cart = FlowGraph.parse(abandonedCart);
const FROM = Date.parse("2026-10-01T00:00:00Z");
const TO = FROM + 30 * DAY;

/** A graph whose second step asks whether the first email was opened. */
const engaged = FlowGraph.parse({
  schema: 1,
  nodes: [
    {
      id: "trigger",
      kind: "trigger",
      position: { x: 0, y: 0 },
      config: { type: "event", event: "Started Checkout", filter: null },
    },
    {
      id: "email_1",
      kind: "email",
      position: { x: 0, y: 1 },
      config: (abandonedCart.nodes.find((n) => n.id === "email_1") as { config: unknown }).config,
    },
    {
      id: "wait",
      kind: "wait",
      position: { x: 0, y: 2 },
      config: { mode: "duration", amount: 1, unit: "days" },
    },
    {
      id: "opened",
      kind: "condition",
      position: { x: 0, y: 3 },
      config: {
        mode: "if",
        predicate: { type: "engaged", engagement: "opened", step: "email_1", channel: null, days: null },
      },
    },
    { id: "exit_yes", kind: "exit", position: { x: -1, y: 4 }, config: {} },
    { id: "exit_no", kind: "exit", position: { x: 1, y: 4 }, config: {} },
  ],
  edges: [
    { id: "e1", source: "trigger", sourceHandle: "next", target: "email_1" },
    { id: "e2", source: "email_1", sourceHandle: "next", target: "wait" },
    { id: "e3", source: "wait", sourceHandle: "next", target: "opened" },
    { id: "e4", source: "opened", sourceHandle: "yes", target: "exit_yes" },
    { id: "e5", source: "opened", sourceHandle: "no", target: "exit_no" },
  ],
  settings: { smartSendingHours: 0 },
});

beforeAll(async () => {
  t = await createTestDb();
  workspaceId = (await createMember(t.db, "Ines")).workspace.id;
  // 12 shoppers check out on day 2; the first 4 order that cart 30 minutes later, the next 3
  // after the second email; one checks out again on day 20; one checks out after the window.
  for (let i = 0; i < 12; i++) {
    const contact = await createContact(t.db, workspaceId, { firstName: `S${i}`, timezone: "UTC" });
    const at = FROM + DAY + 10 * HOUR + i * 60_000;
    const cartId = `cart-${i}`;
    await storeEvent(t.db, {
      workspaceId,
      contactId: contact.id,
      name: "Started Checkout",
      properties: { cart_id: cartId },
      at,
    });
    if (i < 4)
      await storeEvent(t.db, {
        workspaceId,
        contactId: contact.id,
        name: "Placed Order",
        properties: { cart_id: cartId, value: 40 },
        at: at + 30 * 60_000,
      });
    else if (i < 7)
      await storeEvent(t.db, {
        workspaceId,
        contactId: contact.id,
        name: "Placed Order",
        properties: { cart_id: cartId, value: 25 },
        at: at + 30 * HOUR,
      });
    if (i === 11) {
      await storeEvent(t.db, {
        workspaceId,
        contactId: contact.id,
        name: "Started Checkout",
        properties: { cart_id: "again" },
        at: FROM + 20 * DAY,
      });
      await storeEvent(t.db, {
        workspaceId,
        contactId: contact.id,
        name: "Started Checkout",
        properties: { cart_id: "later" },
        at: TO + HOUR,
      });
    }
  }
  // A sent email with an open, so the workspace has an observed open rate of 1/2.
  const [m1, m2] = await t.db
    .insert(messages)
    .values(
      [0, 1].map(() => ({
        workspaceId,
        channel: "email" as const,
        status: "sent" as const,
        createdAt: new Date(FROM - DAY),
        sentAt: new Date(FROM - DAY),
      })),
    )
    .returning({ id: messages.id });
  const { messageEvents } = await import("@/server/db/schema");
  await t.db
    .insert(messageEvents)
    .values({ workspaceId, messageId: m1!.id, type: "opened", occurredAt: new Date(FROM - DAY + HOUR) });
  expect(m2).toBeDefined();
});
afterAll(() => t.close());

describe(`forecast of a draft over past events (${testDriver()})`, () => {
  it("counts each step as the live numbers would: entered, passed on, exits by reason, sends, credited conversions", async () => {
    const before = (await t.db.select({ n: count() }).from(enrollments))[0]!.n;
    const progress: number[] = [];
    const result = await backtest(
      t.db,
      { workspaceId, graph: cart, settings: cart.settings, from: FROM, to: TO },
      { onProgress: (f) => progress.push(f), collectPaths: true },
    );
    expect(result.contacts).toBe(12);
    expect(result.events).toBe(20);
    expect(result.nodes.trigger!.entered).toBe(13);
    // 4 ordered within the hour: stopped at the first wait by the goal.
    expect(result.nodes.wait_1h!.exited).toEqual({ goal: 4 });
    expect(result.nodes.email_1!.sent).toBe(9);
    expect(result.nodes.email_2!.sent).toBe(9);
    // 3 ordered after the second email: the goal stops them at the 2-day wait.
    expect(result.nodes.wait_2d!.exited).toEqual({ goal: 3 });
    // Conversions as live: an order is credited to the last email opened before it, the opens
    // drawn at the workspace's observed rate (1 in 2, by a hash of contact and step). The 4 who
    // ordered within the hour had nothing to open; only the 3 late orders ($25 each) can count.
    const credited = Object.entries(result.nodes).filter(([, f]) => f.conversions > 0);
    for (const [id] of credited) expect(["email_1", "email_2"]).toContain(id);
    const conversions = credited.reduce((n, [, f]) => n + f.conversions, 0);
    expect(conversions).toBeLessThanOrEqual(3);
    expect(credited.reduce((n, [, f]) => n + f.revenueCents, 0)).toBe(2500 * conversions);
    // Assuming no opens, nothing is credited, though the goal still stops them.
    const unopened = await backtest(
      t.db,
      { workspaceId, graph: cart, settings: cart.settings, from: FROM, to: TO },
      { engagement: "none" },
    );
    expect(Object.values(unopened.nodes).reduce((n, f) => n + f.conversions, 0)).toBe(0);
    expect(unopened.nodes.wait_2d!.exited).toEqual({ goal: 3 });
    expect(result.nodes.never_ordered!.outcomes).toEqual({ yes: 6 });
    expect(result.nodes.email_3!.sent).toBe(6);
    expect(result.nodes.exit!.exited).toEqual({ exit_node: 6 });
    // Nobody is still waiting 30 days on; the checkout after the window does not count.
    expect(Object.values(result.nodes).reduce((n, f) => n + f.waiting, 0)).toBe(0);
    expect(result.paths!.size).toBe(13);
    expect(progress.at(-1)).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    // Nothing written.
    expect((await t.db.select({ n: count() }).from(enrollments))[0]!.n).toBe(before);

    // Read in chunks of 3 events, facts in batches of 2 contacts: the same forecast.
    const chunked = await backtest(
      t.db,
      { workspaceId, graph: cart, settings: cart.settings, from: FROM, to: TO },
      { chunkSize: 3, batchSize: 2 },
    );
    expect(chunked.nodes).toEqual(result.nodes);
  });

  it("a window ending mid-journey counts contacts as waiting", async () => {
    const result = await backtest(t.db, {
      workspaceId,
      graph: cart,
      settings: cart.settings,
      from: FROM,
      to: FROM + DAY + 20 * HOUR,
    });
    expect(result.nodes.wait_1d!.waiting).toBe(8);
    expect(result.nodes.wait_1h!.exited).toEqual({ goal: 4 });
  });

  it("a branch on opens uses the workspace's observed open rate, marked as an estimate", async () => {
    const result = await backtest(t.db, {
      workspaceId,
      graph: engaged,
      settings: engaged.settings,
      from: FROM,
      to: TO,
    });
    const opened = result.nodes.opened!;
    expect(opened.estimated).toBe(true);
    expect(result.nodes.email_1!.estimated).toBe(false);
    const yes = opened.outcomes.yes ?? 0;
    const no = opened.outcomes.no ?? 0;
    expect(yes + no).toBe(13);
    expect(yes).toBeGreaterThan(0);
    expect(no).toBeGreaterThan(0);
    // Deterministic: the same contacts open in every run.
    const again = await backtest(t.db, {
      workspaceId,
      graph: engaged,
      settings: engaged.settings,
      from: FROM,
      to: TO,
    });
    expect(again.nodes.opened!.outcomes).toEqual(opened.outcomes);
  });

  it("takes consent and suppression as they were at each moment, from their recorded changes, and says where that mattered", async () => {
    const run = () =>
      backtest(t.db, { workspaceId, graph: cart, settings: cart.settings, from: FROM, to: TO });
    const before = await run();
    const at = FROM + 4 * DAY + 10 * HOUR;
    // Unsubscribed from email today, 20 hours after checking out (after the first email, before the second).
    const unsubscribed = await createContact(t.db, workspaceId, {
      firstName: "Uma",
      timezone: "UTC",
      emailConsent: "unsubscribed",
    });
    await t.db.insert(consentChanges).values({
      workspaceId,
      contactId: unsubscribed.id,
      channel: "email",
      fromStatus: "subscribed",
      toStatus: "unsubscribed",
      source: "flow",
      occurredAt: new Date(at + 20 * HOUR),
    });
    // Suppressed today, since five hours after checking out (after the first email).
    const bounced = await createContact(t.db, workspaceId, { firstName: "Bo", timezone: "UTC" });
    await t.db.insert(suppressions).values({
      workspaceId,
      channel: "email",
      address: bounced.email!.toLowerCase(),
      reason: "hard_bounce",
      createdAt: new Date(at + 5 * HOUR),
    });
    for (const [i, contact] of [unsubscribed, bounced].entries())
      await storeEvent(t.db, {
        workspaceId,
        contactId: contact.id,
        name: "Started Checkout",
        properties: { cart_id: `then-${i}` },
        at: at + i * 60_000,
      });

    const after = await run();
    // Both got the first email then (today both would be skipped), neither the later ones.
    expect(after.nodes.email_1!.sent).toBe(before.nodes.email_1!.sent + 2);
    expect(after.nodes.email_1!.asOf).toEqual({ consent: 1, suppression: 1 });
    expect(after.nodes.email_2!.sent).toBe(before.nodes.email_2!.sent);
    expect(after.nodes.email_2!.skipped).toEqual({
      ...before.nodes.email_2!.skipped,
      no_consent: (before.nodes.email_2!.skipped.no_consent ?? 0) + 1,
      suppressed: (before.nodes.email_2!.skipped.suppressed ?? 0) + 1,
    });
    expect(after.nodes.email_2!.asOf).toBeUndefined();
  });

  it("can be cancelled", async () => {
    const controller = new AbortController();
    const run = backtest(
      t.db,
      { workspaceId, graph: cart, settings: cart.settings, from: FROM, to: TO },
      {
        chunkSize: 2,
        signal: controller.signal,
        onProgress: (f) => {
          if (f > 0.2) controller.abort();
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(BacktestAborted);
  });
});
