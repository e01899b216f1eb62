/**
 * Input primitives every schema at the edge builds on (tRPC inputs, the ingest API, push
 * subscriptions, path segments): text Postgres can store, integers that fit their column,
 * and calendar days Postgres and JavaScript agree on. Pure: zod only.
 */
import { z } from "zod";

// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether Postgres can store the string in a text or jsonb column: no NUL, no unpaired surrogate. */
export function isStorableText(value: string): boolean {
  return !NUL.test(value) && !LONE_SURROGATE.test(value);
}

export const UNSTORABLE_TEXT = "Contains a NUL character or an unpaired surrogate";

/** A string Postgres can store; chain `.trim()`, `.min()`, `.max()` after it as on `z.string()`. */
export const storableString = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).refine(isStorableText, UNSTORABLE_TEXT);

/** A string Postgres can store, at most `max` characters long. */
export const text = (max: number) => storableString().max(max, `At most ${max} characters`);

/** Largest value of a Postgres `integer` column. */
export const INT32_MAX = 2 ** 31 - 1;

/** A whole number that fits a Postgres `integer` column. */
export const int32 = () =>
  z
    .number("Give a number")
    .int("Give a whole number")
    .min(-INT32_MAX - 1, "Too small")
    .max(INT32_MAX, "Too large");

/** Earliest and latest calendar day a report or range may name. */
export const FIRST_DAY = "1970-01-01";
export const LAST_DAY = "2199-12-31";

/** A calendar day `YYYY-MM-DD` from 1970 to 2199, so every range derived from it stays storable. */
export const Day = z.iso
  .date("Use a date like 2026-11-23")
  .refine((d) => d >= FIRST_DAY && d <= LAST_DAY, "Use a date between 1970 and 2199");

export interface InputProblem {
  path: Array<string | number>;
  message: string;
}

/** Deepest nesting accepted in free-form input (drafts, previews). */
export const MAX_INPUT_DEPTH = 64;

/**
 * The first thing in an input value that no column can hold: a string or key with NUL or a
 * lone surrogate, or nesting deeper than `maxDepth`. Walks with its own stack, so a hostile
 * 100,000-deep value cannot overflow the call stack.
 */
export function firstUnstorable(value: unknown, maxDepth = MAX_INPUT_DEPTH): InputProblem | null {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (!isStorableText(v)) return { path, message: UNSTORABLE_TEXT };
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (path.length >= maxDepth) return { path, message: `Nested deeper than ${maxDepth} levels` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
      continue;
    }
    if (v instanceof Date) continue;
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      if (!isStorableText(key))
        return { path: [...path, key], message: `Key ${UNSTORABLE_TEXT.toLowerCase()}` };
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return null;
}

/**
 * The exact byte length of `JSON.stringify(value)` in UTF-8, computed without recursion;
 * stops counting (returns a number above `limit`) as soon as it passes `limit`.
 */
export function jsonByteLength(value: unknown, limit = Infinity): number {
  let size = 0;
  const stack: unknown[] = [value];
  const utf8 = new TextEncoder();
  const bytes = (s: string) => utf8.encode(s).byteLength;
  while (stack.length > 0 && size <= limit) {
    const v = stack.pop();
    if (v === null || typeof v !== "object" || typeof (v as { toJSON?: unknown }).toJSON === "function") {
      size += bytes(JSON.stringify(v) ?? "null");
      continue;
    }
    if (Array.isArray(v)) {
      size += 2 + Math.max(0, v.length - 1);
      for (let i = v.length - 1; i >= 0; i--) {
        const item: unknown = v[i];
        stack.push(item === undefined || typeof item === "function" ? null : item);
      }
      continue;
    }
    const entries = Object.entries(v).filter(([, item]) => item !== undefined && typeof item !== "function");
    size += 2 + Math.max(0, entries.length - 1);
    for (const [key, item] of entries) {
      size += bytes(JSON.stringify(key)) + 1;
      stack.push(item);
    }
  }
  return size;
}
