"use client";
import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { Plus, Shuffle, Trash2 } from "lucide-react";
import type { SplitConfig } from "@/server/engine/nodes/split";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { CanvasNodeOf } from "../graph-canvas";
import { useNodeForm } from "../inspector/use-node-form";
import { CheckboxField, NumberField, TextField } from "../ui/form";
import { NodeCard } from "./node-card";
import type { InspectorProps, NodeUi } from "./types";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function nextBranch(branches: SplitConfig["branches"]): SplitConfig["branches"][number] {
  const taken = new Set(branches.map((b) => b.id));
  const letter = [...LETTERS].find((l) => !taken.has(l.toLowerCase())) ?? `b${branches.length + 1}`;
  return { id: letter.toLowerCase(), label: letter, percent: 0 };
}

/** Even shares that add up to exactly 100. */
export function evenShares(count: number): number[] {
  const base = Math.floor(100 / count);
  return Array.from({ length: count }, (_, i) => base + (i < 100 - base * count ? 1 : 0));
}

function SplitInspector({ nodeId, config }: InspectorProps<"split">) {
  const { draft, change, error } = useNodeForm("split", nodeId, config);
  const total = draft.branches.reduce((sum, b) => sum + (Number.isFinite(b.percent) ? b.percent : 0), 0);
  const setBranches = (branches: SplitConfig["branches"]) => change({ ...draft, branches });
  const set = (i: number, patch: Partial<SplitConfig["branches"][number]>) =>
    setBranches(draft.branches.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  return (
    <>
      {draft.branches.map((branch, i) => (
        <div key={branch.id} className="flex items-end gap-2">
          <TextField
            className="flex-1"
            label={`Path ${i + 1} name`}
            value={branch.label}
            onChange={(label) => set(i, { label })}
            error={error(`branches.${i}.label`)}
          />
          <NumberField
            className="w-24"
            label="Share %"
            min={0}
            max={100}
            value={branch.percent}
            onChange={(percent) => set(i, { percent })}
            error={error(`branches.${i}.percent`)}
          />
          <Button
            type="button"
            size="icon"
            variant="ghost"
            aria-label={`Remove path ${branch.label || i + 1}`}
            onClick={() => setBranches(draft.branches.filter((_, j) => j !== i))}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      ))}
      <p
        className={cn(
          "text-sm",
          Math.abs(total - 100) < 1e-6 ? "text-slate-700" : "font-medium text-red-700",
        )}
        aria-live="polite"
      >
        Total: {Number(total.toFixed(2))}%
        {Math.abs(total - 100) < 1e-6 ? "" : " — the shares must add up to 100%"}
      </p>
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          size="sm"
          variant="secondary"
          disabled={draft.branches.length >= 26}
          onClick={() => setBranches([...draft.branches, nextBranch(draft.branches)])}
        >
          <Plus aria-hidden /> Add path
        </Button>
        <Button
          type="button"
          size="sm"
          variant="ghost"
          disabled={draft.branches.length === 0}
          onClick={() => {
            const shares = evenShares(draft.branches.length);
            setBranches(draft.branches.map((b, i) => ({ ...b, percent: shares[i] ?? 0 })));
          }}
        >
          Split evenly
        </Button>
      </div>
      <AutoWinnerFields draft={draft} change={change} error={error} />
    </>
  );
}

type AutoWinner = NonNullable<SplitConfig["autoWinner"]>;

/**
 * Optional automatic winner at a fixed horizon: once N days and/or N contacts are reached the
 * paths are tested once (server/executor/split-winners.ts); a significantly better path takes
 * everyone new, otherwise the split stays random. One test, so the 5% false-winner rate holds.
 */
function AutoWinnerFields({
  draft,
  change,
  error,
}: {
  draft: SplitConfig;
  change: (next: SplitConfig) => void;
  error: (path: string) => string | undefined;
}) {
  const auto = draft.autoWinner;
  const setAfter = (patch: Partial<AutoWinner["after"]>) => {
    if (!auto) return;
    const after = { ...auto.after, ...patch };
    for (const key of ["days", "contacts"] as const)
      if (after[key] === undefined || Number.isNaN(after[key])) delete after[key];
    change({ ...draft, autoWinner: { ...auto, after } });
  };
  const optional = (n: number) => (Number.isNaN(n) ? undefined : n);
  return (
    <div className="flex flex-col gap-3 border-t border-slate-100 pt-3" data-testid="auto-winner">
      <CheckboxField
        label="Pick a winner automatically"
        hint="Tested once, when the days and contacts below are reached: if one path then converts significantly better (95% confidence), everyone new takes it; if not, the split stays random. The test is never repeated, since re-testing as data comes in would crown false winners."
        checked={auto !== undefined}
        onChange={(on) => {
          if (on) change({ ...draft, autoWinner: { after: { days: 7 }, metric: "conversion_rate" } });
          else {
            const { autoWinner: _removed, ...rest } = draft;
            change(rest);
          }
        }}
      />
      {auto && (
        <>
          <div className="flex gap-2">
            <NumberField
              className="flex-1"
              label="After days"
              min={1}
              max={365}
              value={auto.after.days ?? Number.NaN}
              onChange={(n) => setAfter({ days: optional(n) })}
              error={error("autoWinner.after.days")}
            />
            <NumberField
              className="flex-1"
              label="After contacts"
              min={10}
              value={auto.after.contacts ?? Number.NaN}
              onChange={(n) => setAfter({ contacts: optional(n) })}
              error={error("autoWinner.after.contacts")}
            />
          </div>
          <p className="text-xs text-slate-600">
            Measured by conversion rate: contacts on each path who reach the flow&apos;s goal. Leave one field
            empty to use only the other.
          </p>
        </>
      )}
    </div>
  );
}

const SplitCard = memo(function SplitCard({ id, data, selected }: NodeProps<CanvasNodeOf<"split">>) {
  return <NodeCard id={id} kind="split" config={data} selected={selected} icon={Shuffle} tone="fuchsia" />;
});

export const splitUi: NodeUi<"split"> = {
  icon: Shuffle,
  tone: "fuchsia",
  Card: SplitCard,
  Inspector: SplitInspector,
};
