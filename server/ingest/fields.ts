/** Field types shared by the ingest schemas: ids, money, currencies, URLs, dates and zones. */
import { z } from "zod";
import { IANAZone } from "luxon";
import { text } from "@/server/engine/input";

/** A string Postgres can store: no NUL, no unpaired surrogate (the one helper every input schema uses). */
export { text };

/** An id the shop owns (product, order, cart, customer): a string or an integer, stored as a string. */
export const Id = z
  .union([
    text(255).trim().min(1, "Must not be empty"),
    z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  ])
  .transform(String);

export const Money = z.number().min(0, "Must not be negative").max(1e12, "Too large");

export const Currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "A 3-letter ISO 4217 code, e.g. USD")
  .transform((c) => c.toUpperCase());

/** An absolute http(s) URL, or a path on the shop's own site (`/products/x`). */
export const UrlLike = text(2048).refine((v) => {
  if (v.startsWith("/")) return !v.startsWith("//");
  try {
    const url = new URL(v);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}, "An http(s) URL or a path starting with /");

/** Zone names already checked (luxon builds an Intl.DateTimeFormat per check, which is slow). */
const zoneValidity = new Map<string, boolean>();
function isValidZone(zone: string): boolean {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneValidity.size < 10_000) zoneValidity.set(zone, valid);
  }
  return valid;
}

export const TimeZone = z.string().max(64).refine(isValidZone, "An IANA time zone, e.g. Europe/Berlin");

const EARLIEST = Date.UTC(1970, 0, 1);
const FUTURE_SLACK_MS = 24 * 3_600_000;

/** ISO 8601 date-time with a zone, from 1970 to at most a day ahead of the server's clock. */
export const Timestamp = z.iso
  .datetime({ offset: true, message: "An ISO 8601 date-time with a time zone, e.g. 2026-05-01T12:00:00Z" })
  .transform((value) => new Date(value))
  .refine((d) => d.getTime() >= EARLIEST, "Must not be before 1970")
  .refine((d) => d.getTime() <= Date.now() + FUTURE_SLACK_MS, "Must not be more than a day in the future");

/** Calendar date `YYYY-MM-DD` (a date-time is accepted and cut to its date). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:T.*)?$/, "A date, YYYY-MM-DD")
  .transform((v) => v.slice(0, 10))
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return (
      !Number.isNaN(d.getTime()) &&
      d.toISOString().slice(0, 10) === v &&
      d.getUTCFullYear() >= 1900 &&
      d.getTime() <= Date.now()
    );
  }, "A real date between 1900 and today");

export const Email = z
  .string()
  .trim()
  .max(254, "At most 254 characters")
  .pipe(z.email("A valid email address"))
  .transform((e) => e.toLowerCase());

/** A phone number; formatting (spaces, dashes, dots, parentheses) is removed. */
export const Phone = z
  .string()
  .max(40, "At most 40 characters")
  .regex(/^\+?[0-9 ().-]{3,}$/, "A phone number, ideally E.164 (+15551234567)")
  .transform((p) => p.replace(/[^0-9+]/g, ""))
  .refine((p) => /^\+?[0-9]{3,20}$/.test(p), "A phone number, ideally E.164 (+15551234567)");

export const Consent = z.enum(["subscribed", "unsubscribed"], {
  error: 'Either "subscribed" or "unsubscribed"',
});
