/**
 * Whether two flow graphs are the same flow: the same steps (id, kind, settings, place on
 * the canvas), the same connections and the same flow settings. Key order inside configs
 * does not matter (jsonb reorders keys), nor do edge ids or list order of nodes and edges.
 */
import type { FlowGraph } from "./graph";

/** JSON with object keys sorted at every depth, `undefined` fields left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

function comparable(graph: FlowGraph): string {
  const nodes = [...graph.nodes]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n) => [n.id, n.kind, Math.round(n.position.x), Math.round(n.position.y), n.config]);
  const edges = graph.edges.map((e) => `${e.source}\u0000${e.sourceHandle}\u0000${e.target}`).sort();
  return canonicalJson({ nodes, edges, settings: graph.settings });
}

export function sameFlowGraph(a: FlowGraph, b: FlowGraph): boolean {
  return comparable(a) === comparable(b);
}

/**
 * The parts of a graph that change what contacts go through — steps (id, kind, settings),
 * connections and flow settings — not where cards sit on the canvas: two graphs with the same
 * value behave alike.
 */
export function behaviourJson(graph: FlowGraph): string {
  const nodes = [...graph.nodes]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n) => [n.id, n.kind, n.config]);
  const edges = graph.edges.map((e) => `${e.source}\u0000${e.sourceHandle}\u0000${e.target}`).sort();
  return canonicalJson({ nodes, edges, settings: graph.settings });
}
