/**
 * Keyset pagination's cursors: a page ends at a row, and the next page starts right after
 * that row's sort key, whatever was inserted or deleted meanwhile (no OFFSET, so no page
 * re-reads the rows before it and no row is skipped or shown twice). A cursor is opaque to
 * the UI: base64url of `[list, ...sort key values]`. The list name keeps one list's cursor
 * from being read by another; a cursor that does not decode to the list's key is refused as
 * a bad `cursor` field.
 */
import { z } from "zod";

export type CursorValue = string | number | null;

export function encodeCursor(list: string, key: CursorValue[]): string {
  return Buffer.from(JSON.stringify([list, ...key]), "utf8").toString("base64url");
}

export const BAD_CURSOR = "Not a page of this list; start again from the first page";

/** The values a cursor carries, or null when it is not one of `list`'s cursors. */
export function decodeCursor<T extends z.ZodType>(list: string, key: T, cursor: string): z.infer<T> | null {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed[0] !== list) return null;
  const values = key.safeParse(parsed.slice(1));
  return values.success ? values.data : null;
}

/** A tRPC input field holding one of `list`'s cursors, decoded; anything else is a BAD_REQUEST on that field. */
export function cursorField<T extends z.ZodType>(list: string, key: T) {
  return z.string().transform((cursor, ctx): z.infer<T> => {
    const values = decodeCursor(list, key, cursor);
    if (values === null) {
      ctx.issues.push({ code: "custom", message: BAD_CURSOR, input: cursor });
      return z.NEVER;
    }
    return values;
  });
}

/** A timestamp as Postgres prints it (microseconds and offset), so a cursor compares exactly. */
export const TimestampKey = z
  .string()
  .regex(/^\d{4,}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:\d\d){0,2}|Z)?$/);
export const UuidKey = z.uuid();
