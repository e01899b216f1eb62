/**
 * What the message steps may refer to — email template keys, merge fields, merge filters —
 * as plain data handed to the validator, so the engine checks a step's content without
 * importing `emails/` or the merge renderer. `emails/content-catalog.ts` builds the real
 * one; publish and the canvas pass it to `validateGraph`.
 *
 * Merge fields are scanned here with a small reader of `{{ … }}` and `{% … %}`: it knows
 * outputs, filters and their arguments, and the variables `for`, `assign` and `capture`
 * declare. Syntax beyond that is the renderer's business (the preview shows its errors).
 */
import { issue, type Issue } from "./issues";

export type CatalogMergeField = {
  /** `first_name`, `order.order_id`, or a wildcard `event.*`. */
  key: string;
};

export type ContentCatalog = {
  /** Keys of the email templates a step may use. */
  emailTemplates: readonly string[];
  /** Every merge field there is. */
  mergeFields: readonly CatalogMergeField[];
  /** Every filter a merge field may use (`default`, `money`, `upcase`, …). */
  mergeFilters: readonly string[];
  /** The fields a flow can always fill, whatever starts it. */
  baseFields: readonly string[];
  /** Trigger event name → the fields a flow started by it can fill (cart, order, product …). */
  fieldsByTriggerEvent: Readonly<Record<string, readonly string[]>>;
  /**
   * The workspace's coupon pools with the codes they have left; absent when the caller
   * does not know them (then a step's pool is not checked beyond being chosen).
   */
  couponPools?: readonly CatalogCouponPool[];
};

export type CatalogCouponPool = { id: string; name: string; remaining: number };

/** The merge fields a step that draws from a coupon pool can print. */
export const COUPON_POOL_FIELDS = ["coupon.code", "coupon.expires_at"] as const;

/**
 * A message step's coupon pool checked: chosen, existing, and not empty (an empty pool
 * would skip every message, so publish refuses it).
 */
export function couponPoolIssues(
  poolId: string | undefined,
  catalog: ContentCatalog | null | undefined,
): Issue[] {
  if (poolId === undefined) return [];
  if (poolId.trim() === "")
    return [
      issue("missing_field", "Choose the coupon pool this step draws codes from, or turn the coupon off."),
    ];
  const pools = catalog?.couponPools;
  if (!pools) return [];
  const pool = pools.find((p) => p.id === poolId);
  if (!pool)
    return [
      issue(
        "unknown_coupon_pool",
        "The coupon pool this step draws from doesn’t exist in this workspace. Choose a pool under Coupon codes.",
      ),
    ];
  if (pool.remaining <= 0)
    return [
      issue(
        "empty_coupon_pool",
        `Coupon pool “${pool.name}” is empty: every message would be skipped. Upload or generate codes in Settings → Coupons.`,
      ),
    ];
  return [];
}

/** One use of a variable in a text: its path and whether a missing value is handled. */
export type MergeUse = {
  path: string[];
  /** True under a `default` filter, as a filter argument or inside a tag. */
  guarded: boolean;
};

export type MergeScan = { uses: MergeUse[]; filters: string[] };

const LITERALS = new Set(["true", "false", "nil", "null", "empty", "blank"]);
const OPERATORS = new Set([
  "and",
  "or",
  "contains",
  "in",
  "with",
  "as",
  "for",
  "by",
  "cols",
  "limit",
  "offset",
]);
const DECLARING = new Set(["assign", "capture", "increment", "decrement"]);

