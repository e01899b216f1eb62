/**
 * Property-based tests: random valid graphs, random facts and clocks. `advance` never
 * throws, always returns within the step bound, always makes progress in time, never
 * sends the same (node, visit) twice, and never sends marketing without consent.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Advance, SendEffect } from "./effects";
import type { Channel, ContactFacts, EventFact, Facts, TriggerData } from "./facts";
import type { FlowEdge, FlowGraph } from "./graph";
import { definitionOf, type NodeKind } from "./nodes";
import type { Predicate } from "./predicate";
import { when } from "./predicate";
import { defaultSettings } from "./settings";
import { advance, MAX_STEPS_PER_ADVANCE } from "./step";
import { emailCopy, type GraphNode } from "./templates/build";
import { carry, enrollment } from "./testing/fixtures";
import { DAY, HOUR } from "./time";
import { validateGraph } from "./validate";

const EVENT_NAMES = ["Placed Order", "Viewed Product", "Review Submitted", "Started Checkout"] as const;
const ZONES = [
  "America/New_York",
  "Asia/Kolkata",
  "Europe/Berlin",
  "Australia/Lord_Howe",
  "UTC",
  "Mars/Olympus",
  "",
  null,
] as const;
const TIMES = ["00:00", "02:30", "08:00", "09:00", "21:00", "23:59"] as const;

// ---------------------------------------------------------------- predicates

const leaf: fc.Arbitrary<Predicate> = fc.oneof(
  fc.constantFrom("US", "DE", "IN").map((c) => when.contact("country", "eq", c)),
  fc.constantFrom("vip", "blocked").map((t) => when.contact("tags", "contains", t)),
  fc.integer({ min: 0, max: 200 }).map((v) => when.trigger("value", "gt", v)),
  fc.constantFrom(...EVENT_NAMES).map((e) => when.hasDone(e, "flow_start")),
  fc
    .tuple(
      fc.constantFrom(...EVENT_NAMES),
      fc.integer({ min: 0, max: 3 }),
      fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
    )
    .map(([e, n, d]) => when.count(e, "gte", n, d)),
  fc.constant(when.firstTimeBuyer()),
  fc.constant(when.contact("consent.sms", "eq", "subscribed")),
);
const predicate: fc.Arbitrary<Predicate> = fc.oneof(
  { weight: 3, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { minLength: 1, maxLength: 3 }).map((cs) => when.all(...cs)) },
  { weight: 1, arbitrary: fc.array(leaf, { minLength: 1, maxLength: 3 }).map((cs) => when.any(...cs)) },
  { weight: 1, arbitrary: leaf.map((c) => when.not(c)) },
);

// ---------------------------------------------------------------- node configs

type Spec = { kind: Exclude<NodeKind, "trigger" | "exit">; config: unknown };

const category = fc.constantFrom("marketing" as const, "transactional" as const);
const specs: fc.Arbitrary<Spec> = fc.oneof(
  fc
    .record({
      amount: fc.integer({ min: 1, max: 5 }),
      unit: fc.constantFrom("minutes", "hours", "days", "weeks"),
    })
    .map((d) => ({ kind: "wait" as const, config: { mode: "duration", ...d } })),
  fc
    .record({
      time: fc.constantFrom(...TIMES),
      weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    })
    .map((c) => ({ kind: "wait" as const, config: { mode: "until_time", ...c } })),
  fc
    .record({
      source: fc.constantFrom("contact", "trigger"),
      property: fc.constantFrom("birthday", "renewal"),
      offsetDays: fc.integer({ min: -5, max: 5 }),
      time: fc.constantFrom(...TIMES),
      yearly: fc.boolean(),
    })
    .map((c) => ({ kind: "wait" as const, config: { mode: "until_date_property", ...c } })),
  fc
    .record({ shippingDays: fc.integer({ min: 0, max: 5 }), fallbackDays: fc.integer({ min: 1, max: 40 }) })
    .map((c) => ({
      kind: "wait" as const,
      config: {
        mode: "replenishment",
        quantityProperty: "quantity",
        daysPerUnitProperty: "days_per_unit",
        time: "10:00",
        ...c,
      },
    })),
  fc
    .record({
      event: fc.constantFrom(...EVENT_NAMES),
      filter: fc.option(predicate, { nil: null }),
      matchTriggerProperty: fc.constantFrom(null, "order_id"),
      timeout: fc.record({ amount: fc.integer({ min: 1, max: 3 }), unit: fc.constantFrom("hours", "days") }),
    })
    .map((c) => ({ kind: "wait_for_event" as const, config: c })),
  predicate.map((p) => ({ kind: "condition" as const, config: { mode: "if", predicate: p } })),
  fc.array(predicate, { minLength: 1, maxLength: 3 }).map((ps) => ({
    kind: "condition" as const,
    config: {
      mode: "branches",
      branches: ps.map((p, i) => ({ id: `b${i}`, label: `Branch ${i}`, predicate: p })),
      elseLabel: "Everyone else",
    },
  })),
  fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 3 }).map((cuts) => {
    const points = [0, ...cuts.sort((a, b) => a - b), 100];
    return {
      kind: "split" as const,
      config: {
        branches: points
          .slice(1)
          .map((p, i) => ({ id: `s${i}`, label: `Variant ${i}`, percent: p - points[i]! })),
      },
    };
  }),
  category.map((c) => ({
    kind: "email" as const,
    config: emailCopy({
      template: "welcome",
      subject: "Hello {{ first_name }}",
      body: "A body",
      category: c,
    }),
  })),
  category.map((c) => ({ kind: "sms" as const, config: { body: "Hi {{ first_name }}", category: c } })),
  category.map((c) => ({ kind: "push" as const, config: { title: "Hi", body: "There", category: c } })),
  fc.constantFrom(
    { kind: "action" as const, config: { type: "add_tag", tag: "vip" } },
    { kind: "action" as const, config: { type: "remove_tag", tag: "vip" } },
    { kind: "action" as const, config: { type: "add_tag", tag: "blocked" } },
    { kind: "action" as const, config: { type: "update_property", property: "tier", value: "gold" } },
    { kind: "action" as const, config: { type: "webhook", url: "https://hooks.example/x", method: "POST" } },
  ),
);

/**
 * trigger → steps → exit. Each step's first output leads to the next step (so all are
 * reachable); other outputs jump forward or back. Graphs with a loop lacking a wait are
 * filtered out by the validator, so every generated graph is publishable.
 */
