"use client";
/** The stats block under a card on the analytics canvas: readable at normal zoom, no hover needed. */
import { memo } from "react";
import type { NodeStats } from "@/server/analytics/stats";
import { cn } from "@/components/ui/cn";
import { EMPTY_NODE_STATS, useAnalyticsView } from "./analytics-context";
import { formatCount } from "@/components/format";
import { MESSAGE_KINDS } from "@/server/engine/nodes";
import { nodeStatCells, type StatCell } from "./format";
import { ForecastHeadline, ForecastStatsBlock } from "../forecast/forecast-stats";

function Cell({ cell, strong }: { cell: StatCell; strong?: boolean }) {
  return (
    <div className="min-w-0" data-stat={cell.key} title={cell.title}>
      <dt className="truncate text-[11px] leading-tight text-slate-500">{cell.label}</dt>
      <dd
        className={cn(
          "truncate tabular-nums leading-tight",
          strong ? "text-sm font-semibold text-slate-900" : "text-[13px] font-semibold text-slate-800",
        )}
      >
        <span data-stat-value>{cell.value}</span>
        {cell.detail && <span className="ml-1 text-[11px] font-medium text-slate-500">{cell.detail}</span>}
      </dd>
    </div>
  );
}

export const NodeStatsBlock = memo(function NodeStatsBlock({ id, kind }: { id: string; kind: string }) {
  const view = useAnalyticsView();
  if (!view) return null;
  if (view.forecast) return <ForecastStatsBlock id={id} kind={kind} forecast={view.forecast} />;
  if (!view.stats)
    return (
      <p
        className="flow-card-stats border-t border-slate-100 px-3 py-2 text-xs text-slate-500"
        data-testid="node-stats"
        data-loading="true"
      >
        Loading numbers…
      </p>
    );
  const stats: NodeStats = view.stats.nodes[id] ?? EMPTY_NODE_STATS;
  const { flow, message } = nodeStatCells(kind, stats, view.currency);
  return (
    <div
      className="flow-card-stats border-t border-slate-100 bg-slate-50/70 px-3 pb-2.5 pt-2"
      data-testid="node-stats"
      aria-label="Step analytics"
    >
      <dl className="flex justify-between gap-x-2">
        {flow.map((c) => (
          <Cell key={c.key} cell={c} strong />
        ))}
      </dl>
      {message && (
        <>
          <dl className="mt-2 grid grid-cols-3 gap-x-2 gap-y-1.5 border-t border-slate-200/70 pt-2">
            {message.cells.map((c) => (
              <Cell key={c.key} cell={c} />
            ))}
          </dl>
          <div
            className="mt-2 flex items-baseline justify-between gap-2 rounded-md bg-emerald-50 px-2 py-1 text-emerald-900"
            data-stat="conversions"
          >
            <span className="text-[11px] font-semibold uppercase tracking-wide">Conversions</span>
            <span className="truncate text-sm font-semibold tabular-nums">
              <span data-stat-value>{message.conversions.count}</span>
              <span className="mx-1 text-emerald-700" aria-hidden>
                ·
              </span>
              <span data-stat="revenue">{message.conversions.revenue}</span>
            </span>
          </div>
          <p className="mt-1.5 text-[11px] leading-snug text-slate-600" data-stat="skipped">
            <span className="font-semibold text-slate-700">Skipped {formatCount(message.skipped.total)}</span>
            {message.skipped.reasons.length > 0 &&
              ": " + message.skipped.reasons.map((r) => `${r.label} ${formatCount(r.count)}`).join(" · ")}
          </p>
        </>
      )}
    </div>
  );
});

/**
 * The one number a zoomed-out card shows on the analytics canvas: sent · conversions for a
 * message step, entered for any other.
 */
export function headlineOf(kind: string, stats: NodeStats): string {
  if ((MESSAGE_KINDS as ReadonlySet<string>).has(kind))
    return `${formatCount(stats.sent)} sent · ${formatCount(stats.conversions)} conv.`;
  return `${formatCount(stats.entered)} entered`;
}

export const CompactHeadline = memo(function CompactHeadline({ id, kind }: { id: string; kind: string }) {
  const view = useAnalyticsView();
  if (view?.forecast) return <ForecastHeadline id={id} kind={kind} forecast={view.forecast} />;
  if (!view?.stats) return null;
  return (
    <p className="flow-card-compact-number" data-testid="node-headline">
      {headlineOf(kind, view.stats.nodes[id] ?? EMPTY_NODE_STATS)}
    </p>
  );
});
