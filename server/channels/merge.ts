/**
 * Merge fields: `{{ first_name | default: "there" }}`, `{{ cart.items }}`, `{{ shop.name }}` …
 *
 * Rendered with liquidjs, strict about filters (a typo in a filter is an error, not
 * a silent no-op), with no file system (include/render/layout find nothing) and
 * with parse/render/memory limits. Every output goes through one display function
 * that turns missing values into "" (never `undefined`, `null` or `NaN`) and lists
 * into readable text; in `html` mode it is HTML-escaped as well.
 *
 * Email text fields are merged in `text` mode because the React templates escape
 * what they print; `html` mode is for merged strings written straight into HTML.
 */
import { Liquid, Output, type Context, type Template } from "liquidjs";
import {
  absoluteUrl,
  addressLines,
  currencyCode,
  formatMoney,
  fullName,
  readCart,
  readOrder,
  readProducts,
  readTriggerProduct,
  shopUrl,
  str,
  withParams,
} from "@/emails/data";
import { FILE_SYSTEM_TAGS, fileSystemTagMessage } from "@/server/engine/liquid-tags";
import type { EmailContact, EmailContent, EmailWorkspace, Product, TriggerEvent } from "@/emails/types";

export type MergeMode = "html" | "text";
export type MergeContext = Record<string, unknown>;

export class MergeError extends Error {
  override name = "MergeError";
  /**
   * The render ran past its time limit. The limit is wall-clock time, so a process starved of
   * CPU (a loaded machine, a long GC pause) can reach it with any content: worth trying again,
   * never a reason to give a message up at once.
   */
  readonly timedOut: boolean;
  constructor(message: string, options: { timedOut?: boolean } = {}) {
    super(message);
    this.timedOut = options.timedOut ?? false;
  }
}

/** A merge that ran out of its wall-clock time limit (see `MergeError.timedOut`). */
export function isMergeTimeout(error: unknown): boolean {
  return error instanceof MergeError && error.timedOut;
}

// ------------------------------------------------------------------ field list

export {
  MERGE_FIELDS,
  MERGE_FILTERS,
  mergeKeysForTrigger,
  type MergeField,
  type MergeFieldGroup,
} from "@/emails/merge-fields";
import { MERGE_FIELDS, type MergeField } from "@/emails/merge-fields";

// ------------------------------------------------------------------ context

export type MergeInput = {
  workspace: EmailWorkspace;
  contact: EmailContact;
  trigger: TriggerEvent;
  products?: readonly unknown[] | undefined;
  couponCode?: string | undefined;
  /** The code drawn for this message from its step's coupon pool. */
  coupon?: DrawnCouponCode | null | undefined;
};

/** A unique code as the message holds it (`expiresAt` ISO, or null: never expires). */
export type DrawnCouponCode = { code: string; expiresAt: string | null };

const EXPIRY_FORMAT = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** `{{ coupon.code }}`, `{{ coupon.expires_at }}` (a readable date: “December 31, 2026”). */
export function couponMergeValue(coupon: DrawnCouponCode | null | undefined) {
  if (!coupon) return undefined;
  const expires = coupon.expiresAt ? new Date(coupon.expiresAt) : null;
  return {
    code: coupon.code,
    expires_at: expires && !Number.isNaN(expires.getTime()) ? EXPIRY_FORMAT.format(expires) : undefined,
  };
}

function withoutTrailingSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}

/** The values merge fields read, built from the contact, shop and trigger event. */
export function buildMergeContext(input: MergeInput): MergeContext {
  const { workspace, contact, trigger } = input;
  const home = withoutTrailingSlash(shopUrl(workspace));
  const cart = readCart(trigger, workspace);
  const order = readOrder(trigger, workspace);
  const product = readTriggerProduct(trigger, workspace);
  const products: Product[] = readProducts(input.products, workspace);
  const props = trigger.properties && typeof trigger.properties === "object" ? trigger.properties : {};
  const first = str(contact.firstName);
  const last = str(contact.lastName);

  const reviewParams: Record<string, string> = {};
  if (order?.order_id) reviewParams.order_id = order.order_id;
  const reviewedProduct = str(props.product_id) ?? product?.product_id;
  if (reviewedProduct) reviewParams.product_id = reviewedProduct;

  return {
    first_name: first,
    last_name: last,
    full_name: fullName(contact),
    email: str(contact.email),
    shop: {
      name: str(workspace.name) ?? "",
      url: home,
      address: workspace.postalAddress.trim(),
      currency: currencyCode(workspace.currency),
    },
    cart: cart && { ...cart, item_count: cart.items.reduce((n, i) => n + i.quantity, 0) },
    order: order && {
      ...order,
      item_count: order.items.reduce((n, i) => n + i.quantity, 0),
      shipping_address: addressLines(order.shipping_address).join(", ") || undefined,
    },
    product,
    products,
    coupon_code: str(input.couponCode),
    coupon: couponMergeValue(input.coupon),
    review: {
      url: absoluteUrl(props.review_url, workspace.appUrl) ?? withParams(`${home}/reviews/new`, reviewParams),
    },
    referral: {
      url: absoluteUrl(props.referral_url, workspace.appUrl) ?? `${home}/pages/refer`,
      reward_code: str(props.reward_code),
    },
    event: { ...props, name: trigger.name },
  };
}

