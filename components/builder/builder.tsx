"use client";
/** The flow builder page: header, palette, canvas and inspector around one builder store. */
import { useCallback, useEffect, useMemo, useState } from "react";
import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import { useTRPC } from "@/trpc/client";
import { AnalyticsPanel } from "./analytics/analytics-panel";
import { ForecastPanel } from "./forecast/forecast-panel";
import { BuilderContext } from "./builder-context";
import { FlowCanvas } from "./canvas";
import { BuilderHeader, ConflictBanner } from "./header";
import { CatalogProvider } from "./inspector/catalog";
import { Inspector } from "./inspector/inspector";
import { IssuesPanel } from "./issues-panel";
import { NoticeToast } from "./notice";
import { Palette } from "./palette";
import { PublishDialog } from "./publish-dialog";
import { TestPanel } from "./test/test-panel";
import { BuilderStoreProvider, useBuilder } from "./store-provider";
import { useAutosave } from "./use-autosave";
import { VersionsDialog } from "./versions-dialog";

/**
 * Opened with `?view=analytics` (and `&range=7d|30d|90d|all`) it starts on the analytics
 * canvas; with `?view=forecast`, on the Forecast view.
 */
export function FlowBuilder({
  flowId,
  analytics = null,
  forecast = false,
}: {
  flowId: string;
  analytics?: { range?: string | undefined } | null;
  forecast?: boolean;
}) {
  const trpc = useTRPC();
  const { data: flow } = useSuspenseQuery(trpc.flows.get.queryOptions({ id: flowId }));
  return (
    <ReactFlowProvider key={flowId}>
      <BuilderStoreProvider graph={flow.draftGraph}>
        <CatalogProvider>
          <CouponPoolsSync />
          <BuilderShell
            flowId={flowId}
            initialRevision={flow.draftRevision}
            initialAnalytics={analytics}
            initialForecast={forecast}
          />
        </CatalogProvider>
      </BuilderStoreProvider>
    </ReactFlowProvider>
  );
}

/** Hands the workspace's coupon pools to the validator, so an empty pool is marked on its steps. */
function CouponPoolsSync() {
  const trpc = useTRPC();
  const pools = useQuery(trpc.coupons.list.queryOptions());
  const setCouponPools = useBuilder((s) => s.setCouponPools);
  useEffect(() => {
    if (pools.data) setCouponPools(pools.data.map(({ id, name, remaining }) => ({ id, name, remaining })));
  }, [pools.data, setCouponPools]);
  return null;
}

