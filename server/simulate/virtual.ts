/**
 * The virtual executor: runs one contact's journeys through a flow in memory, on a virtual
 * clock, with the engine's own functions (`evaluateEntry`, `startEnrollment`, `advance`).
 * It does around the engine what the real executor does around it — enrolls on matching
 * events (re-entry rules, entry keys), runs due waits, wakes journeys on the events they
 * watch, keeps the smart-sending clock (the workspace's real sends plus this run's own),
 * draws coupon codes from a counted pool — and records every effect with its virtual time
 * instead of writing it. Pure: no I/O, no clock; the caller loads the facts.
 */
import { advance, evaluateEntry, requiredEventNames, startEnrollment, usesEngagement } from "@/server/engine";
import type { Advance, Effect, ExitReason } from "@/server/engine/effects";
import type {
  Channel,
  ContactFacts,
  EngagementFact,
  Enrollment,
  EventFact,
  Facts,
  TriggerData,
} from "@/server/engine/facts";
import { triggerNode, type FlowGraph } from "@/server/engine/graph";
import { applyAction, isContactEffect } from "@/server/engine/actions";
import { BACK_IN_STOCK_EVENT } from "@/server/engine/nodes/trigger";
import { applyChanges, type ContactHistory } from "./history";

/** How far back the real executor reads marketing sends for smart sending (load.ts). */
export const SMART_SENDING_LOOKBACK_MS = 7 * 86_400_000;

/** A marketing message of the workspace already sent to the contact (another flow's, or history). */
export type PastSend = { channel: Channel; at: number };

export type VirtualContact = {
  contact: ContactFacts;
  workspaceTimezone: string;
  /** The contact's events of the names the flow reads plus its trigger events, any time; sorted by time. */
  events: EventFact[];
  /** Real engagement with messages sent before (for segments and conditions). */
  engagement: EngagementFact[];
  /** The workspace's real marketing sends to the contact (other flows'), any time. */
  pastSends: PastSend[];
  /**
   * Consent and suppression changes recorded since `contact` (which is as of the run's
   * start), applied as the virtual clock reaches them.
   */
  history?: ContactHistory;
};

/** A message this run sent, as the engagement model sees it. */
export type VirtualSend = {
  contactId: string;
  enrollmentId: string;
  nodeId: string;
  visit: number;
  channel: Channel;
  at: number;
};

export type VirtualOptions = {
  graph: FlowGraph;
  /** Events at or after `from` (and before `to`) may enroll the contact. */
  from: number;
  /** The run stops here; journeys still waiting then are `active`. */
  to: number;
  /**
   * Enroll from the contact's events (the backtest), or exactly this trigger at its time
   * (the contact test; `entryRules: false` skips re-entry limits, the trigger must still match).
   */
  entries: { kind: "events" } | { kind: "fixed"; trigger: TriggerData; entryRules: boolean };
  /** Time-trigger occurrences (date property, schedule) at which the contact enters. */
  occurrences?: readonly number[];
  /** What the contact does with a message this run sends: opens/clicks as engagement facts. */
  engagementOf?: (send: VirtualSend) => EngagementFact[];
  /** Codes left per coupon pool (shared by the whole run); a pool not listed never runs out. */
  couponsLeft?: Map<string, number>;
  /**
   * Round every moment the executor acts to this grid (a poller's or the history replay's
   * step): `now` is the first grid point at or after the event or wake-up.
   */
  grid?: { origin: number; stepMs: number };
  /** Ids for the virtual enrollments (deterministic per contact). */
  idPrefix?: string;
  /** What the run reads off the graph, worked out once by a caller running many contacts. */
  plan?: VirtualPlan;
};

/** What a run reads off the graph before its first step; the same for every contact. */
export type VirtualPlan = {
  watched: ReadonlySet<string>;
  triggerName: string | null;
  engagementUsed: boolean;
  /** The trigger's kind, the name of a time trigger's entries. */
  triggerKind: string;
};

export function planVirtual(graph: FlowGraph): VirtualPlan {
  return {
    watched: new Set(requiredEventNames(graph)),
    triggerName: triggerEventName(graph),
    engagementUsed: usesEngagement(graph),
    triggerKind: triggerNode(graph)?.config.type ?? "schedule",
  };
}

export type VirtualRecord = {
  at: number;
  effect: Effect;
  /**
   * A send or skip decided on consent or suppression that differ from today's (history
   * undone to the virtual time): with today's values it would have gone the other way.
   */
  asOf?: "consent" | "suppression";
};

export type VirtualJourney = {
  id: string;
  entryKey: string;
  trigger: TriggerData;
  enteredAt: number;
  status: Advance["status"];
  currentNodeId: string;
  exitReason: ExitReason | null;
  error: string | null;
  nextRunAt: number | null;
  /** Every effect, in order, with the virtual time it happened. */
  records: VirtualRecord[];
  /** The steps passed, in order (one per node visit). */
  path: string[];
};

export type VirtualRun = {
  journeys: VirtualJourney[];
  /** Entry refusals for `fixed` entries (and the first refusal of `events` entries). */
  refused: Array<{ at: number; reason: string }>;
};

