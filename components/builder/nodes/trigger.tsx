"use client";
import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { Zap } from "lucide-react";
import type { TriggerConfig } from "@/server/engine/nodes/trigger";
import type { CanvasNodeOf } from "../graph-canvas";
import { ListField } from "../inspector/common-fields";
import { PredicateEditor } from "../inspector/predicate-editor";
import { EventSelect, PropertySelect } from "../inspector/pickers";
import { useNodeForm } from "../inspector/use-node-form";
import { CheckboxField, NumberField, SelectField, TextField, WeekdayPicker, type Option } from "../ui/form";
import { NodeCard } from "./node-card";
import type { InspectorProps, NodeUi } from "./types";
import { cronToRules, describeRule } from "@/server/engine/schedule-rule";

type Schedule = Extract<TriggerConfig, { type: "schedule" }>["schedule"];

const TYPES: Option<TriggerConfig["type"]>[] = [
  { value: "event", label: "Someone does something (an event)" },
  { value: "date_property", label: "A date comes round (e.g. birthday)" },
  { value: "schedule", label: "A schedule (date, weekly, custom rule…)" },
  { value: "inactivity", label: "Someone goes quiet (no event for N days)" },
  { value: "back_in_stock", label: "A product is back in stock" },
];

const FREQUENCIES: Option<Schedule["frequency"]>[] = [
  { value: "once", label: "Once" },
  { value: "daily", label: "Every day" },
  { value: "weekly", label: "Every week" },
  { value: "monthly", label: "Every month" },
  { value: "yearly", label: "Every year" },
  { value: "rule", label: "Custom rule (e.g. 4th Thursday of November)" },
];
/** Older flows hold cron expressions; they stay readable and convert to a rule. */
const CRON_OPTION: Option<Schedule["frequency"]> = { value: "cron", label: "Cron expression (older form)" };

/** The default custom rule: the fourth Thursday of November at 09:00. */
const EXAMPLE_RULE = "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;BYHOUR=9;BYMINUTE=0";

function triggerOfType(type: TriggerConfig["type"]): TriggerConfig {
  switch (type) {
    case "event":
      return { type, event: "", filter: null };
    case "date_property":
      return { type, property: "birthday", daysBefore: 0, time: "09:00", yearly: true };
    case "schedule":
      return {
        type,
        schedule: { frequency: "weekly", time: "09:00", weekdays: [1] },
        timezone: "contact",
        segment: null,
      };
    case "inactivity":
      return { type, event: "Placed Order", days: 30, segment: null };
    case "back_in_stock":
      return { type, productIds: [], categories: [] };
  }
}

function scheduleOf(frequency: Schedule["frequency"], previous: Schedule): Schedule {
  const time = "time" in previous ? previous.time : "09:00";
  switch (frequency) {
    case "once":
      return { frequency, at: "" };
    case "daily":
      return { frequency, time };
    case "weekly":
      return { frequency, time, weekdays: [1] };
    case "monthly":
      return { frequency, time, dayOfMonth: 1 };
    case "yearly":
      return { frequency, time, month: 11, day: 28 };
    case "cron":
      return { frequency, expression: "0 9 * * 1" };
    case "rule": {
      const converted = previous.frequency === "cron" ? cronToRules(previous.expression) : null;
      return { frequency, rule: converted?.length === 1 ? converted[0]! : EXAMPLE_RULE };
    }
  }
}

