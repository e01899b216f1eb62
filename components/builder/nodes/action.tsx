"use client";
import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { Tag } from "lucide-react";
import type { ActionConfig } from "@/server/engine/nodes/action";
import type { CanvasNodeOf } from "../graph-canvas";
import { PropertySelect } from "../inspector/pickers";
import { useNodeForm } from "../inspector/use-node-form";
import { SelectField, TextField, type Option } from "../ui/form";
import { NodeCard } from "./node-card";
import type { InspectorProps, NodeUi } from "./types";

const TYPES: Option<ActionConfig["type"]>[] = [
  { value: "add_tag", label: "Add a tag" },
  { value: "remove_tag", label: "Remove a tag" },
  { value: "update_property", label: "Set a contact property" },
  { value: "webhook", label: "Call a webhook" },
];

function actionOfType(type: ActionConfig["type"], previous: ActionConfig): ActionConfig {
  switch (type) {
    case "add_tag":
    case "remove_tag":
      return { type, tag: "tag" in previous ? previous.tag : "" };
    case "update_property":
      return { type, property: "", value: "" };
    case "webhook":
      return { type, url: "", method: "POST" };
  }
}

type ValueKind = "text" | "number" | "true" | "false" | "empty";

function valueKind(value: string | number | boolean | null): ValueKind {
  if (value === null) return "empty";
  if (typeof value === "boolean") return value ? "true" : "false";
  return typeof value === "number" ? "number" : "text";
}

function ActionInspector({ nodeId, config }: InspectorProps<"action">) {
  const { draft, change, error } = useNodeForm("action", nodeId, config);
  return (
    <>
      <SelectField
        label="Do"
        value={draft.type}
        options={TYPES}
        onChange={(type) => change(actionOfType(type, draft))}
      />
      {(draft.type === "add_tag" || draft.type === "remove_tag") && (
        <TextField
          label="Tag"
          value={draft.tag}
          onChange={(tag) => change({ ...draft, tag })}
          error={error("tag")}
        />
      )}
      {draft.type === "update_property" && (
        <>
          <PropertySelect
            label="Property"
            source="contact"
            value={draft.property}
            onChange={(property) => change({ ...draft, property })}
            error={error("property")}
          />
          <div className="grid grid-cols-2 gap-2">
            <SelectField
              label="Value type"
              value={valueKind(draft.value)}
              options={[
                { value: "text", label: "Text" },
                { value: "number", label: "Number" },
                { value: "true", label: "Yes (true)" },
                { value: "false", label: "No (false)" },
                { value: "empty", label: "Empty" },
              ]}
              onChange={(kind) =>
                change({
                  ...draft,
                  value:
                    kind === "text"
                      ? String(draft.value ?? "")
                      : kind === "number"
                        ? Number(draft.value) || 0
                        : kind === "empty"
                          ? null
                          : kind === "true",
                })
              }
            />
            {(typeof draft.value === "string" || typeof draft.value === "number") && (
              <TextField
                label="Value"
                inputMode={typeof draft.value === "number" ? "decimal" : undefined}
                value={String(draft.value)}
                onChange={(text) =>
                  change({ ...draft, value: typeof draft.value === "number" ? Number(text) : text })
                }
                error={error("value")}
              />
            )}
          </div>
        </>
      )}
      {draft.type === "webhook" && (
        <>
          <TextField
            label="URL"
            value={draft.url}
            placeholder="https://"
            onChange={(url) => change({ ...draft, url })}
            error={error("url")}
            hint="We send the contact, the trigger event and the flow, signed with your workspace's secret (Settings), and retry until your server answers 2xx."
          />
          <SelectField
            label="Method"
            value={draft.method}
            options={(["POST", "PUT", "PATCH", "GET"] as const).map((m) => ({ value: m, label: m }))}
            onChange={(method) => change({ ...draft, method })}
          />
        </>
      )}
    </>
  );
}

const ActionCard = memo(function ActionCard({ id, data, selected }: NodeProps<CanvasNodeOf<"action">>) {
  return <NodeCard id={id} kind="action" config={data} selected={selected} icon={Tag} tone="slate" />;
});

export const actionUi: NodeUi<"action"> = {
  icon: Tag,
  tone: "slate",
  Card: ActionCard,
  Inspector: ActionInspector,
};
