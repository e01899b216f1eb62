"use client";
import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { Hourglass } from "lucide-react";
import type { CanvasNodeOf } from "../graph-canvas";
import { DurationFields } from "../inspector/common-fields";
import { PredicateEditor } from "../inspector/predicate-editor";
import { EventSelect, PropertySelect } from "../inspector/pickers";
import { useNodeForm, useTriggerEvent } from "../inspector/use-node-form";
import { CheckboxField } from "../ui/form";
import { NodeCard } from "./node-card";
import type { InspectorProps, NodeUi } from "./types";

function WaitForEventInspector({ nodeId, config }: InspectorProps<"wait_for_event">) {
  const { draft, change, error } = useNodeForm("wait_for_event", nodeId, config);
  const triggerEvent = useTriggerEvent();
  return (
    <>
      <EventSelect
        label="Wait for"
        value={draft.event}
        onChange={(event) => change({ ...draft, event })}
        error={error("event")}
      />
      <DurationFields
        amountLabel="Give up after"
        amount={draft.timeout.amount}
        unit={draft.timeout.unit}
        onChange={(timeout) => change({ ...draft, timeout })}
        error={error("timeout.amount")}
      />
      <CheckboxField
        label="Must match the trigger"
        hint="E.g. the review is for the same order that started the flow."
        checked={draft.matchTriggerProperty !== null}
        onChange={(on) => change({ ...draft, matchTriggerProperty: on ? "order_id" : null })}
      />
      <CheckboxField
        label="Also count one from earlier in this flow"
        hint="E.g. after a reminder, a referral made before the reminder still counts."
        checked={draft.sinceFlowStart ?? false}
        onChange={(sinceFlowStart) => change({ ...draft, sinceFlowStart })}
      />
      {draft.matchTriggerProperty !== null && (
        <PropertySelect
          label="Same value of"
          source="trigger"
          eventName={triggerEvent}
          value={draft.matchTriggerProperty}
          onChange={(matchTriggerProperty) => change({ ...draft, matchTriggerProperty })}
          error={error("matchTriggerProperty")}
        />
      )}
      <div className="flex flex-col gap-1.5">
        <span className="text-xs font-medium text-slate-700">Filter</span>
        <PredicateEditor
          value={draft.filter}
          onChange={(filter) => change({ ...draft, filter })}
          optional
          addLabel="Only when the event matches…"
          context={{ sources: ["event"], eventName: draft.event, triggerEvent, behaviour: false }}
          path="filter"
          errorAt={error}
        />
      </div>
    </>
  );
}

const WaitForEventCard = memo(function WaitForEventCard({
  id,
  data,
  selected,
}: NodeProps<CanvasNodeOf<"wait_for_event">>) {
  return (
    <NodeCard
      id={id}
      kind="wait_for_event"
      config={data}
      selected={selected}
      icon={Hourglass}
      tone="orange"
    />
  );
});

export const waitForEventUi: NodeUi<"wait_for_event"> = {
  icon: Hourglass,
  tone: "orange",
  Card: WaitForEventCard,
  Inspector: WaitForEventInspector,
};
