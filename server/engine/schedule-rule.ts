/**
 * Schedules as RFC 5545 recurrence rules (the `RRULE` of iCalendar), read by the `rrule`
 * library: "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;BYHOUR=9;BYMINUTE=0" is the fourth Thursday of
 * November at 09:00. A rule is wall-clock time in the schedule's zone (the contact's or the
 * workspace's): occurrences are computed as floating local times and each is then placed in
 * the zone with luxon, so 09:00 stays 09:00 across DST changes (a time that does not exist
 * on a spring-forward day moves to the first instant after the gap).
 *
 * Cron expressions (the older custom form) are converted to rules: one rule, or two when
 * both day fields are restricted (classic cron then fires on either).
 */
import * as rrule from "rrule";
import { localInstant, localParts } from "./time";

// rrule's Node entry is CommonJS whose named exports Node cannot see (worker processes run
// under plain Node); bundlers take its ES build. Take the class from whichever arrived.
const RRule = rrule.RRule ?? (rrule as unknown as { default: typeof rrule }).default.RRule;
type RRule = InstanceType<typeof RRule>;

/** Occurrences are generated from this floating anchor (a Saturday, midnight). */
const ANCHOR = Date.UTC(2000, 0, 1, 0, 0, 0);
/** Enough looks to step past the occurrences a DST overlap can place at or before `now`. */
const MAX_LOOKS = 50;

const floating = (ms: number) => new Date(ms);

/** Parses a rule's text (`RRULE:` prefix optional, no DTSTART); null when it is not a rule. */
export function parseRule(text: string, dtstart = ANCHOR, horizonYears = 40): RRule | null {
  const body = text.trim().replace(/^RRULE:/i, "");
  if (body === "" || /DTSTART|TZID|\n/i.test(body)) return null;
  try {
    const options = RRule.parseString(body);
    if (options.freq === undefined) return null;
    // Searching stops at a horizon, so a rule that never fires ends quickly instead of at year 9999.
    const horizon = dtstart + horizonYears * 366 * 86_400_000;
    const until = options.until ? Math.min(options.until.getTime(), horizon) : horizon;
    const rule = new RRule({ ...options, dtstart: floating(dtstart), until: floating(until), tzid: null });
    if (impossibleDate(rule)) return rule;
    // Fails fast on options rrule accepts but cannot iterate (e.g. BYMONTHDAY=40).
    rule.after(floating(dtstart), true);
    return rule;
  } catch {
    return null;
  }
}

/**
 * The rule ready to iterate from near `localNow`. A rule that names its time of day (and
 * its days, for weekly and coarser) and repeats every period does not depend on where it
 * starts, so it starts two days back (fast); one with an INTERVAL keeps the fixed anchor,
 * where its phase is counted from.
 */
function ruleFrom(text: string, localNow: number): RRule | null {
  const rule = parseRule(text);
  if (!rule) return null;
  if ((rule.options.interval ?? 1) > 1)
    return parseRule(text, ANCHOR, (localNow - ANCHOR) / (366 * 86_400_000) + 10);
  const hour = 3_600_000;
  return parseRule(text, Math.max(ANCHOR, Math.floor(localNow / hour) * hour - 2 * hour), 10);
}

