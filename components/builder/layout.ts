/**
 * Auto-layout: a pure function from a graph (and the cards' sizes) to top-left positions,
 * flowing top to bottom with branches side by side in output order (yes left of no,
 * A left of B). Uses dagre.
 */
import dagre from "@dagrejs/dagre";
import type { FlowGraph, Position } from "@/server/engine/graph";
import { definitionOf } from "@/server/engine/nodes";

export type Size = { width: number; height: number };

/** A card before the browser has measured it. */
export const DEFAULT_NODE_SIZE: Size = { width: 264, height: 96 };

export type LayoutOptions = {
  /** Horizontal gap between cards on one row. */
  nodeGap?: number;
  /** Vertical gap between rows. */
  rankGap?: number;
};

type LayoutGraph = Pick<FlowGraph, "nodes" | "edges">;

function outputOrder(graph: LayoutGraph): Map<string, string[]> {
  const order = new Map<string, string[]>();
  for (const node of graph.nodes) {
    try {
      order.set(node.id, definitionOf(node.kind).outputs(node.config));
    } catch {
      order.set(node.id, []);
    }
  }
  return order;
}

/** Branch targets left to right in output order, so "Yes" sits left of "No". */
function siblingOrder(edges: LayoutGraph["edges"]): { left: string; right: string }[] {
  const constraints: { left: string; right: string }[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < edges.length; i++) {
    const a = edges[i - 1];
    const b = edges[i];
    if (!a || !b || a.source !== b.source || a.target === b.target) continue;
    const key = `${a.target}\u0000${b.target}`;
    if (seen.has(key) || seen.has(`${b.target}\u0000${a.target}`)) continue;
    seen.add(key);
    constraints.push({ left: a.target, right: b.target });
  }
  return constraints;
}

/** Where every node goes; nodes keep their ids, the trigger sits at the top. */
export function layoutGraph(
  graph: LayoutGraph,
  sizeOf: (id: string) => Size | undefined = () => undefined,
  options: LayoutOptions = {},
): Map<string, Position> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: "TB",
    nodesep: options.nodeGap ?? 56,
    ranksep: options.rankGap ?? 72,
    marginx: 0,
    marginy: 0,
  });
  g.setDefaultEdgeLabel(() => ({}));
  const sizes = new Map<string, Size>();
  const ids = new Set(graph.nodes.map((n) => n.id));
  for (const node of graph.nodes) {
    const size = sizeOf(node.id) ?? DEFAULT_NODE_SIZE;
    sizes.set(node.id, size);
    g.setNode(node.id, { width: size.width, height: size.height });
  }
  const order = outputOrder(graph);
  // Edges grouped by source, each group in output order.
  const bySource = new Map<string, LayoutGraph["edges"]>();
  for (const e of graph.edges) {
    if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target) continue;
    bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
  }
  const edges = [...bySource.entries()].flatMap(([source, list]) => {
    const outputs = order.get(source) ?? [];
    return [...list].sort((a, b) => outputs.indexOf(a.sourceHandle) - outputs.indexOf(b.sourceHandle));
  });
  for (const e of edges) g.setEdge(e.source, e.target, { weight: e.sourceHandle === "next" ? 2 : 1 }, e.id);
  try {
    dagre.layout(g, { constraints: siblingOrder(edges) });
  } catch {
    // Ordering constraints that cannot be met (e.g. siblings on different rows): lay out without them.
    dagre.layout(g);
  }

  const positions = new Map<string, Position>();
  for (const node of graph.nodes) {
    const laid = g.node(node.id) as { x: number; y: number } | undefined;
    const size = sizes.get(node.id) ?? DEFAULT_NODE_SIZE;
    if (!laid) continue;
    positions.set(node.id, {
      x: Math.round(laid.x - size.width / 2),
      y: Math.round(laid.y - size.height / 2),
    });
  }
  return positions;
}

/** True when two cards overlap (touching edges do not count). */
export function overlaps(a: Position & Size, b: Position & Size): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
