"use client";
/**
 * The builder with Analytics on: a bar to pick the date range and the version, and a
 * read-only canvas of the published flow the numbers belong to (like Klaviyo, the live
 * version, not the draft), each card with its stats and each branch with its share.
 */
import { useMemo, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import { Info, LoaderCircle } from "lucide-react";
import { useTRPC } from "@/trpc/client";
import type { FlowGraph } from "@/server/engine/graph";
import { definitionOf, isNodeKind } from "@/server/engine/nodes";
import { FlowCanvas } from "../canvas";
import { BuilderStoreProvider } from "../store-provider";
import { AnalyticsContext, type AnalyticsView } from "./analytics-context";
import {
  BRANCHING_KINDS,
  customRange,
  edgeShareLabel,
  presetRange,
  RANGE_PRESETS,
  type RangePreset,
} from "./format";
import { estimatedHeight, spreadRows } from "./spread";
import { StepReportPanel } from "./step-report-panel";
import { formatCount, formatMoney } from "@/components/format";
import { METRICS } from "@/server/engine/metrics";

const ALL_VERSIONS = "all";

const selectClass =
  "h-8 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";

function outputsOf(node: FlowGraph["nodes"][number]): number {
  if (!isNodeKind(node.kind)) return 1;
  try {
    return definitionOf(node.kind).outputs(node.config).length;
  } catch {
    return 1;
  }
}

/** The shown graph with its rows moved apart to fit the stats blocks (also the Forecast view's). */
export function spacedGraph(graph: FlowGraph): FlowGraph {
  const positions = spreadRows(graph, (n) => estimatedHeight(n.kind, outputsOf(n)));
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })) };
}

