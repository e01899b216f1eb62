/**
 * Engagement in flows: "opened the birthday email", "clicked nothing in 60 days", and the
 * per-step smart-sending switch. Pure: facts in, answers out.
 */
import { describe, expect, it } from "vitest";
import type { Effect } from "./effects";
import type { EngagementFact, Facts } from "./facts";
import type { FlowGraph } from "./graph";
import {
  describePredicate,
  engagementPredicatesIn,
  evaluatePredicate,
  Predicate,
  predicateProblems,
  when,
  type PredicateScope,
} from "./predicate";
import { advance, usesEngagement } from "./step";
import { flowTemplates, getFlowTemplate } from "./templates";
import { chain, edge, emailCopy, graph, node } from "./templates/build";
import { at, carry, contact, enrollment, event, facts, triggerData } from "./testing/fixtures";
import { DAY, HOUR } from "./time";
import { validateGraph } from "./validate";

const NOW = at("2026-03-10T12:00:00Z");
const ENTERED = at("2026-03-08T09:00:00Z");
const JOURNEY = "enr_birthday";

let counter = 0;
function fact(
  overrides: Partial<EngagementFact> & Pick<EngagementFact, "type" | "occurredAt">,
): EngagementFact {
  counter += 1;
  return {
    messageId: `msg_${counter}`,
    enrollmentId: JOURNEY,
    nodeId: "birthday_email",
    channel: "email",
    ...overrides,
  };
}

function scope(engagement: EngagementFact[], overrides: Partial<PredicateScope> = {}): PredicateScope {
  return {
    contact: contact(),
    trigger: null,
    event: null,
    events: [],
    enteredAt: ENTERED,
    now: NOW,
    engagement,
    journeyId: JOURNEY,
    ...overrides,
  };
}

const opened = when.engagedWith("opened", "birthday_email");

describe("engagement with a message step of this flow", () => {
  it("the birthday email opened before the question is asked → yes; not opened → no", () => {
    expect(evaluatePredicate(opened, scope([fact({ type: "opened", occurredAt: NOW - HOUR })]))).toBe(true);
    expect(evaluatePredicate(opened, scope([]))).toBe(false);
    expect(evaluatePredicate(opened, scope([fact({ type: "delivered", occurredAt: NOW - HOUR })]))).toBe(
      false,
    );
  });

  it("an open counts by when it happened: one reported late counts, one that happened after the question does not", () => {
    // Happened at 11:00, reported whenever: the executor loads it by its own time.
    expect(evaluatePredicate(opened, scope([fact({ type: "opened", occurredAt: NOW - HOUR })]))).toBe(true);
    expect(evaluatePredicate(opened, scope([fact({ type: "opened", occurredAt: NOW })]))).toBe(true);
    expect(evaluatePredicate(opened, scope([fact({ type: "opened", occurredAt: NOW + 1 })]))).toBe(false);
  });

  it("two opens of the email are one “opened”", () => {
    const twice = [
      fact({ type: "opened", occurredAt: NOW - 2 * HOUR, messageId: "m" }),
      fact({ type: "opened", occurredAt: NOW - HOUR, messageId: "m" }),
    ];
    expect(evaluatePredicate(opened, scope(twice))).toBe(true);
    expect(evaluatePredicate(when.not(opened), scope(twice))).toBe(false);
  });

  it("only this journey's message counts: last year's birthday email or another flow's step of the same name does not", () => {
    const elsewhere = [
      fact({ type: "opened", occurredAt: NOW - 300 * DAY, enrollmentId: "enr_last_year" }),
      fact({ type: "opened", occurredAt: NOW - HOUR, enrollmentId: "enr_other_flow" }),
      fact({ type: "opened", occurredAt: NOW - HOUR, nodeId: "reminder_email" }),
    ];
    expect(evaluatePredicate(opened, scope(elsewhere))).toBe(false);
    // At entry there is no journey yet: a step can't have been opened.
    expect(
      evaluatePredicate(
        opened,
        scope([fact({ type: "opened", occurredAt: NOW - HOUR })], { journeyId: null }),
      ),
    ).toBe(false);
  });

  it("clicked and bounced are their own questions", () => {
    const facts = [
      fact({ type: "opened", occurredAt: NOW - 2 * HOUR }),
      fact({ type: "clicked", occurredAt: NOW - HOUR }),
    ];
    expect(evaluatePredicate(when.engagedWith("clicked", "birthday_email"), scope(facts))).toBe(true);
    expect(evaluatePredicate(when.engagedWith("bounced", "birthday_email"), scope(facts))).toBe(false);
    expect(
      evaluatePredicate(
        when.engagedWith("bounced", "birthday_email"),
        scope([fact({ type: "bounced", occurredAt: NOW - HOUR })]),
      ),
    ).toBe(true);
  });
});

