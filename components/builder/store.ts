/**
 * The editor's state: a zustand store built per open flow by `createBuilderStore` and handed
 * out by <BuilderStoreProvider>. It holds the canvas (nodes, edges, settings), the
 * validator's issues, selection, undo/redo history and the clipboard. Every change to the
 * graph goes through an action here, so undo, validation and autosave see all of them.
 */
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from "@xyflow/react";
import { createStore } from "zustand/vanilla";
import { contentCatalog } from "@/emails/content-catalog";
import type { CatalogCouponPool, ContentCatalog } from "@/server/engine/catalog";
import type { FlowGraph, Position } from "@/server/engine/graph";
import type { Issue } from "@/server/engine/issues";
import { definitionOf, type NodeConfig, type NodeKind } from "@/server/engine/nodes";
import type { FlowSettings } from "@/server/engine/settings";
import { canConnect, validateGraph, type Connection, type GraphLike } from "@/server/engine/validate";
import {
  canvasToGraph,
  EDGE_TYPE,
  edgeId,
  graphToCanvas,
  type CanvasEdge,
  type CanvasNode,
} from "./graph-canvas";
import { DEFAULT_NODE_SIZE, layoutGraph, type Size } from "./layout";
import { boxOf, dropAnchor, findFreeSpot } from "./placement";

export type Snapshot = { nodes: CanvasNode[]; edges: CanvasEdge[]; settings: FlowSettings };

export type Notice = { id: number; text: string; tone: "info" | "error" };

export type InsertMenu = { edgeId: string; x: number; y: number };

export type BuilderState = {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  settings: FlowSettings;
  /** The validator's findings for the current graph. */
  issues: Issue[];
  /** Issues by node id, for outlining cards. */
  issuesByNode: Readonly<Record<string, Issue[]>>;
  /** The one selected node the inspector shows (null with none or several selected). */
  selectedNodeId: string | null;
  past: Snapshot[];
  future: Snapshot[];
  /** Bumps on every change that is saved (graph, positions, settings); autosave watches it. */
  changeCount: number;
  notice: Notice | null;
  insertMenu: InsertMenu | null;

  onNodesChange: (changes: NodeChange<CanvasNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<CanvasEdge>[]) => void;
  /** Draws an edge, or refuses with the engine's reason. */
  connect: (connection: Connection) => Issue | null;
  /** The engine's verdict on a connection being dragged. */
  checkConnection: (connection: Connection) => Issue | null;
  /** Adds a step at a position (flow coordinates); returns its id, or null when refused. */
  addNode: (
    kind: NodeKind,
    position: Position,
    options?: { config?: unknown; after?: { nodeId: string; handle: string } },
  ) => string | null;
  /**
   * Adds a step after the selected one, connected to its first free output; with none free (or
   * nothing selected) in free space near it (or below the flow). Never on top of another step.
   */
  appendNode: (kind: NodeKind, config?: unknown) => string | null;
  /** Adds a step dropped at a position, nudged clear of the steps already there. */
  dropNode: (kind: NodeKind, position: Position, config?: unknown) => string | null;
  /** Puts a new step on an edge, between its two ends. */
  insertOnEdge: (edgeId: string, kind: NodeKind, config?: unknown) => string | null;
  deleteSelection: () => void;
  deleteNodes: (ids: readonly string[]) => void;
  updateConfig: (nodeId: string, config: unknown) => void;
  updateSettings: (settings: FlowSettings) => void;
  selectNode: (nodeId: string | null) => void;
  selectAll: () => void;
  undo: () => void;
  redo: () => void;
  copySelection: () => number;
  paste: () => string[];
  autoLayout: (sizeOf?: (id: string) => Size | undefined) => void;
  /** Swaps in a graph from the server (load, reload, restore); clears history. */
  replaceGraph: (graph: FlowGraph) => void;
  /** The workspace's coupon pools with their remaining codes: an empty one becomes a problem on its steps. */
  setCouponPools: (pools: readonly CatalogCouponPool[]) => void;
  notify: (text: string, tone?: Notice["tone"]) => void;
  dismissNotice: () => void;
  openInsertMenu: (menu: InsertMenu | null) => void;
};

export type BuilderStore = ReturnType<typeof createBuilderStore>;