export function AnalyticsPanel({
  flowId,
  initialRange,
  onRangeChange,
}: {
  flowId: string;
  initialRange?: string | undefined;
  onRangeChange?: (range: string | null) => void;
}) {
  const trpc = useTRPC();
  const [now] = useState(() => Date.now());
  const [preset, setPreset] = useState<RangePreset>(
    () => RANGE_PRESETS.find((p) => p.value === initialRange)?.value ?? "30d",
  );
  const [custom, setCustom] = useState({ from: "", to: "" });
  const [versionId, setVersionId] = useState<string>(ALL_VERSIONS);
  const [reportNodeId, setReportNodeId] = useState<string | null>(null);

  const checked =
    preset === "custom" ? customRange(custom.from, custom.to) : { range: presetRange(preset, now) };
  const range = "range" in checked ? checked.range : null;
  const version = versionId === ALL_VERSIONS ? undefined : versionId;

  const shown = useQuery({
    ...trpc.analytics.statsGraph.queryOptions({ flowId, versionId: version }),
    placeholderData: keepPreviousData,
  });
  const stats = useQuery({
    ...trpc.analytics.flowStats.queryOptions({ flowId, ...range, versionId: version }),
    enabled: range !== null,
    placeholderData: keepPreviousData,
  });

  const data = shown.data;
  const graph = useMemo(() => (data ? spacedGraph(data.graph) : null), [data]);
  const statsData = stats.data ?? null;
  // The flow's main currency, as every page shows its revenue.
  const currency = statsData?.flow.currency ?? data?.currency ?? "USD";
  const view = useMemo<AnalyticsView>(() => {
    const labels = new Map<string, string>();
    if (graph && statsData) {
      const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]));
      for (const e of graph.edges) {
        if (BRANCHING_KINDS.has(kinds.get(e.source) ?? ""))
          labels.set(e.id, edgeShareLabel(statsData.nodes[e.source]?.outcomes[e.sourceHandle]));
      }
    }
    return { stats: statsData, currency, edgeLabels: labels };
  }, [graph, statsData, currency]);

  // The step whose report is open, if the shown version has it.
  const reportNode = (reportNodeId && graph?.nodes.find((n) => n.id === reportNodeId)) || null;

  return (
    <div
      className="flex min-h-0 flex-1 flex-col"
      data-testid="analytics-panel"
      aria-busy={stats.isFetching || shown.isFetching || stats.isPlaceholderData || shown.isPlaceholderData}
    >
      <div
        className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 bg-white px-4 py-2"
        role="toolbar"
        aria-label="Analytics filters"
      >
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Dates
          <select
            className={selectClass}
            value={preset}
            onChange={(e) => {
              const next = e.target.value as RangePreset;
              setPreset(next);
              // Presets go in the address; a custom range is typed, not shared.
              onRangeChange?.(next === "custom" || next === "30d" ? null : next);
            }}
            aria-label="Date range"
          >
            {RANGE_PRESETS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </label>
        {preset === "custom" && (
          <div className="flex items-center gap-2 text-sm text-slate-700">
            <label className="flex items-center gap-1.5">
              From
              <input
                type="date"
                className={selectClass}
                value={custom.from}
                max={custom.to || undefined}
                onChange={(e) => setCustom((c) => ({ ...c, from: e.target.value }))}
                aria-label="From"
              />
            </label>
            <label className="flex items-center gap-1.5">
              To
              <input
                type="date"
                className={selectClass}
                value={custom.to}
                min={custom.from || undefined}
                onChange={(e) => setCustom((c) => ({ ...c, to: e.target.value }))}
                aria-label="To"
              />
            </label>
          </div>
        )}
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Version
          <select
            className={selectClass}
            value={versionId}
            onChange={(e) => setVersionId(e.target.value)}
            aria-label="Version"
          >
            <option value={ALL_VERSIONS}>All versions</option>
            {data?.versions.map((v) => (
              <option key={v.id} value={v.id}>
                Version {v.number}
                {v.live ? " (live)" : ""}
              </option>
            ))}
          </select>
        </label>
        {"error" in checked && (
          <p role="alert" className="text-sm font-medium text-red-800">
            {checked.error}
          </p>
        )}
        {(stats.isFetching || shown.isFetching) && (
          <LoaderCircle className="size-4 animate-spin text-slate-500" aria-label="Loading numbers" />
        )}
        {statsData && (
          <dl className="ml-auto flex items-center gap-4 text-sm" data-testid="analytics-summary">
            {(
              [
                ["entered", formatCount(statsData.flow.entered)],
                ["conversions", formatCount(statsData.flow.conversions)],
                ["revenue", formatMoney(statsData.flow.revenueCents, statsData.flow.currency)],
                [
                  "revenuePerRecipient",
                  formatMoney(statsData.flow.revenuePerRecipientCents, statsData.flow.currency),
                ],
              ] as const
            ).map(([key, value]) => (
              <div key={key} className="flex items-baseline gap-1.5" title={METRICS[key].help}>
                <dt className="text-slate-600">
                  {key === "revenuePerRecipient" ? "Per recipient" : METRICS[key].label}
                </dt>
                <dd className="font-semibold tabular-nums text-slate-900" data-testid={`summary-${key}`}>
                  {value}
                </dd>
              </div>
            ))}
          </dl>
        )}
      </div>
      {data && <ShownVersionNote shown={data} />}
      {(shown.error || stats.error) && (
        <p role="alert" className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900">
          Couldn&apos;t load the numbers: {(shown.error ?? stats.error)?.message}
        </p>
      )}
      <div className="flex min-h-0 flex-1">
        <div className="relative min-w-0 flex-1 bg-slate-50">
          {graph && data ? (
            <ReactFlowProvider key={`${data.version?.id ?? "draft"}`}>
              <BuilderStoreProvider graph={graph}>
                <AnalyticsContext.Provider value={view}>
                  <FlowCanvas
                    readOnly
                    onStepClick={(id) => setReportNodeId((open) => (open === id ? null : id))}
                    activeStepId={reportNode?.id ?? null}
                  />
                </AnalyticsContext.Provider>
              </BuilderStoreProvider>
            </ReactFlowProvider>
          ) : (
            <p className="flex h-full items-center justify-center gap-2 text-sm text-slate-600">
              <LoaderCircle className="size-4 animate-spin" aria-hidden /> Loading the published flow…
            </p>
          )}
        </div>
        {reportNode && (
          <StepReportPanel
            key={reportNode.id}
            flowId={flowId}
            node={reportNode}
            range={range}
            versionId={version}
            stats={statsData?.nodes[reportNode.id] ?? null}
            currency={currency}
            onClose={() => setReportNodeId(null)}
          />
        )}
      </div>
    </div>
  );
}

function ShownVersionNote({
  shown,
}: {
  shown: { version: { number: number; live: boolean } | null; draftDiffers: boolean };
}) {
  let text: string;
  if (!shown.version)
    text = "This flow isn't published yet, so there are no numbers. Publish it to start counting.";
  else {
    const which = `version ${shown.version.number}${shown.version.live ? ", the live one" : " (not live)"}`;
    text = shown.draftDiffers
      ? `Showing ${which}. Your draft has changes that aren't published; turn off Analytics to edit it.`
      : `Showing ${which}. Turn off Analytics to edit.`;
  }
  return (
    <p
      className="flex items-center gap-2 border-b border-indigo-100 bg-indigo-50 px-4 py-1.5 text-sm text-indigo-950"
      data-testid="analytics-version-note"
    >
      <Info className="size-4 shrink-0 text-indigo-700" aria-hidden />
      {text}
    </p>
  );
}
