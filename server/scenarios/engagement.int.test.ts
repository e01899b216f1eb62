/**
 * Engagement in flows, in the shop's words. A birthday offer: on the customer's `Birthday`
 * event at 10:00 → the birthday email with a code → 3 days → the email bounced? an SMS
 * instead : clicked? done : opened? (ordered? done : "still time" follow-up) : a reminder →
 * 70 days → opened nothing in the last 60 days? tag "unengaged".
 *
 * Opens, clicks and bounces come in through the provider-webhook verb the live webhooks use
 * (`recordProviderEvent`), with the time each happened, whenever their report arrives.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts, messageEvents, messages } from "@/server/db/schema";
import type { FlowGraph } from "@/server/engine/graph";
import { when } from "@/server/engine/predicate";
import { chain, edge, emailCopy, graph, node } from "@/server/engine/templates/build";
import { recordProviderEvent, type MessageEventType } from "@/server/messages/provider-events";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const email = (id: string, column: number, row: number, subject: string) =>
  node(
    id,
    "email",
    column,
    row,
    emailCopy({
      template: "birthday",
      subject,
      body: "Happy birthday from all of us — here is 20% off.",
      couponCode: "BIRTHDAY20",
    }),
  );

const birthdayOffer: FlowGraph = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "event", event: "Birthday", filter: null }),
    email("birthday_email", 0, 1, "Happy birthday! 20% off is waiting"),
    node("wait_3d", "wait", 0, 2, { mode: "duration", amount: 3, unit: "days" }),
    node("bounced", "condition", 0, 3, {
      mode: "if",
      predicate: when.engagedWith("bounced", "birthday_email"),
    }),
    node("birthday_sms", "sms", -1, 4, {
      body: "Happy birthday from {{ shop.name }}! BIRTHDAY20 takes 20% off. Reply STOP to opt out.",
      category: "marketing",
    }),
    node("clicked", "condition", 0, 4, {
      mode: "if",
      predicate: when.engagedWith("clicked", "birthday_email"),
    }),
    node("opened", "condition", 1, 5, {
      mode: "if",
      predicate: when.engagedWith("opened", "birthday_email"),
    }),
    node("ordered", "condition", 0, 6, { mode: "if", predicate: when.hasDone("Placed Order", "flow_start") }),
    email("follow_up_email", 0, 7, "Still time to use your birthday gift"),
    email("reminder_email", 2, 6, "Did you see your birthday gift?"),
    node("wait_70d", "wait", 0, 8, { mode: "duration", amount: 70, unit: "days" }),
    node("engaged_60d", "condition", 0, 9, { mode: "if", predicate: when.engagedAny("opened", 60, "email") }),
    node("tag_unengaged", "action", 1, 10, { type: "add_tag", tag: "unengaged" }),
    node("exit", "exit", 0, 11, {}),
  ],
  [
    ...chain("trigger", "birthday_email", "wait_3d", "bounced"),
    edge("bounced", "yes", "birthday_sms"),
    edge("bounced", "no", "clicked"),
    edge("birthday_sms", "next", "wait_70d"),
    edge("clicked", "yes", "wait_70d"),
    edge("clicked", "no", "opened"),
    edge("opened", "yes", "ordered"),
    edge("opened", "no", "reminder_email"),
    edge("ordered", "yes", "wait_70d"),
    edge("ordered", "no", "follow_up_email"),
    edge("follow_up_email", "next", "wait_70d"),
    edge("reminder_email", "next", "wait_70d"),
    edge("wait_70d", "next", "engaged_60d"),
    edge("engaged_60d", "yes", "exit"),
    edge("engaged_60d", "no", "tag_unengaged"),
    edge("tag_unengaged", "next", "exit"),
  ],
  { goal: null, reentry: { mode: "every_time" } },
);

async function shopWithLena() {
  const shop = await Shop.open(t, "birthday", birthdayOffer);
  await shop.customer("Lena");
  await shop.runUntil(at(0, "10:00"));
  await shop.deliver({ customer: "Lena", event: "Birthday" });
  return shop;
}

/** The provider reports that the message `step` sent was opened / clicked / bounced at `happened`. */
async function report(
  shop: Shop,
  step: string,
  type: MessageEventType,
  happened: number,
  providerEventId: string = randomUUID(),
) {
  const [message] = await t.db
    .select({ id: messages.id, channel: messages.channel })
    .from(messages)
    .where(and(eq(messages.flowId, shop.flowId), eq(messages.nodeId, step)));
  if (!message) throw new Error(`step ${step} sent nothing`);
  return recordProviderEvent(t.db, {
    provider: "resend",
    channel: message.channel,
    providerEventId,
    providerMessageId: "",
    messageId: message.id,
    workspaceId: shop.workspaceId,
    type,
    ...(type === "bounced" && { bounce: "hard" as const, reason: "Mailbox does not exist" }),
    occurredAt: new Date(happened),
  });
}

