"use client";
/**
 * Pickers fed by what the workspace has seen: event names, event property keys, contact
 * fields, with an "Other…" escape for names not seen yet (a new event, a new property).
 */
import { useId, useState } from "react";
import { cn } from "@/components/ui/cn";
import { Field } from "../ui/form";
import { useCatalog, type CatalogProperty } from "./catalog";

const control =
  "h-9 w-full rounded-md border border-slate-300 bg-white px-2.5 text-sm text-slate-900 shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 aria-[invalid=true]:border-red-500";

const OTHER = "\u0000other";

type NameSelectProps = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  placeholder: string;
  otherLabel: string;
  otherPlaceholder: string;
  error?: string | undefined;
  hint?: string | undefined;
  srOnlyLabel?: boolean;
  className?: string;
};

/** A select of known names; "Other…" switches to a text box for a name not seen yet. */
function NameSelect({
  label,
  value,
  onChange,
  options,
  placeholder,
  otherLabel,
  otherPlaceholder,
  error,
  hint,
  srOnlyLabel,
  className,
}: NameSelectProps) {
  const known = value === "" || options.some((o) => o.value === value);
  const [typing, setTyping] = useState(!known);
  const listId = useId();
  return (
    <Field label={label} error={error} hint={hint} srOnlyLabel={srOnlyLabel} className={className}>
      {(a11y) =>
        typing ? (
          <div className="flex gap-1.5">
            <input
              {...a11y}
              className={control}
              value={value}
              placeholder={otherPlaceholder}
              list={listId}
              onChange={(e) => onChange(e.target.value)}
            />
            <datalist id={listId}>
              {options.map((o) => (
                <option key={o.value} value={o.value} />
              ))}
            </datalist>
            <button
              type="button"
              className="shrink-0 rounded-md px-2 text-xs font-medium text-indigo-700 hover:bg-indigo-50"
              onClick={() => setTyping(false)}
            >
              List
            </button>
          </div>
        ) : (
          <select
            {...a11y}
            className={cn(control, "pr-8")}
            value={known ? value : ""}
            onChange={(e) => {
              if (e.target.value === OTHER) {
                setTyping(true);
                return;
              }
              onChange(e.target.value);
            }}
          >
            <option value="" disabled>
              {placeholder}
            </option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
            <option value={OTHER}>{otherLabel}</option>
          </select>
        )
      }
    </Field>
  );
}

/** Event names the workspace has seen, most frequent first. */
export function EventSelect(props: {
  label?: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  srOnlyLabel?: boolean;
  className?: string;
}) {
  const catalog = useCatalog();
  const options = catalog.events.map((e) => ({ value: e.name, label: e.name }));
  if (props.value && !options.some((o) => o.value === props.value))
    options.push({ value: props.value, label: `${props.value} (not seen yet)` });
  return (
    <NameSelect
      {...props}
      label={props.label ?? "Event"}
      options={options}
      placeholder={catalog.loading ? "Loading events…" : "Choose an event…"}
      otherLabel="Other event…"
      otherPlaceholder="Event name, e.g. Started Checkout"
    />
  );
}

export type PropertySource = "contact" | "trigger" | "event";

/** The keys a source offers: contact fields, or the properties of an event seen. */
export function usePropertyOptions(
  source: PropertySource,
  eventName: string | null | undefined,
): CatalogProperty[] {
  const catalog = useCatalog();
  if (source === "contact") return catalog.contactFields;
  return catalog.eventNamed(eventName)?.properties ?? [];
}

export function PropertySelect(props: {
  label?: string;
  source: PropertySource;
  eventName?: string | null | undefined;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  srOnlyLabel?: boolean;
  className?: string;
  /** Only keys of these types (e.g. dates are strings). */
  types?: readonly CatalogProperty["type"][];
}) {
  const { source, eventName, types, ...rest } = props;
  const catalog = useCatalog();
  const keys = usePropertyOptions(source, eventName).filter((p) => !types || types.includes(p.type));
  const options = keys.map((p) => ({
    value: p.key,
    label: "label" in p && typeof p.label === "string" && p.label !== p.key ? `${p.label} (${p.key})` : p.key,
  }));
  if (props.value && !options.some((o) => o.value === props.value))
    options.push({ value: props.value, label: props.value });
  const empty = options.length === 0;
  return (
    <NameSelect
      {...rest}
      label={props.label ?? "Property"}
      options={options}
      placeholder={
        catalog.loading
          ? "Loading…"
          : empty
            ? eventName || source === "contact"
              ? "No properties seen yet"
              : "Choose the event first"
            : "Choose a property…"
      }
      otherLabel="Other property…"
      otherPlaceholder="property name, e.g. cart_id"
    />
  );
}
