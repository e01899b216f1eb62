/**
 * The predicate language shared by conditions, trigger filters, the flow filter, the goal
 * filter and segment conditions: a tree of all / any / not over property comparisons and
 * behaviour checks, evaluated against plain facts.
 */
import { z } from "zod";
import {
  Channel,
  CHANNELS,
  Engagement,
  type ContactFacts,
  type EngagementFact,
  type EventFact,
  type TriggerData,
} from "./facts";
import { getPath, toNumber } from "./json";

/** The title of another step of the same flow, by its id (undefined: no such step). */
export type StepNames = (nodeId: string) => string | undefined;
import { DAY } from "./time";

export const Operator = z.enum([
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "contains",
  "exists",
  "not_exists",
  "in",
]);
export type Operator = z.infer<typeof Operator>;

export const CountOperator = z.enum(["eq", "neq", "gt", "gte", "lt", "lte"]);
export type CountOperator = z.infer<typeof CountOperator>;

export const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof Scalar>;

/** Where a property comparison reads from. */
export const PropertySource = z.enum(["contact", "trigger", "event"]);
export type PropertySource = z.infer<typeof PropertySource>;

export const SinceWindow = z.enum(["flow_start", "ever", "last_days"]);
export type SinceWindow = z.infer<typeof SinceWindow>;

/**
 * A comparison's right-hand side taken from the trigger instead of typed in:
 * `event.order_id = trigger.order_id` ("same as the trigger's order_id").
 */
export const Operand = z.strictObject({ source: z.literal("trigger"), path: z.string() });
export type Operand = z.infer<typeof Operand>;

/** The contact-level event that makes a buyer. */
export const ORDER_EVENT = "Placed Order";

type PredicateShape =
  | { type: "all"; conditions: PredicateShape[] }
  | { type: "any"; conditions: PredicateShape[] }
  | { type: "not"; condition: PredicateShape }
  | {
      type: "property";
      source: PropertySource;
      /** `email`, `country`, `tags`, `consent.email`, a custom property (`vip_tier`), or an event property path (`value`, `items.0.sku`). */
      path: string;
      op: Operator;
      value?: Scalar | Scalar[];
      /** When set, compares with this trigger property instead of `value`. */
      valueFrom?: Operand;
    }
  | {
      /** Has the contact done `event` (in a window), optionally where the event matches. */
      type: "has_done";
      event: string;
      since: SinceWindow;
      days?: number;
      where: PredicateShape | null;
    }
  | {
      /** How many times the contact did `event` in the last `days` days (null: ever). */
      type: "event_count";
      event: string;
      days: number | null;
      op: CountOperator;
      count: number;
      where: PredicateShape | null;
    }
  | { /** Exactly one `Placed Order` ever. */ type: "first_time_buyer" }
  | {
      /**
       * Did the contact open / click / … a message: the one a message step of this flow
       * sent in this journey (`step`), or any message they got (`step` null).
       */
      type: "engaged";
      engagement: Engagement;
      /** A message step of this flow; null: any message. */
      step: string | null;
      /** Any message: in the last `days` days; null: since entering this flow. */
      days: number | null;
      /** Any message: only on this channel; null: any channel. */
      channel: Channel | null;
    };

const lazyPredicate = z.lazy((): z.ZodType<PredicateShape> => Predicate);

export const Predicate: z.ZodType<PredicateShape> = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("all"), conditions: z.array(lazyPredicate) }),
  z.strictObject({ type: z.literal("any"), conditions: z.array(lazyPredicate) }),
  z.strictObject({ type: z.literal("not"), condition: lazyPredicate }),
  z.strictObject({
    type: z.literal("property"),
    source: PropertySource,
    path: z.string(),
    op: Operator,
    value: z.union([Scalar, z.array(Scalar)]).optional(),
    valueFrom: Operand.optional(),
  }),
  z.strictObject({
    type: z.literal("has_done"),
    event: z.string(),
    since: SinceWindow,
    days: z.number().int().min(1).max(3650).optional(),
    where: lazyPredicate.nullable().default(null),
  }),
  z.strictObject({
    type: z.literal("event_count"),
    event: z.string(),
    days: z.number().int().min(1).max(3650).nullable().default(null),
    op: CountOperator,
    count: z.number().int().min(0),
    where: lazyPredicate.nullable().default(null),
  }),
  z.strictObject({ type: z.literal("first_time_buyer") }),
  z.strictObject({
    type: z.literal("engaged"),
    engagement: Engagement,
    step: z.string().nullable().default(null),
    days: z.number().int().min(1).max(3650).nullable().default(null),
    channel: Channel.nullable().default(null),
  }),
]);
export type Predicate = z.infer<typeof Predicate>;

