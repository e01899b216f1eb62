/**
 * Time maths for waits, quiet hours and date-property occurrences. Everything takes the
 * clock as an argument (epoch ms) and works in a named IANA zone through luxon, so wall
 * clock times stay right across daylight-saving changes.
 */
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { getPath, toNumber } from "./json";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const DurationUnit = z.enum(["minutes", "hours", "days", "weeks"]);
export type DurationUnit = z.infer<typeof DurationUnit>;

export const Duration = z.strictObject({
  amount: z.number().int().min(0).max(100_000),
  unit: DurationUnit,
});
export type Duration = z.infer<typeof Duration>;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const Weekday = z.number().int().min(1).max(7);
export type Weekday = z.infer<typeof Weekday>;

export const WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

export type Clock = { hour: number; minute: number };
export type CalendarDate = { year: number; month: number; day: number };

const UNIT_SINGULAR: Record<DurationUnit, string> = {
  minutes: "minute",
  hours: "hour",
  days: "day",
  weeks: "week",
};

/** "1 day", "3 hours". */
export function describeDuration(duration: Duration): string {
  const unit = UNIT_SINGULAR[duration.unit];
  return `${duration.amount} ${duration.amount === 1 ? unit : `${unit}s`}`;
}

export function isValidZone(zone: unknown): zone is string {
  // `create` keeps one zone per name (luxon's own cache), so the check is not a new
  // Intl.DateTimeFormat on every step: the forecast resolves a zone millions of times.
  return typeof zone === "string" && zone !== "" && IANAZone.create(zone).isValid;
}

/** The first valid IANA zone among the candidates (contact, then workspace), else UTC. */
export function resolveZone(...candidates: ReadonlyArray<string | null | undefined>): string {
  for (const zone of candidates) if (isValidZone(zone)) return zone;
  return "UTC";
}

/** Parses "HH:MM" (24-hour clock). */
export function parseClock(text: string): Clock | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) return null;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export function isClock(text: string): boolean {
  return parseClock(text) !== null;
}

/**
 * The instant of a wall-clock time on a calendar day in a zone. A time that does not exist
 * (the hour skipped when clocks spring forward) moves forward by the size of the gap.
 */
/**
 * The instant a wall-clock time happens in a zone. A time skipped by a spring-forward change
 * moves forward with the clock; a time that happens twice (fall back) is its first occurrence.
 */
export function localInstant(date: CalendarDate, clock: Clock, zone: string): number {
  const dt = DateTime.fromObject(
    { ...date, hour: clock.hour, minute: clock.minute },
    { zone: zoneObject(zone) },
  );
  return Math.min(...dt.getPossibleOffsets().map((d) => d.toMillis()), dt.toMillis());
}

const QUARTER_HOUR = 15 * MINUTE;

/**
 * An IANA zone that remembers its UTC offsets per quarter of an hour. Offsets change only at
 * a zone's transitions, and every transition since the 1970s falls on a quarter hour, so a
 * quarter whose two ends have the same offset has it throughout; a quarter that straddles a
 * transition (or an odd historical offset) is asked of Intl every time. Asking Intl is what
 * a wait or quiet-hours check costs (the forecast asks millions of times).
 */
class RememberingZone extends IANAZone {
  static readonly #byName = new Map<string, RememberingZone>();
  readonly #offsets = new Map<number, number>();

  static of(name: string): RememberingZone {
    let zone = RememberingZone.#byName.get(name);
    if (!zone) RememberingZone.#byName.set(name, (zone = new RememberingZone(name)));
    return zone;
  }

  override offset(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_HOUR);
    const known = this.#offsets.get(quarter);
    if (known !== undefined) return known;
    const start = super.offset(quarter * QUARTER_HOUR);
    if (super.offset(quarter * QUARTER_HOUR + QUARTER_HOUR - 1) !== start) return super.offset(ts);
    // Bounded: a long-running process does not grow it without end.
    if (this.#offsets.size >= 100_000) this.#offsets.clear();
    this.#offsets.set(quarter, start);
    return start;
  }
}

/** The zone object luxon computes with (its offsets remembered). */
function zoneObject(zone: string): RememberingZone {
  return RememberingZone.of(resolveZone(zone));
}

function localDate(at: number, zone: string): DateTime {
  return DateTime.fromMillis(at, { zone: zoneObject(zone) });
}

/** Calendar arithmetic on dates, independent of zones. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = DateTime.fromObject(date, { zone: "UTC" }).plus({ days });
  return { year: d.year, month: d.month, day: d.day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return DateTime.fromObject({ year, month, day: 1 }, { zone: "UTC" }).daysInMonth ?? 31;
}

/**
 * Adds a duration. Minutes and hours are elapsed time; days and weeks are calendar days
 * in the zone, so "wait 1 day" from 10:00 lands at 10:00 the next day even across a
 * daylight-saving change.
 */
export function addDuration(from: number, duration: Duration, zone: string): number {
  switch (duration.unit) {
    case "minutes":
      return from + duration.amount * MINUTE;
    case "hours":
      return from + duration.amount * HOUR;
    case "days":
      return plusLocalDays(from, duration.amount, zone);
    case "weeks":
      return plusLocalDays(from, duration.amount * 7, zone);
  }
}

/**
 * `days` calendar days later on the zone's wall clock: luxon's `plus({ days })` (the same
 * wall-clock time `days` later, moved by the gap when it falls in a spring-forward hour, its
 * first occurrence when it happens twice) without building a DateTime.
 */
