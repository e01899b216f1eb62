"use client";
import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { GitBranch, Plus, Trash2 } from "lucide-react";
import type { ConditionConfig } from "@/server/engine/nodes/condition";
import { Button } from "@/components/ui/button";
import type { CanvasNodeOf } from "../graph-canvas";
import { PredicateEditor, defaultCondition, type PredicateContext } from "../inspector/predicate-editor";
import { useMessageSteps, useNodeForm, useTriggerEvent } from "../inspector/use-node-form";
import { SelectField, TextField } from "../ui/form";
import { NodeCard } from "./node-card";
import type { InspectorProps, NodeUi } from "./types";

type Branches = Extract<ConditionConfig, { mode: "branches" }>;

function nextBranchId(branches: Branches["branches"]): string {
  const taken = new Set(branches.map((b) => b.id));
  for (let n = branches.length + 1; ; n++) if (!taken.has(`path_${n}`)) return `path_${n}`;
}

function ConditionInspector({ nodeId, config }: InspectorProps<"condition">) {
  const { draft, change, error } = useNodeForm("condition", nodeId, config);
  const triggerEvent = useTriggerEvent();
  const messageSteps = useMessageSteps();
  const context: PredicateContext = {
    sources: ["contact", "trigger"],
    triggerEvent,
    behaviour: true,
    messageSteps,
  };
  return (
    <>
      <SelectField
        label="Paths"
        value={draft.mode}
        options={[
          { value: "if", label: "Yes / No" },
          { value: "branches", label: "Several paths (first match wins)" },
        ]}
        onChange={(mode) =>
          change(
            mode === "if"
              ? {
                  mode,
                  predicate:
                    draft.mode === "if"
                      ? draft.predicate
                      : (draft.branches[0]?.predicate ?? { type: "all", conditions: [] }),
                }
              : {
                  mode,
                  branches: [
                    {
                      id: "path_1",
                      label: "Path 1",
                      predicate:
                        draft.mode === "if"
                          ? draft.predicate
                          : { type: "all", conditions: [defaultCondition(context)] },
                    },
                  ],
                  elseLabel: "Everyone else",
                },
          )
        }
      />
      {draft.mode === "if" ? (
        <div className="flex flex-col gap-1.5">
          <span className="text-xs font-medium text-slate-700">Yes when</span>
          <PredicateEditor
            value={draft.predicate}
            onChange={(predicate) => predicate && change({ ...draft, predicate })}
            context={context}
            path="predicate"
            errorAt={error}
          />
        </div>
      ) : (
        <>
          {draft.branches.map((branch, i) => (
            <fieldset key={branch.id} className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3">
              <legend className="px-1 text-xs font-semibold text-slate-700">Path {i + 1}</legend>
              <div className="flex items-end gap-2">
                <TextField
                  className="flex-1"
                  label="Name"
                  value={branch.label}
                  onChange={(label) =>
                    change({
                      ...draft,
                      branches: draft.branches.map((b, j) => (j === i ? { ...b, label } : b)),
                    })
                  }
                  error={error(`branches.${i}.label`)}
                />
                <Button
                  type="button"
                  size="icon"
                  variant="ghost"
                  aria-label={`Remove path ${i + 1}`}
                  onClick={() => change({ ...draft, branches: draft.branches.filter((_, j) => j !== i) })}
                >
                  <Trash2 aria-hidden />
                </Button>
              </div>
              <PredicateEditor
                value={branch.predicate}
                onChange={(predicate) =>
                  predicate &&
                  change({
                    ...draft,
                    branches: draft.branches.map((b, j) => (j === i ? { ...b, predicate } : b)),
                  })
                }
                context={context}
                path={`branches.${i}.predicate`}
                errorAt={error}
              />
            </fieldset>
          ))}
          <Button
            type="button"
            size="sm"
            variant="secondary"
            className="self-start"
            onClick={() =>
              change({
                ...draft,
                branches: [
                  ...draft.branches,
                  {
                    id: nextBranchId(draft.branches),
                    label: `Path ${draft.branches.length + 1}`,
                    predicate: { type: "all", conditions: [defaultCondition(context)] },
                  },
                ],
              })
            }
          >
            <Plus aria-hidden /> Add path
          </Button>
          <TextField
            label="Everyone else"
            value={draft.elseLabel}
            onChange={(elseLabel) => change({ ...draft, elseLabel })}
            hint="The path for contacts no path above matches."
          />
        </>
      )}
    </>
  );
}

const ConditionCard = memo(function ConditionCard({
  id,
  data,
  selected,
}: NodeProps<CanvasNodeOf<"condition">>) {
  return (
    <NodeCard id={id} kind="condition" config={data} selected={selected} icon={GitBranch} tone="violet" />
  );
});

export const conditionUi: NodeUi<"condition"> = {
  icon: GitBranch,
  tone: "violet",
  Card: ConditionCard,
  Inspector: ConditionInspector,
};
