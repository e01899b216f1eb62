"use client";
/**
 * Conditions and filters without JSON: rows of "has done an event", "did it N times",
 * "contact property", "trigger property", "this event's property" and groups, each built
 * from pickers fed by the workspace's own events and fields. Edits the engine's
 * `Predicate` tree directly.
 */
import { Plus, Trash2 } from "lucide-react";
import type { Channel, Engagement } from "@/server/engine/facts";
import type {
  CountOperator,
  Operator,
  Predicate,
  PropertySource,
  Scalar,
  SinceWindow,
} from "@/server/engine/predicate";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field, NumberField, SelectField, type Option } from "../ui/form";
import { usePropertyOptions, EventSelect, PropertySelect } from "./pickers";

export type PredicateContext = {
  /** Which property sources make sense here. */
  sources: readonly PropertySource[];
  /** The event whose properties the `event` source reads (trigger filter, wait-for-event, goal, a `where`). */
  eventName?: string | null;
  /**
   * The flow's trigger event, for the `trigger` source and for comparing with the trigger
   * ("same as the trigger's product_id"); null or absent when the trigger has no event.
   */
  triggerEvent?: string | null;
  /** Whether behaviour conditions (did an event, how often, first-time buyer, opened a message) are offered. */
  behaviour: boolean;
  /**
   * The flow's message steps, for "opened the email of step X" (conditions and flow
   * filters, which run inside a journey); absent where nobody has a journey yet (triggers).
   */
  messageSteps?: ReadonlyArray<{ id: string; label: string }>;
};

type ErrorAt = (path: string) => string | undefined;

type Group = Extract<Predicate, { type: "all" | "any" }>;
type PropertyPredicate = Extract<Predicate, { type: "property" }>;
type HasDone = Extract<Predicate, { type: "has_done" }>;
type EventCount = Extract<Predicate, { type: "event_count" }>;
type Engaged = Extract<Predicate, { type: "engaged" }>;

type RowKind =
  | "has_done"
  | "not_has_done"
  | "event_count"
  | "first_time_buyer"
  | "engaged"
  | "not_engaged"
  | "property:contact"
  | "property:trigger"
  | "property:event"
  | "group"
  | "not";

const SOURCE_LABEL: Record<PropertySource, string> = {
  contact: "Contact property",
  trigger: "Trigger event property",
  event: "Event property",
};

const OPERATORS: Option<Operator>[] = [
  { value: "eq", label: "is" },
  { value: "neq", label: "is not" },
  { value: "contains", label: "contains" },
  { value: "gt", label: "is more than" },
  { value: "gte", label: "is at least" },
  { value: "lt", label: "is less than" },
  { value: "lte", label: "is at most" },
  { value: "in", label: "is one of" },
  { value: "exists", label: "is set" },
  { value: "not_exists", label: "is not set" },
];

const COUNT_OPERATORS: Option<CountOperator>[] = [
  { value: "gte", label: "at least" },
  { value: "gt", label: "more than" },
  { value: "eq", label: "exactly" },
  { value: "lte", label: "at most" },
  { value: "lt", label: "fewer than" },
  { value: "neq", label: "not exactly" },
];

const WINDOWS: Option<SinceWindow>[] = [
  { value: "flow_start", label: "since entering this flow" },
  { value: "ever", label: "ever" },
  { value: "last_days", label: "in the last … days" },
];

function rowKind(p: Predicate): RowKind {
  switch (p.type) {
    case "all":
    case "any":
      return "group";
    case "not":
      return p.condition.type === "has_done"
        ? "not_has_done"
        : p.condition.type === "engaged"
          ? "not_engaged"
          : "not";
    case "property":
      return `property:${p.source}`;
    default:
      return p.type;
  }
}

function rowOptions(context: PredicateContext, current: RowKind): Option<RowKind>[] {
  const options: Option<RowKind>[] = [];
  if (context.behaviour) {
    options.push(
      { value: "has_done", label: "Has done an event" },
      { value: "not_has_done", label: "Has not done an event" },
      { value: "event_count", label: "Did an event a number of times" },
    );
  }
  for (const source of context.sources)
    options.push({ value: `property:${source}`, label: SOURCE_LABEL[source] });
  if (context.behaviour)
    options.push(
      { value: "first_time_buyer", label: "Is a first-time buyer" },
      { value: "engaged", label: "Opened, clicked … a message" },
      { value: "not_engaged", label: "Did not open, click … a message" },
    );
  options.push({ value: "group", label: "Group of conditions" });
  if (current === "not") options.push({ value: "not", label: "None of these" });
  if (!options.some((o) => o.value === current))
    options.push({
      value: current,
      label: current.startsWith("property:") ? SOURCE_LABEL[current.slice(9) as PropertySource] : current,
    });
  return options;
}

