"use client";
/** The left palette: drag a step onto the canvas, or click to add it after the selected step. */
import { definitionOf, type NodeKind } from "@/server/engine/nodes";
import { cn } from "@/components/ui/cn";
import { nodeUiOf, PALETTE } from "./nodes";
import { TONES } from "./nodes/types";
import { useBuilder, useBuilderStore } from "./store-provider";

/** The drag-and-drop payload type for a node kind. */
export const DND_TYPE = "application/x-tidings-step";

export function Palette() {
  const store = useBuilderStore();
  const hasTrigger = useBuilder((s) => s.nodes.some((n) => n.type === "trigger"));
  return (
    <nav
      aria-label="Steps"
      className="flex w-56 shrink-0 flex-col gap-4 overflow-y-auto border-r border-slate-200 bg-white px-3 py-4"
    >
      <p className="px-1 text-xs text-slate-600">
        Drag a step onto the canvas, or click to add it after the selected step.
      </p>
      {PALETTE.map((group) => (
        <div key={group.title} className="flex flex-col gap-1">
          <h2 className="px-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500">
            {group.title}
          </h2>
          {group.kinds.map((kind) => (
            <PaletteItem
              key={kind}
              kind={kind}
              disabled={kind === "trigger" && hasTrigger}
              onAdd={() => store.getState().appendNode(kind, nodeUiOf(kind).initialConfig?.())}
            />
          ))}
        </div>
      ))}
    </nav>
  );
}

function PaletteItem({ kind, disabled, onAdd }: { kind: NodeKind; disabled: boolean; onAdd: () => void }) {
  const ui = nodeUiOf(kind);
  const Icon = ui.icon;
  const definition = definitionOf(kind);
  return (
    <button
      type="button"
      draggable={!disabled}
      disabled={disabled}
      data-testid={`palette-${kind}`}
      title={disabled ? "A flow has one trigger" : definition.description}
      aria-describedby={`palette-${kind}-help`}
      onClick={onAdd}
      onDragStart={(event) => {
        event.dataTransfer.setData(DND_TYPE, kind);
        event.dataTransfer.effectAllowed = "move";
      }}
      className={cn(
        "group flex items-center gap-2.5 rounded-lg border border-transparent px-2 py-1.5 text-left text-sm font-medium text-slate-800 hover:border-slate-200 hover:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:cursor-not-allowed disabled:opacity-50",
        !disabled && "cursor-grab active:cursor-grabbing",
      )}
    >
      <span
        className={cn("flex size-7 shrink-0 items-center justify-center rounded-md", TONES[ui.tone].icon)}
        aria-hidden
      >
        <Icon className="size-4" />
      </span>
      {definition.label}
      <span id={`palette-${kind}-help`} className="sr-only">
        {disabled ? "A flow has one trigger." : definition.description}
      </span>
    </button>
  );
}