/** Keeps the analytics view and its range in the address, so a reload or a shared link shows the same numbers. */
function writeQuery(query: Record<string, string | null>) {
  const url = new URL(window.location.href);
  for (const [key, value] of Object.entries(query)) {
    if (value === null) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  window.history.replaceState(window.history.state, "", url);
}

function BuilderShell({
  flowId,
  initialRevision,
  initialAnalytics,
  initialForecast,
}: {
  flowId: string;
  initialRevision: number;
  initialAnalytics: { range?: string | undefined } | null;
  initialForecast: boolean;
}) {
  const trpc = useTRPC();
  const { data: flow } = useSuspenseQuery(trpc.flows.get.queryOptions({ id: flowId }));
  const autosave = useAutosave(flowId, initialRevision);
  const context = useMemo(() => ({ flowId, autosave }), [flowId, autosave]);
  const [issuesOpen, setIssuesOpen] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [settingsNonce, setSettingsNonce] = useState(0);
  const [mode, setMode] = useState<"build" | "analytics" | "forecast">(
    initialAnalytics !== null ? "analytics" : initialForecast ? "forecast" : "build",
  );
  const analytics = mode === "analytics";
  const forecast = mode === "forecast";
  const [testing, setTesting] = useState(false);
  const [testPath, setTestPath] = useState<string[] | null>(null);
  const [paletteCollapsed, togglePalette] = useRememberedToggle("tidings.builder.palette-collapsed");
  const [inspectorCollapsed, toggleInspector] = useRememberedToggle("tidings.builder.inspector-collapsed");
  // Fit View collapsed the inspector to make room: a step selected brings it back.
  const [inspectorMadeRoom, setInspectorMadeRoom] = useState(false);
  const stepSelected = useBuilder((s) => s.nodes.some((n) => n.selected));
  if (inspectorMadeRoom && stepSelected) {
    setInspectorMadeRoom(false);
    toggleInspector(false, false);
  }
  return (
    <BuilderContext.Provider value={context}>
      <div className="flex h-full min-h-[560px] flex-col" data-testid="flow-builder">
        <BuilderHeader
          flow={flow}
          issuesOpen={issuesOpen}
          onToggleIssues={() => setIssuesOpen((o) => !o)}
          onPublish={() => setPublishing(true)}
          onVersions={() => setVersionsOpen(true)}
          analytics={analytics}
          onToggleAnalytics={() => {
            writeQuery({ view: analytics ? null : "analytics", range: null });
            setMode(analytics ? "build" : "analytics");
          }}
          forecast={forecast}
          onToggleForecast={() => {
            writeQuery({ view: forecast ? null : "forecast", range: null });
            setMode(forecast ? "build" : "forecast");
          }}
          testing={testing}
          onToggleTest={() => setTesting((on) => !on)}
        />
        <ConflictBanner />
        {analytics ? (
          <AnalyticsPanel
            flowId={flowId}
            initialRange={initialAnalytics?.range}
            onRangeChange={(range) => writeQuery({ range })}
          />
        ) : forecast ? (
          <ForecastPanel flowId={flowId} />
        ) : (
          <div className="flex min-h-0 flex-1">
            <Palette collapsed={paletteCollapsed} onToggle={() => togglePalette()} />
            <div className="relative min-w-0 flex-1 bg-slate-50">
              <FlowCanvas
                highlightPath={testing ? testPath : null}
                onNeedWidth={() => {
                  if (paletteCollapsed && inspectorCollapsed) return false;
                  // For this view only: the panels' remembered state is left as it was.
                  togglePalette(true, false);
                  if (!inspectorCollapsed) {
                    toggleInspector(true, false);
                    setInspectorMadeRoom(true);
                  }
                  return true;
                }}
              />
              {issuesOpen && (
                <IssuesPanel
                  onClose={() => setIssuesOpen(false)}
                  onOpenSettings={() => {
                    setSettingsNonce((n) => n + 1);
                    toggleInspector(false);
                  }}
                />
              )}
              <NoticeToast />
            </div>
            {testing ? (
              <TestPanel onClose={() => setTesting(false)} onPath={setTestPath} />
            ) : (
              <Inspector
                key={`inspector-${settingsNonce}`}
                initialTab={settingsNonce > 0 ? "settings" : undefined}
                collapsed={inspectorCollapsed}
                onToggle={() => toggleInspector()}
              />
            )}
          </div>
        )}
      </div>
      <PublishDialog
        open={publishing}
        onOpenChange={setPublishing}
        flowName={flow.name}
        isLive={flow.status === "live" || flow.status === "paused"}
      />
      <VersionsDialog open={versionsOpen} onOpenChange={setVersionsOpen} liveVersionId={flow.liveVersionId} />
    </BuilderContext.Provider>
  );
}

/** A panel's collapsed state, remembered in this browser (panels start open). */
function useRememberedToggle(key: string): [boolean, (on?: boolean, remember?: boolean) => void] {
  const [on, setOn] = useState(false);
  // Read after the first render, so the server's page and the browser's agree.
  useEffect(() => {
    try {
      if (window.localStorage.getItem(key) === "1") setOn(true);
    } catch {
      // Storage off: panels open.
    }
  }, [key]);
  const set = useCallback(
    (next?: boolean, remember = true) => {
      setOn((was) => {
        const value = next ?? !was;
        if (!remember) return value;
        try {
          window.localStorage.setItem(key, value ? "1" : "0");
        } catch {
          // Storage off: the choice lasts for this page only.
        }
        return value;
      });
    },
    [key],
  );
  return [on, set];
}
