"use client";
/** The flow builder page: header, palette, canvas and inspector around one builder store. */
import { useMemo, useState } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import { useTRPC } from "@/components/trpc/client";
import { AnalyticsPanel } from "./analytics/analytics-panel";
import { BuilderContext } from "./builder-context";
import { FlowCanvas } from "./canvas";
import { BuilderHeader, ConflictBanner } from "./header";
import { CatalogProvider } from "./inspector/catalog";
import { Inspector } from "./inspector/inspector";
import { IssuesPanel } from "./issues-panel";
import { NoticeToast } from "./notice";
import { Palette } from "./palette";
import { PublishDialog } from "./publish-dialog";
import { BuilderStoreProvider } from "./store-provider";
import { useAutosave } from "./use-autosave";
import { VersionsDialog } from "./versions-dialog";

export function FlowBuilder({ flowId }: { flowId: string }) {
  const trpc = useTRPC();
  const { data: flow } = useSuspenseQuery(trpc.flows.get.queryOptions({ id: flowId }));
  return (
    <ReactFlowProvider key={flowId}>
      <BuilderStoreProvider graph={flow.draftGraph}>
        <CatalogProvider>
          <BuilderShell flowId={flowId} initialRevision={flow.draftRevision} />
        </CatalogProvider>
      </BuilderStoreProvider>
    </ReactFlowProvider>
  );
}

function BuilderShell({ flowId, initialRevision }: { flowId: string; initialRevision: number }) {
  const trpc = useTRPC();
  const { data: flow } = useSuspenseQuery(trpc.flows.get.queryOptions({ id: flowId }));
  const autosave = useAutosave(flowId, initialRevision);
  const context = useMemo(() => ({ flowId, autosave }), [flowId, autosave]);
  const [issuesOpen, setIssuesOpen] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [settingsNonce, setSettingsNonce] = useState(0);
  const [analytics, setAnalytics] = useState(false);
  return (
    <BuilderContext.Provider value={context}>
      <div className="flex h-full min-h-[560px] flex-col" data-testid="flow-builder">
        <BuilderHeader flow={flow} issuesOpen={issuesOpen} onToggleIssues={() => setIssuesOpen((o) => !o)} onPublish={() => setPublishing(true)} onVersions={() => setVersionsOpen(true)}
          analytics={analytics}
          onToggleAnalytics={() => setAnalytics((on) => !on)}
        />
        <ConflictBanner />
        {analytics ? (
          <AnalyticsPanel flowId={flowId} />
        ) : (
          <div className="flex min-h-0 flex-1">
            <Palette />
            <div className="relative min-w-0 flex-1 bg-slate-50">
              <FlowCanvas />
              {issuesOpen && <IssuesPanel onClose={() => setIssuesOpen(false)} onOpenSettings={() => setSettingsNonce((n) => n + 1)} />}
              <NoticeToast />
            </div>
            <Inspector key={`inspector-${settingsNonce}`} initialTab={settingsNonce > 0 ? "settings" : undefined} />
          </div>
        )}
      </div>
      <PublishDialog open={publishing} onOpenChange={setPublishing} flowName={flow.name} isLive={flow.status === "live" || flow.status === "paused"} />
      <VersionsDialog open={versionsOpen} onOpenChange={setVersionsOpen} liveVersionId={flow.liveVersionId} />
    </BuilderContext.Provider>
  );
}
