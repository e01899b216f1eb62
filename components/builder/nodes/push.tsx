"use client";
import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { Bell } from "lucide-react";
import type { PushConfig } from "@/server/engine/nodes/push";
import type { CanvasNodeOf } from "../graph-canvas";
import { CategoryField, SmartSendingField } from "../inspector/common-fields";
import { useNodeForm } from "../inspector/use-node-form";
import { TextAreaField, TextField } from "../ui/form";
import { NodeCard } from "./node-card";
import type { InspectorProps, NodeUi } from "./types";

function PushInspector({ nodeId, config }: InspectorProps<"push">) {
  const { draft, change, error } = useNodeForm("push", nodeId, config);
  return (
    <>
      <TextField
        label="Title"
        value={draft.title}
        onChange={(title) => change({ ...draft, title })}
        error={error("title")}
      />
      <TextAreaField
        label="Text"
        rows={3}
        value={draft.body}
        onChange={(body) => change({ ...draft, body })}
        error={error("body")}
      />
      <TextField
        label="Opens (link)"
        value={draft.url ?? ""}
        placeholder="https://… or {{ product.url }}"
        onChange={(url) => {
          const { url: _old, ...rest } = draft;
          change(url === "" ? rest : ({ ...rest, url } satisfies PushConfig));
        }}
        error={error("url")}
        hint="Optional."
      />
      <CategoryField value={draft.category} onChange={(category) => change({ ...draft, category })} />
      <SmartSendingField
        category={draft.category}
        value={draft.smartSending}
        onChange={(smartSending) => change({ ...draft, smartSending })}
        channelName="push notification"
      />
    </>
  );
}

const PushCard = memo(function PushCard({ id, data, selected }: NodeProps<CanvasNodeOf<"push">>) {
  return <NodeCard id={id} kind="push" config={data} selected={selected} icon={Bell} tone="teal" />;
});

export const pushUi: NodeUi<"push"> = { icon: Bell, tone: "teal", Card: PushCard, Inspector: PushInspector };
