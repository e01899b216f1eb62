import { describe, expect, it } from "vitest";
import type { FlowGraph } from "../graph";
import { advance } from "../step";
import { chain, graph, node } from "../templates/build";
import { at, carry, contact, enrollment, event, facts, runToEnd, triggerData } from "../testing/fixtures";
import { EmailConfig } from "./email";
import { wait, type WaitConfig } from "./wait";

function waitFlow(config: WaitConfig): FlowGraph {
  return graph(
    [
      node("t", "trigger", 0, 0, { type: "event", event: "Placed Order", filter: null }),
      node("w", "wait", 0, 1, config),
      node("x", "exit", 0, 2, {}),
    ],
    chain("t", "w", "x"),
  );
}

/** Where a contact entering at `now` would wake. */
function wakeAt(config: WaitConfig, now: number, f = facts(), properties: Record<string, unknown> = {}) {
  const g = waitFlow(config);
  const order = event("Placed Order", now, properties, "ev_order");
  return advance(g, enrollment(g, triggerData(order), now), f, now);
}

describe("wait: duration", () => {
  it("waits and then moves on at exactly the wake time", () => {
    const g = waitFlow({ mode: "duration", amount: 3, unit: "days" });
    const now = at("2025-06-10T14:00:00Z");
    const start = enrollment(g, triggerData(event("Placed Order", now, {}, "o")), now);
    const parked = advance(g, start, facts(), now);
    expect(parked).toMatchObject({
      status: "active",
      currentNodeId: "w",
      nextRunAt: at("2025-06-13T14:00:00Z"),
    });
    expect(parked.state.waiting).toEqual({
      nodeId: "w",
      visit: 1,
      reason: "delay",
      since: now,
      until: at("2025-06-13T14:00:00Z"),
      then: "next",
    });
    const done = advance(g, carry(start, parked), facts(), at("2025-06-13T14:00:00Z"));
    expect(done.status).toBe("completed");
    expect(done.effects[0]).toEqual({ type: "step", nodeId: "w", visit: 1, outcome: "next" });
  });

  it("counts days on the contact's calendar (10:00 stays 10:00 across spring-forward)", () => {
    expect(wakeAt({ mode: "duration", amount: 1, unit: "days" }, at("2025-03-08T15:00:00Z")).nextRunAt).toBe(
      at("2025-03-09T14:00:00Z"),
    );
    expect(wakeAt({ mode: "duration", amount: 2, unit: "hours" }, at("2025-03-09T06:00:00Z")).nextRunAt).toBe(
      at("2025-03-09T08:00:00Z"),
    );
  });

  it("reads plainly", () => {
    expect(wait.summary({ mode: "duration", amount: 1, unit: "days" })).toBe("Wait 1 day");
    expect(wait.summary({ mode: "duration", amount: 2, unit: "weeks" })).toBe("Wait 2 weeks");
    expect(
      wait
        .validate({ mode: "duration", amount: 0, unit: "hours" }, { nodeId: "w", trigger: null })
        .map((i) => i.code),
    ).toEqual(["invalid_value"]);
  });
});

describe("wait: until a time of day", () => {
  const nineOnWeekdays: WaitConfig = { mode: "until_time", time: "09:00", weekdays: [1, 2, 3, 4, 5] };

  it("lands at 09:00 local on the spring-forward day (America/New_York)", () => {
    // Sunday 9 March 2025, 00:30 EST — allow Sundays for this one.
    expect(
      wakeAt({ mode: "until_time", time: "09:00", weekdays: [7] }, at("2025-03-09T05:30:00Z")).nextRunAt,
    ).toBe(at("2025-03-09T13:00:00Z"));
  });

  it("lands at 09:00 local on the fall-back day", () => {
    expect(
      wakeAt({ mode: "until_time", time: "09:00", weekdays: [7] }, at("2025-11-02T04:30:00Z")).nextRunAt,
    ).toBe(at("2025-11-02T14:00:00Z"));
  });

  it("waits for an allowed weekday", () => {
    // Saturday 14 June, 10:00 EDT → Monday 09:00 EDT.
    expect(wakeAt(nineOnWeekdays, at("2025-06-14T14:00:00Z")).nextRunAt).toBe(at("2025-06-16T13:00:00Z"));
  });

  it("uses the contact's zone (half-hour offset), then the workspace's", () => {
    const kolkata = facts({ contact: contact({ timezone: "Asia/Kolkata" }) });
    expect(wakeAt(nineOnWeekdays, at("2025-06-16T00:00:00Z"), kolkata).nextRunAt).toBe(
      at("2025-06-16T03:30:00Z"),
    );
    const invalid = facts({
      contact: contact({ timezone: "Mars/Olympus" }),
      workspaceTimezone: "Europe/Berlin",
    });
    expect(wakeAt(nineOnWeekdays, at("2025-06-16T00:00:00Z"), invalid).nextRunAt).toBe(
      at("2025-06-16T07:00:00Z"),
    );
    const nothing = facts({ contact: contact({ timezone: null }), workspaceTimezone: "bogus" });
    expect(wakeAt(nineOnWeekdays, at("2025-06-16T00:00:00Z"), nothing).nextRunAt).toBe(
      at("2025-06-16T09:00:00Z"),
    );
  });

  it("goes straight through when it is that time already", () => {
    expect(wakeAt(nineOnWeekdays, at("2025-06-16T13:00:00Z")).status).toBe("completed");
    expect(wait.summary(nineOnWeekdays)).toBe("Wait until 09:00 on weekdays");
    expect(wait.summary({ mode: "until_time", time: "18:30", weekdays: [2, 4] })).toBe(
      "Wait until 18:30 on Tue, Thu",
    );
  });
});