describe("engagement with any message", () => {
  const openedNothingIn60Days = when.not(when.engagedAny("opened", 60));

  it("“opened nothing in 60 days”: an open 59 days ago keeps the contact out; one 61 days ago does not", () => {
    expect(
      evaluatePredicate(
        openedNothingIn60Days,
        scope([fact({ type: "opened", occurredAt: NOW - 59 * DAY, enrollmentId: "x", nodeId: "n" })]),
      ),
    ).toBe(false);
    expect(
      evaluatePredicate(
        openedNothingIn60Days,
        scope([fact({ type: "opened", occurredAt: NOW - 61 * DAY, enrollmentId: "x", nodeId: "n" })]),
      ),
    ).toBe(true);
    expect(evaluatePredicate(openedNothingIn60Days, scope([]))).toBe(true);
  });

  it("a channel narrows it: an SMS click is not an email click", () => {
    const smsClick = [fact({ type: "clicked", channel: "sms", occurredAt: NOW - DAY })];
    expect(evaluatePredicate(when.engagedAny("clicked", 7, "email"), scope(smsClick))).toBe(false);
    expect(evaluatePredicate(when.engagedAny("clicked", 7, "sms"), scope(smsClick))).toBe(true);
    expect(evaluatePredicate(when.engagedAny("clicked", 7), scope(smsClick))).toBe(true);
  });

  it("without days it means since entering this flow, in event time", () => {
    const since = when.engagedAny("opened", null);
    expect(evaluatePredicate(since, scope([fact({ type: "opened", occurredAt: ENTERED - HOUR })]))).toBe(
      false,
    );
    expect(evaluatePredicate(since, scope([fact({ type: "opened", occurredAt: ENTERED + HOUR })]))).toBe(
      true,
    );
  });

  it("facts the executor did not load read as no engagement", () => {
    expect(evaluatePredicate(when.engagedAny("opened", 30), scope([], { engagement: undefined }))).toBe(
      false,
    );
  });
});

describe("the engagement predicate's shape and words", () => {
  it("parses with defaults and refuses unknown engagements and fields", () => {
    expect(Predicate.parse({ type: "engaged", engagement: "opened" })).toEqual({
      type: "engaged",
      engagement: "opened",
      step: null,
      days: null,
      channel: null,
    });
    expect(Predicate.safeParse({ type: "engaged", engagement: "liked" }).success).toBe(false);
    expect(Predicate.safeParse({ type: "engaged", engagement: "opened", days: 0 }).success).toBe(false);
    expect(Predicate.safeParse({ type: "engaged", engagement: "opened", extra: 1 }).success).toBe(false);
  });

  it("reads in words and says what is missing", () => {
    expect(describePredicate(opened)).toBe("opened message “birthday_email”");
    expect(describePredicate(when.not(when.engagedAny("opened", 60, "email")))).toBe(
      "not (opened any email in the last 60 days)",
    );
    expect(describePredicate(when.engagedWith("bounced", "x"))).toBe("bounced on message “x”");
    expect(predicateProblems(when.engagedWith("opened", " "))).toEqual(["Choose the message step."]);
    expect(predicateProblems(opened)).toEqual([]);
  });

  it("is found anywhere in a graph, so the executor loads engagement only when asked", () => {
    const g = birthdayFlow();
    expect(engagementPredicatesIn(g.nodes.map((n) => n.config))).toHaveLength(2);
    expect(usesEngagement(g)).toBe(true);
    const plain = getFlowTemplate("order_confirmation");
    expect(plain && usesEngagement(plain.graph)).toBe(false);
  });
});

/** Birthday email → wait 3 days → opened? (clicked? → exit : nudge) : reminder. */
function birthdayFlow(): FlowGraph {
  const email = (id: string, row: number, column = 0) =>
    node(
      id,
      "email",
      column,
      row,
      emailCopy({ template: "birthday", subject: `Subject ${id}`, body: "Happy birthday" }),
    );
  return graph(
    [
      node("trigger", "trigger", 0, 0, { type: "event", event: "Birthday", filter: null }),
      email("birthday_email", 1),
      node("wait_3d", "wait", 0, 2, { mode: "duration", amount: 3, unit: "days" }),
      node("opened", "condition", 0, 3, {
        mode: "if",
        predicate: when.engagedWith("opened", "birthday_email"),
      }),
      node("clicked", "condition", -1, 4, {
        mode: "if",
        predicate: when.engagedWith("clicked", "birthday_email"),
      }),
      email("nudge", 5, -1),
      email("reminder", 4, 1),
      node("exit", "exit", 0, 6, {}),
    ],
    [
      ...chain("trigger", "birthday_email", "wait_3d", "opened"),
      edge("opened", "yes", "clicked"),
      edge("opened", "no", "reminder"),
      edge("clicked", "yes", "exit"),
      edge("clicked", "no", "nudge"),
      edge("nudge", "next", "exit"),
      edge("reminder", "next", "exit"),
    ],
  );
}