export function defaultCondition(context: PredicateContext): Predicate {
  if (context.behaviour) return { type: "has_done", event: "", since: "flow_start", where: null };
  return { type: "property", source: context.sources[0] ?? "contact", path: "", op: "eq", value: "" };
}

/** A new engagement row: the flow's first message step when there is one, else any email in 30 days. */
function defaultEngaged(context: PredicateContext): Engaged {
  const first = context.messageSteps?.[0];
  return first
    ? { type: "engaged", engagement: "opened", step: first.id, days: null, channel: null }
    : { type: "engaged", engagement: "opened", step: null, days: 30, channel: "email" };
}

function conditionOfKind(kind: RowKind, context: PredicateContext): Predicate {
  switch (kind) {
    case "engaged":
      return defaultEngaged(context);
    case "not_engaged":
      return { type: "not", condition: defaultEngaged(context) };
    case "has_done":
      return { type: "has_done", event: "", since: "flow_start", where: null };
    case "not_has_done":
      return { type: "not", condition: { type: "has_done", event: "", since: "flow_start", where: null } };
    case "event_count":
      return { type: "event_count", event: "", days: null, op: "gte", count: 1, where: null };
    case "first_time_buyer":
      return { type: "first_time_buyer" };
    case "group":
      return { type: "any", conditions: [defaultCondition(context)] };
    case "not":
      return { type: "not", condition: { type: "all", conditions: [defaultCondition(context)] } };
    default:
      return { type: "property", source: kind.slice(9) as PropertySource, path: "", op: "eq", value: "" };
  }
}

/** A root that is not a group reads as a group of one. */
function asGroup(p: Predicate): Group {
  return p.type === "all" || p.type === "any" ? p : { type: "all", conditions: [p] };
}

export function PredicateEditor({
  value,
  onChange,
  context,
  optional = false,
  addLabel = "Add a filter",
  path = "",
  errorAt = () => undefined,
  emptyHint,
}: {
  value: Predicate | null;
  onChange: (value: Predicate | null) => void;
  context: PredicateContext;
  optional?: boolean;
  addLabel?: string;
  path?: string;
  errorAt?: ErrorAt;
  emptyHint?: string;
}) {
  if (value === null) {
    return (
      <div className="flex flex-col items-start gap-1">
        {emptyHint && <p className="text-xs text-slate-600">{emptyHint}</p>}
        <Button
          type="button"
          size="sm"
          variant="secondary"
          onClick={() => onChange({ type: "all", conditions: [defaultCondition(context)] })}
        >
          <Plus aria-hidden /> {addLabel}
        </Button>
      </div>
    );
  }
  return (
    <GroupEditor
      group={asGroup(value)}
      onChange={onChange}
      onRemove={optional ? () => onChange(null) : undefined}
      context={context}
      depth={0}
      path={value.type === "all" || value.type === "any" ? path : ""}
      errorAt={errorAt}
    />
  );
}

