/**
 * The interpreter. `advance` moves one enrollment from its current node until it parks at
 * a wait, ends, exits or fails, and returns the new position with the effects for the
 * executor to carry out. Pure and deterministic: the same inputs give the same output, so
 * a retried run sends nothing twice.
 */
import { applyAction, isContactEffect } from "./actions";
import type { Advance, Effect } from "./effects";
import type { Enrollment, EnrollmentState, EventFact, Facts, TriggerData, WaitingState } from "./facts";
import { edgeFrom, nodesById, type FlowGraph } from "./graph";
import { getPath, toNumber, toText } from "./json";
import { orderValues } from "./line-items";
import { definitionOf, nodeDefinitions } from "./nodes";
import type { StepResult } from "./nodes/define";
import {
  compare,
  engagementPredicatesIn,
  evaluatePredicate,
  predicateEventNames,
  type PredicateScope,
} from "./predicate";
import type { FlowSettings } from "./settings";
import { resolveZone } from "./time";

export { evaluateEntry, migrateEnrollment, startEnrollment } from "./entry";
export type { EntryDecision, EntryInput, EntryReason, Migration } from "./entry";

/** A run that passes this many steps without parking fails (a loop without a real wait). */
export const MAX_STEPS_PER_ADVANCE = 100;

/** Whether the graph asks about opens, clicks, … so the executor loads `facts.engagement`. */
export function usesEngagement(graph: FlowGraph): boolean {
  return engagementPredicatesIn([graph.settings, graph.nodes.map((n) => n.config)]).length > 0;
}

/** Event names the executor must load into `facts.events` for this graph. */
export function requiredEventNames(graph: FlowGraph): string[] {
  const names = new Set<string>();
  if (graph.settings.goal?.event) names.add(graph.settings.goal.event);
  predicateEventNames(graph.settings.goal?.filter ?? null, names);
  predicateEventNames(graph.settings.filter, names);
  for (const node of graph.nodes)
    for (const name of definitionOf(node.kind).eventNames(node.config)) names.add(name);
  return [...names].filter((n) => n.trim() !== "").sort();
}

/** The order value in cents: `value_cents` if present, else `value` (currency units) × 100. */
export function eventValueCents(properties: Record<string, unknown>): number {
  const cents = toNumber(properties.value_cents);
  if (cents !== undefined) return Math.round(cents);
  const value = toNumber(properties.value) ?? toNumber(properties.total);
  return value === undefined ? 0 : Math.round(value * 100);
}

function eventCurrency(properties: Record<string, unknown>): string {
  return toText(properties.currency)?.toUpperCase() ?? "USD";
}