describe("wait: until a date property", () => {
  const beforeBirthday: WaitConfig = {
    mode: "until_date_property",
    source: "contact",
    property: "birthday",
    offsetDays: -3,
    time: "10:00",
    yearly: true,
  };

  it("waits until N days before the next birthday, contact-local", () => {
    const f = facts({ contact: contact({ birthday: "1990-08-20" }) });
    expect(wakeAt(beforeBirthday, at("2025-06-01T00:00:00Z"), f).nextRunAt).toBe(at("2025-08-17T14:00:00Z"));
    expect(wait.summary(beforeBirthday)).toBe("Wait until 3 days before birthday at 10:00");
  });

  it("reads a date from the trigger event, and moves on if it has passed", () => {
    const delivery: WaitConfig = {
      mode: "until_date_property",
      source: "trigger",
      property: "estimated_delivery",
      offsetDays: 1,
      time: "09:00",
      yearly: false,
    };
    expect(
      wakeAt(delivery, at("2025-06-01T00:00:00Z"), facts(), { estimated_delivery: "2025-06-05" }).nextRunAt,
    ).toBe(at("2025-06-06T13:00:00Z"));
    expect(
      wakeAt(delivery, at("2025-06-10T00:00:00Z"), facts(), { estimated_delivery: "2025-06-05" }).status,
    ).toBe("completed");
  });

  it("moves on, noting why, when the contact has no such date", () => {
    const result = wakeAt(beforeBirthday, at("2025-06-01T00:00:00Z"));
    expect(result.status).toBe("completed");
    expect(result.effects).toContainEqual({
      type: "step",
      nodeId: "w",
      visit: 1,
      outcome: "next",
      detail: { note: "birthday not set; continued" },
    });
  });
});

describe("wait: until a consumable runs out", () => {
  const runsOut: WaitConfig = {
    mode: "replenishment",
    quantityProperty: "quantity",
    daysPerUnitProperty: "days_per_unit",
    shippingDays: 3,
    fallbackDays: 30,
    time: "10:00",
  };

  it("waits quantity × days per unit − shipping days after the order, at a local hour", () => {
    // 2 bags × 15 days − 3 = 27 days after 1 June.
    expect(
      wakeAt(runsOut, at("2025-06-01T16:00:00Z"), facts(), { quantity: 2, days_per_unit: 15 }).nextRunAt,
    ).toBe(at("2025-06-28T14:00:00Z"));
    expect(wakeAt(runsOut, at("2025-06-01T16:00:00Z"), facts(), {}).nextRunAt).toBe(
      at("2025-07-01T14:00:00Z"),
    );
    expect(wait.summary(runsOut)).toBe("Wait until the order runs out (3 days early for shipping)");
  });
});

