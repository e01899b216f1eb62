/**
 * `wait`: hold the contact for a duration, until a local time of day (on allowed
 * weekdays), until a date property ± days, or until a consumable order runs out. All wall
 * clock times are the contact's (then the workspace's, then UTC) and DST-correct.
 */
import { z } from "zod";
import { issue, type Issue } from "../issues";
import { getPath, toNumber } from "../json";
import {
  addDays,
  addDuration,
  contactDateProperty,
  dateOccurrence,
  describeDuration,
  DurationUnit,
  localInstant,
  localParts,
  nextLocalTime,
  parseCalendarDate,
  parseClock,
  Weekday,
  WEEKDAY_NAMES,
  type CalendarDate,
} from "../time";
import { defineNode, next, type StepContext, type StepResult } from "./define";

export const WaitConfig = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("duration"),
    amount: z.number().int().min(0).max(100_000),
    unit: DurationUnit,
  }),
  z.strictObject({
    mode: z.literal("until_time"),
    /** Contact-local "HH:MM". */
    time: z.string(),
    /** ISO weekdays the wait may end on (1 = Monday). */
    weekdays: z.array(Weekday),
  }),
  z.strictObject({
    mode: z.literal("until_date_property"),
    /** A contact property (`birthday`, a custom date) or a property of the trigger event. */
    source: z.enum(["contact", "trigger"]),
    property: z.string(),
    /** Days after the date; negative is before. */
    offsetDays: z.number().int().min(-3650).max(3650),
    time: z.string(),
    /** Use the next anniversary (birthdays) rather than the date itself. */
    yearly: z.boolean(),
  }),
  z.strictObject({
    /** Until a consumable runs out: quantity × days per unit − shipping days after the order. */
    mode: z.literal("replenishment"),
    quantityProperty: z.string(),
    daysPerUnitProperty: z.string(),
    shippingDays: z.number().int().min(0).max(60),
    /** Used when the order lacks the quantity or the days per unit. */
    fallbackDays: z.number().int().min(1).max(3650),
    time: z.string(),
  }),
]);
export type WaitConfig = z.infer<typeof WaitConfig>;

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7];

function describeWeekdays(days: readonly number[]): string {
  const set = new Set(days);
  if (set.size === 0 || set.size === 7) return "";
  if (set.size === 5 && [1, 2, 3, 4, 5].every((d) => set.has(d))) return " on weekdays";
  if (set.size === 2 && set.has(6) && set.has(7)) return " on weekends";
  return ` on ${[...set]
    .sort((a, b) => a - b)
    .map((d) => WEEKDAY_NAMES[d - 1] ?? "?")
    .join(", ")}`;
}

function summarize(config: WaitConfig): string {
  switch (config.mode) {
    case "duration":
      return `Wait ${describeDuration(config)}`;
    case "until_time":
      return `Wait until ${config.time}${describeWeekdays(config.weekdays)}`;
    case "until_date_property": {
      const what = `${config.source === "trigger" ? "trigger." : ""}${config.property || "(date)"}`;
      const n = Math.abs(config.offsetDays);
      const shift =
        config.offsetDays === 0
          ? ""
          : `${n} ${n === 1 ? "day" : "days"} ${config.offsetDays < 0 ? "before" : "after"} `;
      return `Wait until ${shift}${what} at ${config.time}`;
    }
    case "replenishment":
      return config.shippingDays > 0
        ? `Wait until the order runs out (${config.shippingDays} ${config.shippingDays === 1 ? "day" : "days"} early for shipping)`
        : "Wait until the order runs out";
  }
}

function validateWait(config: WaitConfig): Issue[] {
  const clock = (time: string) =>
    parseClock(time) ? [] : [issue("invalid_value", "Enter the time as HH:MM (24-hour), e.g. 09:00.")];
  switch (config.mode) {
    case "duration":
      return config.amount < 1 ? [issue("invalid_value", "Enter how long to wait (at least 1).")] : [];
    case "until_time":
      return [
        ...clock(config.time),
        ...(config.weekdays.length === 0 ? [issue("missing_field", "Pick at least one weekday.")] : []),
      ];
    case "until_date_property":
      return [
        ...(config.property.trim() === ""
          ? [issue("missing_field", "Choose the date property to wait for.")]
          : []),
        ...clock(config.time),
      ];
    case "replenishment":
      return [
        ...(config.quantityProperty.trim() === "" || config.daysPerUnitProperty.trim() === ""
          ? [
              issue(
                "missing_field",
                "Name the order properties that hold the quantity and the days one unit lasts.",
              ),
            ]
          : []),
        ...clock(config.time),
      ];
  }
}

