/**
 * Seasonal offer, in the shop's words: on a date the shop picks, at 09:00 in each
 * customer's own time, US customers get the sale email → two days later, no order? a
 * reminder push. The date is an RFC 5545 rule ("the fourth Thursday of November", "the
 * second Sunday of May"), so it moves with the calendar; each customer's 09:00 falls at a
 * different UTC hour, and daylight saving moves it again.
 *
 * Day numbers count from Monday 2 March 2026 (day 0); times are UTC.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getFlowTemplate } from "@/server/engine";
import type { FlowGraph } from "@/server/engine/graph";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { at, DAY0, Shop } from "./shop";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const DAY = 86_400_000;
/** The scenario day number of a calendar date in 2026. */
const dayOf = (month: number, day: number) => Math.round((Date.UTC(2026, month - 1, day) - DAY0) / DAY);
/** Thursday 26 November 2026, the fourth Thursday: Black Friday's eve. */
const EVE = dayOf(11, 26);
/** Sunday 10 May 2026, the second Sunday of May. */
const MAY = dayOf(5, 10);

/** The seasonal template with its date as a recurrence rule at 09:00 in each customer's time. */
function seasonal(rule: string): FlowGraph {
  const template = getFlowTemplate("seasonal_offer");
  if (!template) throw new Error("no seasonal_offer template");
  const graph = template.graph;
  return {
    ...graph,
    nodes: graph.nodes.map((n) =>
      n.kind === "trigger" && n.config.type === "schedule"
        ? { ...n, config: { ...n.config, schedule: { frequency: "rule" as const, rule } } }
        : n,
    ),
  };
}
const BLACK_FRIDAY_EVE = "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;BYHOUR=9;BYMINUTE=0";
const SECOND_SUNDAY_OF_MAY = "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU;BYHOUR=9;BYMINUTE=0";

/** Ava in New York, Ben in Los Angeles, Cleo in Honolulu (all US) and Dev in London (GB). */
async function shopWithCustomers(rule: string) {
  const shop = await Shop.open(t, "seasonal_offer", seasonal(rule));
  await shop.customer("Ava", { timezone: "America/New_York", country: "US" });
  await shop.customer("Ben", { timezone: "America/Los_Angeles", country: "US" });
  await shop.customer("Cleo", { timezone: "Pacific/Honolulu", country: "US" });
  await shop.customer("Dev", { timezone: "Europe/London", country: "GB" });
  return shop;
}

const offerEmails = async (shop: Shop) =>
  (await shop.sends()).filter((s) => s.step === "offer_email" && s.status === "sent").map((s) => s.at);
const reminders = async (shop: Shop) =>
  (await shop.sends()).filter((s) => s.step === "reminder_push").map((s) => s.at);

describe(`seasonal offer scenarios (${testDriver()})`, () => {
  it("Black Friday's eve, 26 November 09:00 local → New York at 14:00, Los Angeles at 17:00, Honolulu at 19:00 UTC; London is not in the US segment", async () => {
    const shop = await shopWithCustomers(BLACK_FRIDAY_EVE);
    await shop.runUntil(at(EVE - 1, "12:00"));
    expect(await shop.journeys()).toEqual([]);
    await shop.runStepwise(at(EVE + 1, "00:00"));
    expect(await offerEmails(shop)).toEqual([`day ${EVE} 14:00`, `day ${EVE} 17:00`, `day ${EVE} 19:00`]);
    expect(await shop.journeys()).toHaveLength(3);
  });

  it("two days on, those who did not order get the reminder at their 09:00; Ava, who ordered on Friday, does not", async () => {
    const shop = await shopWithCustomers(BLACK_FRIDAY_EVE);
    await shop.runUntil(at(EVE - 1, "12:00"));
    await shop.runStepwise(at(EVE + 1, "15:00"));
    await shop.deliver({
      customer: "Ava",
      event: "Placed Order",
      properties: { order_id: "bf-1", value: 60, coupon: "SEASON25" },
    });
    await shop.runStepwise(at(EVE + 4, "00:00"));
    // Ben and Cleo reach the reminder step (the push goes to their browsers when subscribed).
    expect(await reminders(shop)).toEqual([`day ${EVE + 2} 17:00`, `day ${EVE + 2} 19:00`]);
    const journeys = await shop.journeys();
    expect(journeys.filter((j) => j.exitReason === "goal")).toHaveLength(1);
    expect((await shop.conversions()).map((c) => c.valueCents)).toEqual([6000]);
  });

  it("the second Sunday of May at 09:00 in summer time → New York at 13:00 and Los Angeles at 16:00 UTC (Honolulu keeps 19:00)", async () => {
    const shop = await shopWithCustomers(SECOND_SUNDAY_OF_MAY);
    await shop.runUntil(at(MAY - 1, "12:00"));
    await shop.runStepwise(at(MAY + 1, "00:00"));
    expect(await offerEmails(shop)).toEqual([`day ${MAY} 13:00`, `day ${MAY} 16:00`, `day ${MAY} 19:00`]);
  });

  it("the shop's workers are down on the morning of the eve until 15:30 UTC → Ava's email goes at 15:30, her reminder still two days after 14:00", async () => {
    const shop = await shopWithCustomers(BLACK_FRIDAY_EVE);
    await shop.runUntil(at(EVE, "12:00"));
    shop.outage(at(EVE, "15:30"));
    await shop.runUntil(at(EVE, "15:30"));
    await shop.runUntil(at(EVE, "16:00"));
    await shop.runStepwise(at(EVE + 3, "00:00"));
    expect(await offerEmails(shop)).toEqual([`day ${EVE} 15:30`, `day ${EVE} 17:00`, `day ${EVE} 19:00`]);
    expect(await reminders(shop)).toEqual([
      `day ${EVE + 2} 14:00`,
      `day ${EVE + 2} 17:00`,
      `day ${EVE + 2} 19:00`,
    ]);
  });

  it("runs once a year: no second offer a week later, and Dev moving to New York before the eve gets it at 14:00", async () => {
    const shop = await shopWithCustomers(BLACK_FRIDAY_EVE);
    await shop.runUntil(at(EVE - 2, "12:00"));
    await shop.customer("Dev", { timezone: "America/New_York", country: "US" });
    await shop.runUntil(at(EVE - 1, "12:00"));
    await shop.runStepwise(at(EVE + 1, "00:00"));
    await shop.runUntil(at(EVE + 8, "00:00"));
    expect(await offerEmails(shop)).toEqual([
      `day ${EVE} 14:00`,
      `day ${EVE} 14:00`,
      `day ${EVE} 17:00`,
      `day ${EVE} 19:00`,
    ]);
  });
});
