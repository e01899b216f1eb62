import { describe, expect, it } from "vitest";
import type { Effect } from "./effects";
import type { Channel, ContactFacts, Facts, MessageCategory } from "./facts";
import type { FlowGraph } from "./graph";
import type { FlowSettings } from "./settings";
import { advance } from "./step";
import { chain, emailCopy, graph, node, type GraphNode } from "./templates/build";
import { at, carry, contact, enrollment, event, facts } from "./testing/fixtures";
import { HOUR } from "./time";

const signup = event("Signed Up", 0, {}, "ev_signup");

function message(id: string, channel: Channel, category: MessageCategory, row: number): GraphNode {
  if (channel === "email")
    return node(
      id,
      "email",
      0,
      row,
      emailCopy({ template: "welcome", subject: `Subject ${id}`, body: "Hello", category }),
    );
  if (channel === "sms") return node(id, "sms", 0, row, { body: `Text ${id}`, category });
  return node(id, "push", 0, row, { title: `Title ${id}`, body: "Hello", category });
}

/** trigger → the given messages in a row → exit */
function flowOf(
  messages: Array<[Channel, MessageCategory]>,
  settings: Partial<FlowSettings> = {},
): FlowGraph {
  const nodes = messages.map(([channel, category], i) => message(`m${i + 1}`, channel, category, i + 1));
  return graph(
    [
      node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
      ...nodes,
      node("x", "exit", 0, nodes.length + 1, {}),
    ],
    chain("t", ...nodes.map((n) => n.id), "x"),
    settings,
  );
}

function outcomes(effects: readonly Effect[]): string[] {
  return effects.flatMap((e) =>
    e.type === "send" ? [`${e.nodeId}:sent`] : e.type === "skip" ? [`${e.nodeId}:${e.reason}`] : [],
  );
}

function run(g: FlowGraph, f: Partial<Facts>, now: number) {
  const start = enrollment(g, { ...signupData(), occurredAt: now }, now);
  return advance(g, start, facts(f), now);
}
const signupData = () => ({ eventId: signup.id, name: signup.name, properties: {}, occurredAt: 0 });

// Midday in New York.
const NOON = at("2025-06-11T16:00:00Z");

