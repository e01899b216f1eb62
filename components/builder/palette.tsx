"use client";
/** The left palette: drag a step onto the canvas, or click to add it after the selected step. */
import { PanelLeftClose, PanelLeftOpen } from "lucide-react";
import { definitionOf, type NodeKind } from "@/server/engine/nodes";
import { cn } from "@/components/ui/cn";
import { nodeUiOf, PALETTE } from "./nodes";
import { TONES } from "./nodes/types";
import { useBuilder, useBuilderStore } from "./store-provider";

/** The drag-and-drop payload type for a node kind. */
export const DND_TYPE = "application/x-tidings-step";

/** `collapsed`: a narrow rail of icons (still click to add, drag to place), so the canvas gets the room. */
export function Palette({ collapsed = false, onToggle }: { collapsed?: boolean; onToggle?: () => void }) {
  const store = useBuilderStore();
  const hasTrigger = useBuilder((s) => s.nodes.some((n) => n.type === "trigger"));
  const Toggle = collapsed ? PanelLeftOpen : PanelLeftClose;
  return (
    <nav
      aria-label="Steps"
      data-testid="palette"
      data-collapsed={collapsed ? "true" : "false"}
      className={cn(
        "flex shrink-0 flex-col overflow-y-auto border-r border-slate-200 bg-white",
        collapsed ? "w-14 items-center gap-3 px-1.5 py-2" : "w-56 gap-4 px-3 py-4",
      )}
    >
      <div className={cn("flex items-start gap-1", collapsed ? "justify-center" : "justify-between")}>
        {!collapsed && (
          <p className="px-1 text-xs text-slate-600">
            Drag a step onto the canvas, or click to add it after the selected step.
          </p>
        )}
        {onToggle && (
          <button
            type="button"
            onClick={onToggle}
            className="shrink-0 rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
            aria-label={collapsed ? "Show step names" : "Collapse the steps panel"}
            aria-expanded={!collapsed}
            title={collapsed ? "Show step names" : "Collapse to icons"}
            data-testid="toggle-palette"
          >
            <Toggle className="size-4" aria-hidden />
          </button>
        )}
      </div>
      {PALETTE.map((group) => (
        <div key={group.title} className="flex flex-col gap-1">
          <h2
            className={cn(
              "px-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500",
              collapsed && "sr-only",
            )}
          >
            {group.title}
          </h2>
          {group.kinds.map((kind) => (
            <PaletteItem
              key={kind}
              kind={kind}
              collapsed={collapsed}
              disabled={kind === "trigger" && hasTrigger}
              onAdd={() => store.getState().appendNode(kind, nodeUiOf(kind).initialConfig?.())}
            />
          ))}
        </div>
      ))}
    </nav>
  );
}

function PaletteItem({
  kind,
  disabled,
  collapsed,
  onAdd,
}: {
  kind: NodeKind;
  disabled: boolean;
  collapsed: boolean;
  onAdd: () => void;
}) {
  const ui = nodeUiOf(kind);
  const Icon = ui.icon;
  const definition = definitionOf(kind);
  return (
    <button
      type="button"
      draggable={!disabled}
      disabled={disabled}
      data-testid={`palette-${kind}`}
      title={
        disabled
          ? "A flow has one trigger"
          : collapsed
            ? `${definition.label}: ${definition.description}`
            : definition.description
      }
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
      <span className={cn(collapsed && "sr-only")}>{definition.label}</span>
      <span id={`palette-${kind}-help`} className="sr-only">
        {disabled ? "A flow has one trigger." : definition.description}
      </span>
    </button>
  );
}