export type BuilderStoreOptions = {
  /** The clock for merging quick edits into one undo step (tests pass their own). */
  now?: () => number;
  /** Undo depth. */
  historyLimit?: number;
  /**
   * Where copied steps are kept. The app hands every open flow the same slot (see
   * `BuilderClipboardProvider`), so steps can be copied from one flow into another; without
   * one the store keeps its own.
   */
  clipboard?: ClipboardSlot;
};

type Clipboard = { nodes: CanvasNode[]; edges: CanvasEdge[] };
export type ClipboardSlot = { current: Clipboard | null };

export const createClipboardSlot = (): ClipboardSlot => ({ current: null });

/** How far below its predecessor a new step lands. */
export const ROW_GAP = 168;
const HISTORY_MERGE_MS = 1200;

export function graphLike(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[]): GraphLike {
  return { nodes: nodes.map((n) => ({ id: n.id, kind: n.type, config: n.data })), edges };
}

function analyseWith(
  nodes: readonly CanvasNode[],
  edges: readonly CanvasEdge[],
  settings: FlowSettings,
  catalog: ContentCatalog = contentCatalog,
) {
  const issues = validateGraph(canvasToGraph({ nodes, edges, settings }), catalog);
  const issuesByNode: Record<string, Issue[]> = {};
  for (const found of issues) if (found.nodeId) (issuesByNode[found.nodeId] ??= []).push(found);
  return { issues, issuesByNode };
}

function outputsOf(node: CanvasNode): string[] {
  try {
    return definitionOf(node.type).outputs(node.data);
  } catch {
    return [];
  }
}

function cardOf(n: CanvasNode) {
  return { id: n.id, position: n.position, width: n.measured?.width, height: n.measured?.height };
}

function cardBox(n: CanvasNode) {
  return boxOf(cardOf(n));
}

/** The first output of a step with no edge yet, or null. */
function freeOutput(node: CanvasNode, edges: readonly CanvasEdge[]): string | null {
  const taken = new Set(edges.filter((e) => e.source === node.id).map((e) => e.sourceHandle));
  return outputsOf(node).find((h) => !taken.has(h)) ?? null;
}

/** A readable id not yet used: `wait_2`, `email_3`, `trigger`. */
export function freshId(kind: NodeKind, taken: ReadonlySet<string>): string {
  if (kind === "trigger" && !taken.has("trigger")) return "trigger";
  for (let n = 1; ; n++) {
    const id = `${kind}_${n}`;
    if (!taken.has(id)) return id;
  }
}

function newNode(kind: NodeKind, id: string, position: Position, config?: unknown): CanvasNode {
  const definition = definitionOf(kind);
  const parsed = config === undefined ? null : definition.configSchema.safeParse(config);
  const data = parsed?.success ? parsed.data : definition.defaultConfig();
  return { id, type: kind, position, data } as CanvasNode;
}

function withoutSelection(nodes: readonly CanvasNode[]): CanvasNode[] {
  return nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
}

function edgesWithoutSelection(edges: readonly CanvasEdge[]): CanvasEdge[] {
  return edges.map((e) => (e.selected ? { ...e, selected: false } : e));
}

function selectOnly(nodes: readonly CanvasNode[], ids: ReadonlySet<string>): CanvasNode[] {
  return nodes.map((n) => {
    const want = ids.has(n.id);
    return Boolean(n.selected) === want ? n : { ...n, selected: want };
  });
}

function singleSelected(nodes: readonly CanvasNode[]): string | null {
  let found: string | null = null;
  for (const n of nodes) {
    if (!n.selected) continue;
    if (found !== null) return null;
    found = n.id;
  }
  return found;
}

/** Every node reachable from `start` (inclusive), following edges. */
function downstream(start: string, edges: readonly CanvasEdge[]): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const e of edges) {
      if (e.source === id && !seen.has(e.target)) {
        seen.add(e.target);
        queue.push(e.target);
      }
    }
  }
  return seen;
}