describe("consent and suppression", () => {
  const withContact = (c: Partial<ContactFacts>) => ({ contact: contact(c) });
  const consent = (status: "subscribed" | "unsubscribed" | "none") => ({
    email: status,
    sms: status,
    push: status,
  });
  const all: Array<[Channel, MessageCategory]> = [
    ["email", "marketing"],
    ["sms", "marketing"],
    ["push", "marketing"],
    ["email", "transactional"],
    ["sms", "transactional"],
    ["push", "transactional"],
  ];
  const g = flowOf(all, { smartSendingHours: 0 });

  it("sends everything to a subscribed contact", () => {
    expect(outcomes(run(g, {}, NOON).effects)).toEqual([
      "m1:sent",
      "m2:sent",
      "m3:sent",
      "m4:sent",
      "m5:sent",
      "m6:sent",
    ]);
  });

  it("marketing needs consent 'subscribed'; transactional does not", () => {
    for (const status of ["none", "unsubscribed"] as const) {
      expect(outcomes(run(g, withContact({ consent: consent(status) }), NOON).effects)).toEqual([
        "m1:no_consent",
        "m2:no_consent",
        "m3:no_consent",
        "m4:sent",
        "m5:sent",
        "m6:sent",
      ]);
    }
  });

  it("a double opt-in not yet confirmed holds marketing email until the click or the link's expiry", () => {
    const g1 = flowOf([["email", "marketing"]], { smartSendingHours: 0 });
    const pending = contact({ consent: consent("none"), consentPending: { email: NOON + 7 * 24 * HOUR } });
    const start = enrollment(g1, { ...signupData(), occurredAt: NOON }, NOON);
    const held = advance(g1, start, facts({ contact: pending }), NOON);
    expect(held.status).toBe("active");
    expect(held.state.waiting).toMatchObject({ reason: "opt_in", until: NOON + 7 * 24 * HOUR });
    expect(outcomes(held.effects)).toEqual([]);

    // She clicks at 12:20: woken then, the email goes and the journey's clock moves to 12:20.
    const clicked = NOON + HOUR / 3;
    const sent = advance(
      g1,
      carry(start, held),
      facts({ contact: contact({ consent: consent("subscribed") }) }),
      clicked,
    );
    expect(outcomes(sent.effects)).toEqual(["m1:sent"]);
    expect(sent.state.clock).toBe(clicked);

    // She never clicks: at the expiry the email is skipped for want of consent.
    const expired = NOON + 7 * 24 * HOUR;
    const skipped = advance(
      g1,
      carry(start, held),
      facts({ contact: contact({ consent: consent("none") }) }),
      expired,
    );
    expect(outcomes(skipped.effects)).toEqual(["m1:no_consent"]);
  });

  it("an unsubscribed contact with no pending opt-in is skipped at once, and SMS never waits for an email opt-in", () => {
    const g2 = flowOf([["sms", "marketing"]], { smartSendingHours: 0 });
    const pendingEmail = contact({ consent: consent("none"), consentPending: { email: NOON + HOUR } });
    expect(outcomes(run(g2, { contact: pendingEmail }, NOON).effects)).toEqual(["m1:no_consent"]);
  });

  it("consent is per channel", () => {
    const mixed = withContact({ consent: { email: "subscribed", sms: "unsubscribed", push: "none" } });
    expect(outcomes(run(g, mixed, NOON).effects)).toEqual([
      "m1:sent",
      "m2:no_consent",
      "m3:no_consent",
      "m4:sent",
      "m5:sent",
      "m6:sent",
    ]);
  });

  it("a suppressed address gets nothing, transactional included", () => {
    const suppressed = withContact({ suppressed: { email: true, sms: false, push: true } });
    expect(outcomes(run(g, suppressed, NOON).effects)).toEqual([
      "m1:suppressed",
      "m2:sent",
      "m3:suppressed",
      "m4:suppressed",
      "m5:sent",
      "m6:suppressed",
    ]);
  });

  it("skips a channel the contact has no address for, and moves on", () => {
    const result = run(g, withContact({ email: null, phone: " " }), NOON);
    expect(outcomes(result.effects)).toEqual([
      "m1:no_address",
      "m2:no_address",
      "m3:sent",
      "m4:no_address",
      "m5:no_address",
      "m6:sent",
    ]);
    expect(result.status).toBe("completed");
    expect(result.effects).toContainEqual({
      type: "skip",
      nodeId: "m1",
      visit: 1,
      channel: "email",
      category: "marketing",
      reason: "no_address",
    });
  });
});

describe("smart sending", () => {
  it("skips a second marketing email in the same run, but not another channel or a transactional one", () => {
    const g = flowOf([
      ["email", "marketing"],
      ["email", "marketing"],
      ["sms", "marketing"],
      ["email", "transactional"],
    ]);
    expect(outcomes(run(g, {}, NOON).effects)).toEqual(["m1:sent", "m2:smart_sending", "m3:sent", "m4:sent"]);
  });

  it("counts marketing sent by other flows within the window (16 h by default)", () => {
    const g = flowOf([["email", "marketing"]]);
    expect(outcomes(run(g, { lastMarketingSentAt: { email: NOON - 10 * HOUR } }, NOON).effects)).toEqual([
      "m1:smart_sending",
    ]);
    expect(outcomes(run(g, { lastMarketingSentAt: { email: NOON - 17 * HOUR } }, NOON).effects)).toEqual([
      "m1:sent",
    ]);
    expect(outcomes(run(g, { lastMarketingSentAt: { sms: NOON - HOUR } }, NOON).effects)).toEqual([
      "m1:sent",
    ]);
  });

  it("follows the window setting, and 0 turns it off", () => {
    const recent = { lastMarketingSentAt: { email: NOON - 3 * HOUR } };
    expect(
      outcomes(run(flowOf([["email", "marketing"]], { smartSendingHours: 2 }), recent, NOON).effects),
    ).toEqual(["m1:sent"]);
    expect(
      outcomes(run(flowOf([["email", "marketing"]], { smartSendingHours: 4 }), recent, NOON).effects),
    ).toEqual(["m1:smart_sending"]);
    const twice = flowOf(
      [
        ["email", "marketing"],
        ["email", "marketing"],
      ],
      { smartSendingHours: 0 },
    );
    expect(outcomes(run(twice, recent, NOON).effects)).toEqual(["m1:sent", "m2:sent"]);
  });
});

