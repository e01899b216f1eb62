import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { flowTemplates } from "@/server/engine/templates";
import { emptyGraph, FlowGraph, parseGraph } from "@/server/engine/graph";
import { nodeDefinitions } from "@/server/engine/nodes";
import { canvasToGraph, graphToCanvas, toCanvasNode } from "./graph-canvas";

describe("graph ⇄ canvas", () => {
  it("round-trips every template exactly", () => {
    for (const template of flowTemplates()) {
      const canvas = graphToCanvas(template.graph);
      expect(canvasToGraph(canvas), template.key).toEqual(template.graph);
      expect(parseGraph(canvasToGraph(canvas)).ok).toBe(true);
    }
  });

  it("makes the canvas node the graph node under React Flow's names", () => {
    const graph = flowTemplates()[0]!.graph;
    const node = graph.nodes[0]!;
    const canvasNode = toCanvasNode(node);
    expect(canvasNode).toEqual({ id: node.id, type: node.kind, position: node.position, data: node.config });
    // data is the config itself, not a copy
    expect(canvasNode.data).toBe(node.config);
  });

  it("drops React Flow's runtime fields on the way back", () => {
    const graph = flowTemplates()[3]!.graph;
    const canvas = graphToCanvas(graph);
    const touched = {
      ...canvas,
      nodes: canvas.nodes.map((n) => ({
        ...n,
        selected: true,
        dragging: false,
        measured: { width: 264, height: 90 },
      })),
      edges: canvas.edges.map((e) => ({ ...e, selected: true, animated: true })),
    };
    expect(canvasToGraph(touched)).toEqual(graph);
  });

  it("round-trips the empty graph", () => {
    expect(canvasToGraph(graphToCanvas(emptyGraph()))).toEqual(emptyGraph());
  });

  it("round-trips arbitrary chains of steps (property)", () => {
    const kinds = ["wait", "email", "sms", "push", "action", "condition", "split", "exit"] as const;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...kinds), { maxLength: 30 }),
        fc.array(fc.integer({ min: -5000, max: 5000 }), { minLength: 2, maxLength: 2 }),
        (list, [dx, dy]) => {
          const base = flowTemplates()[0]!.graph;
          const nodes = list.map((kind, i) => ({
            id: `${kind}_${i}`,
            kind,
            position: { x: (dx ?? 0) + i, y: (dy ?? 0) * i },
            config: nodeDefinitions[kind].defaultConfig(),
          }));
          const graph = FlowGraph.parse({ ...base, nodes: [...base.nodes, ...nodes] });
          expect(canvasToGraph(graphToCanvas(graph))).toEqual(graph);
        },
      ),
      { numRuns: 50 },
    );
  });
});