/** Splits on `sep` outside quotes. */
function splitOutside(text: string, sep: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Variable paths in an expression: `cart.items.size > 0 and first_name` → two paths. */
function pathsIn(expression: string): string[][] {
  const unquoted = expression.replace(/"[^"]*"|'[^']*'/g, " ");
  const paths: string[][] = [];
  const pattern = /(?<![\w.\]-])([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*)(\s*:)?/g;
  for (const m of unquoted.matchAll(pattern)) {
    if (m[2]) continue; // a named argument `key: value`
    const path = m[1]!
      .replace(/\[(\d+)\]/g, ".$1")
      .split(".")
      .filter((s) => s !== "");
    if (path.length === 1 && (LITERALS.has(path[0]!) || OPERATORS.has(path[0]!))) continue;
    paths.push(path);
  }
  return paths;
}

/** The variables and filters one text uses. Unclosed or empty markers are `mergeFieldIssues`' business. */
export function scanMergeFields(text: string): MergeScan {
  const locals = new Set<string>(["forloop", "tablerowloop"]);
  const found: MergeUse[] = [];
  const filters: string[] = [];
  const marker = /\{\{-?([\s\S]*?)-?\}\}|\{%-?([\s\S]*?)-?%\}/g;
  let raw = false;
  const pending: MergeUse[] = [];

  const readExpression = (expression: string, guardedAll: boolean) => {
    const [value = "", ...filterParts] = splitOutside(expression, "|");
    const named = filterParts.map((f) => {
      const colon = f.indexOf(":");
      const name = (colon === -1 ? f : f.slice(0, colon)).trim();
      return { name, args: colon === -1 ? "" : f.slice(colon + 1) };
    });
    for (const f of named) if (f.name) filters.push(f.name);
    const guarded = guardedAll || named.some((f) => f.name === "default");
    for (const path of pathsIn(value)) pending.push({ path, guarded });
    for (const f of named) for (const path of pathsIn(f.args)) pending.push({ path, guarded: true });
  };

  for (const m of text.matchAll(marker)) {
    if (m[2] !== undefined) {
      const body = m[2].trim();
      const name = body.split(/\s+/, 1)[0] ?? "";
      const rest = body.slice(name.length).trim();
      if (name === "raw" || name === "comment") raw = true;
      else if (name === "endraw" || name === "endcomment") raw = false;
      if (raw || name === "raw" || name === "endraw" || name === "#") continue;
      if (name === "for" || name === "tablerow") {
        const loop = /^([A-Za-z_][\w-]*)\s+in\s+([\s\S]*)$/.exec(rest);
        if (loop) {
          locals.add(loop[1]!);
          readExpression(loop[2]!, true);
        }
      } else if (DECLARING.has(name)) {
        const target = /^([A-Za-z_][\w-]*)\s*(?:=\s*([\s\S]*))?$/.exec(rest);
        if (target) {
          locals.add(target[1]!);
          if (target[2]) readExpression(target[2], true);
        }
      } else if (name === "cycle" || name === "echo" || name === "when" || name.startsWith("end")) {
        if (name === "echo") readExpression(rest, false);
        else if (name === "when") readExpression(rest.replace(/,/g, " "), true);
      } else {
        readExpression(rest, true);
      }
    } else if (!raw && m[1] !== undefined) {
      readExpression(m[1], false);
    }
  }
  for (const use of pending) if (!locals.has(use.path[0]!)) found.push(use);
  return { uses: found, filters };
}

/** The field a path reads, the most specific first: `event.name` over `event.*`. */
export function fieldOf(catalog: ContentCatalog, path: readonly string[]): CatalogMergeField | undefined {
  let best: CatalogMergeField | undefined;
  let score = 0;
  for (const f of catalog.mergeFields) {
    const parts = f.key.split(".");
    const wildcard = parts[parts.length - 1] === "*";
    const prefix = wildcard ? parts.slice(0, -1) : parts;
    const fits =
      prefix.every((p, i) => path[i] === p) &&
      (wildcard ? path.length > prefix.length : path.length >= prefix.length);
    if (!fits) continue;
    const s = prefix.length + (wildcard ? 0.5 : 1);
    if (s > score) {
      best = f;
      score = s;
    }
  }
  return best;
}

/** The merge fields a flow started by `eventName` can always fill (null: no trigger event). */
export function fieldsForTrigger(catalog: ContentCatalog, eventName: string | null): ReadonlySet<string> {
  const extra = eventName ? (catalog.fieldsByTriggerEvent[eventName] ?? []) : [];
  return new Set([...catalog.baseFields, ...extra]);
}

/**
 * Merge fields in one text field checked against the catalog: unknown fields and filters,
 * and fields this flow's trigger cannot fill printed without a `default`.
 */
export function catalogMergeIssues(
  text: string,
  field: string,
  catalog: ContentCatalog,
  available: ReadonlySet<string>,
): Issue[] {
  if (!text.includes("{{") && !text.includes("{%")) return [];
  const issues: Issue[] = [];
  const { uses, filters } = scanMergeFields(text);
  const knownFilters = new Set(catalog.mergeFilters);
  for (const name of new Set(filters)) {
    if (!knownFilters.has(name))
      issues.push(
        issue(
          "unknown_merge_filter",
          `${field}: “| ${name}” isn’t a merge filter. Check the spelling (e.g. default, money, upcase).`,
        ),
      );
  }
  const seen = new Set<string>();
  for (const use of uses) {
    const key = use.path.join(".");
    if (seen.has(`${key}|${use.guarded}`)) continue;
    seen.add(`${key}|${use.guarded}`);
    const known = fieldOf(catalog, use.path);
    if (!known) {
      issues.push(
        issue(
          "unknown_merge_field",
          `${field}: “{{ ${key} }}” isn’t a merge field. Check the spelling or pick one from the list.`,
        ),
      );
      continue;
    }
    if (use.guarded) continue;
    const group = known.key.split(".")[0]!;
    if (!available.has(known.key) && !available.has(`${group}.*`)) {
      issues.push(
        issue(
          "unavailable_merge_field",
          `${field}: “{{ ${key} }}” isn’t available for this flow’s trigger. Add a fallback, e.g. {{ ${key} | default: "…" }}, or remove it.`,
        ),
      );
    }
  }
  return issues;
}

/** An email step's template key checked against the catalog. */
export function templateIssues(template: string, catalog: ContentCatalog): Issue[] {
  if (template.trim() === "" || catalog.emailTemplates.includes(template)) return [];
  return [
    issue("unknown_template", `There is no email template “${template}”. Choose one of the templates.`),
  ];
}