// ------------------------------------------------------------------ rendering

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&#34;",
  "'": "&#39;",
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function displayListItem(v: unknown): string {
  if (isRecord(v) && typeof v.title === "string") {
    const q = typeof v.quantity === "number" && v.quantity > 1 ? ` × ${v.quantity}` : "";
    return `${v.title}${q}`;
  }
  return display(v);
}

/** How a merged value prints: never `undefined`, `null`, `NaN` or `[object Object]`. */
export function display(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "" : v.toISOString();
  if (Array.isArray(v))
    return v
      .map(displayListItem)
      .filter((s) => s !== "")
      .join(", ");
  if (isRecord(v) && typeof v.title === "string") return v.title;
  return "";
}

function createEngine(mode: MergeMode): Liquid {
  const engine = new Liquid({
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    outputEscape: mode === "html" ? (v: unknown) => escapeHtml(display(v)) : (v: unknown) => display(v),
    // No file system: `include`, `render` and `layout` cannot read anything.
    templates: {},
    timezoneOffset: 0,
    parseLimit: 50_000,
    renderLimit: 500,
    memoryLimit: 10_000_000,
  });
  // Messages are self-contained: a tag that reads another template is a problem the editor
  // reports while writing, not an ENOENT at send time.
  for (const tag of FILE_SYSTEM_TAGS)
    engine.registerTag(tag, {
      parse() {
        throw new Error(fileSystemTagMessage(tag));
      },
      render() {
        return "";
      },
    });
  engine.registerFilter("money", function (this: { context: Context }, value: unknown, currency?: unknown) {
    const amount =
      typeof value === "number"
        ? value
        : typeof value === "string" && value.trim() !== ""
          ? Number(value)
          : NaN;
    if (!Number.isFinite(amount)) return "";
    const fallback = currencyCode(this.context.getSync(["shop", "currency"]));
    return formatMoney(amount, currencyCode(currency, fallback));
  });
  return engine;
}

const engines: Record<MergeMode, Liquid> = { html: createEngine("html"), text: createEngine("text") };

const PARSE_CACHE_LIMIT = 500;
const parsed = new Map<string, Template[]>();

function parse(source: string, mode: MergeMode): Template[] {
  // liquidjs attaches the output escape at parse time: one parse per mode.
  const cacheKey = `${mode}\u0000${source}`;
  const hit = parsed.get(cacheKey);
  if (hit) return hit;
  let templates: Template[];
  try {
    templates = engines[mode].parse(source);
  } catch (err) {
    throw new MergeError(err instanceof Error ? err.message : String(err));
  }
  if (parsed.size >= PARSE_CACHE_LIMIT) {
    const oldest = parsed.keys().next();
    if (!oldest.done) parsed.delete(oldest.value);
  }
  parsed.set(cacheKey, templates);
  return templates;
}

/** Renders one string's merge fields. Throws `MergeError` on a syntax error or a blown limit. */
export function renderMerge(source: string, context: MergeContext, mode: MergeMode = "text"): string {
  if (!source.includes("{{") && !source.includes("{%")) return source;
  const templates = parse(source, mode);
  try {
    const out: unknown = engines[mode].renderSync(templates, context);
    return typeof out === "string" ? out : display(out);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new MergeError(message, { timedOut: /template render limit exceeded/.test(message) });
  }
}

// ------------------------------------------------------------------ checking

