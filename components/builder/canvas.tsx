"use client";
/**
 * The canvas: React Flow over the builder store. Steps come from the palette (drag and drop)
 * or an edge's "+"; connections are checked by the engine's `canConnect` while dragging;
 * keyboard: Delete/Backspace, Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z (or Ctrl+Y), Ctrl/Cmd+C/V/A.
 */
import "@xyflow/react/dist/style.css";
import "./builder.css";
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type DragEvent,
  type RefObject,
} from "react";
import {
  Background,
  ControlButton,
  Controls,
  getNodesBounds,
  getViewportForBounds,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  useStore as useFlowStore,
  useStoreApi,
  type Connection as RFConnection,
  type NodeChange,
  type Edge,
  type FinalConnectionState,
  type Node,
} from "@xyflow/react";
import { LayoutGrid, Map as MapIcon, Maximize } from "lucide-react";
import { useShallow } from "zustand/react/shallow";
import { isNodeKind, type NodeKind } from "@/server/engine/nodes";
import type { Issue } from "@/server/engine/issues";
import { edgeTypes } from "./edge";
import type { CanvasEdge, CanvasNode } from "./graph-canvas";
import { InsertMenu } from "./insert-menu";
import { pathHighlight } from "./test/path";
import { DEFAULT_NODE_SIZE, overlaps } from "./layout";
import {
  ANALYTICS_OPEN_MIN_ZOOM,
  COMPACT_TEXT_PX,
  isCompactZoom,
  OPEN_MIN_ZOOM,
  openingViewport,
  zoomStep,
  zoomTier,
} from "./viewport";
import { CompactContext } from "./compact-context";
import { MAX_SPREAD, sideRoom, spreadFactor, spreadX, unspreadX } from "./compact-room";
import { faceTitle, twoLineWidth } from "./compact-face";
import { nodeTypes, nodeUiOf } from "./nodes";
import { compactTitle, describeNode, stepNamesOf } from "./nodes/node-card";
import { TONES } from "./nodes/types";
import { cn } from "@/components/ui/cn";
import { DND_TYPE } from "./palette";
import { useBuilder, useBuilderStore } from "./store-provider";

const FIT = { padding: 0.15, maxZoom: 1 } as const;
/** With the overview map on, fitting keeps the flow clear of it (it sits bottom right). */
const FIT_BESIDE_MINIMAP = {
  padding: { top: "32px", bottom: "32px", left: "32px", right: "248px" },
  maxZoom: 1,
} as const;
/** Or above it, when that fits a tall flow larger. */
const FIT_ABOVE_MINIMAP = { top: "32px", bottom: "182px", left: "16px", right: "16px" } as const;
const MIN_ZOOM = 0.05;
/** Below this zoom the dot grid is not drawn (thousands of dots to repaint on every frame). */
const NO_GRID = 0.25;
/** From this many steps on, the overview map is on unless turned off. */
const MINIMAP_FROM = 16;
/** From this many steps on, only the cards in view are in the DOM. */
const LARGE_FLOW = 150;

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function minimapColor(node: Node): string {
  return isNodeKind(node.type ?? "") ? TONES[nodeUiOf(node.type as NodeKind).tone].mini : "#94a3b8";
}

/** Fits the flow in view once its cards are measured (see `openingViewport`), and marks the canvas as ready. */
function FitOnLoad({
  onReady,
  rightInset,
  minZoom,
}: {
  onReady: () => void;
  rightInset: number;
  minZoom: number;
}) {
  const initialized = useNodesInitialized();
  const { getNodes, setViewport } = useReactFlow<CanvasNode, CanvasEdge>();
  const width = useFlowStore((s) => s.width);
  const height = useFlowStore((s) => s.height);
  const done = useRef(false);
  useEffect(() => {
    if (!initialized || done.current || width === 0) return;
    done.current = true;
    void (async () => {
      const nodes = getNodes();
      const start =
        nodes.find((n) => n.type === "trigger") ??
        nodes.reduce((top, n) => (n.position.y < top.position.y ? n : top));
      await setViewport(
        openingViewport(
          getNodesBounds(nodes),
          { x: start.position.x, width: start.measured?.width ?? DEFAULT_NODE_SIZE.width },
          { width, height, rightInset },
          minZoom,
        ),
      );
      onReady();
    })();
  }, [initialized, getNodes, setViewport, width, height, onReady, rightInset, minZoom]);
  return null;
}

