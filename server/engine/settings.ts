/** Flow-wide settings (the `settings` object of the graph JSON), all with sane defaults. */
import { z } from "zod";
import { Predicate } from "./predicate";

export const Goal = z.strictObject({
  /** The conversion event, e.g. `Placed Order`. */
  event: z.string(),
  /** Only events matching this count (e.g. `value > 0`); evaluated with the event as `event`. */
  filter: Predicate.nullable().default(null),
  /**
   * Scopes the goal to the trigger ("this cart is ordered": `cart_id`): a goal event whose
   * property names another value does not count. An event (or trigger) without the property
   * still counts, since nothing says it is about something else.
   */
  matchTriggerProperty: z.string().nullable().optional(),
});
export type Goal = z.infer<typeof Goal>;

export const ReentryMode = z.enum(["once", "every_time", "once_per_period"]);
export type ReentryMode = z.infer<typeof ReentryMode>;

export const Reentry = z.strictObject({
  mode: ReentryMode,
  /** For `once_per_period`: a contact may enter again this many days after their last entry. */
  periodDays: z.number().int().min(1).max(3650).optional(),
});
export type Reentry = z.infer<typeof Reentry>;

export const QuietHoursSetting = z.strictObject({
  enabled: z.boolean(),
  /** "HH:MM", contact-local. */
  start: z.string(),
  end: z.string(),
});
export type QuietHoursSetting = z.infer<typeof QuietHoursSetting>;

export const FlowSettings = z.strictObject({
  /** Reaching the goal exits the contact and records a conversion. Templates pick `Placed Order`. */
  goal: Goal.nullable().default(null),
  /** Checked before every step; a contact who stops matching exits (counted). */
  filter: Predicate.nullable().default(null),
  reentry: Reentry.default({ mode: "every_time" }),
  /**
   * A trigger-property path (e.g. `cart_id`). When set, one contact may be in the flow
   * several times at once, once per distinct value; otherwise one active enrollment each.
   */
  entryKey: z.string().nullable().default(null),
  /** Skip a marketing message if the contact got one on that channel within this many hours (0 = off). */
  smartSendingHours: z.number().int().min(0).max(168).default(16),
  /** SMS and push marketing wait for the window's end, contact-local. */
  quietHours: QuietHoursSetting.default({ enabled: true, start: "21:00", end: "08:00" }),
  /** Days after a message during which an order is credited to it (email). */
  attributionDays: z.number().int().min(0).max(90).default(5),
});
export type FlowSettings = z.infer<typeof FlowSettings>;

export function defaultSettings(): FlowSettings {
  return FlowSettings.parse({});
}
