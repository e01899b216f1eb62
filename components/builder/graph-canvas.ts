/**
 * Graph ⇄ canvas. A React Flow node is the graph node itself under React Flow's names:
 * `type` is the kind, `data` is the config (the same object, not a copy). Pure: no React,
 * no store, safe to test in Node.
 */
import type { Edge, Node } from "@xyflow/react";
import type { FlowEdge, FlowGraph, FlowNode } from "@/server/engine/graph";
import type { NodeConfig, NodeKind } from "@/server/engine/nodes";
import type { FlowSettings } from "@/server/engine/settings";

/** The canvas node of one kind: `type = kind`, `data = config`. */
export type CanvasNodeOf<K extends NodeKind> = Node<NodeConfig<K>, K> & { type: K };
export type CanvasNode = { [K in NodeKind]: CanvasNodeOf<K> }[NodeKind];

/** Every edge leaves a named output handle and is drawn by the builder's own edge. */
export type CanvasEdge = Edge & { sourceHandle: string; type: typeof EDGE_TYPE };

export const EDGE_TYPE = "flow";

export type CanvasGraph = { nodes: CanvasNode[]; edges: CanvasEdge[]; settings: FlowSettings };

export function toCanvasNode(node: FlowNode): CanvasNode {
  return { id: node.id, type: node.kind, position: node.position, data: node.config } as CanvasNode;
}

export function toCanvasEdge(edge: FlowEdge): CanvasEdge {
  return {
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourceHandle,
    target: edge.target,
    type: EDGE_TYPE,
  };
}

export function graphToCanvas(graph: FlowGraph): CanvasGraph {
  return {
    nodes: graph.nodes.map(toCanvasNode),
    edges: graph.edges.map(toCanvasEdge),
    settings: graph.settings,
  };
}

/** Only what the graph holds: React Flow's runtime fields (selected, measured, …) stay behind. */
export function toFlowNode(node: CanvasNode): FlowNode {
  return {
    id: node.id,
    kind: node.type,
    position: { x: node.position.x, y: node.position.y },
    config: node.data,
  } as FlowNode;
}

export function toFlowEdge(edge: CanvasEdge): FlowEdge {
  return { id: edge.id, source: edge.source, sourceHandle: edge.sourceHandle, target: edge.target };
}

export function canvasToGraph(canvas: {
  nodes: readonly CanvasNode[];
  edges: readonly CanvasEdge[];
  settings: FlowSettings;
}): FlowGraph {
  return {
    schema: 1,
    nodes: canvas.nodes.map(toFlowNode),
    edges: canvas.edges.map(toFlowEdge),
    settings: canvas.settings,
  };
}

/** The edge id the templates use: one edge per output handle. */
export function edgeId(source: string, sourceHandle: string): string {
  return `e_${source}_${sourceHandle}`;
}