/** The contact's events up to `now`, the wake event and the trigger event included once each. */
function collectEvents(facts: Facts, trigger: TriggerData, now: number): EventFact[] {
  const byId = new Map<string, EventFact>();
  for (const e of facts.events) byId.set(e.id, e);
  if (facts.wakeEvent) byId.set(facts.wakeEvent.id, facts.wakeEvent);
  if (trigger.eventId && !byId.has(trigger.eventId)) {
    byId.set(trigger.eventId, {
      id: trigger.eventId,
      name: trigger.name,
      properties: trigger.properties,
      occurredAt: trigger.occurredAt,
    });
  }
  return [...byId.values()]
    .filter((e) => e.occurredAt <= now)
    .sort((a, b) => a.occurredAt - b.occurredAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * When the flow started for this enrollment, in event time: the trigger event's timestamp
 * (never later than the entry itself). Goals and "since entering this flow" count events
 * from here, so an order placed after the checkout counts even if it arrived first.
 */
export function flowStartOf(enrollment: Pick<Enrollment, "enteredAt" | "triggerData">): number {
  return Math.min(enrollment.enteredAt, enrollment.triggerData.occurredAt);
}

/**
 * Is the event about the same thing as the trigger (same `path`, e.g. the same `cart_id`)?
 * Only a different value rules it out: when the trigger or the event lacks the property,
 * nothing says it is another cart, so it counts. An order without the property of its own
 * is about its line items' values: an order of this product, among others, matches.
 */
export function matchesTriggerProperty(
  event: EventFact,
  trigger: TriggerData,
  path: string | null | undefined,
): boolean {
  if (!path || path.trim() === "") return true;
  const wanted = getPath(trigger.properties, path);
  if (typeof wanted !== "string" && typeof wanted !== "number" && typeof wanted !== "boolean") return true;
  // An order's `product_id` is the products on its lines: "this product was ordered again".
  const actual = orderValues(event.properties, path);
  if (actual.length === 0) return true;
  return actual.some((value) => compare("eq", value, wanted));
}

/**
 * The first goal event that happened since the flow started and by `until` (never the
 * trigger event itself).
 */
function findGoal(
  settings: FlowSettings,
  scope: PredicateScope,
  start: number,
  until: number,
  trigger: TriggerData,
): EventFact | null {
  const goal = settings.goal;
  if (!goal || goal.event.trim() === "") return null;
  for (const e of scope.events) {
    if (e.name !== goal.event || e.occurredAt < start || e.occurredAt > until || e.id === trigger.eventId)
      continue;
    if (!matchesTriggerProperty(e, trigger, goal.matchTriggerProperty)) continue;
    if (goal.filter && !evaluatePredicate(goal.filter, { ...scope, event: e })) continue;
    return e;
  }
  return null;
}

function copyState(state: EnrollmentState): EnrollmentState {
  return { ...state, visits: { ...state.visits }, waiting: state.waiting ? { ...state.waiting } : null };
}

export function advance(graph: FlowGraph, enrollment: Enrollment, facts: Facts, now: number): Advance {
  const effects: Effect[] = [];
  const state = copyState(enrollment.state);
  const settings = graph.settings;
  const nodes = nodesById(graph);
  const trigger = enrollment.triggerData;
  const start = flowStartOf(enrollment);
  const events = collectEvents(facts, trigger, now);
  const zone = resolveZone(facts.contact.timezone, facts.workspaceTimezone);
  const lastSent = { ...facts.lastMarketingSentAt };
  let contact = facts.contact;
  let nodeId = enrollment.currentNodeId;
  /**
   * A fresh entry runs the steps up to its first wait as of the trigger's time: a goal event
   * that happened after the trigger does not stop them, so a sign-up at 10:00 with an order
   * at 10:05 in one batch still gets the welcome email that was due at 10:00. At the first
   * wait (even one whose time has already passed when the entry runs late), and in every
   * later run, the goal is checked against everything known.
   */
  const fresh = Object.keys(state.visits).length === 0 && !state.waiting;
  let goalUntil = fresh ? start : now;
  // The journey's event time: a fresh enrollment starts at its trigger's timestamp; one from
  // before the clock was kept counts from when its wait began, as it did then.
  let clock = Math.min(
    now,
    state.clock ??
      (Object.keys(state.visits).length === 0 ? trigger.occurredAt : (state.waiting?.since ?? now)),
  );

  const finish = (
    status: Advance["status"],
    nextRunAt: number | null,
    error: string | null = null,
  ): Advance => {
    if (status !== "active") state.waiting = null;
    state.clock = clock;
    return { status, currentNodeId: nodeId, nextRunAt, state, effects, error };
  };
  const convert = (goal: EventFact) =>
    effects.push({
      type: "convert",
      nodeId,
      eventId: goal.id,
      valueCents: eventValueCents(goal.properties),
      currency: eventCurrency(goal.properties),
      occurredAt: goal.occurredAt,
    });
  const leave = (
    reason: "goal" | "filter" | "exit_node" | "end" | "node_removed",
    status: "exited" | "completed",
  ): Advance => {
    effects.push({ type: "exit", nodeId, reason });
    return finish(status, null);
  };
  /** The journey ran to its end: a goal reached after its last step was due still counts. */
  const complete = (reason: "exit_node" | "end"): Advance => {
    const goal = findGoal(
      settings,
      { contact, trigger, event: null, events, enteredAt: start, now },
      start,
      now,
      trigger,
    );
    if (!goal) return leave(reason, "completed");
    convert(goal);
    return leave("goal", "exited");
  };

  for (let steps = 0; ; steps++) {
    const node = nodes.get(nodeId);
    if (!node) return leave("node_removed", "exited");

    const scope: PredicateScope = {
      contact,
      trigger,
      event: null,
      events,
      enteredAt: start,
      now,
      engagement: facts.engagement ?? [],
      journeyId: enrollment.id,
    };
    const goal = findGoal(settings, scope, start, goalUntil, trigger);
    if (goal) {
      convert(goal);
      return leave("goal", "exited");
    }
    if (settings.filter && !evaluatePredicate(settings.filter, scope)) return leave("filter", "exited");

    if (steps >= MAX_STEPS_PER_ADVANCE) {
      return finish(
        "failed",
        null,
        `Stopped after ${MAX_STEPS_PER_ADVANCE} steps in a row without a wait, at step ${nodeId}. The flow probably loops without a wait.`,
      );
    }

    const resumed: WaitingState | null = state.waiting?.nodeId === nodeId ? state.waiting : null;
    let visit: number;
    if (resumed) {
      visit = resumed.visit;
    } else {
      visit = (state.visits[nodeId] ?? 0) + 1;
      state.visits[nodeId] = visit;
    }

    let result: StepResult;
    try {
      result = definitionOf(node.kind).step({
        nodeId,
        config: node.config,
        visit,
        now,
        at: clock,
        resumed,
        enrollmentId: enrollment.id,
        enteredAt: enrollment.enteredAt,
        trigger,
        contact,
        events,
        settings,
        zone,
        lastMarketingSentAt: lastSent,
        scope,
        ...(facts.splitWinners ? { splitWinners: facts.splitWinners } : {}),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return finish(
        "failed",
        null,
        `Step ${nodeId} (${nodeDefinitions[node.kind].label}) failed: ${message}`,
      );
    }

    if (result.type !== "exit") {
      for (const effect of result.effects ?? []) {
        effects.push(effect);
        if (effect.type === "send" && effect.category === "marketing") lastSent[effect.channel] = now;
        if (isContactEffect(effect)) contact = applyAction(contact, effect);
      }
    }

    switch (result.type) {
      case "wait": {
        const reached = fresh ? findGoal(settings, scope, start, now, trigger) : null;
        if (reached) {
          convert(reached);
          return leave("goal", "exited");
        }
        const waiting: WaitingState = {
          nodeId,
          visit,
          reason: result.reason,
          since: resumed?.since ?? clock,
          until: result.until,
          then: result.then,
        };
        if (!resumed || resumed.reason !== waiting.reason || resumed.until !== waiting.until) {
          effects.push({
            type: "step",
            nodeId,
            visit,
            outcome: "wait",
            detail: { wakeAt: waiting.until, waitingFor: waiting.reason },
          });
        }
        state.waiting = waiting;
        return finish("active", waiting.until);
      }
      case "exit":
        effects.push({ type: "step", nodeId, visit, outcome: "exit" });
        return complete("exit_node");
      case "next": {
        state.waiting = null;
        // A wait (or a held message) that ran out moves the journey to its due time, even
        // when a worker gets to it later; a step may say otherwise (the awaited event's time).
        const due = resumed && resumed.until !== null && resumed.until <= now ? resumed.until : clock;
        clock = Math.min(now, Math.max(clock, result.at ?? due));
        effects.push(
          result.note === undefined
            ? { type: "step", nodeId, visit, outcome: result.handle }
            : { type: "step", nodeId, visit, outcome: result.handle, detail: { note: result.note } },
        );
        if (definitionOf(node.kind).traits.waits) goalUntil = now;
        const edge = edgeFrom(graph, nodeId, result.handle);
        if (!edge) return complete("end");
        nodeId = edge.target;
      }
    }
  }
}
