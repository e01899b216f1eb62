/** Who may enter a flow (re-entry rules, entry keys), where a new enrollment starts, and how publishing moves enrollments. */
import {
  emptyState,
  type ContactFacts,
  type EngagementFact,
  type Enrollment,
  type EventFact,
  type TriggerData,
} from "./facts";
import { triggerNode, type FlowGraph } from "./graph";
import { getPath, toText } from "./json";
import { matchesEventTrigger } from "./nodes/trigger";
import { evaluatePredicate } from "./predicate";
import { DAY } from "./time";

export type EntryInput = {
  contact: ContactFacts | null;
  /** The incoming event; null for schedule, date-property and inactivity triggers. */
  event: EventFact | null;
  /** The contact's events, for trigger filters that count behaviour. */
  events?: readonly EventFact[];
  /** Engagement with messages sent to the contact, for segments like "opened an email in the last 90 days". */
  engagement?: readonly EngagementFact[];
  /** Entry keys of the contact's active enrollments in this flow ('' when the flow has no entry key). */
  activeEnrollmentKeys: readonly string[];
  /**
   * Every earlier enrollment of the contact in this flow, any status: when it entered and,
   * for event triggers, its trigger event's timestamp (re-entry periods compare those).
   */
  pastEnrollments: ReadonlyArray<{ enteredAt: number; triggerAt?: number | null }>;
};

export type EntryReason =
  | "ok"
  | "no_trigger"
  | "trigger_mismatch"
  | "not_in_segment"
  | "already_active"
  | "already_entered"
  | "entered_recently";

export type EntryDecision = { enter: boolean; entryKey: string; reason: EntryReason };

/**
 * The entry key's value for a trigger event. `entryKey` names one trigger property
 * (`cart_id`) or several separated by commas (`order_id, product_id`: one journey per
 * product of an order); the values are joined with "/". Empty when the event has none.
 */
export function entryKeyOf(entryKey: string, properties: Record<string, unknown>): string {
  const values = entryKeyPaths(entryKey).map((path) => toText(getPath(properties, path)) ?? "");
  return values.every((v) => v === "") ? "" : values.join("/");
}

/** The property paths an entry key names. */
export function entryKeyPaths(entryKey: string): string[] {
  return entryKey
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** The period `once_per_period` uses when none is set. */
export const DEFAULT_REENTRY_PERIOD_DAYS = 30;

/**
 * Decides whether a contact enters: the trigger must match, then at most one active
 * enrollment per contact (per entry-key value when `settings.entryKey` names a trigger
 * property), then the re-entry mode (once ever, once per N days of event time, every time).
 */
export function evaluateEntry(graph: FlowGraph, input: EntryInput, now: number): EntryDecision {
  const trigger = triggerNode(graph);
  const settings = graph.settings;
  const entryKey =
    settings.entryKey && input.event ? entryKeyOf(settings.entryKey, input.event.properties) : "";
  const decide = (enter: boolean, reason: EntryReason): EntryDecision => ({ enter, entryKey, reason });
  if (!trigger) return decide(false, "no_trigger");

  const config = trigger.config;
  if (config.type === "event" || config.type === "back_in_stock") {
    if (!input.event) return decide(false, "trigger_mismatch");
    const events = input.events ?? [input.event];
    const engagement = input.engagement ?? [];
    if (!matchesEventTrigger(config, input.event, { contact: input.contact, events, now, engagement }))
      return decide(false, "trigger_mismatch");
  }
  if ((config.type === "schedule" || config.type === "inactivity") && config.segment) {
    const inSegment =
      input.contact !== null &&
      evaluatePredicate(config.segment, {
        contact: input.contact,
        trigger: null,
        event: null,
        events: input.events ?? [],
        enteredAt: null,
        now,
        engagement: input.engagement ?? [],
      });
    if (!inSegment) return decide(false, "not_in_segment");
  }

  const active = settings.entryKey
    ? input.activeEnrollmentKeys.includes(entryKey)
    : input.activeEnrollmentKeys.length > 0;
  if (active) return decide(false, "already_active");

  switch (settings.reentry.mode) {
    case "once":
      if (input.pastEnrollments.length > 0) return decide(false, "already_entered");
      break;
    case "once_per_period": {
      // In event time: a view at 09:00 that arrives after a view of 10:00 is still an hour
      // apart, whichever was processed first or how late either arrived.
      const period = (settings.reentry.periodDays ?? DEFAULT_REENTRY_PERIOD_DAYS) * DAY;
      const at = input.event ? Math.min(input.event.occurredAt, now) : now;
      if (input.pastEnrollments.some((e) => Math.abs(at - (e.triggerAt ?? e.enteredAt)) < period))
        return decide(false, "entered_recently");
      break;
    }
    case "every_time":
      break;
  }
  return decide(true, "ok");
}

/** A new enrollment at the trigger; null when the graph has no trigger. */
export function startEnrollment(
  graph: FlowGraph,
  input: { id: string; enteredAt: number; triggerData: TriggerData },
): Enrollment | null {
  const trigger = triggerNode(graph);
  if (!trigger) return null;
  return {
    id: input.id,
    currentNodeId: trigger.id,
    enteredAt: input.enteredAt,
    state: emptyState(),
    triggerData: input.triggerData,
  };
}

export type Migration = {
  /** move: continue on the new version at the same node; stay: keep the old version; exit: the node is gone. */
  action: "stay" | "move" | "exit";
  reason: "same_node" | "kind_changed" | "node_removed";
};

/**
 * When a publish moves in-flight enrollments: nodes are matched by id. A removed node
 * exits the enrollment (counted as `node_removed`); a node whose kind changed keeps the
 * enrollment on its old version (its waiting state would mean nothing there). A wait
 * already running keeps its wake-up time.
 */
export function migrateEnrollment(
  oldGraph: FlowGraph,
  newGraph: FlowGraph,
  currentNodeId: string,
): Migration {
  const next = newGraph.nodes.find((n) => n.id === currentNodeId);
  if (!next) return { action: "exit", reason: "node_removed" };
  const previous = oldGraph.nodes.find((n) => n.id === currentNodeId);
  if (previous && previous.kind !== next.kind) return { action: "stay", reason: "kind_changed" };
  return { action: "move", reason: "same_node" };
}
