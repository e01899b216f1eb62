/**
 * `wait_for_event`: hold the contact until they do something (e.g. `Review Submitted`),
 * optionally matching the trigger on a property (`order_id`), or until a timeout.
 * Outputs `event` and `timeout`.
 */
import { z } from "zod";
import type { EventFact } from "../facts";
import { issue, type Issue } from "../issues";
import { getPath } from "../json";
import {
  compare,
  describePredicate,
  evaluatePredicate,
  Predicate,
  predicateEventNames,
  predicateProblems,
  referencesTrigger,
} from "../predicate";
import { addDuration, describeDuration, Duration } from "../time";
import { defineNode, type StepContext, type StepResult } from "./define";

export const WaitForEventConfig = z.strictObject({
  event: z.string(),
  /** Evaluated with the awaited event as `event` (e.g. `rating exists`). */
  filter: Predicate.nullable().default(null),
  /** When set, the awaited event's property must equal the trigger's (e.g. `order_id`). */
  matchTriggerProperty: z.string().nullable().default(null),
  timeout: Duration,
  /**
   * Also count a matching event from earlier in the journey (since the trigger), e.g. a
   * second wait after a reminder still takes a referral made before the reminder, even one
   * that arrives after it.
   */
  sinceFlowStart: z.boolean().optional(),
});
export type WaitForEventConfig = z.infer<typeof WaitForEventConfig>;

/** The first event that satisfies the wait, among those from `since` to `until`. */
export function findAwaitedEvent(
  config: WaitForEventConfig,
  ctx: Pick<StepContext<WaitForEventConfig>, "events" | "trigger" | "scope">,
  since: number,
  until: number,
): EventFact | null {
  const candidates = ctx.events
    // The event that enrolled the contact never answers a wait of the same name.
    .filter(
      (e) =>
        e.name === config.event &&
        e.occurredAt >= since &&
        e.occurredAt <= until &&
        e.id !== ctx.trigger.eventId,
    )
    .sort((a, b) => a.occurredAt - b.occurredAt || a.id.localeCompare(b.id));
  for (const e of candidates) {
    if (config.matchTriggerProperty) {
      const wanted = getPath(ctx.trigger.properties, config.matchTriggerProperty);
      if (typeof wanted !== "string" && typeof wanted !== "number" && typeof wanted !== "boolean") continue;
      if (!compare("eq", getPath(e.properties, config.matchTriggerProperty), wanted)) continue;
    }
    if (config.filter && !evaluatePredicate(config.filter, { ...ctx.scope, event: e })) continue;
    return e;
  }
  return null;
}

/**
 * Where the wait starts looking, in event time. A wait about the trigger ("this order's
 * review"), or one told to look back to the flow's start, accepts a matching event from the
 * moment the trigger happened, even one that arrived before the contact reached the wait;
 * any other wait starts when it begins.
 */
export function awaitFrom(
  config: WaitForEventConfig,
  ctx: Pick<StepContext<WaitForEventConfig>, "scope">,
  since: number,
): number {
  const scoped =
    config.sinceFlowStart === true ||
    (config.matchTriggerProperty ?? "").trim() !== "" ||
    referencesTrigger(config.filter);
  return scoped && ctx.scope.enteredAt !== null ? Math.min(since, ctx.scope.enteredAt) : since;
}

function step(ctx: StepContext<WaitForEventConfig>): StepResult {
  const { config, now, resumed } = ctx;
  // In event time: the wait begins at the journey's time and times out counting from there.
  const since = resumed?.since ?? ctx.at;
  const timeoutAt = resumed?.until ?? addDuration(ctx.at, config.timeout, ctx.zone);
  const found = findAwaitedEvent(config, ctx, awaitFrom(config, ctx, since), Math.min(now, timeoutAt));
  // The journey goes on from when the contact acted, not from when the event arrived.
  if (found) return { type: "next", handle: "event", at: found.occurredAt };
  if (now >= timeoutAt) return { type: "next", handle: "timeout", at: resumed ? timeoutAt : now };
  return { type: "wait", reason: "event", until: timeoutAt, then: "timeout" };
}

function validateWaitForEvent(config: WaitForEventConfig, hasEventTrigger: boolean): Issue[] {
  const issues: Issue[] = [];
  if (config.event.trim() === "") issues.push(issue("missing_field", "Choose the event to wait for."));
  if (config.timeout.amount < 1)
    issues.push(issue("invalid_value", "Enter how long to wait before timing out (at least 1)."));
  if (config.matchTriggerProperty !== null && config.matchTriggerProperty.trim() === "") {
    issues.push(
      issue("missing_field", "Name the property that must match the trigger, or turn matching off."),
    );
  }
  if (config.matchTriggerProperty && !hasEventTrigger) {
    issues.push(issue("invalid_value", "Matching a trigger property needs a flow triggered by an event."));
  }
  if (config.filter)
    issues.push(
      ...predicateProblems(config.filter).map((p) => issue("invalid_condition", `Event filter: ${p}`)),
    );
  return issues;
}

export const wait_for_event = defineNode({
  kind: "wait_for_event",
  traits: { waits: true, branches: true, channel: null, palette: { group: "Timing", order: 2 } },
  label: "Wait for event",
  description: "Hold the contact until they do something, or until a timeout.",
  configSchema: WaitForEventConfig,
  outputs: () => ["event", "timeout"],
  outputLabel: (config, handle) =>
    handle === "event" ? config.event || "Event" : `No event in ${describeDuration(config.timeout)}`,
  summary: (config) =>
    `Wait for ${config.event || "(event)"}${config.filter ? ` where ${describePredicate(config.filter)}` : ""}${
      config.matchTriggerProperty ? ` (same ${config.matchTriggerProperty})` : ""
    }${config.sinceFlowStart ? " since the flow started" : ""}, up to ${describeDuration(config.timeout)}`,
  validate: (config, ctx) =>
    validateWaitForEvent(config, ctx.trigger?.type === "event" || ctx.trigger?.type === "back_in_stock"),
  step,
  defaultConfig: (): WaitForEventConfig => ({
    event: "",
    filter: null,
    matchTriggerProperty: null,
    timeout: { amount: 3, unit: "days" },
    sinceFlowStart: false,
  }),
  eventNames: (config) => [...(config.event ? [config.event] : []), ...predicateEventNames(config.filter)],
});
