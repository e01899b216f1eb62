/**
 * "Test with a contact" through the router: the saved draft of Abandoned cart runs for a real
 * shopper on a virtual clock — an order after the second email ends the journey at the goal,
 * an injected order changes the path — nothing is written or sent, a draft with problems
 * answers with them, and bad input is refused naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { count } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import { createContact, storeEvent } from "@/server/testing/flows";
import { enrollments, events, messages } from "@/server/db/schema";

let t: TestDb;
let a: Awaited<ReturnType<typeof createMember>>;
let b: Awaited<ReturnType<typeof createMember>>;
let cartFlowId: string;
let lucas: { id: string };
let nina: { id: string };
let bobsContact: { id: string };
let lucasCheckout: string;
let ninaCheckout: string;
let checkoutAt: number;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cart = (id: string) => ({
  cart_id: id,
  items: [{ product_id: "p1", title: "Kenya AA Whole Bean", price: 18.5, quantity: 2, url: "/p/p1" }],
  value: 37,
  currency: "USD",
  checkout_url: `/store/demo/checkout/${id}`,
});

beforeAll(async () => {
  t = await createTestDb();
  a = await createMember(t.db, "Alice");
  b = await createMember(t.db, "Bob");
  cartFlowId = (await a.caller.flows.createFromTemplate({ templateKey: "abandoned_cart" })).id;
  // Midday in New York, so no message waits for quiet hours.
  checkoutAt = Date.UTC(2026, 9, 6, 16, 0);
  lucas = await createContact(t.db, a.workspace.id, { firstName: "Lucas", email: "lucas@example.com" });
  nina = await createContact(t.db, a.workspace.id, { firstName: "Nina", email: "nina@example.com" });
  bobsContact = await createContact(t.db, b.workspace.id, { firstName: "Bea" });
  lucasCheckout = (
    await storeEvent(t.db, {
      workspaceId: a.workspace.id,
      contactId: lucas.id,
      name: "Started Checkout",
      properties: cart("c_lucas"),
      at: checkoutAt,
    })
  ).id;
  // Lucas orders this cart 30 hours later: after the second email (at +25 h).
  await storeEvent(t.db, {
    workspaceId: a.workspace.id,
    contactId: lucas.id,
    name: "Placed Order",
    properties: { order_id: "o_1", cart_id: "c_lucas", value: 37, currency: "USD" },
    at: checkoutAt + 30 * HOUR,
  });
  ninaCheckout = (
    await storeEvent(t.db, {
      workspaceId: a.workspace.id,
      contactId: nina.id,
      name: "Started Checkout",
      properties: cart("c_nina"),
      at: checkoutAt,
    })
  ).id;
});
afterAll(() => t.close());

async function rowCounts() {
  const [m] = await t.db.select({ n: count() }).from(messages);
  const [e] = await t.db.select({ n: count() }).from(enrollments);
  const [v] = await t.db.select({ n: count() }).from(events);
  return { messages: m?.n, enrollments: e?.n, events: v?.n };
}

async function run(input: Parameters<typeof a.caller.simulate.contact>[0]) {
  const result = await a.caller.simulate.contact(input);
  if (result.kind !== "run") throw new Error(`expected a run, got ${JSON.stringify(result)}`);
  return result.simulation;
}

async function expectField(
  path: string,
  input: unknown,
  field: string,
  status: number,
  user: { id: string; email: string; name: string } = a.user,
) {
  const res = await callHttp(t.db, user, path, input);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body.error?.json.data.fieldErrors ?? {})).toContain(field);
}

describe(`testing a draft with a contact (${testDriver()})`, () => {
  it("stops at the goal when the shopper ordered this cart after the second email, and writes nothing", async () => {
    const before = await rowCounts();
    const sim = await run({ flowId: cartFlowId, contactId: lucas.id, trigger: { eventId: lucasCheckout } });
    expect(sim.entered).toBe(true);
    expect(sim.path).toContain("email_2");
    expect(sim.path).not.toContain("email_3");
    const sends = sim.steps.filter((s) => s.kind === "send");
    expect(sends.map((s) => s.nodeId)).toEqual(["email_1", "email_2", "sms_reminder"]);
    expect(sends[0]?.at).toBe(checkoutAt + HOUR);
    expect(sends[0]?.message?.subject).toBe("Lucas, you left something behind");
    expect(sends[0]?.message?.html).toContain("Kenya AA Whole Bean");
    expect(sim.steps.some((s) => s.kind === "convert")).toBe(true);
    expect(sim.status).toBe("exited");
    expect(await rowCounts()).toEqual(before);
  });

  it("follows the injected order: without it the shopper gets the coupon email, with it the journey ends", async () => {
    const base = { flowId: cartFlowId, contactId: nina.id, trigger: { eventId: ninaCheckout } };
    const without = await run(base);
    expect(without.path).toContain("email_3");

    const withOrder = await run({
      ...base,
      injections: [
        {
          kind: "event",
          at: checkoutAt + 30 * HOUR,
          name: "Placed Order",
          properties: { cart_id: "c_nina", value: 37 },
        },
      ],
    });
    expect(withOrder.path).toContain("email_2");
    expect(withOrder.path).not.toContain("email_3");
    expect(withOrder.steps.some((s) => s.kind === "convert")).toBe(true);
  });

  it("runs an edited copy of the trigger (a bigger cart) without touching the real event", async () => {
    const sim = await run({
      flowId: cartFlowId,
      contactId: nina.id,
      trigger: {
        event: {
          name: "Started Checkout",
          properties: { ...cart("c_edit"), value: 500 },
          occurredAt: checkoutAt,
        },
      },
    });
    expect(sim.trigger.eventId).toMatch(/^edited-/);
    expect(sim.trigger.properties.value).toBe(500);
    expect(sim.entered, JSON.stringify(sim)).toBe(true);
    expect(sim.steps[0]?.at).toBe(checkoutAt);
  });

  it("starts a time trigger from now, with what the contact does next timed from it", async () => {
    const winBack = await a.caller.flows.createFromTemplate({ templateKey: "win_back" });
    const listed = await a.caller.simulate.contactEvents({ flowId: winBack.id, contactId: nina.id });
    expect(listed).toEqual({ triggerEvent: null, events: [] });
    const before = Date.now();
    const result = await a.caller.simulate.contact({
      flowId: winBack.id,
      contactId: nina.id,
      trigger: { now: true },
      // Timed from the browser's "now", a moment before the server's.
      injections: [{ kind: "event", at: before - 1000, name: "Placed Order", properties: {} }],
    });
    expect(result.kind).toBe("run");
    if (result.kind !== "run") return;
    expect(result.simulation.trigger.name).toBe("inactivity");
    expect(result.simulation.trigger.occurredAt).toBeGreaterThanOrEqual(before);
  });

  it("lists the draft's problems instead of a run", async () => {
    const blank = await a.caller.flows.create({ name: "Half-built" });
    const result = await a.caller.simulate.contact({
      flowId: blank.id,
      contactId: lucas.id,
      trigger: { eventId: lucasCheckout },
    });
    expect(result.kind).toBe("problems");
    if (result.kind === "problems") expect(result.issues.length).toBeGreaterThan(0);
  });

  it("lists the contact's events that could start the draft", async () => {
    const listed = await a.caller.simulate.contactEvents({ flowId: cartFlowId, contactId: lucas.id });
    expect(listed.triggerEvent).toBe("Started Checkout");
    expect(listed.events.map((e) => e.id)).toEqual([lucasCheckout]);
    expect(listed.events[0]?.properties).toMatchObject({ cart_id: "c_lucas" });
  });

  it("refuses a contact it does not know, naming the field", async () => {
    const input = { flowId: cartFlowId, trigger: { eventId: lucasCheckout } };
    await expectField("simulate.contact", { ...input, contactId: crypto.randomUUID() }, "contactId", 404);
    await expectField("simulate.contact", { ...input, contactId: bobsContact.id }, "contactId", 404);
    await expectField("simulate.contact", { ...input, contactId: "lucas" }, "contactId", 400);
  });

  it("refuses an event of another contact or another shop", async () => {
    await expectField(
      "simulate.contact",
      { flowId: cartFlowId, contactId: nina.id, trigger: { eventId: lucasCheckout } },
      "trigger.eventId",
      404,
    );
    await expectField(
      "simulate.contact",
      { flowId: cartFlowId, contactId: nina.id, trigger: { eventId: crypto.randomUUID() } },
      "trigger.eventId",
      404,
    );
  });

  it("keeps another shop's flow and contacts to itself", async () => {
    await expect(
      b.caller.simulate.contact({
        flowId: cartFlowId,
        contactId: lucas.id,
        trigger: { eventId: lucasCheckout },
      }),
    ).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === "NOT_FOUND");
    await expect(
      b.caller.simulate.contactEvents({ flowId: cartFlowId, contactId: lucas.id }),
    ).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === "NOT_FOUND");
  });

  it("refuses what the contact does next when it is too much, before the trigger, past the horizon or not a message", async () => {
    const input = { flowId: cartFlowId, contactId: nina.id, trigger: { eventId: ninaCheckout } };
    const order = (at: number) => ({ kind: "event", at, name: "Placed Order", properties: {} });
    await expectField(
      "simulate.contact",
      { ...input, injections: Array.from({ length: 21 }, (_, i) => order(checkoutAt + i * HOUR)) },
      "injections",
      400,
    );
    await expectField(
      "simulate.contact",
      { ...input, injections: [order(checkoutAt - HOUR)] },
      "injections.0.at",
      400,
    );
    await expectField(
      "simulate.contact",
      { ...input, injections: [order(checkoutAt + 61 * DAY)] },
      "injections.0.at",
      400,
    );
    await expectField(
      "simulate.contact",
      {
        ...input,
        injections: [{ kind: "engagement", at: checkoutAt + 2 * HOUR, nodeId: "wait_1h", type: "opened" }],
      },
      "injections.0.nodeId",
      400,
    );
    await expectField(
      "simulate.contact",
      { ...input, injections: [{ kind: "event", at: checkoutAt, name: "", properties: {} }] },
      "injections.0.name",
      400,
    );
  });

  it("refuses “now” for a flow started by an event, and a trigger of the wrong shape", async () => {
    await expectField(
      "simulate.contact",
      { flowId: cartFlowId, contactId: nina.id, trigger: { now: true } },
      "trigger",
      400,
    );
    await expectField(
      "simulate.contact",
      {
        flowId: cartFlowId,
        contactId: nina.id,
        trigger: { event: { name: "Started Checkout", properties: [] } },
      },
      "trigger",
      400,
    );
  });
});