/** What a rule must name so it never leans on the anchor's date or time. */
function missingParts(rule: RRule): string | null {
  const o = rule.origOptions;
  const freq = rule.options.freq;
  const has = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  if (freq <= RRule.DAILY && !has(o.byhour) && freq !== RRule.HOURLY && freq !== RRule.MINUTELY)
    return "say the time of day, e.g. BYHOUR=9;BYMINUTE=0.";
  if (freq !== RRule.MINUTELY && !has(o.byminute)) return "say the minute, e.g. BYMINUTE=0.";
  if (freq === RRule.WEEKLY && !has(o.byweekday)) return "say the weekdays, e.g. BYDAY=MO,TH.";
  if (freq === RRule.MONTHLY && !has(o.bymonthday) && !has(o.byweekday) && !has(o.byyearday))
    return "say the day of the month, e.g. BYMONTHDAY=1 or BYDAY=1MO.";
  if (
    freq === RRule.YEARLY &&
    !has(o.byyearday) &&
    !has(o.byweekno) &&
    (!has(o.bymonth) || (!has(o.bymonthday) && !has(o.byweekday)))
  )
    return "say the month and the day, e.g. BYMONTH=11;BYDAY=4TH.";
  if (has(o.count)) return "COUNT isn't supported; end the rule with UNTIL instead.";
  return null;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A month/day combination no calendar has (30 February, 31 April): rrule would search to
 * the year 9999 for it, so it is caught here first.
 */
function impossibleDate(rule: RRule): boolean {
  const o = rule.origOptions;
  const months = ([] as number[]).concat(o.bymonth ?? []);
  const days = ([] as number[]).concat(o.bymonthday ?? []);
  if (months.length === 0 || days.length === 0) return false;
  return days.every((d) => months.every((m) => Math.abs(d) > (MONTH_DAYS[m - 1] ?? 31)));
}

/** Why a rule cannot be used, in words; null when it is fine. */
export function ruleProblem(text: string): string | null {
  const rule = parseRule(text);
  if (!rule) return "write it as a recurrence rule, e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0.";
  if (impossibleDate(rule)) return "this rule never fires; check its days and months.";
  if (rule.options.freq === RRule.SECONDLY) return "repeat at most every minute.";
  const missing = missingParts(rule);
  if (missing) return missing;
  // Never-firing rules (30 February, a COUNT or UNTIL before it starts): nothing in 40 years.
  const first = rule.after(floating(ANCHOR), true);
  if (!first) return "this rule never fires; check its days and months.";
  return null;
}

/** The rule in words, for the inspector and the card ("every year in November on the 4th Thursday at 9:00"). */
export function describeRule(text: string): string | null {
  if (!parseRule(text)) return null;
  const rule = new RRule({
    ...RRule.parseString(text.trim().replace(/^RRULE:/i, "")),
    dtstart: floating(ANCHOR),
    tzid: null,
  });
  const words = rule.toText();
  const { byhour, byminute } = rule.options;
  const hours = byhour ?? [];
  const minutes = byminute ?? [];
  // rrule's words leave out the minute; say the clock times when there are a few.
  if (hours.length > 0 && hours.length * Math.max(minutes.length, 1) <= 4) {
    const times = hours.flatMap((h) =>
      (minutes.length ? minutes : [0]).map(
        (m) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`,
      ),
    );
    return `${words.replace(/ at [\d, and]+$/, "")} at ${times.join(", ")}`;
  }
  return words;
}

/** The first occurrence of any of the rules strictly after `now`, as wall-clock time in `zone`. */
export function nextRuleTime(rules: readonly string[], now: number, zone: string): number | null {
  let best: number | null = null;
  for (const text of rules) {
    const local = localParts(now, zone);
    const localNow = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
    const rule = ruleFrom(text, localNow);
    if (!rule || impossibleDate(rule)) continue;
    // Floating "now" an hour early, so an occurrence a DST change moves past `now` is seen.
    let cursor = floating(localNow - 3_600_000);
    for (let look = 0; look < MAX_LOOKS; look++) {
      const next = rule.after(cursor, false);
      if (!next) break;
      const at = localInstant(
        { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() },
        { hour: next.getUTCHours(), minute: next.getUTCMinutes() },
        zone,
      );
      if (at > now) {
        if (best === null || at < best) best = at;
        break;
      }
      cursor = next;
    }
  }
  return best;
}

// ---------------------------------------------------------------- cron → rule

function cronField(text: string, min: number, max: number): number[] | null {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part.trim());
    if (!match) return null;
    const step = match[4] === undefined ? 1 : Number(match[4]);
    const from = match[1] === "*" ? min : Number(match[2]);
    const to =
      match[1] === "*"
        ? max
        : match[3] === undefined
          ? match[4] === undefined
            ? from
            : max
          : Number(match[3]);
    if (step < 1 || from < min || to > max || from > to) return null;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values.size === 0 ? null : [...values].sort((a, b) => a - b);
}

const RRULE_DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/**
 * A five-field cron expression ("minute hour day-of-month month day-of-week"; `*`, numbers,
 * ranges, steps, lists; day-of-week 0 and 7 are Sunday) as recurrence rules. Null when the
 * expression is not valid cron.
 */
export function cronToRules(expression: string): string[] | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [m, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const minutes = cronField(m, 0, 59);
  const hours = cronField(h, 0, 23);
  const days = cronField(dom, 1, 31);
  const months = cronField(mon, 1, 12);
  const weekdays = cronField(dow, 0, 7);
  if (!minutes || !hours || !days || !months || !weekdays) return null;
  const base = [`FREQ=DAILY`, `BYHOUR=${hours.join(",")}`, `BYMINUTE=${minutes.join(",")}`];
  if (mon.trim() !== "*") base.push(`BYMONTH=${months.join(",")}`);
  const byDay = `BYDAY=${[...new Set(weekdays.map((d) => RRULE_DAYS[d]))].join(",")}`;
  const byMonthDay = `BYMONTHDAY=${days.join(",")}`;
  const domRestricted = dom.trim() !== "*";
  const dowRestricted = dow.trim() !== "*";
  if (domRestricted && dowRestricted) return [[...base, byMonthDay].join(";"), [...base, byDay].join(";")];
  if (domRestricted) return [[...base, byMonthDay].join(";")];
  if (dowRestricted) return [[...base, byDay].join(";")];
  return [base.join(";")];
}