type Live = VirtualJourney & { enrollment: Enrollment; watches: boolean };

const eventOrder = (a: EventFact, b: EventFact) =>
  a.occurredAt - b.occurredAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Does the flow's trigger start on events of this name? */
export function triggerEventName(graph: FlowGraph): string | null {
  const config = triggerNode(graph)?.config;
  if (!config) return null;
  if (config.type === "event") return config.event;
  if (config.type === "back_in_stock") return BACK_IN_STOCK_EVENT;
  return null;
}

/** Runs one contact through the flow from `from` to `to`. */
export function runVirtual(subject: VirtualContact, options: VirtualOptions): VirtualRun {
  const { graph } = options;
  const { watched, triggerName, engagementUsed, triggerKind } = options.plan ?? planVirtual(graph);
  const events = [...subject.events].sort(eventOrder);
  const engagement = [...subject.engagement];
  const sends: PastSend[] = [...subject.pastSends].sort((a, b) => a.at - b.at);
  let contact = subject.contact;
  const history = subject.history;
  let changed = 0;
  // Today's values, with the run's own consent steps applied to them as well.
  let today: ContactFacts | null = history ? { ...contact, ...history.today } : null;
  /** Whether consent or suppression as of now, not today's, decided this send or skip. */
  const decidedByPast = (effect: Effect): VirtualRecord["asOf"] => {
    if (!today) return undefined;
    if (effect.type === "skip" && effect.reason !== "suppressed" && effect.reason !== "no_consent")
      return undefined;
    if (effect.type !== "send" && effect.type !== "skip") return undefined;
    const channel = effect.channel;
    if (contact.suppressed[channel] !== today.suppressed[channel]) return "suppression";
    if (
      effect.category === "marketing" &&
      (contact.consent[channel] === "subscribed") !== (today.consent[channel] === "subscribed")
    )
      return "consent";
    return undefined;
  };
  const journeys: Live[] = [];
  const refused: VirtualRun["refused"] = [];
  const prefix = options.idPrefix ?? `sim-${subject.contact.id}`;
  const occurrences = [...(options.occurrences ?? [])].sort((a, b) => a - b);

  const tick = (t: number) => {
    if (!options.grid) return Math.min(t, options.to);
    const { origin, stepMs } = options.grid;
    return Math.min(origin + Math.ceil((t - origin) / stepMs) * stepMs, options.to);
  };

  const lastSentAt = (now: number): Partial<Record<Channel, number>> => {
    const out: Partial<Record<Channel, number>> = {};
    for (const s of sends) {
      if (s.at > now || s.at < now - SMART_SENDING_LOOKBACK_MS) continue;
      if ((out[s.channel] ?? -Infinity) < s.at) out[s.channel] = s.at;
    }
    return out;
  };

  const factsAt = (now: number, wakeEvent: EventFact | null): Facts => ({
    contact,
    workspaceTimezone: subject.workspaceTimezone,
    events,
    ...(engagementUsed ? { engagement } : {}),
    lastMarketingSentAt: lastSentAt(now),
    ...(wakeEvent ? { wakeEvent } : {}),
  });

  const run = (journey: Live, now: number, wakeEvent: EventFact | null = null) => {
    const outcome = advance(graph, journey.enrollment, factsAt(now, wakeEvent), now);
    for (const effect of outcome.effects) carryOut(journey, effect, now);
    journey.enrollment = {
      ...journey.enrollment,
      currentNodeId: outcome.currentNodeId,
      state: outcome.state,
    };
    journey.status = outcome.status;
    journey.currentNodeId = outcome.currentNodeId;
    journey.nextRunAt = outcome.status === "active" ? outcome.nextRunAt : null;
    journey.error = outcome.error;
  };

  const seen = new Set<string>();
  const carryOut = (journey: Live, effect: Effect, now: number) => {
    switch (effect.type) {
      case "step": {
        const key = `${effect.nodeId}#${effect.visit}`;
        if (!seen.has(`${journey.id}|${key}`)) {
          seen.add(`${journey.id}|${key}`);
          journey.path.push(effect.nodeId);
        }
        break;
      }
      case "send": {
        const pool = "couponPool" in effect.content ? effect.content.couponPool : undefined;
        if (typeof pool === "string" && pool !== "" && options.couponsLeft?.has(pool)) {
          const left = options.couponsLeft.get(pool)!;
          if (left <= 0) {
            journey.records.push({
              at: now,
              effect: {
                type: "skip",
                nodeId: effect.nodeId,
                visit: effect.visit,
                channel: effect.channel,
                category: effect.category,
                reason: "coupon_pool_empty",
              },
            });
            return;
          }
          options.couponsLeft.set(pool, left - 1);
        }
        if (effect.category === "marketing") sends.push({ channel: effect.channel, at: now });
        if (options.engagementOf)
          engagement.push(
            ...options.engagementOf({
              contactId: contact.id,
              enrollmentId: journey.id,
              nodeId: effect.nodeId,
              visit: effect.visit,
              channel: effect.channel,
              at: now,
            }),
          );
        break;
      }
      case "action":
      case "consent":
        if (isContactEffect(effect)) {
          contact = applyAction(contact, effect);
          if (today) today = applyAction(today, effect);
        }
        break;
      case "exit":
        journey.exitReason = effect.reason;
        break;
      case "skip":
      case "webhook":
      case "convert":
        break;
    }
    const asOf = decidedByPast(effect);
    journey.records.push(asOf ? { at: now, effect, asOf } : { at: now, effect });
  };

  const enter = (trigger: TriggerData, event: EventFact | null, now: number, rules: boolean): Live | null => {
    const decision = evaluateEntry(
      graph,
      {
        contact,
        event,
        events: event
          ? events.some((e) => e.id === event.id)
            ? events.map((e) => (e.id === event.id ? event : e))
            : [...events, event]
          : events,
        engagement,
        activeEnrollmentKeys: rules
          ? journeys.filter((j) => j.status === "active").map((j) => j.entryKey)
          : [],
        pastEnrollments: rules
          ? journeys.map((j) => ({ enteredAt: j.enteredAt, triggerAt: j.trigger.occurredAt }))
          : [],
      },
      now,
    );
    if (!decision.enter) {
      refused.push({ at: now, reason: decision.reason });
      return null;
    }
    const id = `${prefix}-${journeys.length + 1}`;
    const enrollment = startEnrollment(graph, { id, enteredAt: now, triggerData: trigger });
    if (!enrollment) return null;
    const journey: Live = {
      id,
      entryKey: decision.entryKey,
      trigger,
      enteredAt: now,
      status: "active",
      currentNodeId: enrollment.currentNodeId,
      exitReason: null,
      error: null,
      nextRunAt: now,
      records: [],
      path: [],
      enrollment,
      watches: true,
    };
    journeys.push(journey);
    return journey;
  };

  // Where the run starts reading the contact's events.
  let cursor = 0;
  while (cursor < events.length && events[cursor]!.occurredAt < options.from) cursor++;
  let occ = 0;
  while (occ < occurrences.length && occurrences[occ]! < options.from) occ++;
  let fixedPending = options.entries.kind === "fixed";

  for (let guard = 0; guard < 100_000; guard++) {
    const nextEvent =
      cursor < events.length && events[cursor]!.occurredAt < options.to
        ? events[cursor]!.occurredAt
        : Infinity;
    let nextWake = Infinity;
    for (const j of journeys)
      if (j.status === "active" && j.nextRunAt !== null && j.nextRunAt < nextWake) nextWake = j.nextRunAt;
    const nextOcc = occ < occurrences.length && occurrences[occ]! < options.to ? occurrences[occ]! : Infinity;
    const nextFixed =
      fixedPending && options.entries.kind === "fixed" ? options.entries.trigger.occurredAt : Infinity;
    const next = Math.min(nextEvent, nextWake, nextOcc, nextFixed);
    if (next === Infinity || next > options.to) break;
    const now = tick(next);
    if (history) ({ contact, next: changed } = applyChanges(contact, history.changes, changed, now));

    // What fell due first (in wake-up order), then the events up to now.
    for (;;) {
      const due = journeys
        .filter((j) => j.status === "active" && j.nextRunAt !== null && j.nextRunAt <= now)
        .sort((a, b) => a.nextRunAt! - b.nextRunAt!);
      if (due.length === 0) break;
      for (const j of due) run(j, now);
    }

    if (fixedPending && options.entries.kind === "fixed" && options.entries.trigger.occurredAt <= now) {
      fixedPending = false;
      const t = options.entries.trigger;
      const event: EventFact | null = t.eventId
        ? { id: t.eventId, name: t.name, properties: t.properties, occurredAt: t.occurredAt }
        : null;
      const journey = enter(t, event, now, options.entries.entryRules);
      if (journey) run(journey, now);
    }

    while (occ < occurrences.length && occurrences[occ]! <= now) {
      const at = occurrences[occ++]!;
      const journey = enter(
        { eventId: null, name: triggerKind, properties: {}, occurredAt: at },
        null,
        now,
        true,
      );
      if (journey) run(journey, now);
    }

    const batch: EventFact[] = [];
    while (
      cursor < events.length &&
      events[cursor]!.occurredAt <= now &&
      events[cursor]!.occurredAt < options.to
    )
      batch.push(events[cursor++]!);
    if (batch.length === 0) continue;
    const entered: Live[] = [];
    if (options.entries.kind === "events" && triggerName !== null)
      for (const event of batch) {
        if (event.name !== triggerName) continue;
        const journey = enter(
          { eventId: event.id, name: event.name, properties: event.properties, occurredAt: event.occurredAt },
          event,
          now,
          true,
        );
        if (journey) entered.push(journey);
      }
    const woken = batch.some((e) => watched.has(e.name))
      ? journeys.filter(
          (j) => j.status === "active" && !entered.includes(j) && (j.nextRunAt === null || j.nextRunAt > now),
        )
      : [];
    for (const j of [...entered, ...woken]) if (j.status === "active") run(j, now);
  }

  return {
    journeys: journeys.map(({ enrollment: _e, watches: _w, ...journey }) => journey),
    refused,
  };
}
