"use client";
/** Fields several step forms share: durations, message category, merge-field insertion. */
import { useState } from "react";
import type { DurationUnit } from "@/server/engine/time";
import { MERGE_FIELDS } from "@/emails/merge-fields";
import { useBuilder } from "../store-provider";
import { CheckboxField, NumberField, SelectField, TextField, type Option } from "../ui/form";

export const UNITS: Option<DurationUnit>[] = [
  { value: "minutes", label: "minutes" },
  { value: "hours", label: "hours" },
  { value: "days", label: "days" },
  { value: "weeks", label: "weeks" },
];

export function DurationFields({
  amount,
  unit,
  onChange,
  amountLabel,
  error,
}: {
  amount: number;
  unit: DurationUnit;
  onChange: (value: { amount: number; unit: DurationUnit }) => void;
  amountLabel: string;
  error?: string | undefined;
}) {
  return (
    <div className="grid grid-cols-2 gap-2">
      <NumberField
        label={amountLabel}
        min={0}
        value={amount}
        onChange={(n) => onChange({ amount: n, unit })}
        error={error}
      />
      <SelectField
        label="Unit"
        value={unit}
        options={UNITS}
        onChange={(u) => onChange({ amount, unit: u })}
      />
    </div>
  );
}

export function CategoryField({
  value,
  onChange,
}: {
  value: "marketing" | "transactional";
  onChange: (value: "marketing" | "transactional") => void;
}) {
  return (
    <SelectField
      label="Kind of message"
      value={value}
      onChange={onChange}
      options={[
        { value: "marketing", label: "Marketing" },
        { value: "transactional", label: "Transactional" },
      ]}
      hint={
        value === "marketing"
          ? "Needs consent; respects smart sending and quiet hours."
          : "Order and shipping updates only: sent without marketing consent."
      }
    />
  );
}

/**
 * The step's smart-sending switch: on, a marketing message is skipped (with the reason
 * “smart sending”) when the contact got one on the channel within the flow's window.
 */
export function SmartSendingField({
  category,
  value,
  onChange,
  channelName,
}: {
  category: "marketing" | "transactional";
  value: boolean | undefined;
  onChange: (value: boolean) => void;
  channelName: string;
}) {
  const hours = useBuilder((s) => s.settings.smartSendingHours);
  const transactional = category === "transactional";
  return (
    <CheckboxField
      label="Smart sending"
      checked={!transactional && value !== false && hours > 0}
      disabled={transactional || hours === 0}
      onChange={onChange}
      hint={
        transactional
          ? "Transactional messages are always sent."
          : hours === 0
            ? "Smart sending is off for this flow (flow settings)."
            : value === false
              ? `Always sent, even if they got another marketing ${channelName} in the last ${hours} hours. Right for thank-yous and codes they asked for.`
              : `Skipped if they got another marketing ${channelName} in the last ${hours} hours.`
      }
    />
  );
}

const GROUP_NAMES: Record<string, string> = {
  contact: "Contact",
  shop: "Shop",
  cart: "Cart",
  order: "Order",
  product: "Product",
  offer: "Offer",
  event: "Trigger event",
};

/** A select that inserts `{{ field }}` into a text. */
export function MergeFieldInsert({
  onInsert,
  label = "Insert a merge field",
}: {
  onInsert: (tag: string) => void;
  label?: string;
}) {
  const groups = [...new Set(MERGE_FIELDS.map((f) => f.group))];
  return (
    <select
      aria-label={label}
      className="h-8 max-w-full rounded-md border border-slate-300 bg-white px-2 text-xs text-slate-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
      value=""
      onChange={(e) => {
        if (!e.target.value) return;
        const field = MERGE_FIELDS.find((f) => f.key === e.target.value);
        onInsert(field?.optional ? `{{ ${field.key} | default: "" }}` : `{{ ${e.target.value} }}`);
      }}
    >
      <option value="">{label}…</option>
      {groups.map((g) => (
        <optgroup key={g} label={GROUP_NAMES[g] ?? g}>
          {MERGE_FIELDS.filter((f) => f.group === g && !f.key.includes("*")).map((f) => (
            <option key={f.key} value={f.key}>
              {f.key} — {f.description}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

/** Appends a merge tag to a text, with a space when needed. */
export function appendTag(text: string, tag: string): string {
  return text === "" || /\s$/.test(text) ? `${text}${tag}` : `${text} ${tag}`;
}

/** "a, b , c" → ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A comma-separated list in a text box; keeps what is typed, reports the parsed list. */
export function ListField({
  label,
  value,
  onChange,
  hint,
  placeholder,
}: {
  label: string;
  value: readonly string[];
  onChange: (value: string[]) => void;
  hint?: string;
  placeholder?: string;
}) {
  const [text, setText] = useState(value.join(", "));
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if (splitList(text).join("\u0000") !== value.join("\u0000")) setText(value.join(", "));
  }
  return (
    <TextField
      label={label}
      hint={hint ?? "Separate with commas"}
      placeholder={placeholder}
      value={text}
      onChange={(t) => {
        setText(t);
        onChange(splitList(t));
      }}
    />
  );
}
