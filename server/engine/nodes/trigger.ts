/**
 * `trigger`: what enrolls a contact. An event (with property filters), a date property
 * (birthday, yearly), a schedule (once, recurring or cron, with a segment), inactivity, or
 * a product coming back in stock. The scheduler uses `nextOccurrence`; ingest uses
 * `matchesEventTrigger`.
 */
import { z } from "zod";
import { cronToRules, describeRule, nextRuleTime, ruleProblem } from "../schedule-rule";
import type { ContactFacts, EngagementFact, EventFact } from "../facts";
import { issue, type Issue } from "../issues";
import { toText } from "../json";
import {
  describePredicate,
  evaluatePredicate,
  Predicate,
  predicateEventNames,
  predicateProblems,
} from "../predicate";
import {
  contactDateProperty,
  DAY,
  daysInMonth,
  dateOccurrence,
  localInstant,
  localParts,
  nextLocalTime,
  parseCalendarDate,
  parseClock,
  parseLocalDateTime,
  resolveZone,
  Weekday,
  WEEKDAY_NAMES,
} from "../time";
import { defineNode, next } from "./define";

/** The event ingest emits for each subscriber when a product's inventory goes from 0 to more. */
export const BACK_IN_STOCK_EVENT = "Back in Stock";

const Time = z.string(); // "HH:MM", checked by validate so drafts can hold a half-typed value

export const Recurrence = z.discriminatedUnion("frequency", [
  /** One date-time, wall clock: "2025-11-28T09:00". */
  z.strictObject({ frequency: z.literal("once"), at: z.string() }),
  z.strictObject({ frequency: z.literal("daily"), time: Time }),
  z.strictObject({ frequency: z.literal("weekly"), time: Time, weekdays: z.array(Weekday) }),
  /** A day past the month's end falls on its last day. */
  z.strictObject({
    frequency: z.literal("monthly"),
    time: Time,
    dayOfMonth: z.number().int().min(1).max(31),
  }),
  z.strictObject({
    frequency: z.literal("yearly"),
    time: Time,
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(31),
  }),
  /** "minute hour day-of-month month day-of-week", e.g. "0 9 * * 1"; run as the recurrence rules it converts to. */
  z.strictObject({ frequency: z.literal("cron"), expression: z.string() }),
  /**
   * An RFC 5545 recurrence rule in the schedule's wall clock, e.g. the fourth Thursday of
   * November at 09:00: "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;BYHOUR=9;BYMINUTE=0".
   */
  z.strictObject({ frequency: z.literal("rule"), rule: z.string() }),
]);
export type Recurrence = z.infer<typeof Recurrence>;

export const EventTrigger = z.strictObject({
  type: z.literal("event"),
  event: z.string(),
  /** Evaluated with the incoming event as `event` (e.g. `value > 50`); per line with `perLineItem`. */
  filter: Predicate.nullable().default(null),
  /**
   * One enrollment per line item of the event's `items` (an order of two products enters
   * twice), each reading like an order of that one product: see `../line-items`.
   */
  perLineItem: z.boolean().optional(),
});
export type EventTrigger = z.infer<typeof EventTrigger>;

export const DatePropertyTrigger = z.strictObject({
  type: z.literal("date_property"),
  /** `birthday` or a custom date property (`YYYY-MM-DD`). */
  property: z.string(),
  daysBefore: z.number().int().min(0).max(365),
  /** Contact-local "HH:MM". */
  time: Time,
  yearly: z.boolean(),
});
export type DatePropertyTrigger = z.infer<typeof DatePropertyTrigger>;

export const ScheduleTrigger = z.strictObject({
  type: z.literal("schedule"),
  schedule: Recurrence,
  /** Whose wall clock the schedule reads: each contact's own, or the workspace's. */
  timezone: z.enum(["contact", "workspace"]),
  /** Who is enrolled when it fires (e.g. country is US); null is everyone. */
  segment: Predicate.nullable().default(null),
});
export type ScheduleTrigger = z.infer<typeof ScheduleTrigger>;