function sent(effects: readonly Effect[]): string[] {
  return effects.flatMap((e) =>
    e.type === "send" ? [e.nodeId] : e.type === "skip" ? [`${e.nodeId}:${e.reason}`] : [],
  );
}

describe("a flow that branches on engagement", () => {
  const g = birthdayFlow();
  const start = at("2026-03-01T09:00:00Z");
  const birthday = event("Birthday", start, {}, "ev_bday");

  function journey(engagement: EngagementFact[]) {
    const first = enrollment(g, triggerData(birthday), start, JOURNEY);
    const sentOut = advance(g, first, facts(), start);
    const wake = sentOut.nextRunAt ?? 0;
    const later: Facts = facts({ engagement, lastMarketingSentAt: { email: start } });
    const second = advance(g, carry(first, sentOut), later, wake);
    return { first: sent(sentOut.effects), then: sent(second.effects), wake };
  }

  it("opened but did not click → the nudge; did not open → the reminder; clicked → nothing more", () => {
    const openedOnly = journey([fact({ type: "opened", occurredAt: start + DAY })]);
    expect(openedOnly.first).toEqual(["birthday_email"]);
    expect(openedOnly.then).toEqual(["nudge"]);
    expect(journey([]).then).toEqual(["reminder"]);
    expect(
      journey([
        fact({ type: "opened", occurredAt: start + DAY }),
        fact({ type: "clicked", occurredAt: start + DAY + HOUR }),
      ]).then,
    ).toEqual([]);
  });

  it("an open of the same step in another journey does not count", () => {
    expect(
      journey([fact({ type: "opened", occurredAt: start + DAY, enrollmentId: "enr_other" })]).then,
    ).toEqual(["reminder"]);
  });
});

describe("validation names the step", () => {
  it("a condition about a step that is not a message step, or not in the flow", () => {
    const g = birthdayFlow();
    const bad = {
      ...g,
      nodes: g.nodes.map((n) =>
        n.id === "opened"
          ? { ...n, config: { mode: "if", predicate: when.engagedWith("opened", "wait_3d") } }
          : n.id === "clicked"
            ? { ...n, config: { mode: "if", predicate: when.engagedWith("clicked", "gone_email") } }
            : n,
      ),
    };
    const issues = validateGraph(bad).filter((i) => i.code === "invalid_condition");
    expect(issues.map((i) => i.nodeId)).toEqual(["opened", "clicked"]);
    expect(issues[0]?.message).toContain("“wait_3d”");
    expect(issues[0]?.message).toContain("Wait");
    expect(issues[1]?.message).toContain("“gone_email”, which is not in this flow");
    expect(validateGraph(g)).toEqual([]);
  });

  it("a flow filter about a missing step, and a trigger filter about a step (nobody has received it yet)", () => {
    const g = birthdayFlow();
    const withFilter = {
      ...g,
      settings: { ...g.settings, filter: when.not(when.engagedWith("clicked", "nope")) },
    };
    expect(validateGraph(withFilter).map((i) => i.message)).toEqual([
      expect.stringContaining("Flow settings: the flow filter asks about step “nope”"),
    ]);
    const triggered = {
      ...g,
      nodes: g.nodes.map((n) =>
        n.id === "trigger"
          ? {
              ...n,
              config: {
                type: "event",
                event: "Birthday",
                filter: when.engagedWith("opened", "birthday_email"),
              },
            }
          : n,
      ),
    };
    const issues = validateGraph(triggered);
    expect(issues.map((i) => [i.nodeId, i.code])).toEqual([["trigger", "invalid_condition"]]);
    expect(issues[0]?.message).toContain("nobody has received it when they enter");
    // Any email in the last 90 days is a fine trigger filter.
    const anyEmail = {
      ...g,
      nodes: g.nodes.map((n) =>
        n.id === "trigger"
          ? {
              ...n,
              config: { type: "event", event: "Birthday", filter: when.engagedAny("opened", 90, "email") },
            }
          : n,
      ),
    };
    expect(validateGraph(anyEmail)).toEqual([]);
  });
});