export type MergeProblem = {
  /** The content field, e.g. `subject`. */
  field: string;
  /** The merge field as written, e.g. `order.order_id`. */
  key?: string;
  /** `error` blocks publishing; `warning` is shown but allowed. */
  severity: "error" | "warning";
  message: string;
};

/** Content fields that hold settings, not text. */
const NOT_TEXT = new Set(["template", "category", "productSource", "couponPool"]);

type Use = { path: string[]; guarded: boolean };

function uses(engine: Liquid, templates: Template[]): Use[] {
  const out: Use[] = [];
  for (const t of templates) {
    // A top-level output without `default` prints its value as is; anything inside a
    // tag (if/for/unless/case) already copes with a missing value.
    const guarded = !(t instanceof Output) || t.value.filters.some((f) => f.name === "default");
    for (const segments of engine.globalVariableSegmentsSync([t])) {
      const path: string[] = [];
      for (const s of segments) {
        if (typeof s === "string") path.push(s);
        else if (typeof s === "number") path.push(String(s));
        else break;
      }
      if (path.length > 0) out.push({ path, guarded });
    }
  }
  return out;
}

function fieldFor(path: string[]): MergeField | undefined {
  let best: MergeField | undefined;
  let score = 0;
  for (const f of MERGE_FIELDS) {
    const parts = f.key.split(".");
    const wildcard = parts[parts.length - 1] === "*";
    const prefix = wildcard ? parts.slice(0, -1) : parts;
    const fits =
      prefix.every((p, i) => path[i] === p) &&
      (wildcard ? path.length > prefix.length : path.length >= prefix.length);
    if (!fits) continue;
    // A named field beats a wildcard of the same depth: `event.name` over `event.*`.
    const s = prefix.length + (wildcard ? 0.5 : 1);
    if (s > score) {
      best = f;
      score = s;
    }
  }
  return best;
}

function isAvailable(
  field: MergeField,
  available: ReadonlySet<string>,
  content: Record<string, unknown>,
): boolean {
  if (available.has(field.key)) return true;
  const wildcard = `${field.key.split(".")[0]}.*`;
  if (available.has(wildcard)) return true;
  if (field.key.startsWith("coupon.") && typeof content.couponPool === "string")
    return content.couponPool.trim() !== "";
  return (
    field.key === "coupon_code" && typeof content.couponCode === "string" && content.couponCode.trim() !== ""
  );
}

function exampleDefault(field: MergeField): string {
  return field.key === "first_name" ? "there" : "…";
}

/**
 * Problems with the merge fields of a node's content, for the editor and for publish:
 * syntax errors and unknown fields (error), fields the trigger cannot fill and that have
 * no `default` (error), and fields some contacts lack, used without `default` (warning).
 * `coupon_code` counts as available when the content sets a coupon code.
 */