export const InactivityTrigger = z.strictObject({
  type: z.literal("inactivity"),
  /** Enrolls when the contact has not done this for `days` days. */
  event: z.string(),
  days: z.number().int().min(1).max(3650),
  segment: Predicate.nullable().default(null),
  /**
   * Contacts who never did it count too, from when they joined ("never ordered since
   * signing up 30 days ago"). Only contacts with an email: an anonymous visitor joined nothing.
   */
  includeNeverDone: z.boolean().optional(),
});
export type InactivityTrigger = z.infer<typeof InactivityTrigger>;

export const BackInStockTrigger = z.strictObject({
  type: z.literal("back_in_stock"),
  /** Empty: any product. */
  productIds: z.array(z.string()).default([]),
  /** Empty: any category. */
  categories: z.array(z.string()).default([]),
});
export type BackInStockTrigger = z.infer<typeof BackInStockTrigger>;

export const TriggerConfig = z.discriminatedUnion("type", [
  EventTrigger,
  DatePropertyTrigger,
  ScheduleTrigger,
  InactivityTrigger,
  BackInStockTrigger,
]);
export type TriggerConfig = z.infer<typeof TriggerConfig>;

// ---------------------------------------------------------------- scheduler helpers

export type TriggerContact = Pick<ContactFacts, "timezone" | "birthday" | "properties">;

/**
 * The next instant strictly after `now` at which a date-property or schedule trigger fires
 * for this contact (wall clock in the contact's zone, else the workspace's, else UTC). Null
 * when it never fires again, the contact lacks the date, or the trigger is not time-based.
 */
export function nextOccurrence(
  trigger: TriggerConfig,
  contact: TriggerContact | null,
  now: number,
  workspaceTimezone = "UTC",
): number | null {
  if (trigger.type === "date_property") {
    const clock = parseClock(trigger.time);
    const zone = resolveZone(contact?.timezone, workspaceTimezone);
    const date = contact ? contactDateProperty(contact, trigger.property, zone) : null;
    if (!clock || !date) return null;
    const at = dateOccurrence(
      date,
      { offsetDays: -trigger.daysBefore, clock, yearly: trigger.yearly },
      now,
      zone,
      false,
    );
    return at > now ? at : null;
  }
  if (trigger.type === "schedule") {
    const zone =
      trigger.timezone === "contact"
        ? resolveZone(contact?.timezone, workspaceTimezone)
        : resolveZone(workspaceTimezone);
    return nextScheduled(trigger.schedule, now, zone);
  }
  return null;
}

export function nextScheduled(schedule: Recurrence, now: number, zone: string): number | null {
  if (schedule.frequency === "cron") {
    const rules = cronToRules(schedule.expression);
    return rules ? nextRuleTime(rules, now, zone) : null;
  }
  if (schedule.frequency === "rule") return nextRuleTime([schedule.rule], now, zone);
  if (schedule.frequency === "once") {
    const at = parseLocalDateTime(schedule.at);
    if (!at) return null;
    const instant = localInstant(at.date, at.clock, zone);
    return instant > now ? instant : null;
  }
  const clock = parseClock(schedule.time);
  if (!clock) return null;
  switch (schedule.frequency) {
    case "daily":
      return nextLocalTime(now, clock, [], zone, false);
    case "weekly":
      return schedule.weekdays.length === 0
        ? null
        : nextLocalTime(now, clock, schedule.weekdays, zone, false);
    case "monthly": {
      const today = localParts(now, zone);
      for (let i = 0; i <= 12; i++) {
        const month0 = today.month - 1 + i;
        const year = today.year + Math.floor(month0 / 12);
        const month = (month0 % 12) + 1;
        const day = Math.min(schedule.dayOfMonth, daysInMonth(year, month));
        const at = localInstant({ year, month, day }, clock, zone);
        if (at > now) return at;
      }
      return null;
    }
    case "yearly": {
      if (schedule.day > daysInMonth(2024, schedule.month)) return null;
      return dateOccurrence(
        { year: 2024, month: schedule.month, day: schedule.day },
        { offsetDays: 0, clock, yearly: true },
        now,
        zone,
        false,
      );
    }
  }
}