/** The facts a predicate is evaluated against. */
export type PredicateScope = {
  contact: ContactFacts | null;
  trigger: TriggerData | null;
  /** The event under test (trigger filters, goal filter, `where` clauses). */
  event: EventFact | null;
  /** The contact's events; only those at or before `now` count. */
  events: readonly EventFact[];
  /**
   * When the flow started for the contact (for "since entering this flow"), in event time:
   * the trigger event's own timestamp, never later than the entry. Events that happened
   * after it count even if they arrived before the trigger or in the same batch.
   */
  enteredAt: number | null;
  now: number;
  /** Engagement with messages sent to the contact (opens, clicks, …); absent: none known. */
  engagement?: readonly EngagementFact[];
  /** The journey (enrollment) being evaluated, for "opened the email of step X"; absent at entry. */
  journeyId?: string | null;
};

// ---------------------------------------------------------------- evaluation

const MAX_DEPTH = 32;

export function evaluatePredicate(predicate: Predicate, scope: PredicateScope): boolean {
  return evaluate(predicate, scope, 0);
}

function evaluate(p: Predicate, scope: PredicateScope, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  switch (p.type) {
    case "all":
      return p.conditions.every((c) => evaluate(c, scope, depth + 1));
    case "any":
      return p.conditions.some((c) => evaluate(c, scope, depth + 1));
    case "not":
      return !evaluate(p.condition, scope, depth + 1);
    case "property": {
      const actual = readProperty(p.source, p.path, scope);
      if (!p.valueFrom) return compare(p.op, actual, p.value);
      return compareWithOperand(p.op, actual, operandValue(p.valueFrom, scope));
    }
    case "has_done":
      return (
        matchingEvents(scope, p.event, windowStart(p.since, p.days, scope), p.since === "flow_start", {
          where: p.where,
          depth,
        }).length > 0
      );
    case "event_count": {
      const from = p.days === null ? null : scope.now - p.days * DAY;
      return compareNumbers(
        p.op,
        matchingEvents(scope, p.event, from, false, { where: p.where, depth }).length,
        p.count,
      );
    }
    case "first_time_buyer": {
      // After an order trigger, "first-time buyer" means this order was the first: later
      // orders (even ones that arrived in the same batch) do not change the answer.
      const asOf =
        scope.trigger?.name === ORDER_EVENT ? Math.min(scope.trigger.occurredAt, scope.now) : scope.now;
      return (
        matchingEvents(scope, ORDER_EVENT, null, false, { where: null, depth, until: asOf }).length === 1
      );
    }
    case "engaged":
      return hasEngaged(p, scope);
  }
}

/**
 * Whether the engagement happened, in event time: an open counts if it happened at or before
 * the evaluation's time, however late its report arrived; one that happened later does not.
 * Several opens of one message are one "opened".
 */
function hasEngaged(p: Extract<Predicate, { type: "engaged" }>, scope: PredicateScope): boolean {
  const facts = scope.engagement ?? [];
  if (p.step !== null) {
    const journey = scope.journeyId ?? null;
    if (journey === null) return false;
    return facts.some(
      (f) =>
        f.type === p.engagement &&
        f.enrollmentId === journey &&
        f.nodeId === p.step &&
        f.occurredAt <= scope.now,
    );
  }
  const from = p.days !== null ? scope.now - p.days * DAY : (scope.enteredAt ?? scope.now);
  return facts.some(
    (f) =>
      f.type === p.engagement &&
      (p.channel === null || f.channel === p.channel) &&
      f.occurredAt >= from &&
      f.occurredAt <= scope.now,
  );
}