/**
 * A step just added from the palette or an edge's menu is brought into view when it landed off
 * screen or under the overview map.
 */
function RevealNewStep({ minimap }: { minimap: boolean }) {
  const selectedNodeId = useBuilder((s) => s.selectedNodeId);
  const count = useBuilder((s) => s.nodes.length);
  const { getInternalNode, getViewport, setCenter } = useReactFlow<CanvasNode, CanvasEdge>();
  const width = useFlowStore((s) => s.width);
  const height = useFlowStore((s) => s.height);
  const seenCount = useRef(count);
  useEffect(() => {
    const added = count > seenCount.current;
    seenCount.current = count;
    if (!added || !selectedNodeId) return;
    const node = getInternalNode(selectedNodeId);
    if (!node) return;
    const { x, y, zoom } = getViewport();
    const w = (node.measured.width ?? DEFAULT_NODE_SIZE.width) * zoom;
    const h = (node.measured.height ?? DEFAULT_NODE_SIZE.height) * zoom;
    const left = node.internals.positionAbsolute.x * zoom + x;
    const top = node.internals.positionAbsolute.y * zoom + y;
    const box = { x: left, y: top, width: w, height: h };
    const offScreen = left < 0 || top < 0 || left + w > width || top + h > height;
    const map = { x: width - MINIMAP_SIZE.width - 16, y: height - MINIMAP_SIZE.height - 16, ...MINIMAP_SIZE };
    if (offScreen || (minimap && overlaps(box, map)))
      void setCenter(
        node.internals.positionAbsolute.x + w / zoom / 2,
        node.internals.positionAbsolute.y + h / zoom / 2,
        { zoom, duration: 200 },
      );
  }, [count, selectedNodeId, getInternalNode, getViewport, setCenter, width, height, minimap]);
  return null;
}

const MINIMAP_SIZE = { width: 200, height: 150 };

/**
 * Semantic zoom without re-rendering the canvas on every zoom step: the inverse zoom step as
 * `--zs` on the canvas root; builder.css does the rest (see `zoomStep`). The tier is the root's
 * `data-zoom`, rendered by the canvas (it re-renders at each tier anyway).
 */
function ZoomStyle({ target }: { target: RefObject<HTMLDivElement | null> }) {
  const tier = useFlowStore((s) => zoomTier(s.transform[2]));
  const step = useFlowStore((s) => zoomStep(s.transform[2]));
  // Up close `--zs` is unused: left as it is, so opening a flow does not restyle every card.
  const zs = tier === "near" ? null : String(1 / step);
  useLayoutEffect(() => {
    const el = target.current;
    if (!el) return;
    if (zs !== null) el.style.setProperty("--zs", zs);
  }, [target, tier, zs]);
  return null;
}

/** A compact face spreads at most this far beyond each side of its card (canvas px). */
const ROOM_CAP = 4 * DEFAULT_NODE_SIZE.width;
/** On-screen heights of a compact face with one and two lines of words (see builder.css), and the edge left visible above and below it. */
const FACE_PX = { one: 21, two: 35, edge: 8 };
/** A face's icon, gap, padding and border, with a little to spare, in em; an analytics headline number. */
const FACE_EXTRA_EM = 2.6;
const NUMBER_EM = 12;

let textWidths: { measure: (text: string) => number; widths: Map<string, number> } | null = null;

