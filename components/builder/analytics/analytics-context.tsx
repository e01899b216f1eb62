"use client";
/**
 * What the analytics canvas hands its cards and edges: the stats of the shown range and
 * version, and the share label of each edge out of a branching step. Outside the analytics
 * canvas there is no provider, so the editing canvas draws no numbers and pays nothing.
 */
import { createContext, useContext } from "react";
import type { FlowStats, NodeStats } from "@/server/analytics/stats";
import type { ForecastView } from "../forecast/forecast-stats";

export type AnalyticsView = {
  stats: FlowStats | null;
  currency: string;
  /** Edge id → "62% · 1,204" for edges out of conditions, splits and waits for an event. */
  edgeLabels: ReadonlyMap<string, string>;
  /** On the Forecast view: the replay's numbers, shown on the cards instead of the live ones. */
  forecast?: ForecastView;
};

export const AnalyticsContext = createContext<AnalyticsView | null>(null);

export function useAnalyticsView(): AnalyticsView | null {
  return useContext(AnalyticsContext);
}

export const EMPTY_NODE_STATS: NodeStats = {
  entered: 0,
  waiting: 0,
  passed: 0,
  exited: 0,
  exitedBy: {},
  finished: 0,
  outcomes: {},
  sent: 0,
  failed: 0,
  delivered: 0,
  opened: 0,
  clicked: 0,
  clicks: 0,
  bounced: 0,
  complained: 0,
  unsubscribed: 0,
  skipped: {},
  conversions: 0,
  revenueCents: 0,
};