/** When an inactivity trigger fires: `days` after the last such event (or after `since`). */
export function inactivityDueAt(
  trigger: InactivityTrigger,
  lastEventAt: number | null,
  since: number,
): number {
  return (lastEventAt ?? since) + trigger.days * DAY;
}

/** Does an incoming event enroll the contact (name, property filters, product filters)? */
export function matchesEventTrigger(
  trigger: TriggerConfig,
  event: EventFact,
  context: {
    contact?: ContactFacts | null;
    events?: readonly EventFact[];
    now?: number;
    engagement?: readonly EngagementFact[];
  } = {},
): boolean {
  if (trigger.type === "event") {
    if (trigger.event.trim() === "" || event.name !== trigger.event) return false;
    if (!trigger.filter) return true;
    return evaluatePredicate(trigger.filter, {
      contact: context.contact ?? null,
      trigger: {
        eventId: event.id,
        name: event.name,
        properties: event.properties,
        occurredAt: event.occurredAt,
      },
      event,
      events: context.events ?? [event],
      enteredAt: null,
      // As of the event's own time: "viewed this product twice in 24 h" counts views up to
      // this one, not later ones that arrived in the same batch.
      now: Math.min(event.occurredAt, context.now ?? event.occurredAt),
      engagement: context.engagement ?? [],
    });
  }
  if (trigger.type === "back_in_stock") {
    if (event.name !== BACK_IN_STOCK_EVENT) return false;
    const product = toText(event.properties.product_id);
    const category = toText(event.properties.category);
    if (trigger.productIds.length > 0 && (product === undefined || !trigger.productIds.includes(product)))
      return false;
    if (trigger.categories.length > 0) {
      const wanted = new Set(trigger.categories.map((c) => c.trim().toLowerCase()));
      if (category === undefined || !wanted.has(category.toLowerCase())) return false;
    }
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- descriptions and checks

function describeRecurrence(schedule: Recurrence): string {
  switch (schedule.frequency) {
    case "once":
      return `Once on ${schedule.at.replace("T", " at ")}`;
    case "daily":
      return `Every day at ${schedule.time}`;
    case "weekly":
      return `Every ${schedule.weekdays.map((d) => WEEKDAY_NAMES[d - 1] ?? "?").join(", ") || "week"} at ${schedule.time}`;
    case "monthly":
      return `Monthly on day ${schedule.dayOfMonth} at ${schedule.time}`;
    case "yearly":
      return `Every year on ${String(schedule.month).padStart(2, "0")}-${String(schedule.day).padStart(2, "0")} at ${schedule.time}`;
    case "cron":
      return `On schedule “${schedule.expression}”`;
    case "rule": {
      const words = describeRule(schedule.rule);
      return words ? words.charAt(0).toUpperCase() + words.slice(1) : `On rule “${schedule.rule}”`;
    }
  }
}

function summarize(config: TriggerConfig): string {
  switch (config.type) {
    case "event":
      return `When ${config.event || "(choose an event)"}${config.perLineItem ? ", once per line item" : ""}${config.filter ? ` where ${describePredicate(config.filter)}` : ""}`;
    case "date_property": {
      const when =
        config.daysBefore === 0
          ? `On ${config.property || "(date)"}`
          : `${config.daysBefore} ${config.daysBefore === 1 ? "day" : "days"} before ${config.property || "(date)"}`;
      return `${when} at ${config.time}${config.yearly ? ", every year" : ""}`;
    }
    case "schedule":
      return `${describeRecurrence(config.schedule)}${config.segment ? ` · ${describePredicate(config.segment)}` : ""}`;
    case "inactivity":
      return `No ${config.event || "(event)"} for ${config.days} days${config.includeNeverDone ? ` (or never, ${config.days} days after joining)` : ""}`;
    case "back_in_stock": {
      const scope = [
        config.productIds.length
          ? `${config.productIds.length} ${config.productIds.length === 1 ? "product" : "products"}`
          : "",
        config.categories.length ? config.categories.join(", ") : "",
      ].filter(Boolean);
      return `Back in stock${scope.length ? ` (${scope.join("; ")})` : ""}`;
    }
  }
}

function conditionIssues(predicate: Predicate | null, where: string): Issue[] {
  if (!predicate) return [];
  return predicateProblems(predicate).map((p) => issue("invalid_condition", `${where}: ${p}`));
}

function clockIssue(time: string, what: string): Issue[] {
  return parseClock(time) ? [] : [issue("invalid_value", `Enter ${what} as HH:MM (24-hour), e.g. 09:00.`)];
}

function recurrenceIssues(schedule: Recurrence): Issue[] {
  switch (schedule.frequency) {
    case "once":
      return parseLocalDateTime(schedule.at)
        ? []
        : [issue("invalid_value", "Pick the date and time to send, e.g. 2025-11-28T09:00.")];
    case "rule": {
      const problem = ruleProblem(schedule.rule);
      return problem ? [issue("invalid_value", `The schedule rule: ${problem}`)] : [];
    }
    case "cron":
      return cronToRules(schedule.expression)
        ? []
        : [
            issue(
              "invalid_value",
              "The schedule expression isn't valid: use five fields, e.g. “0 9 * * 1” for Mondays at 09:00.",
            ),
          ];
    case "weekly":
      return [
        ...clockIssue(schedule.time, "the time"),
        ...(schedule.weekdays.length === 0 ? [issue("missing_field", "Pick at least one weekday.")] : []),
      ];
    case "yearly":
      return [
        ...clockIssue(schedule.time, "the time"),
        ...(parseCalendarDate(
          `2024-${String(schedule.month).padStart(2, "0")}-${String(schedule.day).padStart(2, "0")}`,
        )
          ? []
          : [issue("invalid_value", "That day does not exist in that month.")]),
      ];
    case "daily":
    case "monthly":
      return clockIssue(schedule.time, "the time");
  }
}

function validateTrigger(config: TriggerConfig): Issue[] {
  switch (config.type) {
    case "event":
      return [
        ...(config.event.trim() === ""
          ? [issue("missing_field", "Choose the event that starts this flow.")]
          : []),
        ...conditionIssues(config.filter, "Trigger filter"),
      ];
    case "date_property":
      return [
        ...(config.property.trim() === ""
          ? [issue("missing_field", "Choose the date property (e.g. birthday).")]
          : []),
        ...clockIssue(config.time, "the send time"),
      ];
    case "schedule":
      return [...recurrenceIssues(config.schedule), ...conditionIssues(config.segment, "Segment")];
    case "inactivity":
      return [
        ...(config.event.trim() === ""
          ? [issue("missing_field", "Choose the event whose absence starts this flow.")]
          : []),
        ...conditionIssues(config.segment, "Segment"),
      ];
    case "back_in_stock":
      return [];
  }
}

export const trigger = defineNode({
  kind: "trigger",
  traits: { waits: false, branches: false, channel: null, palette: { group: "Start", order: 1 } },
  label: "Trigger",
  description: "What enrolls a contact: an event, a date, a schedule, inactivity or a restock.",
  configSchema: TriggerConfig,
  outputs: () => ["next"],
  outputLabel: () => "Next",
  summary: summarize,
  validate: (config) => validateTrigger(config),
  step: () => next("next"),
  defaultConfig: (): TriggerConfig => ({ type: "event", event: "", filter: null }),
  eventNames: (config) => {
    if (config.type === "event") return [...predicateEventNames(config.filter)];
    if (config.type === "schedule") return [...predicateEventNames(config.segment)];
    if (config.type === "inactivity") return [...predicateEventNames(config.segment)];
    return [];
  },
});