export function checkMergeFields(
  content: Record<string, unknown>,
  availableKeys: readonly string[],
): MergeProblem[] {
  const available = new Set(availableKeys);
  const problems: MergeProblem[] = [];
  const engine = engines.text;
  for (const [field, value] of Object.entries(content)) {
    if (NOT_TEXT.has(field) || typeof value !== "string") continue;
    let templates: Template[];
    try {
      templates = parse(value, "text");
    } catch (err) {
      problems.push({
        field,
        severity: "error",
        message: `Check the merge field syntax: ${(err as Error).message}`,
      });
      continue;
    }
    const seen = new Set<string>();
    for (const use of uses(engine, templates)) {
      const key = use.path.join(".");
      const id = `${key}|${use.guarded}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const known = fieldFor(use.path);
      if (!known) {
        problems.push({
          field,
          key,
          severity: "error",
          message: `“{{ ${key} }}” isn’t a merge field. Check the spelling or pick one from the list.`,
        });
        continue;
      }
      if (use.guarded) continue;
      if (!isAvailable(known, available, content)) {
        problems.push({
          field,
          key,
          severity: "error",
          message: `“{{ ${key} }}” isn’t available for this flow’s trigger. Add a fallback, e.g. {{ ${key} | default: "…" }}, or remove it.`,
        });
      } else if (known.optional) {
        problems.push({
          field,
          key,
          severity: "warning",
          message: `Some contacts have no “${key}”. Add a fallback, e.g. {{ ${key} | default: "${exampleDefault(known)}" }}.`,
        });
      }
    }
  }
  return problems;
}

export type EmptyMergeField = {
  /** The content field, e.g. `subject`. */
  field: string;
  /** The merge field as written, e.g. `first_name`. */
  key: string;
  /** True when the merge field has a `default` (or sits inside a tag): the fallback shows instead. */
  guarded: boolean;
};

/** Reads `path` from a merge context the way liquid does, including `size`, `first` and `last`. */
function lookup(context: MergeContext, path: readonly string[]): unknown {
  let value: unknown = context;
  for (const segment of path) {
    if (Array.isArray(value)) {
      if (segment === "size") value = value.length;
      else if (segment === "first") value = value[0];
      else if (segment === "last") value = value[value.length - 1];
      else value = /^\d+$/.test(segment) ? value[Number(segment)] : undefined;
    } else if (isRecord(value)) {
      value = Object.hasOwn(value, segment)
        ? value[segment]
        : segment === "size"
          ? Object.keys(value).length
          : undefined;
    } else if (typeof value === "string" && segment === "size") {
      value = value.length;
    } else {
      return undefined;
    }
  }
  return value;
}

/**
 * Known merge fields that one contact and event leave empty, for the preview: "this contact
 * has no first name, so the fallback shows". Unknown fields are `checkMergeFields`' business.
 */
export function emptyMergeFields(content: Record<string, unknown>, context: MergeContext): EmptyMergeField[] {
  const out: EmptyMergeField[] = [];
  const engine = engines.text;
  for (const [field, value] of Object.entries(content)) {
    if (NOT_TEXT.has(field) || typeof value !== "string") continue;
    let templates: Template[];
    try {
      templates = parse(value, "text");
    } catch {
      continue;
    }
    const seen = new Set<string>();
    for (const use of uses(engine, templates)) {
      const key = use.path.join(".");
      if (seen.has(key) || !fieldFor(use.path)) continue;
      seen.add(key);
      if (display(lookup(context, use.path)) === "") out.push({ field, key, guarded: use.guarded });
    }
  }
  return out;
}

// ------------------------------------------------------------------ node contents

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/**
 * Merges an email node's content for one contact. The coupon code is merged first so
 * the other fields can print it as `{{ coupon_code }}`. Subject and preheader come
 * back on one line. Merged values are never merged again.
 */
export function mergeEmailContent(
  content: EmailContent,
  input: Omit<MergeInput, "couponCode">,
): EmailContent {
  const coupon = content.couponCode ? oneLine(renderMerge(content.couponCode, buildMergeContext(input))) : "";
  const context = buildMergeContext({ ...input, couponCode: coupon });
  const merged: EmailContent = {
    ...content,
    subject: oneLine(renderMerge(content.subject, context)),
    preheader: oneLine(renderMerge(content.preheader, context)),
    heading: oneLine(renderMerge(content.heading, context)),
    body: renderMerge(content.body, context).trim(),
    buttonText: oneLine(renderMerge(content.buttonText, context)),
    buttonUrl: renderMerge(content.buttonUrl, context).trim(),
  };
  if (coupon) merged.couponCode = coupon;
  else delete merged.couponCode;
  return merged;
}

/**
 * Whether the content's text fields only ever print the merge fields under `roots` as they are
 * (`{{ first_name }}`, `{{ first_name | default: "there" }}`): never through another filter, in
 * a tag's condition or loop, or under a name computed at render time. Such a field's value can
 * be filled into an already rendered design without changing anything else in it.
 */
/** `default`, and the output escape liquidjs appends to every output (named after its function). */
const PRINTS_AS_IS = new Set(["default", Object.prototype.toString.call(() => "")]);

export function printsPlainly(content: Record<string, unknown>, roots: ReadonlySet<string>): boolean {
  const engine = engines.text;
  for (const [field, value] of Object.entries(content)) {
    if (NOT_TEXT.has(field) || typeof value !== "string") continue;
    if (!value.includes("{{") && !value.includes("{%")) continue;
    let templates: Template[];
    try {
      templates = parse(value, "text");
    } catch {
      return false;
    }
    for (const t of templates) {
      const paths = engine.globalVariableSegmentsSync([t]);
      const touches = paths.some((segments) => {
        const root = segments[0];
        return typeof root !== "string" || roots.has(root);
      });
      if (!touches) continue;
      if (!(t instanceof Output) || t.value.filters.some((f) => !PRINTS_AS_IS.has(f.name))) return false;
    }
  }
  return true;
}
