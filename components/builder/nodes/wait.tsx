"use client";
import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { Clock } from "lucide-react";
import type { WaitConfig } from "@/server/engine/nodes/wait";
import type { CanvasNodeOf } from "../graph-canvas";
import { DurationFields } from "../inspector/common-fields";
import { PropertySelect } from "../inspector/pickers";
import { useNodeForm, useTriggerEvent } from "../inspector/use-node-form";
import { CheckboxField, NumberField, SelectField, TextField, WeekdayPicker, type Option } from "../ui/form";
import { NodeCard } from "./node-card";
import type { InspectorProps, NodeUi } from "./types";

const MODES: Option<WaitConfig["mode"]>[] = [
  { value: "duration", label: "For a while (e.g. 1 day)" },
  { value: "until_time", label: "Until a time of day" },
  { value: "until_date_property", label: "Until a date (e.g. birthday)" },
  { value: "replenishment", label: "Until the order runs out" },
];

function waitOfMode(mode: WaitConfig["mode"]): WaitConfig {
  switch (mode) {
    case "duration":
      return { mode, amount: 1, unit: "days" };
    case "until_time":
      return { mode, time: "09:00", weekdays: [1, 2, 3, 4, 5, 6, 7] };
    case "until_date_property":
      return { mode, source: "contact", property: "birthday", offsetDays: 0, time: "09:00", yearly: true };
    case "replenishment":
      return {
        mode,
        quantityProperty: "quantity",
        daysPerUnitProperty: "days_per_unit",
        shippingDays: 3,
        fallbackDays: 30,
        time: "10:00",
      };
  }
}

function WaitInspector({ nodeId, config }: InspectorProps<"wait">) {
  const { draft, change, error } = useNodeForm("wait", nodeId, config);
  const triggerEvent = useTriggerEvent();
  return (
    <>
      <SelectField
        label="Wait"
        value={draft.mode}
        options={MODES}
        onChange={(mode) => change(waitOfMode(mode))}
      />
      {draft.mode === "duration" && (
        <DurationFields
          amountLabel="How long"
          amount={draft.amount}
          unit={draft.unit}
          onChange={(d) => change({ ...draft, ...d })}
          error={error("amount")}
        />
      )}
      {draft.mode === "until_time" && (
        <>
          <TextField
            label="Until (their time)"
            type="time"
            value={draft.time}
            onChange={(time) => change({ ...draft, time })}
            error={error("time")}
          />
          <WeekdayPicker
            label="On"
            value={draft.weekdays}
            onChange={(weekdays) => change({ ...draft, weekdays })}
            error={error("weekdays")}
          />
        </>
      )}
      {draft.mode === "until_date_property" && (
        <>
          <SelectField
            label="Date from"
            value={draft.source}
            options={[
              { value: "contact", label: "The contact" },
              { value: "trigger", label: "The trigger event" },
            ]}
            onChange={(source) => change({ ...draft, source, property: "" })}
          />
          <PropertySelect
            label="Date property"
            source={draft.source}
            eventName={triggerEvent}
            value={draft.property}
            onChange={(property) => change({ ...draft, property })}
            error={error("property")}
          />
          <div className="grid grid-cols-2 gap-2">
            <NumberField
              label="Days after (− before)"
              value={draft.offsetDays}
              onChange={(offsetDays) => change({ ...draft, offsetDays })}
              error={error("offsetDays")}
            />
            <TextField
              label="At"
              type="time"
              value={draft.time}
              onChange={(time) => change({ ...draft, time })}
              error={error("time")}
            />
          </div>
          <CheckboxField
            label="Next anniversary"
            hint="Wait for the date's next yearly return (birthdays)."
            checked={draft.yearly}
            onChange={(yearly) => change({ ...draft, yearly })}
          />
        </>
      )}
      {draft.mode === "replenishment" && (
        <>
          <PropertySelect
            label="Quantity (order property)"
            source="trigger"
            eventName={triggerEvent}
            value={draft.quantityProperty}
            onChange={(quantityProperty) => change({ ...draft, quantityProperty })}
          />
          <PropertySelect
            label="Days one unit lasts (order property)"
            source="trigger"
            eventName={triggerEvent}
            value={draft.daysPerUnitProperty}
            onChange={(daysPerUnitProperty) => change({ ...draft, daysPerUnitProperty })}
          />
          <div className="grid grid-cols-2 gap-2">
            <NumberField
              label="Shipping days"
              min={0}
              value={draft.shippingDays}
              onChange={(shippingDays) => change({ ...draft, shippingDays })}
              error={error("shippingDays")}
            />
            <NumberField
              label="Otherwise, days"
              min={1}
              value={draft.fallbackDays}
              onChange={(fallbackDays) => change({ ...draft, fallbackDays })}
              error={error("fallbackDays")}
            />
          </div>
          <TextField
            label="At"
            type="time"
            value={draft.time}
            onChange={(time) => change({ ...draft, time })}
            error={error("time")}
          />
        </>
      )}
    </>
  );
}

const WaitCard = memo(function WaitCard({ id, data, selected }: NodeProps<CanvasNodeOf<"wait">>) {
  return <NodeCard id={id} kind="wait" config={data} selected={selected} icon={Clock} tone="amber" />;
});

export const waitUi: NodeUi<"wait"> = {
  icon: Clock,
  tone: "amber",
  Card: WaitCard,
  Inspector: WaitInspector,
};