/** A compact face's words' width on screen at `COMPACT_TEXT_PX`, measured with the page's font (cached). */
function measureFaceText(text: string): number {
  if (!textWidths) {
    const ctx = typeof document === "undefined" ? null : document.createElement("canvas").getContext("2d");
    if (ctx)
      ctx.font = `600 ${COMPACT_TEXT_PX}px ${getComputedStyle(document.body).fontFamily || "sans-serif"}`;
    textWidths = {
      measure: ctx ? (t) => ctx.measureText(t).width : (t) => t.length * 0.7 * COMPACT_TEXT_PX,
      widths: new Map(),
    };
  }
  let width = textWidths.widths.get(text);
  if (width === undefined) {
    width = textWidths.measure(text);
    textWidths.widths.set(text, width);
  }
  return width;
}

/** How wide a face must be on screen for its title (and number) on one or two lines. */
function faceWidth(title: string, twoLines: boolean, numbers: boolean): number {
  const em = COMPACT_TEXT_PX;
  const { head, tail } = faceTitle(title);
  const oneLine = measureFaceText(tail ? `${head}…` : head);
  const words = numbers
    ? twoLines
      ? Math.max(oneLine, NUMBER_EM * em)
      : oneLine + NUMBER_EM * em
    : twoLines
      ? twoLineWidth(head + tail, measureFaceText)
      : oneLine;
  return words + FACE_EXTRA_EM * em;
}

type Bounds = { x: number; y: number; width: number; height: number };

/** The middle of the cards across: a compact layout spreads away from it. */
function middleX(nodes: readonly CanvasNode[]): number {
  if (nodes.length === 0) return 0;
  let min = Infinity;
  let max = -Infinity;
  for (const n of nodes) {
    min = Math.min(min, n.position.x);
    max = Math.max(max, n.position.x + (n.measured?.width ?? DEFAULT_NODE_SIZE.width));
  }
  return (min + max) / 2;
}

/**
 * The compact layout at this zoom step (semantic zoom): each card's face, one line or two
 * (class `flow-face-1` for one, when the rows are too close for two), how wide its title needs
 * it, the flow spread sideways from `anchor` so that faces side by side all get that width
 * (`spreadFactor`), and each face's room beside its card (CSS variables on its node). Returns
 * the nodes as drawn, the spread, and the bounds of the faces. `numbers`: the analytics
 * canvas, whose faces also show a number.
 */
function compactLayout(
  nodes: readonly CanvasNode[],
  step: number,
  numbers: boolean,
  anchor: number,
  cap: number,
): { nodes: CanvasNode[]; factor: number; bounds: Bounds } {
  const names = nodes.some((n) => n.type === "condition") ? stepNamesOf(nodes) : undefined;
  const cards = nodes.map((n) => {
    const { label, summary } = describeNode(n.type, n.data, n.type === "condition" ? names : undefined);
    return {
      id: n.id,
      title: compactTitle(label, summary),
      x: n.position.x,
      y: n.position.y,
      width: n.measured?.width ?? DEFAULT_NODE_SIZE.width,
      height: n.measured?.height ?? DEFAULT_NODE_SIZE.height,
    };
  });
  // Two lines where the rows leave the height for them (the spread only adds room).
  const heights = sideRoom(cards, ROOM_CAP);
  const faces = cards.map((c) => {
    const twoLines = heights.get(c.id)!.height * step >= FACE_PX.two + 2 * FACE_PX.edge;
    return { ...c, twoLines, want: faceWidth(c.title, twoLines, numbers) / step };
  });
  const factor = spreadFactor(faces, cap);
  const spread = faces.map((f) => ({ ...f, x: spreadX(f.x, f.width, anchor, factor) }));
  const room = sideRoom(spread, ROOM_CAP);
  const bounds = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
  for (const f of spread) {
    const r = room.get(f.id)!;
    bounds.left = Math.min(bounds.left, f.x - r.left);
    bounds.right = Math.max(bounds.right, f.x + f.width + r.right);
    bounds.top = Math.min(bounds.top, f.y);
    bounds.bottom = Math.max(bounds.bottom, f.y + f.height);
  }
  const shown = nodes.map((n, i) => {
    const f = spread[i]!;
    const r = room.get(n.id)!;
    const style = { "--room-l": `${Math.round(r.left)}px`, "--room-r": `${Math.round(r.right)}px` };
    return {
      ...n,
      position: factor === 1 ? n.position : { x: f.x, y: n.position.y },
      style: { ...n.style, ...(style as CSSProperties) },
      className: cn(n.className, !f.twoLines && "flow-face-1"),
    };
  });
  return {
    nodes: shown,
    factor,
    bounds: {
      x: bounds.left,
      y: bounds.top,
      width: Math.max(1, bounds.right - bounds.left),
      height: Math.max(1, bounds.bottom - bounds.top),
    },
  };
}

