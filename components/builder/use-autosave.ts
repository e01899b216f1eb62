"use client";
/**
 * Autosave: every change to the graph is saved as the draft after a short pause, naming the
 * revision it was based on. When another tab (or teammate) saved in between, the server
 * refuses with CONFLICT; we stop saving, say so, and offer to reload the latest draft or to
 * keep these edits and save them over it.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { canvasToGraph } from "./graph-canvas";
import { useBuilderStore } from "./store-provider";

export type SaveStatus = "saved" | "unsaved" | "saving" | "error" | "conflict";

const DEBOUNCE_MS = 700;

export type Autosave = {
  status: SaveStatus;
  error: string | null;
  /** The draft revision this tab last saved or loaded. */
  revision: () => number;
  /** Saves now if anything is pending; resolves when the draft on the server is this tab's. */
  flush: () => Promise<boolean>;
  /** Drops this tab's edits and loads the latest draft. */
  reload: () => Promise<void>;
  /** Keeps this tab's edits and saves them over the newer draft. */
  overwrite: () => Promise<void>;
  /** After a restore: the server's draft is now at this revision, and the store holds it. */
  adopt: (revision: number) => void;
};

function isConflict(error: unknown): boolean {
  return (
    error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "CONFLICT"
  );
}

export function useAutosave(flowId: string, initialRevision: number): Autosave {
  const store = useBuilderStore();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<SaveStatus>("saved");
  const [error, setError] = useState<string | null>(null);
  const revision = useRef(initialRevision);
  const savedCount = useRef(store.getState().changeCount);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const blocked = useRef(false);

  const run = useCallback(async (): Promise<boolean> => {
    if (blocked.current) return false;
    if (inFlight.current) {
      await inFlight.current;
      return run();
    }
    const state = store.getState();
    const count = state.changeCount;
    if (count === savedCount.current) {
      setStatus("saved");
      return true;
    }
    setStatus("saving");
    const attempt = (async () => {
      try {
        const result = await client.flows.saveDraft.mutate({
          id: flowId,
          graph: canvasToGraph(state),
          baseRevision: revision.current,
        });
        revision.current = result.draftRevision;
        savedCount.current = count;
        setError(null);
        return true;
      } catch (e) {
        if (isConflict(e)) {
          blocked.current = true;
          setStatus("conflict");
        } else {
          setStatus("error");
          setError(e instanceof Error ? e.message : "Couldn't save");
        }
        return false;
      }
    })();
    inFlight.current = attempt;
    const ok = await attempt;
    inFlight.current = null;
    if (!ok) return false;
    if (store.getState().changeCount !== savedCount.current) return run();
    setStatus("saved");
    return true;
  }, [client, flowId, store]);

  const flush = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    return run();
  }, [run]);

  useEffect(
    () =>
      store.subscribe((state, previous) => {
        if (state.changeCount === previous.changeCount || blocked.current) return;
        setStatus("unsaved");
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => {
          timer.current = null;
          void run();
        }, DEBOUNCE_MS);
      }),
    [store, run],
  );

  // Leaving with edits not yet on the server: ask first.
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (store.getState().changeCount !== savedCount.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [store]);

  const reload = useCallback(async () => {
    const flow = await client.flows.get.query({ id: flowId });
    store.getState().replaceGraph(flow.draftGraph);
    revision.current = flow.draftRevision;
    savedCount.current = store.getState().changeCount;
    blocked.current = false;
    setStatus("saved");
    setError(null);
    queryClient.setQueryData(trpc.flows.get.queryKey({ id: flowId }), flow);
  }, [client, flowId, queryClient, store, trpc]);

  const overwrite = useCallback(async () => {
    const flow = await client.flows.get.query({ id: flowId });
    revision.current = flow.draftRevision;
    blocked.current = false;
    savedCount.current = -1;
    await run();
  }, [client, flowId, run]);

  const adopt = useCallback(
    (next: number) => {
      revision.current = next;
      savedCount.current = store.getState().changeCount;
      blocked.current = false;
      setStatus("saved");
    },
    [store],
  );

  return { status, error, revision: () => revision.current, flush, reload, overwrite, adopt };
}