/** The trigger's value an operand names: a scalar, a list of scalars, or undefined (absent or an object). */
function operandValue(operand: Operand, scope: PredicateScope): Scalar | Scalar[] | undefined {
  if (!scope.trigger || operand.path.trim() === "") return undefined;
  return asScalars(getPath(scope.trigger.properties, operand.path));
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function asScalars(value: unknown): Scalar | Scalar[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (isScalar(value)) return value;
  if (Array.isArray(value) && value.every(isScalar)) return value;
  return undefined;
}

/**
 * A comparison with the trigger's value. When the trigger lacks it, only `is set` / `is not
 * set` (which read the left side) can hold: nothing equals, or differs from, a missing value.
 */
function compareWithOperand(op: Operator, actual: unknown, expected: Scalar | Scalar[] | undefined): boolean {
  if (op === "exists" || op === "not_exists") return compare(op, actual, undefined);
  if (expected === undefined) return false;
  if (Array.isArray(expected)) {
    if (op === "eq" || op === "in") return compare("in", actual, expected);
    if (op === "neq") return !compare("in", actual, expected);
    return false;
  }
  return compare(op, actual, expected);
}

function windowStart(since: SinceWindow, days: number | undefined, scope: PredicateScope): number | null {
  if (since === "ever") return null;
  if (since === "last_days") return scope.now - (days ?? 1) * DAY;
  return scope.enteredAt ?? scope.now;
}

/** Events named `name` that happened from `from` (event time) up to `until` (default: now). */
function matchingEvents(
  scope: PredicateScope,
  name: string,
  from: number | null,
  sinceStart: boolean,
  options: { where: Predicate | null; depth: number; until?: number },
): EventFact[] {
  // "Since entering this flow" never counts the event that enrolled the contact.
  const excludeTrigger = sinceStart ? (scope.trigger?.eventId ?? null) : null;
  const until = options.until ?? scope.now;
  const { where, depth } = options;
  return scope.events.filter(
    (e) =>
      e.name === name &&
      e.occurredAt <= until &&
      (from === null || e.occurredAt >= from) &&
      (excludeTrigger === null || e.id !== excludeTrigger) &&
      (where === null || evaluate(where, { ...scope, event: e }, depth + 1)),
  );
}

const CONSENT_CHANNELS: ReadonlySet<string> = new Set(CHANNELS);

/** Reads a contact field by the name a marketer picks; unknown names read custom properties. */
export function readContactField(contact: ContactFacts, path: string): unknown {
  switch (path) {
    case "id":
      return contact.id;
    case "email":
      return contact.email;
    case "phone":
      return contact.phone;
    case "first_name":
    case "firstName":
      return contact.firstName;
    case "timezone":
      return contact.timezone;
    case "birthday":
      return contact.birthday;
    case "country":
      return contact.country;
    case "tags":
      return contact.tags;
  }
  const [head, rest] = splitFirst(path);
  if ((head === "consent" || head === "suppressed") && rest !== null && CONSENT_CHANNELS.has(rest)) {
    return head === "consent"
      ? contact.consent[rest as keyof ContactFacts["consent"]]
      : contact.suppressed[rest as keyof ContactFacts["suppressed"]];
  }
  if (head === "properties" && rest !== null) return getPath(contact.properties, rest);
  return getPath(contact.properties, path);
}

function splitFirst(path: string): [string, string | null] {
  const dot = path.indexOf(".");
  return dot === -1 ? [path, null] : [path.slice(0, dot), path.slice(dot + 1)];
}

function readProperty(source: PropertySource, path: string, scope: PredicateScope): unknown {
  switch (source) {
    case "contact":
      return scope.contact ? readContactField(scope.contact, path) : undefined;
    case "trigger":
      return scope.trigger ? getPath(scope.trigger.properties, path) : undefined;
    case "event":
      return scope.event ? getPath(scope.event.properties, path) : undefined;
  }
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function normalize(value: unknown): unknown {
  return typeof value === "string" ? value.trim().toLowerCase() : value;
}

/** Equality a marketer expects: case-insensitive text, numbers equal to numeric text. */
function same(actual: unknown, expected: unknown): boolean {
  if (actual === undefined || actual === null) return expected === null;
  if (typeof actual === "number" || typeof expected === "number") {
    const a = toNumber(actual);
    const b = toNumber(expected);
    return a !== undefined && b !== undefined && a === b;
  }
  if (typeof actual === "boolean" || typeof expected === "boolean") {
    const a = booleanText(actual);
    return a !== null && a === booleanText(expected);
  }
  if (typeof actual === "string" && typeof expected === "string")
    return normalize(actual) === normalize(expected);
  return false;
}

function booleanText(value: unknown): string | null {
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") return value.trim().toLowerCase();
  return null;
}

function order(actual: unknown, expected: unknown): number | null {
  const a = toNumber(actual);
  const b = toNumber(expected);
  if (a !== undefined && b !== undefined) return a - b;
  if (typeof actual === "string" && typeof expected === "string") {
    return actual < expected ? -1 : actual > expected ? 1 : 0;
  }
  return null;
}

export function compare(op: Operator, actual: unknown, expected: Scalar | Scalar[] | undefined): boolean {
  switch (op) {
    case "exists":
      return isPresent(actual);
    case "not_exists":
      return !isPresent(actual);
    case "eq":
      return Array.isArray(expected)
        ? false
        : Array.isArray(actual)
          ? actual.some((a) => same(a, expected))
          : same(actual, expected);
    case "neq":
      return !compare("eq", actual, expected);
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      if (Array.isArray(expected) || expected === undefined) return false;
      const o = order(actual, expected);
      if (o === null) return false;
      return op === "gt" ? o > 0 : op === "gte" ? o >= 0 : op === "lt" ? o < 0 : o <= 0;
    }
    case "contains": {
      if (expected === undefined || Array.isArray(expected)) return false;
      if (Array.isArray(actual)) return actual.some((a) => same(a, expected));
      if (typeof actual === "string" && expected !== null) {
        return actual.toLowerCase().includes(String(expected).trim().toLowerCase());
      }
      return false;
    }
    case "in": {
      const options = Array.isArray(expected) ? expected : expected === undefined ? [] : [expected];
      if (Array.isArray(actual)) return actual.some((a) => options.some((o) => same(a, o)));
      return options.some((o) => same(actual, o));
    }
  }
}

export function compareNumbers(op: CountOperator, actual: number, expected: number): boolean {
  switch (op) {
    case "eq":
      return actual === expected;
    case "neq":
      return actual !== expected;
    case "gt":
      return actual > expected;
    case "gte":
      return actual >= expected;
    case "lt":
      return actual < expected;
    case "lte":
      return actual <= expected;
  }
}

// ---------------------------------------------------------------- checks and descriptions

const NEEDS_VALUE: ReadonlySet<Operator> = new Set(["eq", "neq", "gt", "gte", "lt", "lte", "contains"]);
const ORDERED: ReadonlySet<Operator> = new Set(["gt", "gte", "lt", "lte"]);

/** What is incomplete in a predicate, in words a marketer understands. */
export function predicateProblems(p: Predicate, depth = 0): string[] {
  if (depth > MAX_DEPTH) return ["Conditions are nested too deeply."];
  switch (p.type) {
    case "all":
    case "any":
      if (p.conditions.length === 0) return ["Add at least one condition."];
      return p.conditions.flatMap((c) => predicateProblems(c, depth + 1));
    case "not":
      return predicateProblems(p.condition, depth + 1);
    case "property": {
      const problems: string[] = [];
      const label = p.path.trim() === "" ? "a property" : `'${p.path}'`;
      if (p.path.trim() === "") problems.push("Choose a property to compare.");
      if (p.valueFrom) {
        if (p.valueFrom.path.trim() === "")
          problems.push(`Choose the trigger property to compare ${label} with.`);
        return problems;
      }
      if (
        NEEDS_VALUE.has(p.op) &&
        (p.value === undefined || p.value === null || Array.isArray(p.value) || p.value === "")
      ) {
        problems.push(`Enter a value to compare ${label} with.`);
      }
      if (ORDERED.has(p.op) && typeof p.value === "boolean")
        problems.push(`${label} can only be compared with a number or a date.`);
      if (p.op === "in" && (!Array.isArray(p.value) || p.value.length === 0))
        problems.push(`List the values ${label} may be one of.`);
      return problems;
    }
    case "has_done":
    case "event_count": {
      const problems: string[] = [];
      if (p.event.trim() === "") problems.push("Choose an event.");
      if (p.type === "has_done" && p.since === "last_days" && p.days === undefined)
        problems.push("Enter how many days to look back.");
      if (p.where) problems.push(...predicateProblems(p.where, depth + 1));
      return problems;
    }
    case "first_time_buyer":
      return [];
    case "engaged":
      if (p.step !== null && p.step.trim() === "") return ["Choose the message step."];
      return [];
  }
}

const OP_WORDS: Record<Operator, string> = {
  eq: "is",
  neq: "is not",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  contains: "contains",
  exists: "is set",
  not_exists: "is not set",
  in: "is one of",
};

const COUNT_WORDS: Record<CountOperator, string> = {
  eq: "=",
  neq: "≠",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
};

function describeValue(value: Scalar | Scalar[] | undefined): string {
  if (Array.isArray(value)) return value.map((v) => describeValue(v)).join(", ");
  if (value === undefined || value === null) return "…";
  return String(value);
}

/** A one-line reading of a predicate: "Placed Order since start", "trigger.value > 50". */
export function describePredicate(p: Predicate, depth = 0, names?: StepNames): string {
  if (depth > 4) return "…";
  switch (p.type) {
    case "all":
    case "any": {
      if (p.conditions.length === 0) return "(no conditions)";
      const parts = p.conditions.map((c) => {
        const text = describePredicate(c, depth + 1, names);
        return c.type === "all" || c.type === "any" ? `(${text})` : text;
      });
      return parts.join(p.type === "all" ? " and " : " or ");
    }
    case "not":
      return `not (${describePredicate(p.condition, depth + 1, names)})`;
    case "property": {
      // An event property reads bare ("value > 50"): the event is the one being filtered.
      const subject = p.source === "trigger" ? `trigger.${p.path}` : p.path;
      if (p.op === "exists" || p.op === "not_exists") return `${subject} ${OP_WORDS[p.op]}`;
      if (p.valueFrom) return `${subject} ${OP_WORDS[p.op]} the trigger's ${p.valueFrom.path || "…"}`;
      return `${subject} ${OP_WORDS[p.op]} ${describeValue(p.value)}`;
    }
    case "has_done": {
      const window =
        p.since === "flow_start"
          ? "since start"
          : p.since === "ever"
            ? "ever"
            : `in the last ${p.days ?? 1} days`;
      const where = p.where ? ` where ${describePredicate(p.where, depth + 1, names)}` : "";
      return `${p.event || "(event)"} ${window}${where}`;
    }
    case "event_count": {
      const window = p.days === null ? "" : ` in the last ${p.days} ${p.days === 1 ? "day" : "days"}`;
      const where = p.where ? ` where ${describePredicate(p.where, depth + 1, names)}` : "";
      // "= 0" reads better in words: "no Placed Order ever", "no Viewed Product in the last 7 days".
      if (p.op === "eq" && p.count === 0) return `no ${p.event || "(event)"}${window || " ever"}${where}`;
      return `${p.event || "(event)"} count ${COUNT_WORDS[p.op]} ${p.count}${window}${where}`;
    }
    case "first_time_buyer":
      return "first-time buyer";
    case "engaged":
      return describeEngagement(p, names);
  }
}

const ENGAGEMENT_WORDS: Record<Engagement, string> = {
  delivered: "received",
  opened: "opened",
  clicked: "clicked",
  bounced: "bounced on",
  unsubscribed: "unsubscribed from",
};

/** "opened “Email: Happy birthday”" (a step of this flow), "opened any email in the last 60 days". */
function describeEngagement(p: Extract<Predicate, { type: "engaged" }>, names?: StepNames): string {
  const verb = ENGAGEMENT_WORDS[p.engagement];
  if (p.step !== null) {
    const title = p.step ? names?.(p.step) : undefined;
    return title ? `${verb} “${title}”` : `${verb} message “${p.step || "…"}”`;
  }
  const what =
    p.channel === null ? "message" : p.channel === "email" ? "email" : p.channel === "sms" ? "SMS" : "push";
  const window = p.days === null ? "since start" : `in the last ${p.days} ${p.days === 1 ? "day" : "days"}`;
  return `${verb} any ${what} ${window}`;
}

/** Event names a predicate reads, so the executor loads them. */
export function predicateEventNames(p: Predicate | null, into = new Set<string>(), depth = 0): Set<string> {
  if (!p || depth > MAX_DEPTH) return into;
  switch (p.type) {
    case "all":
    case "any":
      for (const c of p.conditions) predicateEventNames(c, into, depth + 1);
      break;
    case "not":
      predicateEventNames(p.condition, into, depth + 1);
      break;
    case "has_done":
    case "event_count":
      if (p.event) into.add(p.event);
      predicateEventNames(p.where, into, depth + 1);
      break;
    case "first_time_buyer":
      into.add(ORDER_EVENT);
      break;
    case "property":
    case "engaged":
      break;
  }
  return into;
}

type EngagedPredicate = Extract<Predicate, { type: "engaged" }>;

/**
 * Every engagement question anywhere inside a node's config, the settings or a whole graph
 * (any JSON): the executor loads engagement only when there is one, and the validator checks
 * the steps they name.
 */
export function engagementPredicatesIn(
  value: unknown,
  into: EngagedPredicate[] = [],
  depth = 0,
): EngagedPredicate[] {
  if (depth > 64 || typeof value !== "object" || value === null) return into;
  if (Array.isArray(value)) {
    for (const v of value) engagementPredicatesIn(v, into, depth + 1);
    return into;
  }
  const record = value as Record<string, unknown>;
  if (record.type === "engaged") {
    const parsed = Predicate.safeParse(record);
    if (parsed.success && parsed.data.type === "engaged") into.push(parsed.data);
    return into;
  }
  for (const v of Object.values(record)) engagementPredicatesIn(v, into, depth + 1);
  return into;
}

/** Trigger property paths a predicate reads (`trigger.x` on either side of a comparison). */
export function predicateTriggerPaths(p: Predicate | null, into = new Set<string>(), depth = 0): Set<string> {
  if (!p || depth > MAX_DEPTH) return into;
  switch (p.type) {
    case "all":
    case "any":
      for (const c of p.conditions) predicateTriggerPaths(c, into, depth + 1);
      break;
    case "not":
      predicateTriggerPaths(p.condition, into, depth + 1);
      break;
    case "has_done":
    case "event_count":
      predicateTriggerPaths(p.where, into, depth + 1);
      break;
    case "property":
      if (p.source === "trigger") into.add(p.path);
      if (p.valueFrom) into.add(p.valueFrom.path);
      break;
    case "first_time_buyer":
    case "engaged":
      break;
  }
  return into;
}

/** Does the predicate read the trigger (so it is about "this order", "this cart")? */
export function referencesTrigger(p: Predicate | null): boolean {
  return predicateTriggerPaths(p).size > 0;
}

// ---------------------------------------------------------------- builders (templates, tests)

export const when = {
  all: (...conditions: Predicate[]): Predicate => ({ type: "all", conditions }),
  any: (...conditions: Predicate[]): Predicate => ({ type: "any", conditions }),
  not: (condition: Predicate): Predicate => ({ type: "not", condition }),
  contact: (path: string, op: Operator, value?: Scalar | Scalar[]): Predicate => ({
    type: "property",
    source: "contact",
    path,
    op,
    value,
  }),
  trigger: (path: string, op: Operator, value?: Scalar | Scalar[]): Predicate => ({
    type: "property",
    source: "trigger",
    path,
    op,
    value,
  }),
  event: (path: string, op: Operator, value?: Scalar | Scalar[]): Predicate => ({
    type: "property",
    source: "event",
    path,
    op,
    value,
  }),
  /** The event's `path` compared with the trigger's `triggerPath`: "same order as the trigger". */
  sameAsTrigger: (path: string, triggerPath: string = path, op: Operator = "eq"): Predicate => ({
    type: "property",
    source: "event",
    path,
    op,
    valueFrom: { source: "trigger", path: triggerPath },
  }),
  hasDone: (
    event: string,
    since: SinceWindow = "flow_start",
    where: Predicate | null = null,
    days?: number,
  ): Predicate =>
    days === undefined
      ? { type: "has_done", event, since, where }
      : { type: "has_done", event, since, days, where },
  count: (
    event: string,
    op: CountOperator,
    count: number,
    days: number | null = null,
    where: Predicate | null = null,
  ): Predicate => ({
    type: "event_count",
    event,
    days,
    op,
    count,
    where,
  }),
  firstTimeBuyer: (): Predicate => ({ type: "first_time_buyer" }),
  /** "Opened the email of step `step`" (in this journey). */
  engagedWith: (engagement: Engagement, step: string): Predicate => ({
    type: "engaged",
    engagement,
    step,
    days: null,
    channel: null,
  }),
  /** "Opened any email in the last `days` days" (null days: since entering this flow). */
  engagedAny: (engagement: Engagement, days: number | null, channel: Channel | null = null): Predicate => ({
    type: "engaged",
    engagement,
    step: null,
    days,
    channel,
  }),
};