describe("quiet hours", () => {
  // 23:00 EDT on Wednesday 11 June 2025.
  const LATE = at("2025-06-12T03:00:00Z");
  const MORNING = at("2025-06-12T12:00:00Z"); // 08:00 EDT

  it("holds a marketing SMS until the window ends, then sends it on waking", () => {
    const g = flowOf([["sms", "marketing"]]);
    const start = enrollment(g, { ...signupData(), occurredAt: LATE }, LATE);
    const held = advance(g, start, facts(), LATE);
    expect(held.status).toBe("active");
    expect(held.nextRunAt).toBe(MORNING);
    expect(outcomes(held.effects)).toEqual([]);
    expect(held.effects.at(-1)).toEqual({
      type: "step",
      nodeId: "m1",
      visit: 1,
      outcome: "wait",
      detail: { wakeAt: MORNING, waitingFor: "quiet_hours" },
    });

    const tooEarly = advance(g, carry(start, held), facts(), MORNING - HOUR);
    expect(tooEarly.effects).toEqual([]);
    expect(tooEarly.nextRunAt).toBe(MORNING);

    const woken = advance(g, carry(start, held), facts(), MORNING);
    expect(outcomes(woken.effects)).toEqual(["m1:sent"]);
    expect(woken.effects.find((e) => e.type === "send")).toMatchObject({ visit: 1 });
    expect(woken.status).toBe("completed");
  });

  it("holds push too, but never email or transactional messages", () => {
    const g = flowOf([
      ["email", "marketing"],
      ["sms", "transactional"],
      ["push", "transactional"],
      ["push", "marketing"],
    ]);
    const held = run(g, {}, LATE);
    expect(outcomes(held.effects)).toEqual(["m1:sent", "m2:sent", "m3:sent"]);
    expect(held.currentNodeId).toBe("m4");
    expect(held.nextRunAt).toBe(MORNING);
  });

  it("uses the contact's clock: 23:00 in New York is daytime in Kolkata", () => {
    const g = flowOf([["sms", "marketing"]]);
    expect(outcomes(run(g, { contact: contact({ timezone: "Asia/Kolkata" }) }, LATE).effects)).toEqual([
      "m1:sent",
    ]); // 08:30 IST
    // A Kolkata contact at 01:30 IST waits until 08:00 IST (02:30Z).
    const kolkataNight = at("2025-06-11T20:00:00Z");
    expect(run(g, { contact: contact({ timezone: "Asia/Kolkata" }) }, kolkataNight).nextRunAt).toBe(
      at("2025-06-12T02:30:00Z"),
    );
  });

  it("falls back to the workspace zone for a contact with an unknown zone", () => {
    const g = flowOf([["sms", "marketing"]]);
    const result = run(
      g,
      { contact: contact({ timezone: "Mars/Olympus" }), workspaceTimezone: "Europe/Berlin" },
      at("2025-06-11T22:00:00Z"),
    ); // 00:00 CEST
    expect(result.nextRunAt).toBe(at("2025-06-12T06:00:00Z")); // 08:00 CEST
  });

  it("can be switched off, or moved", () => {
    expect(
      outcomes(
        run(
          flowOf([["sms", "marketing"]], { quietHours: { enabled: false, start: "21:00", end: "08:00" } }),
          {},
          LATE,
        ).effects,
      ),
    ).toEqual(["m1:sent"]);
    const late = flowOf([["sms", "marketing"]], {
      quietHours: { enabled: true, start: "23:30", end: "07:00" },
    });
    expect(outcomes(run(late, {}, LATE).effects)).toEqual(["m1:sent"]);
  });

  it("skips without waiting when the contact could not receive it anyway", () => {
    const g = flowOf([["sms", "marketing"]]);
    const result = run(
      g,
      { contact: contact({ consent: { email: "subscribed", sms: "none", push: "none" } }) },
      LATE,
    );
    expect(outcomes(result.effects)).toEqual(["m1:no_consent"]);
    expect(result.status).toBe("completed");
  });

  it("re-checks smart sending when the held message wakes", () => {
    const g = flowOf([["sms", "marketing"]]);
    const start = enrollment(g, { ...signupData(), occurredAt: LATE }, LATE);
    const held = advance(g, start, facts(), LATE);
    const woken = advance(
      g,
      carry(start, held),
      facts({ lastMarketingSentAt: { sms: MORNING - HOUR } }),
      MORNING,
    );
    expect(outcomes(woken.effects)).toEqual(["m1:smart_sending"]);
  });
});