function GroupEditor({
  group,
  onChange,
  onRemove,
  context,
  depth,
  path,
  errorAt,
}: {
  group: Group;
  onChange: (value: Group) => void;
  onRemove?: (() => void) | undefined;
  context: PredicateContext;
  depth: number;
  path: string;
  errorAt: ErrorAt;
}) {
  const join = (p: string) => (path ? `${path}.${p}` : p);
  const setAt = (i: number, next: Predicate) =>
    onChange({ ...group, conditions: group.conditions.map((c, j) => (j === i ? next : c)) });
  const removeAt = (i: number) =>
    onChange({ ...group, conditions: group.conditions.filter((_, j) => j !== i) });
  return (
    <div
      className={cn(
        "flex flex-col gap-2",
        depth > 0 && "rounded-lg border border-slate-200 bg-slate-50/60 p-2.5",
      )}
      role="group"
      aria-label={depth === 0 ? "Conditions" : "Group of conditions"}
    >
      {(group.conditions.length > 1 || depth > 0) && (
        <div className="flex items-center gap-2 text-xs text-slate-700">
          <span>Match</span>
          <select
            aria-label="Match all or any"
            className="h-7 rounded-md border border-slate-300 bg-white px-1.5 text-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
            value={group.type}
            onChange={(e) => onChange({ ...group, type: e.target.value as Group["type"] })}
          >
            <option value="all">all</option>
            <option value="any">any</option>
          </select>
          <span>of these</span>
        </div>
      )}
      {group.conditions.length === 0 && <p className="text-xs text-slate-600">No conditions yet.</p>}
      {group.conditions.map((condition, i) => (
        <div key={i} className="flex flex-col gap-1">
          {i > 0 && (
            <span className="text-[11px] font-semibold uppercase tracking-wide text-slate-500">
              {group.type === "all" ? "and" : "or"}
            </span>
          )}
          <ConditionRow
            value={condition}
            onChange={(next) => setAt(i, next)}
            onRemove={() => removeAt(i)}
            context={context}
            depth={depth}
            path={join(`conditions.${i}`)}
            errorAt={errorAt}
          />
        </div>
      ))}
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          size="sm"
          variant="secondary"
          onClick={() => onChange({ ...group, conditions: [...group.conditions, defaultCondition(context)] })}
        >
          <Plus aria-hidden /> Add condition
        </Button>
        {onRemove && (
          <Button type="button" size="sm" variant="ghost" onClick={onRemove}>
            <Trash2 aria-hidden /> {depth === 0 ? "Remove filter" : "Remove group"}
          </Button>
        )}
      </div>
    </div>
  );
}

function ConditionRow({
  value,
  onChange,
  onRemove,
  context,
  depth,
  path,
  errorAt,
}: {
  value: Predicate;
  onChange: (value: Predicate) => void;
  onRemove: () => void;
  context: PredicateContext;
  depth: number;
  path: string;
  errorAt: ErrorAt;
}) {
  const kind = rowKind(value);
  return (
    <div
      className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-2.5 shadow-xs"
      data-testid="condition-row"
    >
      <div className="flex items-end gap-2">
        <SelectField
          className="flex-1"
          label="Condition"
          value={kind}
          options={rowOptions(context, kind).filter((o) => depth < 2 || o.value !== "group")}
          onChange={(next) => onChange(conditionOfKind(next, context))}
        />
        <Button type="button" size="icon" variant="ghost" aria-label="Remove condition" onClick={onRemove}>
          <Trash2 aria-hidden />
        </Button>
      </div>
      <RowBody
        value={value}
        onChange={onChange}
        context={context}
        depth={depth}
        path={path}
        errorAt={errorAt}
      />
    </div>
  );
}

function RowBody({
  value,
  onChange,
  context,
  depth,
  path,
  errorAt,
}: {
  value: Predicate;
  onChange: (value: Predicate) => void;
  context: PredicateContext;
  depth: number;
  path: string;
  errorAt: ErrorAt;
}) {
  switch (value.type) {
    case "property":
      return (
        <PropertyRow value={value} onChange={onChange} context={context} path={path} errorAt={errorAt} />
      );
    case "has_done":
      return (
        <HasDoneRow
          value={value}
          onChange={onChange}
          triggerEvent={context.triggerEvent}
          path={path}
          errorAt={errorAt}
        />
      );
    case "event_count":
      return (
        <EventCountRow
          value={value}
          onChange={onChange}
          triggerEvent={context.triggerEvent}
          path={path}
          errorAt={errorAt}
        />
      );
    case "first_time_buyer":
      return <p className="text-xs text-slate-600">Has placed exactly one order.</p>;
    case "engaged":
      return (
        <EngagedRow
          value={value}
          onChange={onChange}
          messageSteps={context.messageSteps}
          path={path}
          errorAt={errorAt}
        />
      );
    case "all":
    case "any":
      return (
        <GroupEditor
          group={value}
          onChange={onChange}
          context={context}
          depth={depth + 1}
          path={path}
          errorAt={errorAt}
        />
      );
    case "not":
      if (value.condition.type === "engaged") {
        return (
          <EngagedRow
            value={value.condition}
            onChange={(next) => onChange({ type: "not", condition: next })}
            messageSteps={context.messageSteps}
            path={`${path}.condition`}
            errorAt={errorAt}
          />
        );
      }
      if (value.condition.type === "has_done") {
        const inner = value.condition;
        return (
          <HasDoneRow
            value={inner}
            onChange={(next) => onChange({ type: "not", condition: next })}
            triggerEvent={context.triggerEvent}
            path={`${path}.condition`}
            errorAt={errorAt}
          />
        );
      }
      return (
        <GroupEditor
          group={asGroup(value.condition)}
          onChange={(next) => onChange({ type: "not", condition: next })}
          context={context}
          depth={depth + 1}
          path={`${path}.condition`}
          errorAt={errorAt}
        />
      );
  }
}