/** When the wait ends, or null with a note when it cannot be computed (the contact moves on). */
export function wakeTime(
  config: WaitConfig,
  ctx: Pick<StepContext<WaitConfig>, "now" | "zone" | "contact" | "trigger">,
): { at: number } | { at: null; note: string } {
  const { now, zone } = ctx;
  switch (config.mode) {
    case "duration":
      return { at: addDuration(now, config, zone) };
    case "until_time": {
      const clock = parseClock(config.time);
      if (!clock) return { at: null, note: "invalid time" };
      return { at: nextLocalTime(now, clock, config.weekdays.length ? config.weekdays : ALL_WEEK, zone) };
    }
    case "until_date_property": {
      const clock = parseClock(config.time);
      if (!clock) return { at: null, note: "invalid time" };
      const date: CalendarDate | null =
        config.source === "contact"
          ? contactDateProperty(ctx.contact, config.property, zone)
          : parseCalendarDate(getPath(ctx.trigger.properties, config.property), zone);
      if (!date) return { at: null, note: `${config.property} not set` };
      return {
        at: dateOccurrence(date, { offsetDays: config.offsetDays, clock, yearly: config.yearly }, now, zone),
      };
    }
    case "replenishment": {
      const clock = parseClock(config.time);
      if (!clock) return { at: null, note: "invalid time" };
      const quantity = toNumber(getPath(ctx.trigger.properties, config.quantityProperty));
      const perUnit = toNumber(getPath(ctx.trigger.properties, config.daysPerUnitProperty));
      const days =
        quantity !== undefined && perUnit !== undefined && quantity > 0 && perUnit > 0
          ? Math.max(0, Math.round(quantity * perUnit) - config.shippingDays)
          : config.fallbackDays;
      const ordered = localParts(ctx.trigger.occurredAt, zone);
      return { at: localInstant(addDays(ordered, days), clock, zone) };
    }
  }
}

function step(ctx: StepContext<WaitConfig>): StepResult {
  const { resumed, now } = ctx;
  if (resumed) {
    if (resumed.until === null || now >= resumed.until) return next(resumed.then ?? "next");
    return { type: "wait", reason: "delay", until: resumed.until, then: resumed.then };
  }
  // Durations and times of day count from the journey's event time, not from when a worker
  // got here; dates (birthdays, run-out days) are fixed and only need `now`.
  const relative = ctx.config.mode === "duration" || ctx.config.mode === "until_time";
  let wake = wakeTime(ctx.config, { ...ctx, now: relative ? ctx.at : now });
  if (wake.at === null) return { type: "next", handle: "next", note: `${wake.note}; continued` };
  if (wake.at <= now) {
    // Already past. Before any wait has run (the trigger arrived late) the contact goes on
    // now. Later in the journey (the step before ran far behind: an outage, a retried
    // enrollment) the wait counts from now instead, so two messages never go out back to back.
    if (!relative || ctx.at <= ctx.trigger.occurredAt) return { type: "next", handle: "next", at: now };
    wake = wakeTime(ctx.config, ctx);
    if (wake.at === null || wake.at <= now) return { type: "next", handle: "next", at: now };
  }
  return { type: "wait", reason: "delay", until: wake.at, then: "next" };
}

export const wait = defineNode({
  kind: "wait",
  traits: { waits: true, branches: false, channel: null, palette: { group: "Timing", order: 1 } },
  label: "Wait",
  description: "Hold the contact for a while, until a time of day, or until a date.",
  configSchema: WaitConfig,
  outputs: () => ["next"],
  outputLabel: () => "Next",
  summary: summarize,
  validate: (config) => validateWait(config),
  step,
  defaultConfig: (): WaitConfig => ({ mode: "duration", amount: 1, unit: "days" }),
  eventNames: () => [],
});
