"use client";
/** What the validator found, as a list: clicking a problem selects its step on the canvas. */
import { CircleCheck, TriangleAlert, X } from "lucide-react";
import { useShallow } from "zustand/react/shallow";
import { cn } from "@/components/ui/cn";
import { describeNode } from "./nodes/node-card";
import { useBuilder } from "./store-provider";
import { useFocusNode } from "./use-focus-node";

export function IssuesPanel({
  onClose,
  onOpenSettings,
}: {
  onClose: () => void;
  onOpenSettings: () => void;
}) {
  const issues = useBuilder((s) => s.issues);
  // Each step named as its card reads it ("Wait · Wait 1 day"), not by its internal id.
  const names = useBuilder(
    useShallow((s) =>
      Object.fromEntries(
        s.nodes.map((n) => {
          const { label, summary } = describeNode(n.type, n.data);
          return [n.id, `${label} · ${summary}`];
        }),
      ),
    ),
  );
  const focus = useFocusNode();
  return (
    <section
      aria-label="Problems"
      className="absolute left-3 top-3 z-10 flex max-h-[calc(100%-1.5rem)] w-[340px] flex-col rounded-xl border border-slate-200 bg-white shadow-lg"
      data-testid="issues-panel"
    >
      <header className="flex items-center justify-between border-b border-slate-100 px-4 py-2.5">
        <h2 className="flex items-center gap-2 text-sm font-semibold text-slate-900">
          {issues.length === 0 ? (
            <CircleCheck className="size-4 text-emerald-600" aria-hidden />
          ) : (
            <TriangleAlert className="size-4 text-red-600" aria-hidden />
          )}
          {issues.length === 0
            ? "No problems"
            : `${issues.length} ${issues.length === 1 ? "problem" : "problems"} to fix`}
        </h2>
        <button
          type="button"
          onClick={onClose}
          className="rounded p-1 text-slate-500 hover:bg-slate-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
          aria-label="Close problems"
        >
          <X className="size-4" aria-hidden />
        </button>
      </header>
      {issues.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-600">The flow is ready to publish.</p>
      ) : (
        <ul className="min-h-0 overflow-y-auto p-1.5" data-testid="issues-list">
          {issues.map((issue, i) => {
            const name = issue.nodeId ? names[issue.nodeId] : undefined;
            const known = name !== undefined;
            const where = name ?? (issue.code === "invalid_settings" ? "Flow settings" : "Flow");
            const clickable = known || issue.code === "invalid_settings";
            return (
              <li key={`${issue.nodeId ?? ""}-${i}`}>
                <button
                  type="button"
                  disabled={!clickable}
                  onClick={() => (known && issue.nodeId ? focus(issue.nodeId) : onOpenSettings())}
                  className={cn(
                    "flex w-full flex-col rounded-lg px-2.5 py-2 text-left",
                    clickable &&
                      "hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500",
                  )}
                  data-testid="issue"
                  data-node-id={issue.nodeId}
                >
                  <span className="truncate text-xs font-semibold text-slate-500">{where}</span>
                  <span className="text-sm text-slate-800">{issue.message}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
