"use client";
/** The builder's top bar: name, status, save state, analytics, test, undo/redo, problems, versions, pause/resume, publish. */
import { useMemo, useState } from "react";
import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  ArrowLeft,
  ChartColumn,
  CircleCheck,
  FlaskConical,
  History,
  LayoutDashboard,
  LoaderCircle,
  Pause,
  Play,
  Redo2,
  TriangleAlert,
  Undo2,
} from "lucide-react";
import { useTRPC } from "@/trpc/client";
import type { FlowGraph } from "@/server/engine/graph";
import { sameFlowGraph } from "@/server/engine/graph-compare";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useBuilderContext } from "./builder-context";
import { canvasToGraph } from "./graph-canvas";
import { useBuilder, useBuilderStore } from "./store-provider";
import type { SaveStatus } from "./use-autosave";

const SAVE_TEXT: Record<SaveStatus, string> = {
  saved: "Saved",
  unsaved: "Unsaved changes",
  saving: "Saving…",
  error: "Couldn't save",
  conflict: "Not saved — out of date",
};

type Flow = {
  id: string;
  name: string;
  status: "draft" | "live" | "paused" | "archived";
  /** The live version's graph; null when nothing is published. */
  liveGraph?: FlowGraph | null;
};

/** Whether the editor's saved draft is exactly the live version: then there is nothing to publish. */
function useMatchesLive(liveGraph: FlowGraph | null | undefined, saved: boolean): boolean {
  const nodes = useBuilder((s) => s.nodes);
  const edges = useBuilder((s) => s.edges);
  const settings = useBuilder((s) => s.settings);
  return useMemo(
    () => saved && !!liveGraph && sameFlowGraph(canvasToGraph({ nodes, edges, settings }), liveGraph),
    [saved, liveGraph, nodes, edges, settings],
  );
}

