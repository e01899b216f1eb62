"use client";
/** Published versions with who and when; any one can be restored as the draft. */
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useBuilderContext } from "./builder-context";
import { useBuilderStore } from "./store-provider";
import { Dialog } from "./ui/dialog";

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

export function VersionsDialog({
  open,
  onOpenChange,
  liveVersionId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  liveVersionId: string | null;
}) {
  const { flowId, autosave } = useBuilderContext();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const store = useBuilderStore();
  const versions = useQuery({ ...trpc.flows.versions.queryOptions({ id: flowId }), enabled: open });
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function restore(versionId: string) {
    setBusy(true);
    setError(null);
    try {
      await autosave.flush();
      const restored = await client.flows.restoreVersion.mutate({ id: flowId, versionId });
      store.getState().replaceGraph(restored.draftGraph);
      autosave.adopt(restored.draftRevision);
      await queryClient.invalidateQueries({ queryKey: trpc.flows.get.queryKey({ id: flowId }) });
      store
        .getState()
        .notify(`Version ${restored.restoredVersion} restored as the draft. Publish it to make it live.`);
      setConfirming(null);
      onOpenChange(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Couldn't restore that version.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Version history"
      description="Every publish keeps a copy. Restoring one replaces the draft; the live version keeps running until you publish."
      testId="versions-dialog"
    >
      {versions.isPending && <p className="text-sm text-slate-600">Loading…</p>}
      {versions.data?.length === 0 && (
        <p className="text-sm text-slate-600">
          Not published yet. Versions appear here each time you publish.
        </p>
      )}
      <ul className="flex flex-col divide-y divide-slate-100">
        {versions.data?.map((v) => (
          <li key={v.id} className="flex items-center justify-between gap-3 py-3" data-testid="version-row">
            <div>
              <p className="flex items-center gap-2 text-sm font-medium text-slate-900">
                Version {v.version} {v.id === liveVersionId && <Badge tone="live">live</Badge>}
              </p>
              <p className="text-xs text-slate-600">
                Published {when.format(v.publishedAt)} by {v.publishedByName ?? "someone no longer here"}
              </p>
            </div>
            {confirming === v.id ? (
              <div className="flex items-center gap-1.5">
                <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(null)}>
                  Cancel
                </Button>
                <Button type="button" size="sm" disabled={busy} onClick={() => void restore(v.id)}>
                  Replace draft
                </Button>
              </div>
            ) : (
              <Button
                type="button"
                size="sm"
                variant="secondary"
                onClick={() => setConfirming(v.id)}
                aria-label={`Restore version ${v.version} as draft`}
              >
                Restore as draft
              </Button>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {error}
        </p>
      )}
    </Dialog>
  );
}