describe("wait: counts in event time", () => {
  /** Checkout → wait 1 h → email → wait 1 day → email → exit, the cart flow's opening. */
  function reminders(): FlowGraph {
    const email = (subject: string) =>
      EmailConfig.parse({ template: "abandoned_cart_1", subject, body: "Your cart is waiting." });
    return graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Started Checkout", filter: null }),
        node("w1", "wait", 0, 1, { mode: "duration", amount: 1, unit: "hours" }),
        node("e1", "email", 0, 2, email("You left something")),
        node("w2", "wait", 0, 3, { mode: "duration", amount: 1, unit: "days" }),
        node("e2", "email", 0, 4, email("Still thinking?")),
        node("x", "exit", 0, 5, {}),
      ],
      chain("t", "w1", "e1", "w2", "e2", "x"),
      { smartSendingHours: 0 },
    );
  }
  const sendTimes = (run: ReturnType<typeof runToEnd>) =>
    run.results.flatMap((r, i) =>
      r.effects.flatMap((e) =>
        e.type === "send" ? [{ node: e.nodeId, at: new Date(run.times[i] ?? 0).toISOString() }] : [],
      ),
    );

  it("a checkout at 20:30 that arrives at 20:50 has its 1-hour reminder due at 21:30", () => {
    const g = reminders();
    const checkout = event("Started Checkout", at("2025-06-10T20:30:00Z"), {}, "ev_checkout");
    const arrived = at("2025-06-10T20:50:00Z");
    const parked = advance(g, enrollment(g, triggerData(checkout), arrived), facts(), arrived);
    expect(parked.nextRunAt).toBe(at("2025-06-10T21:30:00Z"));
    expect(parked.state.waiting?.since).toBe(checkout.occurredAt);
    const run = runToEnd(g, enrollment(g, triggerData(checkout), arrived), () => facts(), arrived);
    expect(sendTimes(run)).toEqual([
      { node: "e1", at: "2025-06-10T21:30:00.000Z" },
      { node: "e2", at: "2025-06-11T21:30:00.000Z" },
    ]);
  });

  it("a reminder already due when the checkout arrives goes now, and the next wait counts from then", () => {
    const g = reminders();
    const checkout = event("Started Checkout", at("2025-06-10T20:30:00Z"), {}, "ev_checkout");
    const arrived = at("2025-06-10T21:45:00Z");
    const run = runToEnd(g, enrollment(g, triggerData(checkout), arrived), () => facts(), arrived);
    // Never both emails at once: the day's wait starts when the late email went out.
    expect(sendTimes(run)).toEqual([
      { node: "e1", at: "2025-06-10T21:45:00.000Z" },
      { node: "e2", at: "2025-06-11T21:45:00.000Z" },
    ]);
  });

  it("a worker that reaches a due wait late does not push the rest of the journey back", () => {
    const g = reminders();
    const checkout = event("Started Checkout", at("2025-06-10T20:30:00Z"), {}, "ev_checkout");
    const start = enrollment(g, triggerData(checkout), checkout.occurredAt);
    const parked = advance(g, start, facts(), checkout.occurredAt);
    expect(parked.nextRunAt).toBe(at("2025-06-10T21:30:00Z"));
    // The worker gets to it 20 minutes late: the email goes then, the day's wait counts from 21:30.
    const late = advance(g, carry(start, parked), facts(), at("2025-06-10T21:50:00Z"));
    expect(late.effects.some((e) => e.type === "send" && e.nodeId === "e1")).toBe(true);
    expect(late.nextRunAt).toBe(at("2025-06-11T21:30:00Z"));
    expect(late.state.clock).toBe(at("2025-06-10T21:30:00Z"));
  });

  it("a journey resumed days late (an outage, a retried enrollment) sends one email, then waits the full day", () => {
    const g = reminders();
    const checkout = event("Started Checkout", at("2025-06-10T20:30:00Z"), {}, "ev_checkout");
    const start = enrollment(g, triggerData(checkout), checkout.occurredAt);
    const parked = advance(g, start, facts(), checkout.occurredAt);
    const resumed = at("2025-06-14T09:00:00Z");
    const late = advance(g, carry(start, parked), facts(), resumed);
    expect(late.effects.filter((e) => e.type === "send").map((e) => e.nodeId)).toEqual(["e1"]);
    expect(late.nextRunAt).toBe(at("2025-06-15T09:00:00Z"));
  });

  it("a wait until a time of day counts from the event too", () => {
    const g = waitFlow({ mode: "until_time", time: "09:00", weekdays: [1, 2, 3, 4, 5, 6, 7] });
    // An order at 08:30 New York time that arrives at 09:10: 09:00 has passed, so it moves on now.
    const order = event("Placed Order", at("2025-06-10T12:30:00Z"), {}, "o");
    const now = at("2025-06-10T13:10:00Z");
    expect(advance(g, enrollment(g, triggerData(order), now), facts(), now).status).toBe("completed");
  });

  it("an enrollment parked before the journey's time was kept counts from when its wait began", () => {
    const g = reminders();
    const checkout = event("Started Checkout", at("2025-06-10T20:30:00Z"), {}, "ev_checkout");
    const old = {
      ...enrollment(g, triggerData(checkout), at("2025-06-10T20:50:00Z")),
      currentNodeId: "w1",
      state: {
        visits: { t: 1, w1: 1 },
        waiting: {
          nodeId: "w1",
          visit: 1,
          reason: "delay" as const,
          since: at("2025-06-10T20:50:00Z"),
          until: at("2025-06-10T21:50:00Z"),
          then: "next",
        },
      },
    };
    const woke = advance(g, old, facts(), at("2025-06-10T21:50:00Z"));
    expect(woke.nextRunAt).toBe(at("2025-06-11T21:50:00Z"));
  });

  it("a trigger timestamped in the future is counted from now", () => {
    const g = reminders();
    const now = at("2025-06-10T20:30:00Z");
    const checkout = event("Started Checkout", now + 3 * 3_600_000, {}, "ev_checkout");
    expect(advance(g, enrollment(g, triggerData(checkout), now), facts(), now).nextRunAt).toBe(
      at("2025-06-10T21:30:00Z"),
    );
  });
});
