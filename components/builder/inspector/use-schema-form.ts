"use client";
/**
 * Form state for a value with a zod schema (a step's config, the flow settings): edits are
 * parsed with `safeParse`; a valid value is committed at once, an invalid one stays in the
 * form with its field errors shown inline, and the store keeps the last valid value.
 */
import { useState } from "react";
import type { z } from "zod";
import { describeZodIssue } from "@/server/engine/graph";

export type FieldErrors = Readonly<Record<string, string>>;

/** Zod issues by dotted path ("timeout.amount"), in words a marketer reads. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".");
    errors[path] ??= describeZodIssue({ ...issue, path: [] }).replace(/^this /, "This ");
  }
  return errors;
}

export function useSchemaForm<T>(schema: z.ZodType<T>, value: T, commit: (value: T) => void) {
  const [draft, setDraft] = useState<T>(value);
  const [seen, setSeen] = useState<T>(value);
  const [errors, setErrors] = useState<FieldErrors>({});
  // The stored value changed (our own commit, undo, a reload): the form follows it.
  if (seen !== value) {
    setSeen(value);
    setDraft(value);
    setErrors({});
  }

  function change(next: T) {
    setDraft(next);
    const parsed = schema.safeParse(next, { reportInput: true });
    if (parsed.success) {
      setErrors({});
      commit(parsed.data);
    } else {
      setErrors(fieldErrorsOf(parsed.error));
    }
  }

  /** Errors at a path or below it, e.g. `error("branches.0")`. */
  function error(path: string): string | undefined {
    if (errors[path]) return errors[path];
    const prefix = `${path}.`;
    for (const [key, message] of Object.entries(errors)) if (key.startsWith(prefix)) return message;
    return undefined;
  }

  return { draft, change, errors, error };
}
