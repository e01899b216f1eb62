"use client";
/**
 * The builder's edge: a rounded step path with a "+" in the middle to insert a step there;
 * on the analytics canvas, the share of contacts that took it instead.
 */
import { memo } from "react";
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from "@xyflow/react";
import { Plus } from "lucide-react";
import { cn } from "@/components/ui/cn";
import type { CanvasEdge } from "./graph-canvas";
import { useAnalyticsView } from "./analytics/analytics-context";
import { useBuilderStore } from "./store-provider";

export const FlowEdge = memo(function FlowEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  selected,
  markerEnd,
}: EdgeProps<CanvasEdge>) {
  const store = useBuilderStore();
  const analytics = useAnalyticsView();
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    borderRadius: 14,
    offset: 24,
  });
  if (analytics) {
    // The analytics canvas is read-only: no "+", and edges out of a branching step carry their
    // share where the "+" would be (mid-way along the edge, clear of the sibling branches).
    const share = analytics.edgeLabels.get(id);
    return (
      <>
        <BaseEdge id={id} path={path} markerEnd={markerEnd} className="flow-edge" />
        {share !== undefined && (
          <EdgeLabelRenderer>
            <div
              className="flow-edge-share nodrag nopan pointer-events-none absolute whitespace-nowrap rounded-full border border-indigo-200 bg-white px-2 py-0.5 text-xs font-semibold tabular-nums text-indigo-900 shadow-sm"
              style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
              data-testid={`edge-share-${id}`}
            >
              {share}
            </div>
          </EdgeLabelRenderer>
        )}
      </>
    );
  }
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={cn("flow-edge", selected && "flow-edge-selected")}
        interactionWidth={18}
      />
      <EdgeLabelRenderer>
        <div
          className="flow-edge-insert nodrag nopan pointer-events-auto absolute"
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
        >
          <button
            type="button"
            className="flex size-6 items-center justify-center rounded-full border border-slate-300 bg-white text-slate-600 shadow-sm transition hover:scale-110 hover:border-indigo-500 hover:text-indigo-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
            aria-label="Insert a step here"
            data-testid={`insert-${id}`}
            onClick={(event) => {
              // The pane under the label would otherwise take this click as "click on empty
              // canvas" and clear the selection, which closes the menu it just opened.
              event.stopPropagation();
              const rect = event.currentTarget.getBoundingClientRect();
              store
                .getState()
                .openInsertMenu({ edgeId: id, x: rect.left + rect.width / 2, y: rect.bottom + 6 });
            }}
          >
            <Plus className="size-3.5" aria-hidden />
          </button>
        </div>
      </EdgeLabelRenderer>
    </>
  );
});

export const edgeTypes = { flow: FlowEdge };