function TriggerInspector({ nodeId, config }: InspectorProps<"trigger">) {
  const { draft, change, error } = useNodeForm("trigger", nodeId, config);
  const body = (() => {
    switch (draft.type) {
      case "event":
        return (
          <>
            <EventSelect
              label="Event"
              value={draft.event}
              onChange={(event) => change({ ...draft, event })}
              error={error("event")}
              hint="Contacts enter each time they do this."
            />
            <CheckboxField
              label="Once per line item"
              hint="An order of two products enters twice, each journey about one product (its quantity, days per unit from the catalog)."
              checked={draft.perLineItem === true}
              onChange={(on) => {
                const { perLineItem: _, ...rest } = draft;
                change(on ? { ...rest, perLineItem: true } : rest);
              }}
            />
            <div className="flex flex-col gap-1.5">
              <span className="text-xs font-medium text-slate-700">Filter</span>
              <PredicateEditor
                value={draft.filter}
                onChange={(filter) => change({ ...draft, filter })}
                optional
                addLabel="Only when the event matches…"
                context={{
                  sources: ["event", "contact"],
                  eventName: draft.event,
                  triggerEvent: draft.event || null,
                  behaviour: true,
                }}
                path="filter"
                errorAt={error}
              />
            </div>
          </>
        );
      case "date_property":
        return (
          <>
            <PropertySelect
              label="Date property"
              source="contact"
              types={["string"]}
              value={draft.property}
              onChange={(property) => change({ ...draft, property })}
              error={error("property")}
            />
            <div className="grid grid-cols-2 gap-2">
              <NumberField
                label="Days before"
                min={0}
                value={draft.daysBefore}
                onChange={(daysBefore) => change({ ...draft, daysBefore })}
                error={error("daysBefore")}
              />
              <TextField
                label="At (their time)"
                type="time"
                value={draft.time}
                onChange={(time) => change({ ...draft, time })}
                error={error("time")}
              />
            </div>
            <CheckboxField
              label="Every year"
              hint="For birthdays and anniversaries."
              checked={draft.yearly}
              onChange={(yearly) => change({ ...draft, yearly })}
            />
          </>
        );
      case "schedule": {
        const s = draft.schedule;
        const setSchedule = (schedule: Schedule) => change({ ...draft, schedule });
        return (
          <>
            <SelectField
              label="Repeats"
              value={s.frequency}
              options={s.frequency === "cron" ? [...FREQUENCIES, CRON_OPTION] : FREQUENCIES}
              onChange={(f) => setSchedule(scheduleOf(f, s))}
            />
            {s.frequency === "once" && (
              <TextField
                label="Date and time"
                type="datetime-local"
                value={s.at}
                onChange={(at) => setSchedule({ ...s, at })}
                error={error("schedule.at")}
              />
            )}
            {s.frequency === "cron" && (
              <TextField
                label="Cron expression"
                value={s.expression}
                onChange={(expression) => setSchedule({ ...s, expression })}
                hint={`minute hour day month weekday, e.g. 0 9 * * 1. Choose “Custom rule” to convert it${
                  cronToRules(s.expression)?.length === 1
                    ? ""
                    : " (this one fires on either of its day fields, which one rule cannot say, so keep it as it is)"
                }.`}
                error={error("schedule.expression")}
              />
            )}
            {s.frequency === "rule" && (
              <TextField
                label="Recurrence rule (RFC 5545)"
                value={s.rule}
                onChange={(rule) => setSchedule({ ...s, rule })}
                hint={
                  describeRule(s.rule)
                    ? `In words: ${describeRule(s.rule)}, on ${draft.timezone === "contact" ? "each contact’s" : "the workspace’s"} clock.`
                    : "e.g. FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;BYHOUR=9;BYMINUTE=0 (the fourth Thursday of November at 09:00)"
                }
                error={error("schedule.rule")}
              />
            )}
            {s.frequency === "weekly" && (
              <WeekdayPicker
                label="On"
                value={s.weekdays}
                onChange={(weekdays) => setSchedule({ ...s, weekdays })}
                error={error("schedule.weekdays")}
              />
            )}
            {s.frequency === "monthly" && (
              <NumberField
                label="Day of the month"
                min={1}
                max={31}
                value={s.dayOfMonth}
                onChange={(dayOfMonth) => setSchedule({ ...s, dayOfMonth })}
                error={error("schedule.dayOfMonth")}
              />
            )}
            {s.frequency === "yearly" && (
              <div className="grid grid-cols-2 gap-2">
                <NumberField
                  label="Month"
                  min={1}
                  max={12}
                  value={s.month}
                  onChange={(month) => setSchedule({ ...s, month })}
                  error={error("schedule.month")}
                />
                <NumberField
                  label="Day"
                  min={1}
                  max={31}
                  value={s.day}
                  onChange={(day) => setSchedule({ ...s, day })}
                  error={error("schedule.day")}
                />
              </div>
            )}
            {"time" in s && (
              <TextField
                label="At"
                type="time"
                value={s.time}
                onChange={(time) => setSchedule({ ...s, time })}
                error={error("schedule.time")}
              />
            )}
            <SelectField
              label="Whose clock"
              value={draft.timezone}
              options={[
                { value: "contact", label: "Each contact's own time zone" },
                { value: "workspace", label: "The shop's time zone" },
              ]}
              onChange={(timezone) => change({ ...draft, timezone })}
            />
            <div className="flex flex-col gap-1.5">
              <span className="text-xs font-medium text-slate-700">Who gets it</span>
              <PredicateEditor
                value={draft.segment}
                onChange={(segment) => change({ ...draft, segment })}
                optional
                addLabel="Only contacts who…"
                emptyHint="Everyone, unless you narrow it down."
                context={{ sources: ["contact"], behaviour: true }}
                path="segment"
                errorAt={error}
              />
            </div>
          </>
        );
      }
      case "inactivity":
        return (
          <>
            <EventSelect
              label="No event of"
              value={draft.event}
              onChange={(event) => change({ ...draft, event })}
              error={error("event")}
            />
            <NumberField
              label="For this many days"
              min={1}
              value={draft.days}
              onChange={(days) => change({ ...draft, days })}
              error={error("days")}
              hint="Whether contacts already inactive enter is chosen when you publish."
            />
            <CheckboxField
              label="Also those who never did it"
              hint={`Contacts with an email and no ${draft.event || "such event"} enter ${draft.days} days after they joined (e.g. sign-ups who never bought).`}
              checked={draft.includeNeverDone === true}
              onChange={(on) => {
                const { includeNeverDone: _, ...rest } = draft;
                change(on ? { ...rest, includeNeverDone: true } : rest);
              }}
            />
            <div className="flex flex-col gap-1.5">
              <span className="text-xs font-medium text-slate-700">Who</span>
              <PredicateEditor
                value={draft.segment}
                onChange={(segment) => change({ ...draft, segment })}
                optional
                addLabel="Only contacts who…"
                context={{ sources: ["contact"], behaviour: true }}
                path="segment"
                errorAt={error}
              />
            </div>
          </>
        );
      case "back_in_stock":
        return (
          <>
            <ListField
              label="Products (ids)"
              value={draft.productIds}
              onChange={(productIds) => change({ ...draft, productIds })}
              hint="Empty: any product. Separate with commas."
            />
            <ListField
              label="Categories"
              value={draft.categories}
              onChange={(categories) => change({ ...draft, categories })}
              hint="Empty: any category. Separate with commas."
            />
          </>
        );
    }
  })();
  return (
    <>
      <SelectField
        label="Starts when"
        value={draft.type}
        options={TYPES}
        onChange={(type) => change(triggerOfType(type))}
      />
      {body}
    </>
  );
}

const TriggerCard = memo(function TriggerCard({ id, data, selected }: NodeProps<CanvasNodeOf<"trigger">>) {
  return <NodeCard id={id} kind="trigger" config={data} selected={selected} icon={Zap} tone="indigo" />;
});

export const triggerUi: NodeUi<"trigger"> = {
  icon: Zap,
  tone: "indigo",
  Card: TriggerCard,
  Inspector: TriggerInspector,
};
