"use client";
/**
 * Labelled form controls for the inspector: every control has a visible label, an optional
 * hint and an inline error (from the step's zod schema), wired with aria-describedby.
 */
import { useId, useState, type ComponentProps, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

const control =
  "w-full rounded-md border border-slate-300 bg-white px-2.5 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:bg-slate-50 disabled:text-slate-500 aria-[invalid=true]:border-red-500";

export type FieldProps = {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
  /** Hide the label visually (it is still read out). */
  srOnlyLabel?: boolean;
};

/** Renders the label, the control (given its id and described-by) and the hint or error. */
export function Field({
  label,
  hint,
  error,
  className,
  srOnlyLabel,
  children,
}: FieldProps & {
  children: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => ReactNode;
}) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={cn("flex min-w-0 flex-col gap-1", className)}>
      <label htmlFor={id} className={cn("text-xs font-medium text-slate-700", srOnlyLabel && "sr-only")}>
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {error ? (
        <p id={`${id}-error`} className="text-xs text-red-700">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({
  value,
  onChange,
  ...props
}: FieldProps & { value: string; onChange: (value: string) => void } & Omit<
    ComponentProps<"input">,
    "value" | "onChange" | "className"
  >) {
  const { label, hint, error, className, srOnlyLabel, ...input } = props;
  return (
    <Field label={label} hint={hint} error={error} className={className} srOnlyLabel={srOnlyLabel}>
      {(a11y) => (
        <input
          {...input}
          {...a11y}
          className={cn(control, "h-9")}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export function TextAreaField({
  value,
  onChange,
  rows = 5,
  ...props
}: FieldProps & { value: string; onChange: (value: string) => void; rows?: number } & Omit<
    ComponentProps<"textarea">,
    "value" | "onChange" | "className"
  >) {
  const { label, hint, error, className, srOnlyLabel, ...input } = props;
  return (
    <Field label={label} hint={hint} error={error} className={className} srOnlyLabel={srOnlyLabel}>
      {(a11y) => (
        <textarea
          {...input}
          {...a11y}
          rows={rows}
          className={cn(control, "py-2 leading-relaxed")}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export type Option<V extends string = string> = { value: V; label: string; disabled?: boolean };

export function SelectField<V extends string>({
  value,
  onChange,
  options,
  placeholder,
  ...props
}: FieldProps & {
  value: V | "";
  onChange: (value: V) => void;
  options: readonly Option<V>[];
  placeholder?: string;
} & Omit<ComponentProps<"select">, "value" | "onChange" | "className">) {
  const { label, hint, error, className, srOnlyLabel, ...select } = props;
  return (
    <Field label={label} hint={hint} error={error} className={className} srOnlyLabel={srOnlyLabel}>
      {(a11y) => (
        <select
          {...select}
          {...a11y}
          className={cn(control, "h-9 pr-8")}
          value={value}
          onChange={(e) => onChange(e.target.value as V)}
        >
          {placeholder !== undefined && (
            <option value="" disabled>
              {placeholder}
            </option>
          )}
          {options.map((o) => (
            <option key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * A number input that keeps what the marketer typed: an empty or half-typed value reaches
 * the schema as NaN, so its error shows inline instead of the text snapping back.
 */
export function NumberField({
  value,
  onChange,
  ...props
}: FieldProps & { value: number; onChange: (value: number) => void } & Omit<
    ComponentProps<"input">,
    "value" | "onChange" | "className" | "type"
  >) {
  const { label, hint, error, className, srOnlyLabel, ...input } = props;
  const [text, setText] = useState(Number.isFinite(value) ? String(value) : "");
  const [seen, setSeen] = useState(value);
  if (seen !== value && !(Number.isNaN(seen) && Number.isNaN(value))) {
    setSeen(value);
    if (Number(text) !== value || text.trim() === "") setText(Number.isFinite(value) ? String(value) : "");
  }
  return (
    <Field label={label} hint={hint} error={error} className={className} srOnlyLabel={srOnlyLabel}>
      {(a11y) => (
        <input
          {...input}
          {...a11y}
          type="number"
          inputMode="decimal"
          className={cn(control, "h-9")}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            onChange(e.target.value.trim() === "" ? Number.NaN : Number(e.target.value));
          }}
        />
      )}
    </Field>
  );
}

export function CheckboxField({
  checked,
  onChange,
  label,
  hint,
  className,
  disabled,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className={cn("flex items-start gap-2.5", className)}>
      <input
        id={id}
        type="checkbox"
        className="mt-0.5 size-4 shrink-0 rounded border-slate-400 accent-indigo-600 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div className="min-w-0">
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="text-xs text-slate-600">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

/** A titled group of fields in the inspector. */
export function Section({
  title,
  children,
  action,
  className,
}: {
  title?: ReactNode;
  children: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  return (
    <section
      className={cn("flex flex-col gap-3 border-b border-slate-100 px-5 py-4 last:border-b-0", className)}
    >
      {(title || action) && (
        <div className="flex items-center justify-between gap-2">
          {title && <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">{title}</h3>}
          {action}
        </div>
      )}
      {children}
    </section>
  );
}

export const WEEKDAYS = [
  { value: 1, short: "Mon", long: "Monday" },
  { value: 2, short: "Tue", long: "Tuesday" },
  { value: 3, short: "Wed", long: "Wednesday" },
  { value: 4, short: "Thu", long: "Thursday" },
  { value: 5, short: "Fri", long: "Friday" },
  { value: 6, short: "Sat", long: "Saturday" },
  { value: 7, short: "Sun", long: "Sunday" },
] as const;

/** Seven toggle buttons for ISO weekdays. */
export function WeekdayPicker({
  value,
  onChange,
  label,
  error,
}: {
  value: readonly number[];
  onChange: (days: number[]) => void;
  label: string;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <fieldset className="flex flex-col gap-1" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="mb-1 text-xs font-medium text-slate-700">{label}</legend>
      <div className="flex flex-wrap gap-1">
        {WEEKDAYS.map((d) => {
          const on = value.includes(d.value);
          return (
            <button
              key={d.value}
              type="button"
              aria-pressed={on}
              aria-label={d.long}
              onClick={() =>
                onChange(on ? value.filter((v) => v !== d.value) : [...value, d.value].sort((a, b) => a - b))
              }
              className={cn(
                "h-8 w-10 rounded-md border text-xs font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500",
                on
                  ? "border-indigo-600 bg-indigo-600 text-white"
                  : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
              )}
            >
              {d.short}
            </button>
          );
        })}
      </div>
      {error && (
        <p id={`${id}-error`} className="text-xs text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
