"use client";
import type { z } from "zod";
import { BACK_IN_STOCK_EVENT } from "@/server/engine/nodes/trigger";
import { nodeDefinitions, type NodeConfig, type NodeKind } from "@/server/engine/nodes";
import { useShallow } from "zustand/react/shallow";
import { useBuilder } from "../store-provider";
import { useSchemaForm } from "./use-schema-form";

/** The form of one step: its config checked against the kind's zod schema, committed when valid. */
export function useNodeForm<K extends NodeKind>(kind: K, nodeId: string, config: NodeConfig<K>) {
  const update = useBuilder((s) => s.updateConfig);
  return useSchemaForm(
    nodeDefinitions[kind].configSchema as unknown as z.ZodType<NodeConfig<K>>,
    config,
    (next) => update(nodeId, next),
  );
}

/** The event that starts the flow (for "trigger event property" pickers), if it is event-triggered. */
export function useTriggerEvent(): string | null {
  return useBuilder((s) => {
    const trigger = s.nodes.find((n) => n.type === "trigger");
    if (!trigger || trigger.type !== "trigger") return null;
    if (trigger.data.type === "event") return trigger.data.event || null;
    if (trigger.data.type === "back_in_stock") return BACK_IN_STOCK_EVENT;
    return null;
  });
}

/** The flow's email, SMS and push steps, for "opened the email of step X": `Email: Happy birthday (birthday_email)`. */
export function useMessageSteps(): Array<{ id: string; label: string }> {
  return useBuilder(
    useShallow((s) =>
      s.nodes.flatMap((n) => {
        const definition = nodeDefinitions[n.type];
        if (!definition || definition.traits.channel === null) return [];
        const parsed = definition.configSchema.safeParse(n.data);
        const summary = parsed.success
          ? (definition.summary as (config: unknown) => string)(parsed.data)
          : definition.label;
        return [`${n.id}\u0000${summary} (${n.id})`];
      }),
    ),
  ).map((entry) => {
    const [id = "", label = ""] = entry.split("\u0000");
    return { id, label };
  });
}
