"use client";
/** The right-hand panel: the selected step's form, or the flow's settings. */
import { useState } from "react";
import { Copy, PanelRightClose, PanelRightOpen, Settings2, Trash2, TriangleAlert } from "lucide-react";
import { Tabs } from "radix-ui";
import { useShallow } from "zustand/react/shallow";
import { definitionOf } from "@/server/engine/nodes";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { nodeUiOf } from "../nodes";
import { TONES } from "../nodes/types";
import { useBuilder, useBuilderStore } from "../store-provider";
import { SettingsPanel } from "./settings-panel";

type Tab = "step" | "settings";

/** `collapsed`: a thin bar with a button to bring it back, so the canvas gets the room. */
export function Inspector({
  initialTab,
  collapsed = false,
  onToggle,
}: {
  initialTab?: Tab | undefined;
  collapsed?: boolean;
  onToggle?: () => void;
}) {
  const selectedNodeId = useBuilder((s) => s.selectedNodeId);
  const [tab, setTab] = useState<Tab>(initialTab ?? (selectedNodeId ? "step" : "settings"));
  const [seen, setSeen] = useState(selectedNodeId);
  if (seen !== selectedNodeId) {
    setSeen(selectedNodeId);
    if (selectedNodeId) setTab("step");
  }
  const settingsIssues = useBuilder((s) => s.issues.filter((i) => i.code === "invalid_settings").length);
  const toggle = onToggle && (
    <button
      type="button"
      onClick={onToggle}
      className="m-1.5 shrink-0 self-center rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
      aria-label={collapsed ? "Show the inspector" : "Hide the inspector"}
      aria-expanded={!collapsed}
      title={collapsed ? "Show the inspector" : "Hide the inspector"}
      data-testid="toggle-inspector"
    >
      {collapsed ? (
        <PanelRightOpen className="size-4" aria-hidden />
      ) : (
        <PanelRightClose className="size-4" aria-hidden />
      )}
    </button>
  );
  if (collapsed)
    return (
      <aside
        aria-label="Inspector"
        className="flex w-10 shrink-0 flex-col items-center border-l border-slate-200 bg-white"
        data-testid="inspector"
        data-collapsed="true"
      >
        {toggle}
      </aside>
    );
  return (
    <aside
      aria-label="Inspector"
      className="flex w-[380px] shrink-0 flex-col border-l border-slate-200 bg-white"
      data-testid="inspector"
    >
      <Tabs.Root value={tab} onValueChange={(v) => setTab(v as Tab)} className="flex min-h-0 flex-1 flex-col">
        <Tabs.List
          aria-label="Inspector"
          className="flex shrink-0 items-center border-b border-slate-200 px-3"
        >
          {(
            [
              ["step", "Step"],
              ["settings", "Flow settings"],
            ] as const
          ).map(([value, label]) => (
            <Tabs.Trigger
              key={value}
              value={value}
              className="-mb-px flex items-center gap-1.5 border-b-2 border-transparent px-3 py-2.5 text-sm font-medium text-slate-600 hover:text-slate-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 data-[state=active]:border-indigo-600 data-[state=active]:text-indigo-800"
            >
              {label}
              {value === "settings" && settingsIssues > 0 && (
                <TriangleAlert className="size-3.5 text-red-600" aria-label={`${settingsIssues} problems`} />
              )}
            </Tabs.Trigger>
          ))}
          <span className="ml-auto" />
          {toggle}
        </Tabs.List>
        <Tabs.Content value="step" className="min-h-0 flex-1 overflow-y-auto focus-visible:outline-none">
          {selectedNodeId ? (
            <StepPanel key={selectedNodeId} nodeId={selectedNodeId} />
          ) : (
            <NothingSelected onSettings={() => setTab("settings")} />
          )}
        </Tabs.Content>
        <Tabs.Content value="settings" className="min-h-0 flex-1 overflow-y-auto focus-visible:outline-none">
          <SettingsPanel />
        </Tabs.Content>
      </Tabs.Root>
    </aside>
  );
}

function NothingSelected({ onSettings }: { onSettings: () => void }) {
  return (
    <div className="flex flex-col items-center px-8 py-16 text-center">
      <p className="text-sm font-medium text-slate-800">No step selected</p>
      <p className="mt-1 text-sm text-slate-600">
        Click a step on the canvas to edit it. Shift-drag to select several.
      </p>
      <Button type="button" variant="secondary" size="sm" className="mt-4" onClick={onSettings}>
        <Settings2 aria-hidden /> Flow settings
      </Button>
    </div>
  );
}

function StepPanel({ nodeId }: { nodeId: string }) {
  const store = useBuilderStore();
  const node = useBuilder((s) => s.nodes.find((n) => n.id === nodeId));
  const issues = useBuilder(useShallow((s) => (s.issuesByNode[nodeId] ?? []).map((i) => i.message)));
  if (!node) return null;
  const ui = nodeUiOf(node.type);
  const Icon = ui.icon;
  const Form = ui.Inspector;
  const definition = definitionOf(node.type);
  return (
    <div data-testid="step-inspector" data-node-id={nodeId}>
      <div className="flex items-start gap-3 border-b border-slate-100 px-5 py-4">
        <span
          className={cn("flex size-9 shrink-0 items-center justify-center rounded-lg", TONES[ui.tone].icon)}
          aria-hidden
        >
          <Icon className="size-[18px]" />
        </span>
        <div className="min-w-0 flex-1">
          <h2 className="text-sm font-semibold text-slate-900">{definition.label}</h2>
          <p className="text-xs text-slate-600">{definition.description}</p>
        </div>
        <div className="flex gap-0.5">
          <Button
            type="button"
            size="icon"
            variant="ghost"
            aria-label="Duplicate step"
            title="Duplicate (Ctrl/Cmd+C, Ctrl/Cmd+V)"
            disabled={node.type === "trigger"}
            onClick={() => {
              store.getState().copySelection();
              store.getState().paste();
            }}
          >
            <Copy aria-hidden />
          </Button>
          <Button
            type="button"
            size="icon"
            variant="ghost"
            aria-label="Delete step"
            title="Delete (Del)"
            onClick={() => store.getState().deleteNodes([nodeId])}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      </div>
      {issues.length > 0 && (
        <div
          className="mx-5 mt-4 rounded-lg border border-red-200 bg-red-50 px-3 py-2.5"
          role="status"
          data-testid="step-issues"
        >
          <p className="flex items-center gap-1.5 text-xs font-semibold text-red-900">
            <TriangleAlert className="size-3.5" aria-hidden /> To fix before publishing
          </p>
          <ul className="mt-1 list-disc pl-5 text-xs text-red-900">
            {issues.map((message, i) => (
              <li key={i}>{message}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="flex flex-col gap-3 px-5 py-4">
        <Form nodeId={nodeId} config={node.data} />
      </div>
    </div>
  );
}
