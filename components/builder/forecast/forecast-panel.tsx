"use client";
/**
 * The builder's Forecast view: the draft replayed over the shop's real events of the last
 * 7, 30, 60 or 90 days, computed as a job by the executor while a progress bar runs (Cancel
 * stops it). The read-only canvas of the replayed draft carries each step's forecast where
 * Analytics shows live numbers; with a live version, each step shows the difference. Once the
 * draft changes, the forecast is marked stale, with one click to recompute.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import { FlaskConical, LoaderCircle, RefreshCw, TriangleAlert } from "lucide-react";
import { useTRPC } from "@/trpc/client";
import type { FlowGraph } from "@/server/engine/graph";
import type { Issue } from "@/server/engine/issues";
import { formatCount } from "@/components/format";
import { Button } from "@/components/ui/button";
import { AnalyticsContext, type AnalyticsView } from "../analytics/analytics-context";
import { spacedGraph } from "../analytics/analytics-panel";
import { useBuilderContext } from "../builder-context";
import { FlowCanvas } from "../canvas";
import { canvasToGraph } from "../graph-canvas";
import { BuilderStoreProvider, useBuilderStore } from "../store-provider";
import { BRANCHING_KINDS } from "../analytics/format";
import { forecastEdgeLabel, FORECAST_WINDOWS } from "./format";
import type { ForecastView } from "./forecast-stats";

const selectClass =
  "h-8 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";

const day = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", timeZone: "UTC" });

function pending(status: string | undefined): boolean {
  return status === "queued" || status === "running";
}

export function ForecastPanel({ flowId }: { flowId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { autosave } = useBuilderContext();
  const editor = useBuilderStore();
  // The forecast is of the saved draft: save pending edits before asking about it.
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void autosave.flush().finally(() => setSaved(true));
    // Once, on opening the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const latestKey = trpc.simulate.backtest.latest.queryKey({ flowId });
  const latest = useQuery({
    ...trpc.simulate.backtest.latest.queryOptions({ flowId }),
    enabled: saved,
    // Asked afresh each time the view opens: the draft may have changed since.
    staleTime: 0,
    refetchOnMount: "always",
    refetchInterval: (query) => (pending(query.state.data?.run?.status) ? 700 : false),
  });
  const shown = useQuery(trpc.analytics.statsGraph.queryOptions({ flowId }));
  const [problems, setProblems] = useState<Issue[] | null>(null);
  const start = useMutation(
    trpc.simulate.backtest.start.mutationOptions({
      onSuccess: async (result) => {
        setProblems(result.ok ? null : result.problems);
        await queryClient.invalidateQueries({ queryKey: latestKey });
      },
    }),
  );
  const cancel = useMutation(
    trpc.simulate.backtest.cancel.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: latestKey }),
    }),
  );

  const data = latest.data;
  const run = data?.run ?? null;
  const [chosenDays, setChosenDays] = useState<number | null>(null);
  const days = chosenDays ?? run?.days ?? 30;

  // The first visit forecasts the last 30 days at once; later visits show the kept result.
  const startedOnOpen = useRef(false);
  useEffect(() => {
    if (data && !data.run && !startedOnOpen.current) {
      startedOnOpen.current = true;
      start.mutate({ flowId, days: 30 });
    }
  }, [data, flowId, start]);

  const recompute = (d = days) => start.mutate({ flowId, days: d });
  const result = run?.status === "done" ? run.result : null;
  const currency = shown.data?.currency ?? "USD";

  // The numbers belong to the graph that was replayed; before any result, the draft as it is.
  const baseGraph = useMemo<FlowGraph>(() => {
    if (data?.graph) return data.graph;
    const s = editor.getState();
    return canvasToGraph({ nodes: s.nodes, edges: s.edges, settings: s.settings });
  }, [data?.graph, editor]);
  const graph = useMemo(() => spacedGraph(baseGraph), [baseGraph]);

  const waiting =
    pending(run?.status) || start.isPending ? "Replaying the shop's events…" : "No forecast shown";
  const view = useMemo<AnalyticsView>(() => {
    const forecast: ForecastView = {
      graph,
      draft: result?.draft.nodes ?? null,
      live: result?.live?.nodes ?? null,
      rates: result?.rates ?? null,
      currency,
      waiting,
    };
    if (!result) return { stats: null, currency, edgeLabels: new Map(), forecast };
    const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]));
    const labels = new Map<string, string>();
    for (const e of graph.edges)
      if (BRANCHING_KINDS.has(kinds.get(e.source) ?? ""))
        labels.set(e.id, forecastEdgeLabel(result.draft.nodes[e.source], e.sourceHandle));
    return { stats: null, currency, edgeLabels: labels, forecast };
  }, [result, graph, currency, waiting]);

  const busy = pending(run?.status) || start.isPending;
  const progress = run && pending(run.status) ? run.progress : null;

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="forecast-panel" aria-busy={busy}>
      <div
        className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 bg-white px-4 py-2"
        role="toolbar"
        aria-label="Forecast"
      >
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Replay
          <select
            className={selectClass}
            value={days}
            aria-label="Forecast window"
            disabled={start.isPending}
            onChange={(e) => {
              const next = Number(e.target.value);
              setChosenDays(next);
              recompute(next);
            }}
          >
            {FORECAST_WINDOWS.map((d) => (
              <option key={d} value={d}>
                Last {d} days
              </option>
            ))}
          </select>
        </label>
        {progress !== null && run ? (
          <div className="flex min-w-64 flex-1 items-center gap-3">
            <div
              role="progressbar"
              aria-label="Forecast progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(progress * 100)}
              className="h-2 min-w-32 flex-1 overflow-hidden rounded-full bg-violet-100"
              data-testid="forecast-progress"
            >
              <div
                className="h-full rounded-full bg-violet-600 transition-[width]"
                style={{ width: `${Math.max(2, Math.round(progress * 100))}%` }}
              />
            </div>
            <span className="text-sm tabular-nums text-slate-700">
              {run.status === "queued"
                ? "Waiting for the executor…"
                : `Replaying… ${Math.round(progress * 100)} %`}
            </span>
            <Button
              type="button"
              size="sm"
              variant="secondary"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate({ runId: run.id })}
            >
              Cancel
            </Button>
          </div>
        ) : (
          <Button
            type="button"
            size="sm"
            variant="secondary"
            disabled={busy || !saved}
            onClick={() => recompute()}
            data-testid="forecast-run"
          >
            <RefreshCw aria-hidden /> {run ? "Recompute" : "Forecast"}
          </Button>
        )}
        {start.isPending && (
          <LoaderCircle className="size-4 animate-spin text-slate-500" aria-label="Starting the forecast" />
        )}
        {result && run && (
          <p className="ml-auto text-sm text-slate-700" data-testid="forecast-summary">
            {formatCount(result.draft.contacts)} contacts · {formatCount(result.draft.events)} events ·{" "}
            {day.format(run.from)} – {day.format(run.to)}
            {result.live ? " · compared with the live version" : ""}
          </p>
        )}
      </div>
      <p className="flex items-center gap-2 border-b border-violet-100 bg-violet-50 px-4 py-1.5 text-sm text-violet-950">
        <FlaskConical className="size-4 shrink-0 text-violet-700" aria-hidden />
        What this draft would have done with the shop&apos;s real events. Nothing is sent; conversions and
        revenue come from the contacts&apos; real later orders and are estimates.
      </p>
      {data?.stale && run && !pending(run.status) && (
        <div
          role="status"
          className="flex items-center gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-950"
          data-testid="forecast-stale"
        >
          <TriangleAlert className="size-4 shrink-0 text-amber-700" aria-hidden />
          <p className="flex-1">
            <strong>Stale</strong> —{" "}
            {data.staleBecause === "live"
              ? "another version went live since this forecast."
              : "the draft changed since this forecast."}
          </p>
          <Button type="button" size="sm" disabled={start.isPending} onClick={() => recompute()}>
            <RefreshCw aria-hidden /> Recompute
          </Button>
        </div>
      )}
      {problems && problems.length > 0 && (
        <div role="alert" className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900">
          <p className="font-semibold">Fix these before forecasting the draft:</p>
          <ul className="mt-1 list-disc pl-5" data-testid="forecast-problems">
            {problems.map((p, i) => (
              <li key={i}>
                {p.nodeId ? `Step “${p.nodeId}”: ` : ""}
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {run?.status === "failed" && (
        <p role="alert" className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900">
          The forecast failed: {run.error ?? "unknown error"}
        </p>
      )}
      {run?.status === "cancelled" && (
        <p className="border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm text-slate-700">
          Forecast cancelled. Pick a window or Recompute to run it again.
        </p>
      )}
      {(latest.error || start.error || cancel.error) && (
        <p role="alert" className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900">
          {(latest.error ?? start.error ?? cancel.error)?.message}
        </p>
      )}
      <div className="relative min-h-0 flex-1 bg-slate-50">
        <ReactFlowProvider key={`${run?.id ?? "draft"}:${result ? "result" : "none"}`}>
          <BuilderStoreProvider graph={graph}>
            <AnalyticsContext.Provider value={view}>
              <FlowCanvas readOnly />
            </AnalyticsContext.Provider>
          </BuilderStoreProvider>
        </ReactFlowProvider>
      </div>
    </div>
  );
}