function parseScalar(text: string, numeric: boolean): Scalar {
  const t = text.trim();
  if (numeric && t !== "" && Number.isFinite(Number(t))) return Number(t);
  return text;
}

const ORDERED = new Set<Operator>(["gt", "gte", "lt", "lte"]);

function PropertyRow({
  value,
  onChange,
  context,
  path,
  errorAt,
}: {
  value: PropertyPredicate;
  onChange: (value: Predicate) => void;
  context: PredicateContext;
  path: string;
  errorAt: ErrorAt;
}) {
  const eventName =
    value.source === "trigger" ? context.triggerEvent : value.source === "event" ? context.eventName : null;
  const known = usePropertyOptions(value.source, eventName).find((p) => p.key === value.path);
  const type = known?.type;
  const examples = known?.examples ?? [];
  const needsValue = value.op !== "exists" && value.op !== "not_exists";
  const numeric = type === "number" || ORDERED.has(value.op);
  const listId = `${path || "p"}-examples`.replace(/\W/g, "-");
  // "Same as the trigger's …": offered when the flow starts with an event to compare with.
  const canCompareWithTrigger = Boolean(context.triggerEvent) || value.valueFrom !== undefined;
  const fromTrigger = value.valueFrom !== undefined;
  const setOperand = (operand: "value" | "trigger") => {
    const next: PropertyPredicate = { ...value };
    if (operand === "trigger") {
      delete next.value;
      next.valueFrom = { source: "trigger", path: value.path };
      if (next.op === "in" || next.op === "contains") next.op = "eq";
    } else {
      delete next.valueFrom;
      next.value = value.op === "in" ? [] : "";
    }
    onChange(next);
  };
  return (
    <div className="grid grid-cols-2 gap-2">
      <PropertySelect
        className="col-span-2"
        label={SOURCE_LABEL[value.source]}
        source={value.source}
        eventName={eventName}
        value={value.path}
        onChange={(pathValue) => onChange({ ...value, path: pathValue })}
        error={errorAt(`${path}.path`)}
      />
      <SelectField
        className={needsValue ? "" : "col-span-2"}
        label="Comparison"
        value={value.op}
        options={OPERATORS}
        onChange={(op) => {
          const next: PropertyPredicate = { ...value, op };
          if (op === "exists" || op === "not_exists") {
            delete next.value;
            delete next.valueFrom;
          } else if (next.valueFrom) delete next.value;
          else if (op === "in")
            next.value = Array.isArray(value.value)
              ? value.value
              : value.value === undefined || value.value === ""
                ? []
                : [value.value];
          else if (Array.isArray(value.value)) next.value = value.value[0] ?? "";
          else next.value = value.value ?? "";
          onChange(next);
        }}
      />
      {needsValue && canCompareWithTrigger && (
        <SelectField
          label="Compare with"
          value={fromTrigger ? "trigger" : "value"}
          options={[
            { value: "value", label: "a value" },
            { value: "trigger", label: "same as the trigger's …" },
          ]}
          onChange={setOperand}
        />
      )}
      {needsValue && fromTrigger && value.valueFrom && (
        <PropertySelect
          className="col-span-2"
          label="Trigger's property"
          hint={
            context.triggerEvent
              ? `A property of ${context.triggerEvent}, the event that started the flow.`
              : undefined
          }
          source="trigger"
          eventName={context.triggerEvent}
          value={value.valueFrom.path}
          onChange={(triggerPath) =>
            onChange({ ...value, valueFrom: { source: "trigger", path: triggerPath } })
          }
          error={errorAt(`${path}.valueFrom.path`)}
        />
      )}
      {needsValue &&
        !fromTrigger &&
        (value.op === "in" ? (
          <Field label="Values" hint="Separate with commas" error={errorAt(`${path}.value`)}>
            {(a11y) => (
              <input
                {...a11y}
                className="h-9 w-full rounded-md border border-slate-300 px-2.5 text-sm shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                value={Array.isArray(value.value) ? value.value.map(String).join(", ") : ""}
                list={listId}
                onChange={(e) =>
                  onChange({
                    ...value,
                    value: e.target.value
                      .split(",")
                      .map((s) => s.trim())
                      .filter((s) => s !== "")
                      .map((s) => parseScalar(s, type === "number")),
                  })
                }
              />
            )}
          </Field>
        ) : type === "boolean" ? (
          <SelectField
            label="Value"
            value={value.value === true ? "true" : value.value === false ? "false" : ""}
            placeholder="Choose…"
            options={[
              { value: "true", label: "true" },
              { value: "false", label: "false" },
            ]}
            onChange={(v) => onChange({ ...value, value: v === "true" })}
          />
        ) : (
          <Field label="Value" error={errorAt(`${path}.value`)}>
            {(a11y) => (
              <input
                {...a11y}
                className="h-9 w-full rounded-md border border-slate-300 px-2.5 text-sm shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 aria-[invalid=true]:border-red-500"
                inputMode={numeric ? "decimal" : undefined}
                value={
                  value.value === undefined || value.value === null || Array.isArray(value.value)
                    ? ""
                    : String(value.value)
                }
                list={examples.length ? listId : undefined}
                onChange={(e) => onChange({ ...value, value: parseScalar(e.target.value, numeric) })}
              />
            )}
          </Field>
        ))}
      {examples.length > 0 && (
        <datalist id={listId}>
          {examples.map((x) => (
            <option key={String(x)} value={String(x)} />
          ))}
        </datalist>
      )}
    </div>
  );
}

