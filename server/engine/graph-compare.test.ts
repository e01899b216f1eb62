import { describe, expect, it } from "vitest";
import { getFlowTemplate } from "./templates";
import { sameFlowGraph } from "./graph-compare";

const graph = getFlowTemplate("abandoned_cart")!.graph;

describe("sameFlowGraph", () => {
  it("ignores key order, list order and edge ids", () => {
    const shuffled = {
      ...graph,
      nodes: [...graph.nodes].reverse().map((n) => ({
        ...n,
        config: Object.fromEntries(Object.entries(n.config as Record<string, unknown>).reverse()),
      })),
      edges: [...graph.edges].reverse().map((e, i) => ({ ...e, id: `edge_${i}` })),
    } as typeof graph;
    expect(sameFlowGraph(graph, shuffled)).toBe(true);
  });

  it("sees a moved card, a changed setting, a new connection", () => {
    const [first, ...rest] = graph.nodes;
    const moved = {
      ...graph,
      nodes: [{ ...first!, position: { x: first!.position.x + 40, y: 0 } }, ...rest],
    };
    expect(sameFlowGraph(graph, moved)).toBe(false);
    expect(sameFlowGraph(graph, { ...graph, settings: { ...graph.settings, attributionDays: 9 } })).toBe(
      false,
    );
    expect(sameFlowGraph(graph, { ...graph, edges: graph.edges.slice(1) })).toBe(false);
  });
});