function plusLocalDays(from: number, days: number, zone: string): number {
  const tz = zoneObject(zone);
  const before = tz.offset(from);
  const local = from + before * MINUTE + days * DAY;
  // Luxon's fixOffset: guess with the old offset, correct once, settle on the earlier reading.
  let guess = local - before * MINUTE;
  const o2 = tz.offset(guess);
  if (o2 === before) return guess;
  guess -= (o2 - before) * MINUTE;
  const o3 = tz.offset(guess);
  if (o3 === o2) return guess;
  return local - Math.min(o2, o3) * MINUTE;
}

/**
 * The next time the wall clock in `zone` shows `clock` on one of `weekdays` (ISO, empty
 * means every day), at or after `from` (strictly after when `inclusive` is false).
 */
export function nextLocalTime(
  from: number,
  clock: Clock,
  weekdays: readonly number[],
  zone: string,
  inclusive = true,
): number {
  const start = localDate(from, zone);
  const allowed = weekdays.length === 0 ? null : new Set(weekdays);
  for (let offset = 0; offset <= 8; offset++) {
    const day = start.plus({ days: offset });
    if (allowed && !allowed.has(day.weekday)) continue;
    const at = localInstant({ year: day.year, month: day.month, day: day.day }, clock, zone);
    if (inclusive ? at >= from : at > from) return at;
  }
  // Unreachable with at least one allowed weekday; keep a safe answer anyway.
  return from + DAY;
}

export type QuietHours = { enabled: boolean; start: string; end: string };

/**
 * When `at` falls inside the quiet-hours window (contact-local wall clock, the window may
 * wrap midnight: 21:00–08:00), the instant the window ends; otherwise null.
 */
export function quietHoursEnd(at: number, window: QuietHours, zone: string): number | null {
  if (!window.enabled) return null;
  const start = parseClock(window.start);
  const end = parseClock(window.end);
  if (!start || !end) return null;
  const startMin = start.hour * 60 + start.minute;
  const endMin = end.hour * 60 + end.minute;
  if (startMin === endMin) return null;
  // The wall clock's minute of the day, from the zone's offset at `at`.
  const local = at + zoneObject(zone).offset(at) * MINUTE;
  const minutes = Math.floor((((local % DAY) + DAY) % DAY) / MINUTE);
  const inside =
    startMin < endMin ? minutes >= startMin && minutes < endMin : minutes >= startMin || minutes < endMin;
  if (!inside) return null;
  return nextLocalTime(at, end, [], zone, false);
}

/**
 * Reads a calendar date from a property value: "YYYY-MM-DD", an ISO date-time (its
 * date part as written), or epoch milliseconds (the date in `zone`).
 */
export function parseCalendarDate(value: unknown, zone = "UTC"): CalendarDate | null {
  if (typeof value === "string") {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
    if (!match) return null;
    const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
    return DateTime.fromObject(date, { zone: "UTC" }).isValid ? date : null;
  }
  const ms = toNumber(value);
  if (typeof value === "number" && ms !== undefined) {
    const d = localDate(ms, zone);
    return d.isValid ? { year: d.year, month: d.month, day: d.day } : null;
  }
  return null;
}

/** The date's anniversary in `year`; 29 February falls on 28 February in other years. */
export function anniversary(date: CalendarDate, year: number): CalendarDate {
  if (date.month === 2 && date.day === 29 && !isLeapYear(year)) return { year, month: 2, day: 28 };
  return { year, month: date.month, day: date.day };
}

export type DateOccurrence = {
  /** Days after the date (negative: before). */
  offsetDays: number;
  clock: Clock;
  /** Every year on the anniversary, rather than once. */
  yearly: boolean;
};

/**
 * The instant of a date ± offset days at a local time. Yearly: the first anniversary-based
 * occurrence at or after `from` (strictly after when `inclusive` is false). Once: the single
 * occurrence, which may lie in the past.
 */
export function dateOccurrence(
  date: CalendarDate,
  rule: DateOccurrence,
  from: number,
  zone: string,
  inclusive = true,
): number {
  const at = (d: CalendarDate) => localInstant(addDays(d, rule.offsetDays), rule.clock, zone);
  if (!rule.yearly) return at(date);
  const year = localDate(from, zone).year;
  const span = Math.ceil(Math.abs(rule.offsetDays) / 365) + 1;
  for (let y = year - span; y <= year + span + 1; y++) {
    const candidate = at(anniversary(date, y));
    if (inclusive ? candidate >= from : candidate > from) return candidate;
  }
  return at(anniversary(date, year + span + 2));
}

/** Reads a date property of a contact (`birthday` or a custom property). */
export function contactDateProperty(
  contact: { birthday: string | null; properties: Record<string, unknown> },
  property: string,
  zone: string,
): CalendarDate | null {
  const key = property.startsWith("properties.") ? property.slice("properties.".length) : property;
  if (key === "birthday" && contact.birthday) return parseCalendarDate(contact.birthday, zone);
  const value = getPath(contact.properties, key);
  return parseCalendarDate(value, zone);
}

/** "YYYY-MM-DDTHH:MM" as wall-clock time (no zone). */
export function parseLocalDateTime(text: string): { date: CalendarDate; clock: Clock } | null {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})$/.exec(text.trim());
  if (!match?.[1] || !match[2]) return null;
  const date = parseCalendarDate(match[1]);
  const clock = parseClock(match[2]);
  return date && clock ? { date, clock } : null;
}

/** Local calendar date and weekday of an instant. */
export function localParts(at: number, zone: string): CalendarDate & Clock & { weekday: number } {
  const d = localDate(at, zone);
  return { year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute, weekday: d.weekday };
}
