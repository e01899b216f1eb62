"use client";
import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { BellOff } from "lucide-react";
import { CHANNELS } from "@/server/engine/facts";
import { CHANNEL_NAMES, type ConsentConfig } from "@/server/engine/nodes/consent";
import type { CanvasNodeOf } from "../graph-canvas";
import { useNodeForm } from "../inspector/use-node-form";
import { SelectField, type Option } from "../ui/form";
import { NodeCard } from "./node-card";
import type { InspectorProps, NodeUi } from "./types";

const CHANNEL_OPTIONS: Option<ConsentConfig["channel"]>[] = CHANNELS.map((channel) => ({
  value: channel,
  label: `Marketing ${CHANNEL_NAMES[channel]}`,
}));

function ConsentInspector({ nodeId, config }: InspectorProps<"consent">) {
  const { draft, change, error } = useNodeForm("consent", nodeId, config);
  return (
    <>
      <SelectField
        label="Unsubscribe from"
        value={draft.channel}
        options={CHANNEL_OPTIONS}
        onChange={(channel) => change({ ...draft, channel })}
        error={error("status")}
      />
      <p className="text-sm text-slate-600">
        Contacts who reach this step stop getting marketing on this channel, as if they had clicked
        unsubscribe; transactional messages still go out. Contacts who never opted in are left as they are. A
        flow can't subscribe anyone: that yes has to come from the contact.
      </p>
    </>
  );
}

const ConsentCard = memo(function ConsentCard({ id, data, selected }: NodeProps<CanvasNodeOf<"consent">>) {
  return <NodeCard id={id} kind="consent" config={data} selected={selected} icon={BellOff} tone="rose" />;
});

export const consentUi: NodeUi<"consent"> = {
  icon: BellOff,
  tone: "rose",
  Card: ConsentCard,
  Inspector: ConsentInspector,
};
