/** Words and numbers for the Test panel: virtual times relative to the trigger, and JSON editing. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A virtual time as an offset from the trigger, the way a marketer reads a flow: "+0 min",
 * "+45 min", "+1 h", "+25 h 30 min", and whole days beyond a week ("+9 d 2 h").
 */
export function relativeTime(at: number, start: number): string {
  const diff = at - start;
  const sign = diff < 0 ? "−" : "+";
  const ms = Math.abs(diff);
  if (ms < HOUR) return `${sign}${Math.round(ms / MINUTE)} min`;
  if (ms < 7 * DAY) {
    const h = Math.floor(ms / HOUR);
    const m = Math.round((ms - h * HOUR) / MINUTE);
    return m === 0 ? `${sign}${h} h` : m === 60 ? `${sign}${h + 1} h` : `${sign}${h} h ${m} min`;
  }
  const d = Math.floor(ms / DAY);
  const h = Math.round((ms - d * DAY) / HOUR);
  return h === 0 ? `${sign}${d} d` : h === 24 ? `${sign}${d + 1} d` : `${sign}${d} d ${h} h`;
}

/** Parses the properties box: a JSON object, or a sentence saying what is wrong. */
export function parseProperties(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "Properties are not valid JSON" };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return { ok: false, error: 'Properties are a JSON object, like {"value": 42}' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** `<input type="datetime-local">` value for an instant, in the browser's time zone, and back. */
export function toLocalInput(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const at = new Date(value).getTime();
  return Number.isFinite(at) ? at : null;
}

/** The order an "places an order" step starts from: the trigger's own ids the goal matches on, and its value. */
export function orderPropertiesFor(
  trigger: Record<string, unknown>,
  matchTriggerProperty: string | null | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [matchTriggerProperty, "cart_id", "checkout_id"])
    if (key && trigger[key] !== undefined) out[key] = trigger[key];
  if (typeof trigger.value === "number") out.value = trigger.value;
  if (typeof trigger.currency === "string") out.currency = trigger.currency;
  return out;
}