describe("smart sending per step", () => {
  // Midday in New York (the contact's zone), outside quiet hours.
  const noon = at("2026-03-02T17:00:00Z");
  const flowWith = (
    smartSending: boolean | undefined,
    category: "marketing" | "transactional" = "marketing",
  ) =>
    graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Placed Order", filter: null }),
        node(
          "thanks",
          "email",
          0,
          1,
          emailCopy({
            template: "post_purchase_thank_you",
            subject: "Thanks",
            body: "Thanks",
            category,
            ...(smartSending !== undefined && { smartSending }),
          }),
        ),
        node("sms", "sms", 0, 2, {
          body: "Thanks",
          category: "marketing",
          ...(smartSending !== undefined && { smartSending }),
        }),
        node("x", "exit", 0, 3, {}),
      ],
      chain("t", "thanks", "sms", "x"),
    );
  const recently = facts({ lastMarketingSentAt: { email: noon - HOUR, sms: noon - HOUR } });
  const order = event("Placed Order", noon, {}, "ev_order");
  const run = (g: FlowGraph) =>
    sent(advance(g, enrollment(g, triggerData(order), noon), recently, noon).effects);

  it("on (the default): a cart reminder an hour ago holds back this marketing email and SMS", () => {
    expect(run(flowWith(undefined))).toEqual(["thanks:smart_sending", "sms:smart_sending"]);
    expect(run(flowWith(true))).toEqual(["thanks:smart_sending", "sms:smart_sending"]);
  });

  it("off for the step: the thank-you goes out anyway (consent still applies)", () => {
    expect(run(flowWith(false))).toEqual(["thanks", "sms"]);
    const unsubscribed = facts({
      ...recently,
      contact: contact({ consent: { email: "unsubscribed", sms: "subscribed", push: "subscribed" } }),
    });
    const g = flowWith(false);
    expect(sent(advance(g, enrollment(g, triggerData(order), noon), unsubscribed, noon).effects)).toEqual([
      "thanks:no_consent",
      "sms",
    ]);
  });

  it("a step with smart sending off still counts as the contact's last marketing message", () => {
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Placed Order", filter: null }),
        node(
          "a",
          "email",
          0,
          1,
          emailCopy({ template: "standard", subject: "A", body: "A", smartSending: false }),
        ),
        node("b", "email", 0, 2, emailCopy({ template: "standard", subject: "B", body: "B" })),
        node("x", "exit", 0, 3, {}),
      ],
      chain("t", "a", "b", "x"),
    );
    expect(sent(advance(g, enrollment(g, triggerData(order), noon), facts(), noon).effects)).toEqual([
      "a",
      "b:smart_sending",
    ]);
  });

  it("the templates' thank-you and receipt-like steps have it off; every other marketing step keeps it on", () => {
    const off = flowTemplates()
      .flatMap((t) =>
        t.graph.nodes.flatMap((n) =>
          (n.kind === "email" || n.kind === "sms" || n.kind === "push") && n.config.smartSending === false
            ? [`${t.key}/${n.id}`]
            : [],
        ),
      )
      .sort();
    expect(off).toEqual([
      "back_in_stock/restock_email",
      "post_purchase/thanks_first",
      "post_purchase/thanks_repeat",
      "referral/reward_email",
      "review_request/recovery_email",
      "review_request/thanks_email",
      "welcome_series/welcome_email",
    ]);
  });
});

describe("the seasonal offer template", () => {
  const template = getFlowTemplate("seasonal_offer");
  if (!template) throw new Error("no seasonal offer");
  const g = template.graph;
  // 09:00 in New York, the contact's zone.
  const start = at("2026-11-28T14:00:00Z");

  function reminder(engagement: EngagementFact[]) {
    const first = enrollment(
      g,
      { eventId: null, name: "Schedule", properties: {}, occurredAt: start },
      start,
      JOURNEY,
    );
    const offer = advance(g, first, facts(), start);
    const wake = offer.nextRunAt ?? 0;
    const later = advance(
      g,
      carry(first, offer),
      facts({ engagement, lastMarketingSentAt: { email: start } }),
      wake,
    );
    return [...sent(offer.effects), ...sent(later.effects)];
  }

  it("reminds by push only those who neither ordered nor clicked the offer", () => {
    expect(reminder([])).toEqual(["offer_email", "reminder_push"]);
    expect(reminder([fact({ type: "opened", nodeId: "offer_email", occurredAt: start + HOUR })])).toEqual([
      "offer_email",
      "reminder_push",
    ]);
    expect(reminder([fact({ type: "clicked", nodeId: "offer_email", occurredAt: start + HOUR })])).toEqual([
      "offer_email",
    ]);
  });
});
