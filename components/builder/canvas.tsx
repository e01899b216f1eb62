"use client";
/**
 * The canvas: React Flow over the builder store. Steps come from the palette (drag and drop)
 * or an edge's "+"; connections are checked by the engine's `canConnect` while dragging;
 * keyboard: Delete/Backspace, Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z (or Ctrl+Y), Ctrl/Cmd+C/V/A.
 */
import "@xyflow/react/dist/style.css";
import "./builder.css";
import { useCallback, useEffect, useRef, useState, type DragEvent } from "react";
import {
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  useStore as useFlowStore,
  type Connection as RFConnection,
  type Edge,
  type FinalConnectionState,
  type Node,
} from "@xyflow/react";
import { LayoutGrid } from "lucide-react";
import { useShallow } from "zustand/react/shallow";
import { isNodeKind, type NodeKind } from "@/server/engine/nodes";
import type { Issue } from "@/server/engine/issues";
import { edgeTypes } from "./edge";
import type { CanvasEdge, CanvasNode } from "./graph-canvas";
import { InsertMenu } from "./insert-menu";
import { nodeTypes, nodeUiOf } from "./nodes";
import { TONES } from "./nodes/types";
import { cn } from "@/components/ui/cn";
import { DND_TYPE } from "./palette";
import { useBuilder, useBuilderStore } from "./store-provider";

const FIT = { padding: 0.15, maxZoom: 1 } as const;
/** Below this zoom, cards draw as coloured tiles without words or small controls. */
const ZOOMED_OUT = 0.25;
/** From this many steps on, only the cards in view are in the DOM. */
const LARGE_FLOW = 150;

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function minimapColor(node: Node): string {
  return isNodeKind(node.type ?? "") ? TONES[nodeUiOf(node.type as NodeKind).tone].mini : "#94a3b8";
}

/** Below this zoom a card's words are too small to read. */
const READABLE_ZOOM = 0.5;

/**
 * Fits the flow in view once its cards are measured, and marks the canvas as ready. A flow
 * too big to read whole opens at a readable zoom, at its trigger; "Fit view" shows it all.
 */
function FitOnLoad({ onReady }: { onReady: () => void }) {
  const initialized = useNodesInitialized();
  const { fitView, getZoom, getNodes, setViewport } = useReactFlow<CanvasNode, CanvasEdge>();
  const width = useFlowStore((s) => s.width);
  const done = useRef(false);
  useEffect(() => {
    if (!initialized || done.current) return;
    done.current = true;
    void (async () => {
      await fitView(FIT);
      if (getZoom() < READABLE_ZOOM) {
        const nodes = getNodes();
        const start =
          nodes.find((n) => n.type === "trigger") ??
          nodes.reduce((top, n) => (n.position.y < top.position.y ? n : top));
        const zoom = 0.8;
        const centreX = start.position.x + (start.measured?.width ?? 264) / 2;
        await setViewport({ x: width / 2 - centreX * zoom, y: 48 - start.position.y * zoom, zoom });
      }
      onReady();
    })();
  }, [initialized, fitView, getZoom, getNodes, setViewport, width, onReady]);
  return null;
}