export function createBuilderStore(graph: FlowGraph, options: BuilderStoreOptions = {}) {
  const now = options.now ?? (() => Date.now());
  const historyLimit = options.historyLimit ?? 100;
  const initial = graphToCanvas(graph);
  let lastRecord: { key: string; at: number } | null = null;
  let dragging = false;
  let noticeId = 0;
  let pasteCount = 0;
  const clipboardSlot = options.clipboard ?? createClipboardSlot();
  /** The catalog steps are checked against; the workspace's coupon pools join it once loaded. */
  let catalog: ContentCatalog = contentCatalog;
  const analyse = (nodes: readonly CanvasNode[], edges: readonly CanvasEdge[], settings: FlowSettings) =>
    analyseWith(nodes, edges, settings, catalog);

  return createStore<BuilderState>()((set, get) => {
    /** Pushes the current state onto the undo stack; quick edits with the same key merge into one step. */
    function record(key?: string) {
      const at = now();
      if (key && lastRecord && lastRecord.key === key && at - lastRecord.at < HISTORY_MERGE_MS) {
        lastRecord.at = at;
        return;
      }
      lastRecord = key ? { key, at } : null;
      const { nodes, edges, settings, past } = get();
      const snapshot: Snapshot = {
        nodes: withoutSelection(nodes),
        edges: edgesWithoutSelection(edges),
        settings,
      };
      set({ past: [...past, snapshot].slice(-historyLimit), future: [] });
    }

    /** Commits a new graph: revalidates and counts the change. */
    function commit(next: Partial<Pick<BuilderState, "nodes" | "edges" | "settings" | "selectedNodeId">>) {
      const state = get();
      const nodes = next.nodes ?? state.nodes;
      const edges = next.edges ?? state.edges;
      const settings = next.settings ?? state.settings;
      set({ ...next, ...analyse(nodes, edges, settings), changeCount: state.changeCount + 1 });
    }

    function restore(snapshot: Snapshot) {
      const { selectedNodeId } = get();
      const keep =
        selectedNodeId && snapshot.nodes.some((n) => n.id === selectedNodeId) ? selectedNodeId : null;
      const nodes = keep ? selectOnly(snapshot.nodes, new Set([keep])) : snapshot.nodes;
      lastRecord = null;
      commit({ nodes, edges: snapshot.edges, settings: snapshot.settings, selectedNodeId: keep });
    }

    function snapshotNow(): Snapshot {
      const { nodes, edges, settings } = get();
      return { nodes: withoutSelection(nodes), edges: edgesWithoutSelection(edges), settings };
    }

    function place(kind: NodeKind, position: Position, config?: unknown): CanvasNode | null {
      const { nodes } = get();
      if (kind === "trigger" && nodes.some((n) => n.type === "trigger")) {
        get().notify("A flow has exactly one trigger. Change the one you have instead.", "error");
        return null;
      }
      return newNode(kind, freshId(kind, new Set(nodes.map((n) => n.id))), position, config);
    }

    /**
     * A new step below `anchor` (under `handle` when it has several outputs), in the nearest
     * free spot, connected to `handle` when one is given.
     */
    function addBelow(anchor: CanvasNode, handle: string | null, kind: NodeKind, config?: unknown) {
      const outputs = outputsOf(anchor);
      const free = handle === null ? -1 : outputs.indexOf(handle);
      const shift =
        outputs.length > 1 && free !== -1
          ? (free - (outputs.length - 1) / 2) * (DEFAULT_NODE_SIZE.width + 56)
          : 0;
      const height = anchor.measured?.height ?? DEFAULT_NODE_SIZE.height;
      const wanted = {
        x: anchor.position.x + shift,
        y: anchor.position.y + height + ROW_GAP - DEFAULT_NODE_SIZE.height,
      };
      const position = findFreeSpot(wanted, DEFAULT_NODE_SIZE, get().nodes.map(cardBox));
      return get().addNode(
        kind,
        position,
        handle ? { config, after: { nodeId: anchor.id, handle } } : { config },
      );
    }

    return {
      nodes: initial.nodes,
      edges: initial.edges,
      settings: initial.settings,
      ...analyse(initial.nodes, initial.edges, initial.settings),
      selectedNodeId: null,
      past: [],
      future: [],
      changeCount: 0,
      notice: null,
      insertMenu: null,

      onNodesChange(changes) {
        const meaningful = changes.filter(
          (c) => c.type !== "remove" && c.type !== "add" && c.type !== "replace",
        );
        if (meaningful.length === 0) return;
        const moves = meaningful.filter((c) => c.type === "position");
        const startsDrag = moves.some((c) => c.type === "position" && c.dragging);
        if (startsDrag && !dragging) {
          record();
          dragging = true;
        }
        if (moves.some((c) => c.type === "position" && !c.dragging)) dragging = false;
        const nodes = applyNodeChanges(meaningful, get().nodes);
        const patch: Partial<BuilderState> = { nodes };
        if (meaningful.some((c) => c.type === "select")) {
          patch.selectedNodeId = singleSelected(nodes);
          // Selecting a step closes the edge menu; a deselection alone (a click that reached the
          // pane) does not, so the "+" opens its menu on the first click whatever was selected.
          if (meaningful.some((c) => c.type === "select" && c.selected)) patch.insertMenu = null;
        }
        // Positions are saved with the draft; sizes and selection are not.
        const moved = moves.some((c) => c.type === "position" && c.position);
        set(moved ? { ...patch, changeCount: get().changeCount + 1 } : patch);
      },

      onEdgesChange(changes) {
        const selecting = changes.filter((c) => c.type === "select");
        if (selecting.length === 0) return;
        set({ edges: applyEdgeChanges(selecting, get().edges) });
      },

      checkConnection(connection) {
        const { nodes, edges } = get();
        return canConnect(graphLike(nodes, edges), connection);
      },

      connect(connection) {
        const refused = get().checkConnection(connection);
        if (refused) {
          get().notify(refused.message, "error");
          return refused;
        }
        const { nodes, edges } = get();
        const source = nodes.find((n) => n.id === connection.source);
        const outputs = source ? outputsOf(source) : [];
        const handle = connection.sourceHandle ?? outputs[0] ?? "next";
        record();
        const edge: CanvasEdge = {
          id: edgeId(connection.source, handle),
          source: connection.source,
          sourceHandle: handle,
          target: connection.target,
          type: EDGE_TYPE,
        };
        commit({ edges: [...edges.filter((e) => e.id !== edge.id), edge] });
        return null;
      },

      addNode(kind, position, opts = {}) {
        const node = place(kind, position, opts.config);
        if (!node) return null;
        record();
        const { nodes, edges } = get();
        let nextEdges = edges;
        if (opts.after) {
          const link = { source: opts.after.nodeId, sourceHandle: opts.after.handle, target: node.id };
          if (!canConnect(graphLike([...nodes, node], edges), link)) {
            nextEdges = [...edges, { id: edgeId(link.source, link.sourceHandle), ...link, type: EDGE_TYPE }];
          }
        }
        commit({
          nodes: [...withoutSelection(nodes), { ...node, selected: true }],
          edges: edgesWithoutSelection(nextEdges),
          selectedNodeId: node.id,
        });
        return node.id;
      },

      appendNode(kind, config) {
        const { nodes, edges, selectedNodeId } = get();
        const anchor = nodes.find((n) => n.id === selectedNodeId) ?? null;
        if (anchor) return addBelow(anchor, freeOutput(anchor, edges), kind, config);
        const lowest = nodes.reduce<CanvasNode | null>(
          (low, n) => (!low || n.position.y > low.position.y ? n : low),
          null,
        );
        const wanted = lowest ? { x: lowest.position.x, y: lowest.position.y + ROW_GAP } : { x: 0, y: 0 };
        return get().addNode(kind, findFreeSpot(wanted, DEFAULT_NODE_SIZE, nodes.map(cardBox)), { config });
      },

      dropNode(kind, position, config) {
        const { nodes, edges } = get();
        // Dropped right below a step with a free output: after it, like a palette click with it selected.
        const below =
          kind === "trigger"
            ? null
            : dropAnchor(
                position,
                DEFAULT_NODE_SIZE,
                nodes.map((n) => {
                  const outputs = outputsOf(n);
                  const taken = new Set(edges.filter((e) => e.source === n.id).map((e) => e.sourceHandle));
                  return { id: n.id, ...cardBox(n), outputs, free: outputs.filter((h) => !taken.has(h)) };
                }),
              );
        const anchor = below && nodes.find((n) => n.id === below.nodeId);
        if (below && anchor) return addBelow(anchor, below.handle, kind, config);
        const at = findFreeSpot(position, DEFAULT_NODE_SIZE, nodes.map(cardBox));
        return get().addNode(kind, at, { config });
      },

      insertOnEdge(id, kind, config) {
        const { nodes, edges } = get();
        const edge = edges.find((e) => e.id === id);
        const source = edge && nodes.find((n) => n.id === edge.source);
        const target = edge && nodes.find((n) => n.id === edge.target);
        if (!edge || !source || !target) return null;
        const sourceHeight = source.measured?.height ?? DEFAULT_NODE_SIZE.height;
        const position = {
          x: target.position.x,
          y: source.position.y + sourceHeight + (ROW_GAP - DEFAULT_NODE_SIZE.height),
        };
        const node = place(kind, position, config);
        if (!node) return null;
        record();
        // Make room: the old target and everything after it move down (unless that loops back).
        const rest = edges.filter((e) => e.id !== edge.id);
        const room = position.y + ROW_GAP - target.position.y;
        const below = downstream(target.id, rest);
        const moved =
          room > 0 && !below.has(source.id)
            ? nodes.map((n) =>
                below.has(n.id) ? { ...n, position: { x: n.position.x, y: n.position.y + room } } : n,
              )
            : nodes;
        const outputs = outputsOf(node);
        const incoming: CanvasEdge = {
          id: edgeId(source.id, edge.sourceHandle),
          source: source.id,
          sourceHandle: edge.sourceHandle,
          target: node.id,
          type: EDGE_TYPE,
        };
        const first = outputs[0];
        const outgoing: CanvasEdge[] = first
          ? [
              {
                id: edgeId(node.id, first),
                source: node.id,
                sourceHandle: first,
                target: target.id,
                type: EDGE_TYPE,
              },
            ]
          : [];
        commit({
          nodes: [...withoutSelection(moved), { ...node, selected: true }],
          edges: [...edgesWithoutSelection(rest), incoming, ...outgoing],
          selectedNodeId: node.id,
        });
        set({ insertMenu: null });
        return node.id;
      },

      deleteSelection() {
        const { nodes, edges } = get();
        const ids = new Set(nodes.filter((n) => n.selected).map((n) => n.id));
        const edgeIds = new Set(edges.filter((e) => e.selected).map((e) => e.id));
        if (ids.size === 0 && edgeIds.size === 0) return;
        record();
        commit({
          nodes: nodes.filter((n) => !ids.has(n.id)),
          edges: edges.filter((e) => !edgeIds.has(e.id) && !ids.has(e.source) && !ids.has(e.target)),
          selectedNodeId: null,
        });
      },

      deleteNodes(list) {
        const ids = new Set(list);
        const { nodes, edges, selectedNodeId } = get();
        if (!nodes.some((n) => ids.has(n.id))) return;
        record();
        commit({
          nodes: nodes.filter((n) => !ids.has(n.id)),
          edges: edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)),
          selectedNodeId: selectedNodeId && ids.has(selectedNodeId) ? null : selectedNodeId,
        });
      },

      updateConfig(nodeId, config) {
        const { nodes, edges } = get();
        const node = nodes.find((n) => n.id === nodeId);
        if (!node) return;
        const parsed = definitionOf(node.type).configSchema.safeParse(config);
        if (!parsed.success) return;
        record(`config:${nodeId}`);
        const data = parsed.data as NodeConfig<NodeKind>;
        // Outputs that no longer exist (a removed branch) lose their edges.
        const updated = { ...node, data } as CanvasNode;
        const outputs = new Set(outputsOf(updated));
        commit({
          nodes: nodes.map((n) => (n.id === nodeId ? updated : n)),
          edges: edges.filter((e) => e.source !== nodeId || outputs.has(e.sourceHandle)),
        });
      },

      updateSettings(settings) {
        record("settings");
        commit({ settings });
      },

      selectNode(nodeId) {
        const { nodes, edges } = get();
        set({
          nodes: selectOnly(nodes, new Set(nodeId ? [nodeId] : [])),
          edges: edgesWithoutSelection(edges),
          selectedNodeId: nodeId && nodes.some((n) => n.id === nodeId) ? nodeId : null,
          insertMenu: null,
        });
      },

      selectAll() {
        const { nodes } = get();
        set({
          nodes: selectOnly(nodes, new Set(nodes.map((n) => n.id))),
          selectedNodeId: nodes.length === 1 ? (nodes[0]?.id ?? null) : null,
        });
      },

      undo() {
        const { past, future } = get();
        const previous = past[past.length - 1];
        if (!previous) return;
        set({ past: past.slice(0, -1), future: [snapshotNow(), ...future].slice(0, historyLimit) });
        restore(previous);
      },

      redo() {
        const { past, future } = get();
        const next = future[0];
        if (!next) return;
        set({ future: future.slice(1), past: [...past, snapshotNow()].slice(-historyLimit) });
        restore(next);
      },

      copySelection() {
        const { nodes, edges } = get();
        const picked = nodes.filter((n) => n.selected);
        if (picked.length === 0) return 0;
        const ids = new Set(picked.map((n) => n.id));
        clipboardSlot.current = {
          nodes: withoutSelection(picked).map(
            (n) => structuredClone({ ...n, measured: undefined }) as CanvasNode,
          ),
          edges: edges
            .filter((e) => ids.has(e.source) && ids.has(e.target))
            .map((e) => ({ ...e, selected: false })),
        };
        pasteCount = 0;
        return picked.length;
      },

      paste() {
        const clipboard = clipboardSlot.current;
        if (!clipboard || clipboard.nodes.length === 0) return [];
        const { nodes, edges } = get();
        const taken = new Set(nodes.map((n) => n.id));
        const hasTrigger = nodes.some((n) => n.type === "trigger");
        const rename = new Map<string, string>();
        const offset = 48 * ++pasteCount;
        const added: CanvasNode[] = [];
        for (const n of clipboard.nodes) {
          if (n.type === "trigger" && hasTrigger) continue;
          const id = freshId(n.type, taken);
          taken.add(id);
          rename.set(n.id, id);
          added.push({
            ...structuredClone(n),
            id,
            position: { x: n.position.x + offset, y: n.position.y + offset },
            selected: true,
          });
        }
        if (added.length === 0) {
          get().notify("A flow has exactly one trigger, so it wasn't pasted.", "error");
          return [];
        }
        const addedEdges: CanvasEdge[] = [];
        for (const e of clipboard.edges) {
          const source = rename.get(e.source);
          const target = rename.get(e.target);
          if (source && target)
            addedEdges.push({
              id: edgeId(source, e.sourceHandle),
              source,
              sourceHandle: e.sourceHandle,
              target,
              type: EDGE_TYPE,
            });
        }
        record();
        commit({
          nodes: [...withoutSelection(nodes), ...added],
          edges: [...edgesWithoutSelection(edges), ...addedEdges],
          selectedNodeId: added.length === 1 ? (added[0]?.id ?? null) : null,
        });
        return added.map((n) => n.id);
      },

      autoLayout(sizeOf) {
        const { nodes, edges, settings } = get();
        if (nodes.length === 0) return;
        const measured = new Map(
          nodes.map((n) => [
            n.id,
            n.measured?.width && n.measured.height
              ? { width: n.measured.width, height: n.measured.height }
              : undefined,
          ]),
        );
        const positions = layoutGraph(
          canvasToGraph({ nodes, edges, settings }),
          (id) => sizeOf?.(id) ?? measured.get(id),
        );
        record();
        commit({ nodes: nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })) });
      },

      setCouponPools(pools) {
        catalog = { ...contentCatalog, couponPools: pools };
        const { nodes, edges, settings } = get();
        set(analyse(nodes, edges, settings));
      },

      replaceGraph(next) {
        const canvas = graphToCanvas(next);
        lastRecord = null;
        dragging = false;
        set({
          ...canvas,
          ...analyse(canvas.nodes, canvas.edges, canvas.settings),
          selectedNodeId: null,
          past: [],
          future: [],
          insertMenu: null,
        });
      },

      notify(text, tone = "info") {
        set({ notice: { id: ++noticeId, text, tone } });
      },

      dismissNotice() {
        set({ notice: null });
      },

      openInsertMenu(menu) {
        set({ insertMenu: menu });
      },
    };
  });
}