function WhereEditor({
  event,
  where,
  onChange,
  triggerEvent,
  path,
  errorAt,
}: {
  event: string;
  where: Predicate | null;
  onChange: (where: Predicate | null) => void;
  triggerEvent: string | null | undefined;
  path: string;
  errorAt: ErrorAt;
}) {
  return (
    <div className="border-l-2 border-slate-200 pl-2.5">
      <PredicateEditor
        value={where}
        onChange={onChange}
        optional
        addLabel="Only when the event matches…"
        context={{ sources: ["event"], eventName: event, triggerEvent, behaviour: false }}
        path={`${path}.where`}
        errorAt={errorAt}
      />
    </div>
  );
}

function HasDoneRow({
  value,
  onChange,
  triggerEvent,
  path,
  errorAt,
}: {
  value: HasDone;
  onChange: (value: HasDone) => void;
  triggerEvent: string | null | undefined;
  path: string;
  errorAt: ErrorAt;
}) {
  return (
    <div className="flex flex-col gap-2">
      <EventSelect
        value={value.event}
        onChange={(event) => onChange({ ...value, event })}
        error={errorAt(`${path}.event`)}
      />
      <div className="grid grid-cols-2 gap-2">
        <SelectField
          className={value.since === "last_days" ? "" : "col-span-2"}
          label="When"
          value={value.since}
          options={WINDOWS}
          onChange={(since) => {
            const next: HasDone = { ...value, since };
            if (since === "last_days") next.days = value.days ?? 7;
            else delete next.days;
            onChange(next);
          }}
        />
        {value.since === "last_days" && (
          <NumberField
            label="Days"
            min={1}
            value={value.days ?? Number.NaN}
            onChange={(days) => onChange({ ...value, days })}
            error={errorAt(`${path}.days`)}
          />
        )}
      </div>
      <WhereEditor
        event={value.event}
        where={value.where}
        onChange={(where) => onChange({ ...value, where })}
        triggerEvent={triggerEvent}
        path={path}
        errorAt={errorAt}
      />
    </div>
  );
}