const graphs: fc.Arbitrary<FlowGraph> = fc
  .record({
    steps: fc.array(specs, { minLength: 1, maxLength: 10 }),
    jumps: fc.array(fc.tuple(fc.boolean(), fc.nat()), { minLength: 40, maxLength: 40 }),
    goal: fc.boolean(),
    filter: fc.boolean(),
    smartSendingHours: fc.integer({ min: 0, max: 24 }),
    quiet: fc.record({
      enabled: fc.boolean(),
      start: fc.constantFrom(...TIMES),
      end: fc.constantFrom(...TIMES),
    }),
  })
  .map(({ steps, jumps, goal, filter, smartSendingHours, quiet }) => {
    const nodes: GraphNode[] = [
      {
        id: "n0",
        kind: "trigger",
        position: { x: 0, y: 0 },
        config: { type: "event", event: "Started Checkout", filter: null },
      },
      ...steps.map(
        (s, i) =>
          ({
            id: `n${i + 1}`,
            kind: s.kind,
            position: { x: 0, y: (i + 1) * 250 },
            config: s.config,
          }) as GraphNode,
      ),
      {
        id: `n${steps.length + 1}`,
        kind: "exit",
        position: { x: 0, y: (steps.length + 1) * 250 },
        config: {},
      },
    ];
    const last = nodes.length - 1;
    const edges: FlowEdge[] = [];
    let jump = 0;
    nodes.forEach((n, i) => {
      definitionOf(n.kind)
        .outputs(n.config)
        .forEach((handle, h) => {
          const [back, pick] = jumps[jump++ % jumps.length] ?? [false, 0];
          let target = i + 1;
          if (h > 0) target = back && i > 1 ? 1 + (pick % (i - 1)) : i + 1 + (pick % (last - i));
          edges.push({ id: `e${i}_${handle}`, source: n.id, sourceHandle: handle, target: `n${target}` });
        });
    });
    return {
      schema: 1 as const,
      nodes,
      edges,
      settings: {
        ...defaultSettings(),
        goal: goal ? { event: "Placed Order", filter: null } : null,
        filter: filter ? when.not(when.contact("tags", "contains", "blocked")) : null,
        smartSendingHours,
        quietHours: quiet,
      },
    };
  })
  .filter((g) => validateGraph(g).length === 0);

// ---------------------------------------------------------------- facts and clocks

const consent = fc.constantFrom("subscribed" as const, "unsubscribed" as const, "none" as const);
const contacts: fc.Arbitrary<ContactFacts> = fc.record({
  id: fc.constant("c1"),
  email: fc.option(fc.constant("maya@example.com"), { nil: null }),
  phone: fc.option(fc.constant("+15555550100"), { nil: null }),
  firstName: fc.option(fc.constant("Maya"), { nil: null }),
  timezone: fc.constantFrom(...ZONES),
  birthday: fc.option(fc.constantFrom("1990-02-28", "2000-02-29", "1985-03-09", "1999-11-02", "not a date"), {
    nil: null,
  }),
  country: fc.option(fc.constantFrom("US", "DE", "IN"), { nil: null }),
  properties: fc.record({ renewal: fc.constantFrom("2025-08-01", "2030-01-01", 12, "soon") }),
  tags: fc.subarray(["vip", "blocked", "newsletter"]),
  consent: fc.record({ email: consent, sms: consent, push: consent }),
  suppressed: fc.record({ email: fc.boolean(), sms: fc.boolean(), push: fc.boolean() }),
});