export function BuilderHeader({
  flow,
  issuesOpen,
  onToggleIssues,
  onPublish,
  onVersions,
  analytics = false,
  onToggleAnalytics,
  testing = false,
  onToggleTest,
  forecast = false,
  onToggleForecast,
}: {
  flow: Flow;
  issuesOpen: boolean;
  onToggleIssues: () => void;
  onPublish: () => void;
  onVersions: () => void;
  /** Analytics on: the canvas shows the published flow's numbers, and the draft can't be edited. */
  analytics?: boolean;
  onToggleAnalytics?: () => void;
  /** The Test panel is open: the draft runs for a real contact, nothing sent or saved. */
  testing?: boolean;
  onToggleTest?: () => void;
  /** Forecast on: the canvas shows what the draft would have done over past events; nothing edits it. */
  forecast?: boolean;
  onToggleForecast?: () => void;
}) {
  const { autosave } = useBuilderContext();
  const store = useBuilderStore();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canUndo = useBuilder((s) => s.past.length > 0);
  const canRedo = useBuilder((s) => s.future.length > 0);
  const issueCount = useBuilder((s) => s.issues.length);
  const upToDate = useMatchesLive(flow.liveGraph, autosave.status === "saved") && flow.status !== "archived";
  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.flows.get.queryKey({ id: flow.id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() }),
    ]);
  const pause = useMutation(
    trpc.flows.pause.mutationOptions({
      onSuccess: () =>
        invalidate().then(() =>
          store.getState().notify("Paused: no one new enters, and contacts in the flow wait where they are."),
        ),
    }),
  );
  const resume = useMutation(
    trpc.flows.resume.mutationOptions({
      onSuccess: () => invalidate().then(() => store.getState().notify("Resumed.")),
    }),
  );
  const rename = useMutation(trpc.flows.rename.mutationOptions({ onSuccess: invalidate }));
  const [name, setName] = useState(flow.name);

  function commitName() {
    const next = name.trim();
    if (next === "" || next === flow.name) {
      setName(flow.name);
      return;
    }
    rename.mutate({ id: flow.id, name: next });
  }

  return (
    <header className="flex h-14 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-4">
      <Link
        href="/flows"
        className="flex items-center gap-1 rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
        aria-label="Back to flows"
      >
        <ArrowLeft className="size-4" aria-hidden />
        Flows
      </Link>
      <div className="h-5 w-px bg-slate-200" aria-hidden />
      <input
        aria-label="Flow name"
        className="min-w-0 max-w-xs flex-1 truncate rounded-md border border-transparent bg-transparent px-2 py-1 text-base font-semibold text-slate-900 hover:border-slate-200 focus-visible:border-slate-300 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
        value={name}
        maxLength={120}
        onChange={(e) => setName(e.target.value)}
        onBlur={commitName}
        onKeyDown={(e) => {
          if (e.key === "Enter") e.currentTarget.blur();
          if (e.key === "Escape") {
            setName(flow.name);
            e.currentTarget.blur();
          }
        }}
      />
      <Badge
        tone={flow.status === "live" ? "live" : flow.status === "paused" ? "paused" : "draft"}
        data-testid="flow-status"
      >
        {flow.status}
      </Badge>
      <span
        className={cn(
          "flex items-center gap-1 text-xs",
          autosave.status === "error" || autosave.status === "conflict"
            ? "font-medium text-red-700"
            : "text-slate-600",
        )}
        data-testid="save-status"
        role="status"
        aria-live="polite"
        title={autosave.error ?? undefined}
      >
        {autosave.status === "saving" && <LoaderCircle className="size-3 animate-spin" aria-hidden />}
        {SAVE_TEXT[autosave.status]}
      </span>
      <div className="ml-auto flex items-center gap-1.5">
        {onToggleAnalytics && (
          <Button
            type="button"
            size="sm"
            variant={analytics ? "default" : "secondary"}
            aria-pressed={analytics}
            onClick={onToggleAnalytics}
            title={analytics ? "Back to editing the draft" : "Numbers of the published flow on the canvas"}
            data-testid="analytics-toggle"
          >
            <ChartColumn aria-hidden /> Analytics
          </Button>
        )}
        {onToggleForecast && (
          <Button
            type="button"
            size="sm"
            variant={forecast ? "default" : "secondary"}
            aria-pressed={forecast}
            onClick={onToggleForecast}
            title={
              forecast
                ? "Back to editing the draft"
                : "What the draft would have done over the shop's past events"
            }
            data-testid="forecast-toggle"
          >
            <FlaskConical aria-hidden /> Forecast
          </Button>
        )}
        {/* While Analytics or Forecast is on the draft is out of sight: nothing here edits it. */}
        {!analytics && !forecast && (
          <>
            <Button
              type="button"
              size="icon"
              variant="ghost"
              aria-label="Undo"
              title="Undo (Ctrl/Cmd+Z)"
              disabled={!canUndo}
              onClick={() => store.getState().undo()}
            >
              <Undo2 aria-hidden />
            </Button>
            <Button
              type="button"
              size="icon"
              variant="ghost"
              aria-label="Redo"
              title="Redo (Shift+Ctrl/Cmd+Z)"
              disabled={!canRedo}
              onClick={() => store.getState().redo()}
            >
              <Redo2 aria-hidden />
            </Button>
            {onToggleTest && (
              <Button
                type="button"
                size="sm"
                variant={testing ? "default" : "secondary"}
                aria-pressed={testing}
                onClick={onToggleTest}
                title="Run this draft for a real contact: nothing is sent or saved"
                data-testid="test-toggle"
              >
                <FlaskConical aria-hidden /> Test
              </Button>
            )}
            <Button
              type="button"
              size="sm"
              variant="ghost"
              aria-expanded={issuesOpen}
              onClick={onToggleIssues}
              className={
                issueCount > 0 ? "text-red-700 hover:bg-red-50" : "text-emerald-800 hover:bg-emerald-50"
              }
              data-testid="issues-toggle"
            >
              {issueCount > 0 ? <TriangleAlert aria-hidden /> : <CircleCheck aria-hidden />}
              {issueCount > 0
                ? `${issueCount} ${issueCount === 1 ? "problem" : "problems"}`
                : upToDate
                  ? "Published · no changes"
                  : "Ready to publish"}
            </Button>
          </>
        )}
        <Button asChild size="sm" variant="ghost">
          <Link href={`/flows/${flow.id}/dashboard`} data-testid="dashboard-link">
            <LayoutDashboard aria-hidden /> Dashboard
          </Link>
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onVersions}>
          <History aria-hidden /> Versions
        </Button>
        {flow.status === "live" && (
          <Button
            type="button"
            size="sm"
            variant="secondary"
            disabled={pause.isPending}
            onClick={() => pause.mutate({ id: flow.id })}
          >
            <Pause aria-hidden /> Pause
          </Button>
        )}
        {flow.status === "paused" && (
          <Button
            type="button"
            size="sm"
            variant="secondary"
            disabled={resume.isPending}
            onClick={() => resume.mutate({ id: flow.id })}
          >
            <Play aria-hidden /> Resume
          </Button>
        )}
        <Button
          type="button"
          size="sm"
          onClick={onPublish}
          disabled={flow.status === "archived" || upToDate}
          title={
            upToDate
              ? "Nothing to publish: the draft is the live version. Edit the flow to publish again."
              : undefined
          }
          data-testid="publish-button"
        >
          Publish
        </Button>
      </div>
    </header>
  );
}

export function ConflictBanner() {
  const { autosave } = useBuilderContext();
  const [busy, setBusy] = useState(false);
  if (autosave.status !== "conflict") return null;
  const act = (fn: () => Promise<void>) => async () => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2.5 text-sm text-amber-950"
      data-testid="conflict-banner"
    >
      <TriangleAlert className="size-4 shrink-0 text-amber-700" aria-hidden />
      <p className="flex-1">
        <strong>This draft was changed in another tab or by a teammate.</strong> Your latest edits here
        aren&apos;t saved. Reload to get the latest, or keep your version and save it over theirs.
      </p>
      <Button type="button" size="sm" disabled={busy} onClick={act(autosave.reload)}>
        Reload latest
      </Button>
      <Button type="button" size="sm" variant="secondary" disabled={busy} onClick={act(autosave.overwrite)}>
        Keep mine
      </Button>
    </div>
  );
}