/** Kept free beside a spread flow's faces at fit view, on screen (px a side). */
const FIT_SLACK_PX = 24;
/** The spreads Fit View tries, widest first (past the last, the flow is fitted as it is). */
const FIT_SPREADS = [MAX_SPREAD, 2.5, 2, 1.6, 1.3];

type FitPadding = (typeof FIT)["padding"] | (typeof FIT_BESIDE_MINIMAP)["padding"] | typeof FIT_ABOVE_MINIMAP;

/**
 * The view that fits the flow as drawn at that view's own zoom (a zoomed-out flow is drawn
 * spread, see `compactLayout`), with the spread it was fitted with (`cap`: 1 when spreading
 * would take the flow down to plain tiles — then it is fitted as it is). Of several paddings
 * (beside or above the overview map), the one whose titles read, then the larger zoom.
 */
function fitCompact(
  nodes: readonly CanvasNode[],
  view: { width: number; height: number },
  paddings: readonly FitPadding[],
  numbers: boolean,
): { x: number; y: number; zoom: number; anchor: number; cap: number; fits: boolean } {
  const anchor = middleX(nodes);
  const raw = getNodesBounds(nodes as CanvasNode[]);
  let best: { x: number; y: number; zoom: number; cap: number } | null = null;
  for (const padding of paddings) {
    const fit = (bounds: Bounds) =>
      getViewportForBounds(bounds, view.width, view.height, MIN_ZOOM, 1, padding);
    const plain = fit(raw);
    let found = { ...plain, cap: isCompactZoom(plain.zoom) ? 1 : MAX_SPREAD };
    // The widest spread that still leaves compact faces: spread at the fitted zoom, fitted
    // again, until the zoom step holds (a few rounds at most).
    for (const cap of isCompactZoom(plain.zoom) ? FIT_SPREADS : []) {
      let viewport = plain;
      let held = false;
      for (let round = 0; round < 8 && isCompactZoom(viewport.zoom); round++) {
        const step = zoomStep(viewport.zoom);
        const { bounds } = compactLayout(nodes, step, numbers, anchor, cap);
        const slack = FIT_SLACK_PX / step;
        viewport = fit({ ...bounds, x: bounds.x - slack, width: bounds.width + 2 * slack });
        held = zoomStep(viewport.zoom) >= step;
        if (held) break;
      }
      if (held && isCompactZoom(viewport.zoom)) {
        found = { ...viewport, cap };
        break;
      }
    }
    if (!best || (found.cap > best.cap ? true : found.cap === best.cap && found.zoom > best.zoom))
      best = found;
  }
  return { ...best!, anchor, fits: best!.cap === MAX_SPREAD };
}

