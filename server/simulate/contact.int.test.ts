import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { createContact, DAY, HOUR, storeEvent } from "@/server/testing/flows";
import { startFakeResend, type FakeResend } from "@/server/testing/fake-resend-server";
import { enrollments, enrollmentSteps, events, messages } from "@/server/db/schema";
import { abandonedCart } from "@/server/engine/templates/abandoned-cart";
import { FlowGraph } from "@/server/engine/graph";
import { simulateContact } from "./contact";
import type { SimTrigger } from "./types";

let t: TestDb;
let fake: FakeResend;
let workspaceId: string;
const graph = FlowGraph.parse(abandonedCart);
const FLOW = "00000000-0000-4000-8000-000000000001";
// 20:00 in Rome on a Monday: the second email goes out at 21:00 local, so its SMS is held.
const CHECKOUT = Date.parse("2026-11-02T19:00:00Z");
const CART = { cart_id: "c-1", value: 84, currency: "EUR", items: [{ product_id: "p1", title: "Beans", quantity: 2 }] };

beforeAll(async () => {
  t = await createTestDb();
  fake = await startFakeResend();
  process.env.RESEND_BASE_URL = fake.url;
  workspaceId = (await createMember(t.db, "Giulia")).workspace.id;
});
afterAll(async () => {
  await fake.close();
  await t.close();
});

async function lucas(overrides: Parameters<typeof createContact>[2] = {}) {
  const contact = await createContact(t.db, workspaceId, { firstName: "Lucas", timezone: "Europe/Rome", ...overrides });
  const checkout = await storeEvent(t.db, {
    workspaceId,
    contactId: contact.id,
    name: "Started Checkout",
    properties: CART,
    at: CHECKOUT,
  });
  const trigger: SimTrigger = { eventId: checkout.id, name: checkout.name, properties: CART, occurredAt: CHECKOUT };
  return { contact, trigger };
}

const simulate = (contactId: string, trigger: SimTrigger, more: Partial<Parameters<typeof simulateContact>[1]> = {}) =>
  simulateContact(t.db, {
    workspaceId,
    flowId: FLOW,
    graph,
    settings: graph.settings,
    contactId,
    trigger,
    injections: [],
    ...more,
  });

async function rowCounts() {
  const n = async (table: typeof messages | typeof enrollments | typeof events | typeof enrollmentSteps) =>
    (await t.db.select({ n: count() }).from(table))[0]!.n;
  return { messages: await n(messages), enrollments: await n(enrollments), events: await n(events), steps: await n(enrollmentSteps) };
}