function EventCountRow({
  value,
  onChange,
  triggerEvent,
  path,
  errorAt,
}: {
  value: EventCount;
  onChange: (value: EventCount) => void;
  triggerEvent: string | null | undefined;
  path: string;
  errorAt: ErrorAt;
}) {
  return (
    <div className="flex flex-col gap-2">
      <EventSelect
        value={value.event}
        onChange={(event) => onChange({ ...value, event })}
        error={errorAt(`${path}.event`)}
      />
      <div className="grid grid-cols-2 gap-2">
        <SelectField
          label="How often"
          value={value.op}
          options={COUNT_OPERATORS}
          onChange={(op) => onChange({ ...value, op })}
        />
        <NumberField
          label="Times"
          min={0}
          value={value.count}
          onChange={(count) => onChange({ ...value, count })}
          error={errorAt(`${path}.count`)}
        />
        <SelectField
          className={value.days === null ? "col-span-2" : ""}
          label="When"
          value={value.days === null ? "ever" : "last_days"}
          options={[
            { value: "ever", label: "ever" },
            { value: "last_days", label: "in the last … days" },
          ]}
          onChange={(w) => onChange({ ...value, days: w === "ever" ? null : 30 })}
        />
        {value.days !== null && (
          <NumberField
            label="Days"
            min={1}
            value={value.days}
            onChange={(days) => onChange({ ...value, days })}
            error={errorAt(`${path}.days`)}
          />
        )}
      </div>
      <WhereEditor
        event={value.event}
        where={value.where}
        onChange={(where) => onChange({ ...value, where })}
        triggerEvent={triggerEvent}
        path={path}
        errorAt={errorAt}
      />
    </div>
  );
}

const ENGAGEMENTS: Option<Engagement>[] = [
  { value: "opened", label: "opened" },
  { value: "clicked", label: "clicked a link in" },
  { value: "delivered", label: "received (delivered)" },
  { value: "bounced", label: "bounced on" },
  { value: "unsubscribed", label: "unsubscribed from" },
];

const ANY_MESSAGE: Array<{ value: string; label: string; channel: Channel | null }> = [
  { value: "any:", label: "any message", channel: null },
  { value: "any:email", label: "any email", channel: "email" },
  { value: "any:sms", label: "any SMS", channel: "sms" },
  { value: "any:push", label: "any push notification", channel: "push" },
];

/** "Opened the email of step X" or "opened any email in the last N days". */
function EngagedRow({
  value,
  onChange,
  messageSteps,
  path,
  errorAt,
}: {
  value: Engaged;
  onChange: (value: Engaged) => void;
  messageSteps: PredicateContext["messageSteps"];
  path: string;
  errorAt: ErrorAt;
}) {
  const which = value.step !== null ? `step:${value.step}` : `any:${value.channel ?? ""}`;
  const options: Option<string>[] = [
    ...(messageSteps ?? []).map((m) => ({ value: `step:${m.id}`, label: m.label })),
    ...ANY_MESSAGE.map(({ value: v, label }) => ({ value: v, label })),
  ];
  // A step that is gone (or not a message step) stays visible, so the problem can be read and fixed.
  if (!options.some((o) => o.value === which))
    options.unshift({ value: which, label: `step “${value.step ?? ""}” (not a message step)` });
  const journey = messageSteps !== undefined;
  return (
    <div className="flex flex-col gap-2">
      <div className="grid grid-cols-2 gap-2">
        <SelectField
          label="The contact"
          value={value.engagement}
          options={ENGAGEMENTS}
          onChange={(engagement) => onChange({ ...value, engagement })}
        />
        <SelectField
          label="Message"
          value={which}
          options={options}
          onChange={(next) => {
            if (next.startsWith("step:")) {
              onChange({ ...value, step: next.slice(5), days: null, channel: null });
              return;
            }
            const channel = ANY_MESSAGE.find((a) => a.value === next)?.channel ?? null;
            onChange({ ...value, step: null, channel, days: value.days ?? (journey ? null : 30) });
          }}
          error={errorAt(`${path}.step`)}
        />
      </div>
      {value.step !== null ? (
        <p className="text-xs text-slate-600">
          The message this step sent in the contact’s journey; counts once it happened, however late the
          report arrives.
        </p>
      ) : (
        <div className="grid grid-cols-2 gap-2">
          <SelectField
            className={value.days === null ? "col-span-2" : ""}
            label="When"
            value={value.days === null ? "flow_start" : "last_days"}
            options={[
              ...(journey || value.days === null
                ? [{ value: "flow_start", label: "since entering this flow" }]
                : []),
              { value: "last_days", label: "in the last … days" },
            ]}
            onChange={(w) => onChange({ ...value, days: w === "flow_start" ? null : (value.days ?? 30) })}
          />
          {value.days !== null && (
            <NumberField
              label="Days"
              min={1}
              value={value.days}
              onChange={(days) => onChange({ ...value, days })}
              error={errorAt(`${path}.days`)}
            />
          )}
        </div>
      )}
    </div>
  );
}
