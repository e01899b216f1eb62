"use client";
/**
 * The card every node kind draws on the canvas: icon, the kind's name, the engine's one-line
 * summary, and one labelled output handle per output. Red outline and a count when the
 * validator found problems with the step. On the analytics canvas, its numbers below.
 */
import type { ReactNode } from "react";
import { Handle, Position } from "@xyflow/react";
import { TriangleAlert, type LucideIcon } from "lucide-react";
import { definitionOf, type NodeKind } from "@/server/engine/nodes";
import { stepNames } from "@/server/engine/metrics";
import type { StepNames } from "@/server/engine/predicate";
import type { FlowNode } from "@/server/engine/graph";
import { cn } from "@/components/ui/cn";
import { CompactHeadline, NodeStatsBlock } from "../analytics/node-stats";
import { useCardFace } from "../compact-context";
import { faceTitle } from "../compact-face";
import { useBuilder } from "../store-provider";
import { TONES, type Tone } from "./types";

function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function handleTone(handle: string): string {
  if (handle === "yes" || handle === "event") return "text-emerald-800";
  if (handle === "no" || handle === "timeout") return "text-rose-800";
  return "text-slate-700";
}

/** The words on a node: kind, summary and outputs, for the card and for screen readers. */
export function describeNode(kind: NodeKind, config: unknown, names?: StepNames) {
  const definition = definitionOf(kind);
  const outputs = attempt(() => definition.outputs(config), [] as string[]);
  return {
    label: definition.label,
    summary: attempt(() => definition.summary(config, names), "…"),
    outputs: outputs.map((handle) => ({
      handle,
      label: attempt(() => definition.outputLabel(config, handle), handle),
    })),
  };
}

/** Other steps' titles by id, as the card and the reports show them. */
export function stepNamesOf(
  nodes: readonly { id: string; type: NodeKind; data: unknown }[] | null,
): StepNames | undefined {
  if (!nodes) return undefined;
  return stepNames(
    new Map(nodes.map((n) => [n.id, { kind: n.type, config: n.data } as Pick<FlowNode, "kind" | "config">])),
  );
}

/** Other steps' titles by id, looked up only for the ids asked about. */
function namesIn(nodes: readonly { id: string; type: NodeKind; data: unknown }[]): StepNames {
  return (id) => {
    const node = nodes.find((n) => n.id === id);
    return node ? stepNamesOf([node])?.(id) : undefined;
  };
}

/** The title of a zoomed-out card: the summary without its "Email: " lead-in (the icon says that). */
export function compactTitle(label: string, summary: string): string {
  const lead = `${label}: `;
  return summary.startsWith(lead) && summary.length > lead.length ? summary.slice(lead.length) : summary;
}

/**
 * A zoomed-out card's title: its head always, the rest where the face has two lines (else
 * hidden, the head ending in "…"; see builder.css). The whole title as `data-title`.
 */
function CompactTitle({ title }: { title: string }) {
  const { head, tail } = faceTitle(title);
  return (
    <span className="flow-card-compact-text" data-title={title}>
      <span className={cn(tail && "flow-face-head-cut")}>{head}</span>
      {tail && <span className="flow-face-tail">{tail}</span>}
    </span>
  );
}

export function NodeCard({
  id,
  kind,
  config,
  selected,
  icon: Icon,
  tone,
  children,
}: {
  id: string;
  kind: NodeKind;
  config: unknown;
  selected: boolean;
  icon: LucideIcon;
  tone: Tone;
  children?: ReactNode;
}) {
  const issueCount = useBuilder((s) => s.issuesByNode[id]?.length ?? 0);
  const firstIssue = useBuilder((s) => s.issuesByNode[id]?.[0]?.message ?? null);
  // Only a condition can point at another step ("opened “Email: …”"): its card follows the
  // titles it names (a string, so it re-renders only when one of them changes).
  const namedSummary = useBuilder((s) =>
    kind === "condition" ? describeNode(kind, config, namesIn(s.nodes)).summary : null,
  );
  const described = describeNode(kind, config);
  const { label, outputs } = described;
  const summary = namedSummary ?? described.summary;
  const face = useCardFace();
  const compact = face === "compact";
  const branched = outputs.length > 1;
  return (
    <div
      className={cn(
        "flow-card group/card relative w-[264px] rounded-xl border bg-white text-left shadow-sm transition-shadow",
        issueCount > 0
          ? "border-red-500 ring-2 ring-red-500/60"
          : selected
            ? "border-indigo-500 ring-2 ring-indigo-500/40"
            : "border-slate-200 hover:shadow-md",
      )}
      data-testid="node-card"
      data-invalid={issueCount > 0 ? "true" : undefined}
    >
      {kind !== "trigger" && (
        <Handle type="target" position={Position.Top} className="flow-handle" aria-label="Input" />
      )}
      <div className="flex items-start gap-3 p-3">
        <span
          className={cn("flex size-9 shrink-0 items-center justify-center rounded-lg", TONES[tone].icon)}
          aria-hidden
        >
          {face !== "tile" && <Icon className="size-[18px]" />}
        </span>
        <div className="flow-card-text min-w-0 flex-1">
          <div className="flex items-center justify-between gap-2">
            <span className="truncate text-[11px] font-semibold uppercase tracking-wide text-slate-600">
              {label}
            </span>
            {issueCount > 0 && (
              <span
                className="inline-flex items-center gap-1 rounded-full bg-red-100 px-1.5 py-0.5 text-[11px] font-semibold text-red-800"
                title={firstIssue ?? undefined}
              >
                <TriangleAlert className="size-3" aria-hidden />
                <span>
                  {issueCount}
                  <span className="sr-only"> {issueCount === 1 ? "problem" : "problems"}</span>
                </span>
              </span>
            )}
          </div>
          <p
            className="mt-0.5 line-clamp-2 text-sm font-medium leading-snug text-slate-900"
            data-testid="node-summary"
          >
            {summary}
          </p>
          {children}
        </div>
      </div>
      <NodeStatsBlock id={id} kind={kind} />
      {/* Zoomed out (semantic zoom, see builder.css): the kind's icon, a large title and one number. */}
      {compact && (
        <div className="flow-card-compact" aria-hidden data-testid="node-compact">
          <span className={cn("flow-card-compact-icon", TONES[tone].icon)}>
            <Icon />
          </span>
          <CompactTitle title={compactTitle(label, summary)} />
          <CompactHeadline id={id} kind={kind} />
        </div>
      )}
      {branched && (
        <div className="flow-output-labels flex border-t border-slate-100" aria-hidden>
          {outputs.map((o) => (
            <div
              key={o.handle}
              className={cn(
                "min-w-0 flex-1 truncate px-1.5 pb-2 pt-1.5 text-center text-[11px] font-semibold",
                handleTone(o.handle),
              )}
              title={o.label}
            >
              {o.label}
            </div>
          ))}
        </div>
      )}
      {outputs.map((o, i) => (
        <Handle
          key={o.handle}
          id={o.handle}
          type="source"
          position={Position.Bottom}
          className="flow-handle"
          style={{ left: `${((i + 0.5) / outputs.length) * 100}%` }}
          aria-label={`${o.label} output`}
          title={o.label}
          data-testid={`handle-${id}-${o.handle}`}
        />
      ))}
    </div>
  );
}

/** A small secondary line on a card. */
export function CardDetail({ children }: { children: ReactNode }) {
  return <p className="mt-1 truncate text-xs text-slate-600">{children}</p>;
}
