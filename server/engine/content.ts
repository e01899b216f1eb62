/**
 * Checks on message content. Merge fields (`{{ first_name | default: "there" }}`) are
 * rendered later by the channel code; here we only make sure they are well formed.
 */
import { catalogMergeIssues } from "./catalog";
import { issue, type Issue } from "./issues";
import type { ValidateContext } from "./nodes/define";

/** Problems with `{{ … }}` / `{% … %}` pairs in one text field. */
export function mergeFieldIssues(text: string, field: string): Issue[] {
  const issues: Issue[] = [];
  for (const [open, close] of [
    ["{{", "}}"],
    ["{%", "%}"],
  ] as const) {
    let at = 0;
    for (;;) {
      const start = text.indexOf(open, at);
      if (start === -1) break;
      const end = text.indexOf(close, start + open.length);
      const nextOpen = text.indexOf(open, start + open.length);
      if (end === -1 || (nextOpen !== -1 && nextOpen < end)) {
        issues.push(
          issue(
            "invalid_merge_field",
            `${field}: a merge field opened with “${open}” is never closed with “${close}”.`,
          ),
        );
        break;
      }
      if (text.slice(start + open.length, end).trim() === "") {
        issues.push(issue("invalid_merge_field", `${field}: a merge field “${open} ${close}” is empty.`));
      }
      at = end + close.length;
    }
  }
  return issues;
}

/**
 * Problems with the merge fields of a step's text fields (label → text): well-formed first,
 * then, with a catalog, known fields and filters that this flow's trigger can fill.
 */
export function textFieldIssues(
  fields: ReadonlyArray<readonly [string, string | undefined]>,
  ctx: Pick<ValidateContext, "catalog" | "availableFields">,
  extraFields: readonly string[] = [],
): Issue[] {
  const issues: Issue[] = [];
  const available = new Set([...(ctx.availableFields ?? []), ...extraFields]);
  for (const [field, text] of fields) {
    if (!text) continue;
    const syntax = mergeFieldIssues(text, field);
    issues.push(...syntax);
    if (syntax.length === 0 && ctx.catalog)
      issues.push(...catalogMergeIssues(text, field, ctx.catalog, available));
  }
  return issues;
}

/** An absolute http(s) link, or one built from a merge field (`{{ checkout_url }}`). */
export function isLinkLike(url: string): boolean {
  const t = url.trim();
  if (t.startsWith("{{")) return true;
  return /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(t);
}

export function isHttpsUrl(url: string): boolean {
  return /^https:\/\/[^\s/$.?#][^\s]*$/i.test(url.trim());
}

export function blank(text: string | undefined | null): boolean {
  return text === undefined || text === null || text.trim() === "";
}

/** Shortens text for a card: first line, at most `max` characters. */
export function excerpt(text: string, max = 40): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** Merge fields shown compactly on a card: `{{ first_name | default: "Hey" }}` → `{first_name}`. */
export function compactMergeFields(text: string): string {
  return text.replace(
    /\{\{\s*([^}|]*?)\s*(\|[^}]*)?\}\}/g,
    (_match, name: string) => `{${name.trim() || "…"}}`,
  );
}