/** `readOnly`: the analytics canvas — look, pan and zoom; no moving, connecting, dropping or keys that edit. */
export function FlowCanvas({
  onReady,
  readOnly = false,
  onStepClick,
  activeStepId = null,
  highlightPath = null,
  onNeedWidth,
}: {
  onReady?: () => void;
  /**
   * Fit View found the canvas too narrow for the flow's faces side by side: asks for more width
   * (the builder collapses its side panels). True when the canvas will grow.
   */
  onNeedWidth?: () => boolean;
  readOnly?: boolean;
  /** Read-only canvas: a click on a step (its report opens beside the canvas). */
  onStepClick?: (nodeId: string) => void;
  /** Read-only canvas: the step whose report is open, outlined. */
  activeStepId?: string | null;
  /** A test run's path (step ids in order): its steps and connections are lit, the rest dimmed. */
  highlightPath?: readonly string[] | null;
}) {
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
  // Semantic zoom: compact faces (and their room beside each card) only below 50 %.
  const step = useFlowStore((s) => (isCompactZoom(s.transform[2]) ? zoomStep(s.transform[2]) : 0));
  const compact = step > 0;
  const noGrid = useFlowStore((s) => s.transform[2] < NO_GRID);
  const tier = useFlowStore((s) => zoomTier(s.transform[2]));
  const tiles = tier === "tiny";
  const [minimap, setMinimap] = useState(nodes.length >= MINIMAP_FROM);
  const highlight = useMemo(
    () => (highlightPath ? pathHighlight(highlightPath, edges) : null),
    [highlightPath, edges],
  );
  // The compact layout spreads from the middle of the flow as it was when the zoom step was
  // entered (or as Fit View fitted it), so a card dragged while zoomed out does not move the rest.
  const [anchor, setAnchor] = useState({ step: 0, x: 0, cap: MAX_SPREAD });
  // The spread Fit View fitted with, kept when the canvas reaches its zoom step.
  const [fitted, setFitted] = useState<typeof anchor | null>(null);
  if (anchor.step !== step)
    setAnchor(
      fitted && fitted.step === step ? fitted : { step, x: compact ? middleX(nodes) : 0, cap: MAX_SPREAD },
    );
  const anchorX = anchor.step === step ? anchor.x : middleX(nodes);
  const cap = anchor.step === step ? anchor.cap : MAX_SPREAD;
  const shown = useMemo(() => {
    const marked = highlight
      ? nodes.map((n) => ({ ...n, className: highlight.nodes.has(n.id) ? "sim-visited" : "sim-dimmed" }))
      : readOnly && activeStepId
        ? nodes.map((n) => (n.id === activeStepId ? { ...n, className: "flow-node-active" } : n))
        : nodes;
    return step > 0 ? compactLayout(marked, step, readOnly, anchorX, cap) : { nodes: marked, factor: 1 };
  }, [nodes, readOnly, activeStepId, highlight, step, anchorX, cap]);
  const shownNodes = shown.nodes;
  const spread = shown.factor;
  // Cards dragged in the compact layout are stored where they sit in the flow.
  const onShownNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      if (spread === 1) return onNodesChange(changes);
      const widthOf = (id: string) =>
        store.getState().nodes.find((n) => n.id === id)?.measured?.width ?? DEFAULT_NODE_SIZE.width;
      onNodesChange(
        changes.map((c) =>
          c.type === "position" && c.position
            ? {
                ...c,
                position: { x: unspreadX(c.position.x, widthOf(c.id), anchorX, spread), y: c.position.y },
              }
            : c,
        ),
      );
    },
    [onNodesChange, store, spread, anchorX],
  );
  const flowStore = useStoreApi<CanvasNode, CanvasEdge>();
  const { setViewport } = useReactFlow<CanvasNode, CanvasEdge>();
  const fitView = useCallback(() => {
    const fit = () => {
      const { width, height } = flowStore.getState();
      const {
        anchor: x,
        cap: spreadCap,
        fits,
        ...viewport
      } = fitCompact(
        store.getState().nodes,
        { width, height },
        minimap ? [FIT_BESIDE_MINIMAP.padding, FIT_ABOVE_MINIMAP] : [FIT.padding],
        readOnly,
      );
      const at = { step: isCompactZoom(viewport.zoom) ? zoomStep(viewport.zoom) : 0, x, cap: spreadCap };
      setFitted(at);
      setAnchor(at);
      void setViewport(viewport);
      return { fits, width };
    };
    const { fits, width } = fit();
    if (fits || !onNeedWidth?.()) return;
    // Fitted again once the side panels have made room (a few frames).
    let frames = 0;
    const again = () => {
      if (flowStore.getState().width !== width || ++frames > 30) fit();
      else requestAnimationFrame(again);
    };
    requestAnimationFrame(again);
  }, [flowStore, store, minimap, readOnly, setViewport, onNeedWidth]);
  const shownEdges = useMemo(
    () =>
      highlight
        ? edges.map((e) => ({ ...e, className: highlight.edges.has(e.id) ? "sim-visited" : "sim-dimmed" }))
        : edges,
    [edges, highlight],
  );
  const onNodeClick = useCallback(
    (_event: unknown, node: Node) => {
      if (readOnly) onStepClick?.(node.id);
    },
    [readOnly, onStepClick],
  );

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
      const width = DEFAULT_NODE_SIZE.width;
      const x = spread === 1 ? at.x - width / 2 : unspreadX(at.x - width / 2, width, anchorX, spread);
      store
        .getState()
        .dropNode(kind, { x: Math.round(x), y: Math.round(at.y - 36) }, nodeUiOf(kind).initialConfig?.());
      wrapper.current?.focus({ preventScroll: true });
    },
    [screenToFlowPosition, store, spread, anchorX],
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
      className={cn("relative h-full w-full outline-none", readOnly && onStepClick && "steps-clickable")}
      data-testid={readOnly ? "analytics-canvas" : "canvas"}
      data-ready={ready ? "true" : "false"}
      data-zoom={tier}
      data-spread={spread === 1 ? undefined : spread.toFixed(2)}
      data-testing={highlight ? "true" : undefined}
      onDragOver={readOnly ? undefined : onDragOver}
      onDrop={readOnly ? undefined : onDrop}
    >
      <CompactContext value={compact ? "compact" : tiles ? "tile" : "full"}>
        <ReactFlow<CanvasNode, CanvasEdge>
          nodes={shownNodes}
          edges={shownEdges}
          onNodeClick={readOnly ? onNodeClick : undefined}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onShownNodesChange}
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
          minZoom={MIN_ZOOM}
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
          {!noGrid && <Background gap={24} size={1.5} color="#cbd5e1" />}
          {/* Drawn once the canvas is ready: not part of the first render of a big flow. */}
          {minimap && ready && (
            <MiniMap
              pannable
              zoomable
              nodeColor={minimapColor}
              nodeStrokeWidth={3}
              maskColor="rgba(241, 245, 249, 0.7)"
              ariaLabel="Overview of the flow"
              style={MINIMAP_SIZE}
            />
          )}
          <Controls showInteractive={false} showFitView={false} aria-label="Zoom">
            <ControlButton
              onClick={fitView}
              className="react-flow__controls-fitview"
              title="Fit View"
              aria-label="Fit View"
            >
              <Maximize aria-hidden />
            </ControlButton>
            <ControlButton
              onClick={() => setMinimap((on) => !on)}
              title={minimap ? "Hide the overview map" : "Show the overview map"}
              aria-label={minimap ? "Hide overview map" : "Show overview map"}
              aria-pressed={minimap}
              data-testid="toggle-minimap"
            >
              <MapIcon aria-hidden />
            </ControlButton>
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
          {fitOnLoad && (
            <FitOnLoad
              onReady={markReady}
              rightInset={minimap ? MINIMAP_SIZE.width + 16 : 0}
              minZoom={readOnly ? ANALYTICS_OPEN_MIN_ZOOM : OPEN_MIN_ZOOM}
            />
          )}
          {!readOnly && <RevealNewStep minimap={minimap} />}
          <ZoomStyle target={wrapper} />
        </ReactFlow>
      </CompactContext>
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
