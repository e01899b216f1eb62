/**
 * The check every tRPC input passes before its own schema: no string or key a column cannot
 * store (NUL, a lone surrogate) and no nesting deeper than any input needs, anywhere in the
 * value. It covers free-form inputs (a flow draft, a preview's content) as well as the typed
 * ones, so a new procedure is covered without writing anything.
 */
import { TRPCError } from "@trpc/server";
import { firstUnstorable } from "@/server/engine/input";

/** A validation failure in the shape the error formatter reads (`issues` with paths). */
export class InputProblemError extends Error {
  override name = "InputProblemError";
  constructor(readonly issues: Array<{ path: Array<string | number>; message: string }>) {
    super(issues.map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`).join("; "));
  }
}

/** Throws a BAD_REQUEST naming the path when the raw input holds something no column can store. */
export function assertStorableInput(raw: unknown): void {
  const problem = firstUnstorable(raw);
  if (!problem) return;
  const cause = new InputProblemError([problem]);
  throw new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
}