/** The branches a journey took at the engagement questions. */
async function answers(shop: Shop): Promise<string[]> {
  const [journey] = await shop.journeys();
  return (journey?.path ?? []).filter((p) => /^(bounced|clicked|opened|ordered|engaged_60d):/.test(p));
}

async function tagsOf(shop: Shop): Promise<string[]> {
  const rows = await t.db
    .select({ tags: contacts.tags })
    .from(contacts)
    .where(eq(contacts.workspaceId, shop.workspaceId));
  return rows.flatMap((r) => r.tags);
}

describe(`engagement scenarios (${testDriver()})`, () => {
  it("Lena opens the birthday email on day 1 and does not order → the “still time” follow-up on day 3 at 10:00", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(1, "19:00"));
    await report(shop, "birthday_email", "opened", at(1, "19:00"));
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["birthday_email at day 0 10:00", "follow_up_email at day 3 10:00"]);
    expect(await answers(shop)).toEqual(["bounced:no", "clicked:no", "opened:yes", "ordered:no"]);
  });

  it("she opens it on day 1 and orders on day 2 → no follow-up", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(1, "19:00"));
    await report(shop, "birthday_email", "opened", at(1, "19:00"));
    await shop.runUntil(at(2, "12:00"));
    await shop.deliver({ customer: "Lena", event: "Placed Order", properties: { order_id: "A", value: 30 } });
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["birthday_email at day 0 10:00"]);
    expect(await answers(shop)).toEqual(["bounced:no", "clicked:no", "opened:yes", "ordered:yes"]);
  });

  it("she clicks the code's link on day 1 → the clicked path: neither follow-up nor reminder", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(1, "08:00"));
    await report(shop, "birthday_email", "opened", at(1, "07:59"));
    await report(shop, "birthday_email", "clicked", at(1, "08:00"));
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["birthday_email at day 0 10:00"]);
    expect(await answers(shop)).toEqual(["bounced:no", "clicked:yes"]);
  });

  it("the birthday email bounces (hard) a minute after sending → the SMS goes out on day 3 instead, and her address is suppressed", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(0, "10:01"));
    const recorded = await report(shop, "birthday_email", "bounced", at(0, "10:01"));
    expect(recorded).toMatchObject({ status: "recorded", suppressed: true });
    await shop.runUntil(at(5, "00:00"));
    const sends = await shop.sends();
    expect(sends.map((s) => `${s.step} ${s.status} at ${s.at}`)).toEqual([
      "birthday_email bounced at day 0 10:00",
      "birthday_sms sent at day 3 10:00",
    ]);
    expect(await answers(shop)).toEqual(["bounced:yes"]);
  });

  it("she never opens it → the reminder on day 3 at 10:00", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["birthday_email at day 0 10:00", "reminder_email at day 3 10:00"]);
    expect(await answers(shop)).toEqual(["bounced:no", "clicked:no", "opened:no"]);
  });

  it("an open on day 2 at 18:00 whose report arrives only on day 3 at 09:55 still counts at the 10:00 check", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(3, "09:55"));
    await report(shop, "birthday_email", "opened", at(2, "18:00"));
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["birthday_email at day 0 10:00", "follow_up_email at day 3 10:00"]);
  });

  it("an open stamped 10:30 on day 3 (after the check, though reported before it) does not count; nor does an open after the check change the path taken", async () => {
    const skewed = await shopWithLena();
    await skewed.runUntil(at(3, "09:00"));
    await report(skewed, "birthday_email", "opened", at(3, "10:30"));
    await skewed.runUntil(at(5, "00:00"));
    expect(await skewed.sent()).toEqual(["birthday_email at day 0 10:00", "reminder_email at day 3 10:00"]);

    const late = await shopWithLena();
    await late.runUntil(at(3, "12:00"));
    await report(late, "birthday_email", "opened", at(3, "11:00"));
    await late.runUntil(at(5, "00:00"));
    expect(await late.sent()).toEqual(["birthday_email at day 0 10:00", "reminder_email at day 3 10:00"]);
  });

  it("two opens, and the provider retrying one of their webhooks, count as one open: one follow-up", async () => {
    const shop = await shopWithLena();
    await shop.runUntil(at(1, "20:00"));
    await report(shop, "birthday_email", "opened", at(1, "08:00"), "evt_open_1");
    await report(shop, "birthday_email", "opened", at(1, "20:00"), "evt_open_2");
    expect(await report(shop, "birthday_email", "opened", at(1, "20:00"), "evt_open_2")).toMatchObject({
      status: "duplicate",
    });
    await shop.runUntil(at(5, "00:00"));
    expect(await shop.sent()).toEqual(["birthday_email at day 0 10:00", "follow_up_email at day 3 10:00"]);
    const opens = await t.db
      .select({ id: messageEvents.id })
      .from(messageEvents)
      .where(and(eq(messageEvents.workspaceId, shop.workspaceId), eq(messageEvents.type, "opened")));
    expect(opens).toHaveLength(2);
    expect((await shop.journeys()).map((j) => j.status)).toEqual(["active"]);
  });

  it("with the flow filter “did not click the birthday email”, a click on day 1 ends her journey at the next step (day 3), before the 70-day check", async () => {
    const filtered: FlowGraph = {
      ...birthdayOffer,
      settings: {
        ...birthdayOffer.settings,
        filter: when.not(when.engagedWith("clicked", "birthday_email")),
      },
    };
    const shop = await Shop.open(t, "birthday", filtered);
    await shop.customer("Lena");
    await shop.runUntil(at(0, "10:00"));
    await shop.deliver({ customer: "Lena", event: "Birthday" });
    await shop.runUntil(at(1, "08:00"));
    await report(shop, "birthday_email", "clicked", at(1, "08:00"));
    await shop.runUntil(at(80, "00:00"));
    expect(await shop.sent()).toEqual(["birthday_email at day 0 10:00"]);
    const [journey] = await shop.journeys();
    expect([journey?.status, journey?.exitReason]).toEqual(["exited", "filter"]);
    expect(await tagsOf(shop)).toEqual([]);
  });

  it("opened nothing in the 60 days before day 73 → tagged “unengaged”; an open of the follow-up on day 20 keeps her off the list", async () => {
    const quiet = await shopWithLena();
    await quiet.runUntil(at(1, "19:00"));
    await report(quiet, "birthday_email", "opened", at(1, "19:00"));
    await quiet.runUntil(at(80, "00:00"));
    expect(await answers(quiet)).toEqual([
      "bounced:no",
      "clicked:no",
      "opened:yes",
      "ordered:no",
      "engaged_60d:no",
    ]);
    expect(await tagsOf(quiet)).toEqual(["unengaged"]);
    expect((await quiet.journeys()).map((j) => j.status)).toEqual(["completed"]);

    const engaged = await shopWithLena();
    await engaged.runUntil(at(1, "19:00"));
    await report(engaged, "birthday_email", "opened", at(1, "19:00"));
    await engaged.runUntil(at(20, "09:00"));
    await report(engaged, "follow_up_email", "opened", at(20, "09:00"));
    await engaged.runUntil(at(80, "00:00"));
    expect((await answers(engaged)).at(-1)).toBe("engaged_60d:yes");
    expect(await tagsOf(engaged)).toEqual([]);
  });
});