describe(`test a flow with a contact (${testDriver()})`, () => {
  it("a shopper who ordered after the second email: the path stops at the goal", async () => {
    const { contact, trigger } = await lucas();
    await storeEvent(t.db, {
      workspaceId,
      contactId: contact.id,
      name: "Placed Order",
      properties: { cart_id: "c-1", value: 84, currency: "EUR" },
      at: CHECKOUT + 40 * HOUR,
    });
    const before = await rowCounts();
    const run = await simulate(contact.id, trigger);

    expect(run.entered).toBe(true);
    expect(run.path).toEqual(["trigger", "wait_1h", "email_1", "wait_1d", "email_2", "sms_reminder", "wait_2d"]);
    expect(run.status).toBe("exited");
    const goal = run.steps.find((s) => s.kind === "convert")!;
    expect(goal.at).toBe(CHECKOUT + 40 * HOUR);
    expect(goal.text).toContain("84.00 EUR");
    expect(run.steps.at(-1)).toMatchObject({ kind: "exit", reason: "goal", nodeId: "wait_2d" });
    expect(run.steps.some((s) => s.nodeId === "email_3")).toBe(false);

    // Each message as it would be sent, at its virtual time.
    const first = run.steps.find((s) => s.kind === "send" && s.nodeId === "email_1")!;
    expect(first.at).toBe(CHECKOUT + HOUR);
    expect(first.message?.subject).toBe("Lucas, you left something behind");
    expect(first.text).toBe("Email “Lucas, you left something behind”");
    expect(first.message?.html).toContain("Return to your cart");
    expect(first.message?.text.length).toBeGreaterThan(20);
    // The SMS is due at 21:00 in Rome: held by quiet hours until 08:00 there.
    const held = run.steps.find((s) => s.kind === "held")!;
    expect(held).toMatchObject({ nodeId: "sms_reminder", reason: "quiet_hours" });
    expect(held.text).toBe("held by quiet hours until 08:00 Europe/Rome");
    const sms = run.steps.find((s) => s.kind === "send" && s.nodeId === "sms_reminder")!;
    expect(sms.at).toBe(Date.parse("2026-11-04T07:00:00Z"));
    expect(sms.message?.text).toContain("your cart is still saved, Lucas");

    // Nothing written, nothing sent.
    expect(await rowCounts()).toEqual(before);
    expect(fake.requests()).toHaveLength(0);
  });

  it("without the real order, an injected order at +40 h does the same; with neither the shopper gets the coupon", async () => {
    const { contact, trigger } = await lucas();
    const injected = await simulate(contact.id, trigger, {
      injections: [
        { kind: "event", at: CHECKOUT + 40 * HOUR, name: "Placed Order", properties: { cart_id: "c-1", value: 84 } },
      ],
    });
    expect(injected.path.at(-1)).toBe("wait_2d");
    expect(injected.status).toBe("exited");

    const none = await simulate(contact.id, trigger);
    expect(none.path).toEqual([
      "trigger",
      "wait_1h",
      "email_1",
      "wait_1d",
      "email_2",
      "sms_reminder",
      "wait_2d",
      "never_ordered",
      "email_3",
      "exit",
    ]);
    expect(none.status).toBe("completed");
    const coupon = none.steps.find((s) => s.nodeId === "email_3" && s.kind === "send")!;
    expect(coupon.message?.html).toContain("COMEBACK10");

    // An order of another cart is not this cart's goal.
    const other = await simulate(contact.id, trigger, {
      injections: [{ kind: "event", at: CHECKOUT + 2 * HOUR, name: "Placed Order", properties: { cart_id: "c-2" } }],
    });
    expect(other.path).toContain("never_ordered");
    expect(other.steps.find((s) => s.nodeId === "never_ordered")?.text).toContain("No");
  });

  it("an edited trigger (another cart) is used as given; real later events can be left out", async () => {
    const { contact, trigger } = await lucas();
    await storeEvent(t.db, {
      workspaceId,
      contactId: contact.id,
      name: "Placed Order",
      properties: { cart_id: "c-1", value: 84 },
      at: CHECKOUT + 30 * 60_000,
    });
    expect((await simulate(contact.id, trigger)).path).toEqual(["trigger", "wait_1h"]);
    const edited = await simulate(
      contact.id,
      { ...trigger, properties: { ...CART, value: 250, items: [{ product_id: "p9", title: "Gift Hamper", quantity: 1 }] } },
      { useRealLaterEvents: false },
    );
    expect(edited.path).toContain("email_3");
    expect(edited.steps.find((s) => s.nodeId === "email_1" && s.kind === "send")?.message?.html).toContain("Gift Hamper");
  });

  it("uses the contact's consent and the workspace's smart-sending history, and says so", async () => {
    const { contact, trigger } = await lucas({ smsConsent: "unsubscribed" });
    // Another flow emailed the shopper 30 minutes before the first reminder is due.
    await t.db.insert(messages).values({
      workspaceId,
      contactId: contact.id,
      flowId: "00000000-0000-4000-8000-000000000002",
      nodeId: "other",
      channel: "email",
      category: "marketing",
      status: "sent",
      toAddress: contact.email,
      createdAt: new Date(CHECKOUT + 30 * 60_000),
      sentAt: new Date(CHECKOUT + 30 * 60_000),
    });
    const run = await simulate(contact.id, trigger);
    const smart = run.steps.find((s) => s.nodeId === "email_1")!;
    expect(smart).toMatchObject({ kind: "skip", reason: "smart_sending", text: "Email skipped: smart sending" });
    expect(smart.note).toContain("another marketing message");
    const sms = run.steps.find((s) => s.nodeId === "sms_reminder" && s.kind === "skip")!;
    expect(sms.reason).toBe("no_consent");
    expect(sms.note).toContain("unsubscribed from SMS");
    // The second email is a day later: outside the 16-hour window.
    expect(run.steps.find((s) => s.nodeId === "email_2")?.kind).toBe("send");
  });

  it("a trigger the flow does not start on does not enter, with the reason", async () => {
    const { contact } = await lucas();
    const run = await simulate(contact.id, {
      eventId: null,
      name: "Viewed Product",
      properties: {},
      occurredAt: CHECKOUT,
    });
    expect(run.entered).toBe(false);
    expect(run.entryReason).toBe("trigger_mismatch");
    expect(run.steps).toEqual([]);
  });

  it("refuses an unknown contact", async () => {
    await expect(
      simulate("00000000-0000-4000-8000-00000000dead", {
        eventId: null,
        name: "Started Checkout",
        properties: {},
        occurredAt: CHECKOUT,
      }),
    ).rejects.toThrow(/contact not found/);
    expect(DAY).toBeGreaterThan(0);
  });
});
