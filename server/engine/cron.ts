/**
 * The simple cron form a schedule trigger accepts: five fields, "minute hour day-of-month
 * month day-of-week", each `*`, a number, a range `a-b`, a step `*\/n` or `a-b/n`, or a
 * comma list of those. Day-of-week 0 and 7 are Sunday. As in classic cron, when both
 * day fields are restricted a day matches either.
 */
import { DateTime } from "luxon";
import { localInstant, resolveZone } from "./time";

export type CronSpec = {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: Set<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
};

function parseField(text: string, min: number, max: number): number[] | null {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part.trim());
    if (!match) return null;
    const step = match[4] === undefined ? 1 : Number(match[4]);
    let from: number;
    let to: number;
    if (match[1] === "*") {
      from = min;
      to = max;
    } else {
      from = Number(match[2]);
      to = match[3] === undefined ? (match[4] === undefined ? from : max) : Number(match[3]);
    }
    if (step < 1 || from < min || to > max || from > to) return null;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values.size === 0 ? null : [...values].sort((a, b) => a - b);
}

export function parseCron(expression: string): CronSpec | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [m, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const minutes = parseField(m, 0, 59);
  const hours = parseField(h, 0, 23);
  const daysOfMonth = parseField(dom, 1, 31);
  const months = parseField(mon, 1, 12);
  const weekdays = parseField(dow, 0, 7);
  if (!minutes || !hours || !daysOfMonth || !months || !weekdays) return null;
  return {
    minutes,
    hours,
    daysOfMonth: new Set(daysOfMonth),
    months: new Set(months),
    weekdays: new Set(weekdays.map((d) => (d === 0 ? 7 : d))),
    domRestricted: dom.trim() !== "*",
    dowRestricted: dow.trim() !== "*",
  };
}

function dayMatches(spec: CronSpec, day: DateTime): boolean {
  if (!spec.months.has(day.month)) return false;
  const dom = spec.daysOfMonth.has(day.day);
  const dow = spec.weekdays.has(day.weekday);
  if (spec.domRestricted && spec.dowRestricted) return dom || dow;
  if (spec.domRestricted) return dom;
  if (spec.dowRestricted) return dow;
  return true;
}

/** Five years covers every valid expression, 29 February included. */
const SEARCH_DAYS = 5 * 366 + 1;

/** The first time after `from` (wall clock in `zone`) the expression fires, or null if never. */
export function nextCronTime(spec: CronSpec, from: number, zone: string): number | null {
  const local = DateTime.fromMillis(from, { zone: resolveZone(zone) });
  const start = local.startOf("day");
  for (let offset = 0; offset <= SEARCH_DAYS; offset++) {
    const day = start.plus({ days: offset });
    if (!dayMatches(spec, day)) continue;
    for (const hour of spec.hours) {
      // Hours well before now cannot be next (one hour of slack covers a DST change).
      if (offset === 0 && hour < local.hour - 1) continue;
      for (const minute of spec.minutes) {
        const at = localInstant({ year: day.year, month: day.month, day: day.day }, { hour, minute }, zone);
        if (at > from) return at;
      }
    }
  }
  return null;
}