const T_MIN = Date.UTC(2020, 0, 1);
const T_MAX = Date.UTC(2030, 0, 1);

type Scenario = {
  graph: FlowGraph;
  contact: ContactFacts;
  t0: number;
  zone: string;
  offsets: number[];
  eventSpecs: Array<[number, number, Record<string, unknown>]>;
  jitter: number[];
  enrollmentId: string;
};

const scenarios: fc.Arbitrary<Scenario> = fc.record({
  graph: graphs,
  contact: contacts,
  t0: fc.integer({ min: T_MIN, max: T_MAX }),
  zone: fc.constantFrom("America/New_York", "Asia/Kolkata", "bogus"),
  offsets: fc.array(fc.integer({ min: -3, max: 30 }), { maxLength: 3 }),
  eventSpecs: fc.array(
    fc.tuple(
      fc.nat(EVENT_NAMES.length - 1),
      fc.integer({ min: -10 * DAY, max: 20 * DAY }),
      fc.record({
        value: fc.integer({ min: 0, max: 300 }),
        order_id: fc.constantFrom("o1", "o2"),
        rating: fc.integer({ min: 1, max: 5 }),
      }),
    ),
    { maxLength: 8 },
  ),
  jitter: fc.array(fc.integer({ min: -2 * HOUR, max: 2 * DAY }), { minLength: 30, maxLength: 30 }),
  enrollmentId: fc.string({ minLength: 1, maxLength: 12 }),
});

function checkRun(s: Scenario): void {
  const { graph, t0 } = s;
  const events: EventFact[] = s.eventSpecs.map(([n, dt, props], i) => ({
    id: `ev${i}`,
    name: EVENT_NAMES[n]!,
    properties: props,
    occurredAt: t0 + dt,
  }));
  const trigger: TriggerData = {
    eventId: "trig",
    name: "Started Checkout",
    properties: { value: 80, order_id: "o1", quantity: 2, days_per_unit: 10, renewal: "2026-01-01" },
    occurredAt: t0,
  };
  const channels: Channel[] = ["email", "sms", "push"];
  const lastMarketingSentAt: Partial<Record<Channel, number>> = {};
  s.offsets.forEach((h, i) => {
    lastMarketingSentAt[channels[i % 3]!] = t0 - h * HOUR;
  });
  const factsAt = (now: number): Facts => ({
    contact: s.contact,
    workspaceTimezone: s.zone,
    events,
    lastMarketingSentAt,
    wakeEvent: events.find((e) => e.occurredAt <= now && e.occurredAt > now - HOUR) ?? null,
  });

  let current = enrollment(graph, trigger, t0, s.enrollmentId);
  let now = t0;
  const sent = new Set<string>();
  const nodeIds = new Set(graph.nodes.map((n) => n.id));

  for (let i = 0; i < 30; i++) {
    const result: Advance = advance(graph, current, factsAt(now), now);
    if (i === 0) expect(advance(graph, current, factsAt(now), now)).toEqual(result);

    const steps = result.effects.filter((e) => e.type === "step" && e.outcome !== "wait").length;
    expect(steps).toBeLessThanOrEqual(MAX_STEPS_PER_ADVANCE);
    expect(["active", "completed", "exited", "failed"]).toContain(result.status);
    if (result.status === "failed") expect(result.error).toMatch(/Stopped after \d+ steps/);
    if (result.status === "active") {
      expect(nodeIds.has(result.currentNodeId)).toBe(true);
      expect(result.state.waiting?.nodeId).toBe(result.currentNodeId);
      expect(result.nextRunAt).toBe(result.state.waiting?.until);
      if (result.nextRunAt !== null) expect(result.nextRunAt).toBeGreaterThan(now);
    } else {
      expect(result.nextRunAt).toBeNull();
    }

    for (const e of result.effects.filter((x): x is SendEffect => x.type === "send")) {
      const key = `${e.nodeId}#${e.visit}`;
      expect(sent.has(key), `sent ${key} twice`).toBe(false);
      sent.add(key);
      expect(s.contact.suppressed[e.channel]).toBe(false);
      if (e.category === "marketing") expect(s.contact.consent[e.channel]).toBe("subscribed");
    }

    if (result.status !== "active" || result.nextRunAt === null) return;
    current = carry(current, result);
    // Sometimes the executor runs early (an event woke it), usually on time or late.
    now = Math.max(now + 1, result.nextRunAt + (s.jitter[i] ?? 0));
  }
}

describe("advance on random graphs, facts and clocks", () => {
  it("never throws, never loops past the bound, always moves forward in time, never double-sends", () => {
    fc.assert(fc.property(scenarios, checkRun), { numRuns: 250 });
  }, 120_000);

  it("generates graphs that really loop through waits", () => {
    const sample = fc.sample(graphs, 200);
    const looping = sample.filter((g) =>
      g.edges.some((e) => Number(e.target.slice(1)) <= Number(e.source.slice(1))),
    );
    expect(looping.length).toBeGreaterThan(5);
  }, 60_000);
});
