/**
 * Checks free-form JSON (event properties, contact traits) for what Postgres cannot store or
 * should not be asked to: NUL characters, unpaired UTF-16 surrogates, and very deep nesting.
 */
import { isStorableText, UNSTORABLE_TEXT } from "@/server/engine/input";

export interface JsonProblem {
  path: Array<string | number>;
  message: string;
}

export const MAX_JSON_DEPTH = 16;

export { isStorableText, UNSTORABLE_TEXT };

/** The first problem in each branch of a JSON value, with its path relative to the value. */
export function jsonProblems(
  value: unknown,
  path: Array<string | number> = [],
  depth = 0,
  out: JsonProblem[] = [],
): JsonProblem[] {
  if (out.length >= 20) return out;
  if (typeof value === "string") {
    if (!isStorableText(value)) out.push({ path, message: UNSTORABLE_TEXT });
    return out;
  }
  if (value === null || typeof value !== "object") return out;
  if (depth >= MAX_JSON_DEPTH) {
    out.push({ path, message: `Nested deeper than ${MAX_JSON_DEPTH} levels` });
    return out;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => jsonProblems(item, [...path, i], depth + 1, out));
    return out;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isStorableText(key))
      out.push({ path: [...path, key], message: `Key ${UNSTORABLE_TEXT.toLowerCase()}` });
    else jsonProblems(item, [...path, key], depth + 1, out);
  }
  return out;
}