/** `readOnly`: the analytics canvas — look, pan and zoom; no moving, connecting, dropping or keys that edit. */
export function FlowCanvas({ onReady, readOnly = false }: { onReady?: () => void; readOnly?: boolean }) {
  const store = useBuilderStore();
  const { nodes, edges } = useBuilder(useShallow((s) => ({ nodes: s.nodes, edges: s.edges })));
  const { screenToFlowPosition } = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const refusal = useRef<Issue | null>(null);
  // Fit once when an existing flow opens; a blank canvas keeps its viewport as steps arrive.
  const [fitOnLoad] = useState(nodes.length > 0);
  const [ready, setReady] = useState(!fitOnLoad);
  const markReady = useCallback(() => {
    setReady(true);
    onReady?.();
  }, [onReady]);

  const { onNodesChange, onEdgesChange, connect, checkConnection } = store.getState();
  // Zoomed far out, the small controls (an edge's "+", output labels) are hidden: unreadable there anyway, and cheaper to draw.
  const zoomedOut = useFlowStore((s) => s.transform[2] < ZOOMED_OUT);

  const isValidConnection = useCallback(
    (connection: Edge | RFConnection) => {
      const issue = checkConnection({
        source: connection.source,
        sourceHandle: connection.sourceHandle ?? null,
        target: connection.target,
      });
      refusal.current = issue;
      return issue === null;
    },
    [checkConnection],
  );

  const onConnectStart = useCallback(() => {
    refusal.current = null;
  }, []);

  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      // Dropped on a step that refused it: say why.
      if (!state.isValid && state.toNode && refusal.current)
        store.getState().notify(`Can't connect: ${refusal.current.message}`, "error");
      refusal.current = null;
    },
    [store],
  );

  const onConnect = useCallback(
    (c: RFConnection) =>
      void connect({ source: c.source, sourceHandle: c.sourceHandle ?? null, target: c.target }),
    [connect],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DND_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(DND_TYPE);
      if (!isNodeKind(kind)) return;
      event.preventDefault();
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      store
        .getState()
        .dropNode(kind, { x: Math.round(at.x - 132), y: Math.round(at.y - 36) }, nodeUiOf(kind).initialConfig?.());
      wrapper.current?.focus({ preventScroll: true });
    },
    [screenToFlowPosition, store],
  );

  useEffect(() => {
    if (readOnly) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (isEditable(event.target)) return;
      const inCanvas =
        event.target === document.body ||
        (event.target instanceof Node && wrapper.current?.contains(event.target));
      if (!inCanvas) return;
      const s = store.getState();
      const mod = event.metaKey || event.ctrlKey;
      const key = event.key.toLowerCase();
      if (mod && key === "z") {
        event.preventDefault();
        if (event.shiftKey) s.redo();
        else s.undo();
      } else if (mod && key === "y") {
        event.preventDefault();
        s.redo();
      } else if (mod && key === "c") {
        const n = s.copySelection();
        if (n > 0) s.notify(`Copied ${n} ${n === 1 ? "step" : "steps"}`);
      } else if (mod && key === "v") {
        event.preventDefault();
        s.paste();
      } else if (mod && key === "a") {
        event.preventDefault();
        s.selectAll();
      } else if (event.key === "Delete" || event.key === "Backspace") {
        event.preventDefault();
        s.deleteSelection();
      } else if (event.key === "Escape") {
        s.selectNode(null);
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [store, readOnly]);

  return (
    <div
      ref={wrapper}
      tabIndex={-1}
      className={cn("relative h-full w-full outline-none", zoomedOut && "zoomed-out")}
      data-testid={readOnly ? "analytics-canvas" : "canvas"}
      data-ready={ready ? "true" : "false"}
      onDragOver={readOnly ? undefined : onDragOver}
      onDrop={readOnly ? undefined : onDrop}
    >
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectStart={onConnectStart}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable={!readOnly}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Meta", "Control"]}
        minZoom={0.05}
        maxZoom={1.75}
        defaultViewport={{ x: 80, y: 40, zoom: 1 }}
        connectionRadius={28}
        nodesFocusable
        edgesFocusable
        onlyRenderVisibleElements={nodes.length > LARGE_FLOW}
        ariaLabelConfig={{
          "node.a11yDescription.default":
            "Press Enter or Space to select this step, then Delete to remove it. Arrow keys move it.",
        }}
      >
        {/* Far out, the dot grid would be thousands of dots to repaint on every frame. */}
        {!zoomedOut && <Background gap={24} size={1.5} color="#cbd5e1" />}
        <MiniMap
          pannable
          zoomable
          nodeColor={minimapColor}
          nodeStrokeWidth={3}
          maskColor="rgba(241, 245, 249, 0.7)"
          ariaLabel="Overview of the flow"
        />
        <Controls showInteractive={false} fitViewOptions={FIT} aria-label="Zoom">
          {!readOnly && (
            <ControlButton
              onClick={() => store.getState().autoLayout()}
              title="Tidy up (auto-layout)"
              aria-label="Auto-layout"
              data-testid="auto-layout"
            >
              <LayoutGrid aria-hidden />
            </ControlButton>
          )}
        </Controls>
        {fitOnLoad && <FitOnLoad onReady={markReady} />}
      </ReactFlow>
      {nodes.length === 0 && !readOnly && (
        <div className="pointer-events-none absolute inset-0 flex items-center justify-center">
          <div className="rounded-xl border border-dashed border-slate-300 bg-white/80 px-6 py-5 text-center">
            <p className="text-sm font-medium text-slate-800">Start with a trigger</p>
            <p className="mt-1 text-sm text-slate-600">
              Drag “Trigger” from the left onto the canvas, then add steps below it.
            </p>
          </div>
        </div>
      )}
      {!readOnly && <InsertMenu />}
    </div>
  );
}
