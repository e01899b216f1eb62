"use client";
/**
 * The forecast block under a card on the Forecast view, in the place live analytics show
 * theirs: entered, waiting at the window's end, passed on, exited; on message steps what
 * would be sent vs skipped and the goal conversions (estimates); with a live version, the
 * difference; on steps that depend on opens or clicks, the observed rate they used.
 */
import { memo } from "react";
import { FlaskConical } from "lucide-react";
import type { FlowGraph } from "@/server/engine/graph";
import { formatCount } from "@/components/format";
import {
  asOfNote,
  EMPTY_FORECAST,
  estimateNote,
  forecastCells,
  forecastDifference,
  forecastHeadline,
  type ForecastCell,
  type NodeForecastLike,
  type ObservedRatesLike,
} from "./format";

export type ForecastView = {
  /** The graph the forecast was computed for. */
  graph: FlowGraph;
  /** Null while there is no result to show: the cards say `waiting` instead. */
  draft: Record<string, NodeForecastLike> | null;
  waiting?: string;
  /** The live version over the same window; null when the flow has none. */
  live: Record<string, NodeForecastLike> | null;
  rates: ObservedRatesLike | null;
  currency: string;
};

function Cell({ cell }: { cell: ForecastCell }) {
  return (
    <div className="min-w-0" data-stat={cell.key} title={cell.title}>
      <dt className="truncate text-[11px] leading-tight text-slate-500">{cell.label}</dt>
      <dd className="truncate text-sm font-semibold leading-tight tabular-nums text-slate-900">
        <span data-stat-value>{cell.value}</span>
      </dd>
    </div>
  );
}

export const ForecastStatsBlock = memo(function ForecastStatsBlock({
  id,
  kind,
  forecast,
}: {
  id: string;
  kind: string;
  forecast: ForecastView;
}) {
  if (!forecast.draft)
    return (
      <p
        className="flow-card-stats border-t border-violet-100 px-3 py-2 text-xs text-slate-500"
        data-testid="forecast-stats"
        data-loading="true"
      >
        {forecast.waiting ?? "No forecast yet"}
      </p>
    );
  const f = forecast.draft[id] ?? EMPTY_FORECAST;
  const live = forecast.live ? (forecast.live[id] ?? EMPTY_FORECAST) : null;
  const { flow, message } = forecastCells(kind, f, forecast.currency);
  return (
    <div
      className="flow-card-stats border-t border-violet-100 bg-violet-50/60 px-3 pb-2.5 pt-2"
      data-testid="forecast-stats"
      aria-label="Step forecast"
    >
      <dl className="flex justify-between gap-x-2">
        {flow.map((c) => (
          <Cell key={c.key} cell={c} />
        ))}
      </dl>
      {message && (
        <>
          <dl className="mt-2 grid grid-cols-2 gap-x-2 border-t border-violet-200/70 pt-2">
            <div
              className="min-w-0"
              data-stat="sent"
              title="Messages this step would have sent in the window"
            >
              <dt className="truncate text-[11px] leading-tight text-slate-500">Would send</dt>
              <dd className="truncate text-sm font-semibold leading-tight tabular-nums text-slate-900">
                <span data-stat-value>{message.sent}</span>
              </dd>
            </div>
            <div
              className="min-w-0"
              data-stat="skipped"
              title="Messages that would have been skipped, by reason"
            >
              <dt className="truncate text-[11px] leading-tight text-slate-500">Skipped</dt>
              <dd className="truncate text-sm font-semibold leading-tight tabular-nums text-slate-900">
                <span data-stat-value>{formatCount(message.skipped.total)}</span>
              </dd>
            </div>
          </dl>
          {message.skipped.reasons.length > 0 && (
            <p className="mt-1 text-[11px] leading-snug text-slate-600" data-stat="skipped-reasons">
              {message.skipped.reasons.map((r) => `${r.label} ${formatCount(r.count)}`).join(" · ")}
            </p>
          )}
          <div
            className="mt-2 flex items-baseline justify-between gap-2 rounded-md bg-emerald-50 px-2 py-1 text-emerald-900"
            data-stat="conversions"
            title="The contacts' real later orders credited to this message, as live numbers credit them (the last message opened or clicked before the order); opens and clicks are drawn at the shop's observed rates, so this is an estimate"
          >
            <span className="text-[11px] font-semibold uppercase tracking-wide">
              Conversions <span className="font-medium normal-case tracking-normal">(estimate)</span>
            </span>
            <span className="truncate text-sm font-semibold tabular-nums">
              <span data-stat-value>{message.conversions}</span>
              <span className="mx-1 text-emerald-700" aria-hidden>
                ·
              </span>
              <span data-stat="revenue">{message.revenue}</span>
            </span>
          </div>
        </>
      )}
      {asOfNote(f) && (
        <p
          className="mt-1 text-[11px] leading-snug text-slate-600"
          data-testid="forecast-as-of"
          title="Consent and suppression are taken as they were at each moment of the window, from their recorded changes; today's values would have decided these differently"
        >
          {asOfNote(f)}
        </p>
      )}
      {live && (
        <p
          className="mt-1.5 truncate text-[11px] font-semibold text-violet-900"
          data-testid="forecast-difference"
          title="This draft compared with the live version over the same window"
        >
          {forecastDifference(kind, f, live)}
        </p>
      )}
      {f.estimated && (
        <p
          className="mt-1.5 flex items-start gap-1 text-[11px] leading-snug text-amber-900"
          data-testid="forecast-estimate"
        >
          <FlaskConical className="mt-px size-3 shrink-0" aria-hidden />
          {estimateNote(forecast.graph, id, forecast.rates)}
        </p>
      )}
    </div>
  );
});

export const ForecastHeadline = memo(function ForecastHeadline({
  id,
  kind,
  forecast,
}: {
  id: string;
  kind: string;
  forecast: ForecastView;
}) {
  if (!forecast.draft) return null;
  return (
    <p className="flow-card-compact-number" data-testid="node-headline">
      {forecastHeadline(kind, forecast.draft[id] ?? EMPTY_FORECAST)}
    </p>
  );
});
