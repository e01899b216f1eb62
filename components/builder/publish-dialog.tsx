"use client";
/**
 * Publishing: saves first, asks the server what publishing would do (problems that refuse
 * it; for a flow already running, how many contacts are in it and what happens to them),
 * lets the marketer choose to move in-flight contacts and, for an inactivity flow, whether
 * contacts already inactive enter, then publishes.
 */
import { useEffect, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { LoaderCircle, TriangleAlert } from "lucide-react";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import type { Issue } from "@/server/engine/issues";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useBuilderContext } from "./builder-context";
import { useBuilderStore } from "./store-provider";
import { Dialog } from "./ui/dialog";
import { useFocusNode } from "./use-focus-node";

type InFlight = {
  total: number;
  stay: number;
  move: number;
  exit: number;
  exitByNode: Record<string, number>;
};
type Inactive = { count: number; event: string; days: number; includeNeverDone: boolean };
type Preview = {
  issues: Issue[];
  inFlight: InFlight | null;
  inactive: Inactive | null;
  draftRevision: number;
};
type State = { step: "saving" } | { step: "error"; message: string } | { step: "ready"; preview: Preview };

function people(n: number): string {
  return `${n.toLocaleString("en")} ${n === 1 ? "contact" : "contacts"}`;
}

export function PublishDialog({
  open,
  onOpenChange,
  flowName,
  isLive,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  flowName: string;
  isLive: boolean;
}) {
  const { flowId, autosave } = useBuilderContext();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const store = useBuilderStore();
  const focus = useFocusNode();
  const [state, setState] = useState<State>({ step: "saving" });
  const [move, setMove] = useState(false);
  const [catchUp, setCatchUp] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [publishError, setPublishError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setState({ step: "saving" });
    setMove(false);
    setCatchUp(false);
    setPublishError(null);
    void (async () => {
      const saved = await autosave.flush();
      if (cancelled) return;
      if (!saved) {
        setState({
          step: "error",
          message:
            "The draft couldn't be saved, so it can't be published yet. Sort out the saving problem shown at the top first.",
        });
        return;
      }
      try {
        const preview = await client.flows.previewPublish.query({ id: flowId });
        if (!cancelled) setState({ step: "ready", preview });
      } catch (e) {
        if (!cancelled)
          setState({ step: "error", message: e instanceof Error ? e.message : "Couldn't check the flow." });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [open, autosave, client, flowId]);

  async function publish(preview: Preview) {
    setPublishing(true);
    setPublishError(null);
    try {
      const result = await client.flows.publish.mutate({
        id: flowId,
        moveInFlight: move,
        catchUpInactive: preview.inactive !== null && catchUp,
        expectedRevision: preview.draftRevision,
      });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.flows.get.queryKey({ id: flowId }) }),
        queryClient.invalidateQueries({ queryKey: trpc.flows.versions.queryKey({ id: flowId }) }),
        queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() }),
      ]);
      const moved =
        result.moved > 0 || result.exited > 0
          ? ` ${people(result.moved)} moved, ${people(result.exited)} left.`
          : "";
      store.getState().notify(`Published — version ${result.version} is live.${moved}`);
      onOpenChange(false);
    } catch (e) {
      setPublishError(e instanceof Error ? e.message : "Couldn't publish.");
    } finally {
      setPublishing(false);
    }
  }

  const preview = state.step === "ready" ? state.preview : null;
  const blocked = preview ? preview.issues.length > 0 : true;
  const inFlight = preview?.inFlight && preview.inFlight.total > 0 ? preview.inFlight : null;
  const inactive = preview && preview.issues.length === 0 ? preview.inactive : null;

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={isLive ? `Publish changes to “${flowName}”` : `Publish “${flowName}”`}
      testId="publish-dialog"
      footer={
        <>
          <Button type="button" variant="ghost" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            type="button"
            disabled={blocked || publishing}
            onClick={() => preview && void publish(preview)}
            data-testid="confirm-publish"
          >
            {publishing && <LoaderCircle className="animate-spin" aria-hidden />}
            {isLive ? "Publish new version" : "Publish"}
          </Button>
        </>
      }
    >
      {state.step === "saving" && (
        <p className="flex items-center gap-2 text-sm text-slate-700">
          <LoaderCircle className="size-4 animate-spin" aria-hidden /> Saving and checking the flow…
        </p>
      )}
      {state.step === "error" && (
        <p role="alert" className="text-sm text-red-800">
          {state.message}
        </p>
      )}
      {preview && preview.issues.length > 0 && (
        <div role="alert" data-testid="publish-issues">
          <p className="flex items-center gap-2 text-sm font-medium text-red-800">
            <TriangleAlert className="size-4" aria-hidden /> Fix{" "}
            {preview.issues.length === 1 ? "this problem" : `these ${preview.issues.length} problems`} before
            publishing:
          </p>
          <ul className="mt-2 flex flex-col gap-1">
            {preview.issues.map((issue, i) => (
              <li key={i}>
                <button
                  type="button"
                  className="w-full rounded-md px-2 py-1.5 text-left text-sm text-slate-800 hover:bg-slate-50 disabled:hover:bg-transparent"
                  disabled={!issue.nodeId}
                  onClick={() => {
                    if (!issue.nodeId) return;
                    onOpenChange(false);
                    focus(issue.nodeId);
                  }}
                >
                  {issue.nodeId && (
                    <span className="mr-1.5 font-mono text-xs text-slate-500">{issue.nodeId}</span>
                  )}
                  {issue.message}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview && preview.issues.length === 0 && !inFlight && (
        <p className="text-sm text-slate-700">
          {isLive
            ? "No one is in the flow right now. The new version applies to everyone who enters from now on."
            : "The flow goes live: contacts enter as soon as the trigger happens. You can pause it at any time."}
        </p>
      )}
      {preview && preview.issues.length === 0 && inFlight && (
        <fieldset className="flex flex-col gap-3" data-testid="in-flight">
          <legend className="mb-2 text-sm text-slate-800">
            <strong>{people(inFlight.total)}</strong> {inFlight.total === 1 ? "is" : "are"} in this flow right
            now. What should happen to them?
          </legend>
          <Choice
            checked={!move}
            onSelect={() => setMove(false)}
            title="Keep them on the version they started"
            testId="keep-in-flight"
          >
            {people(inFlight.total)} finish the path they are on. Only new entries use this version.
          </Choice>
          <Choice
            checked={move}
            onSelect={() => setMove(true)}
            title="Move them to this version"
            testId="move-in-flight"
          >
            {people(inFlight.move)} carry on from the same step in the new version
            {inFlight.exit > 0
              ? `; ${people(inFlight.exit)} leave because their step was removed (${Object.entries(
                  inFlight.exitByNode,
                )
                  .map(([node, n]) => `${node}: ${n}`)
                  .join(", ")})`
              : ""}
            .
          </Choice>
        </fieldset>
      )}
      {inactive && (
        <fieldset className="mt-3 flex flex-col gap-3" data-testid="inactive-catch-up">
          <legend className="mb-2 text-sm text-slate-800">
            <strong>{people(inactive.count)}</strong> {inactive.count === 1 ? "has" : "have"} had no{" "}
            {inactive.event} for {inactive.days} days or more already
            {inactive.includeNeverDone ? " (or never, since joining)" : ""}. Should they enter?
          </legend>
          <Choice
            name="inactive"
            checked={!catchUp}
            onSelect={() => setCatchUp(false)}
            title="Only contacts who become inactive from now on"
            testId="inactive-from-now"
          >
            Contacts enter on the day they reach {inactive.days} days.
          </Choice>
          <Choice
            name="inactive"
            checked={catchUp}
            onSelect={() => setCatchUp(true)}
            title="Also contacts who are inactive already"
            testId="inactive-catch-up-all"
          >
            {people(inactive.count)} enter as soon as the flow is live (subject to its segment and re-entry
            rules), then everyone else as they reach {inactive.days} days.
          </Choice>
        </fieldset>
      )}
      {publishError && (
        <p role="alert" className="mt-3 text-sm text-red-800">
          {publishError}
        </p>
      )}
    </Dialog>
  );
}

function Choice({
  name = "in-flight",
  checked,
  onSelect,
  title,
  children,
  testId,
}: {
  name?: string;
  checked: boolean;
  onSelect: () => void;
  title: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <label
      className={cn(
        "flex cursor-pointer gap-3 rounded-lg border p-3",
        checked ? "border-indigo-500 bg-indigo-50/60" : "border-slate-200 hover:bg-slate-50",
      )}
    >
      <input
        type="radio"
        name={name}
        className="mt-1 accent-indigo-600"
        checked={checked}
        onChange={onSelect}
        data-testid={testId}
      />
      <span>
        <span className="block text-sm font-medium text-slate-900">{title}</span>
        <span className="block text-sm text-slate-600">{children}</span>
      </span>
    </label>
  );
}
