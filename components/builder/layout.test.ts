import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { flowTemplates } from "@/server/engine/templates";
import type { FlowGraph } from "@/server/engine/graph";
import { nodeDefinitions } from "@/server/engine/nodes";
import { DEFAULT_NODE_SIZE, layoutGraph, overlaps, type Size } from "./layout";

function expectNoOverlap(
  graph: Pick<FlowGraph, "nodes" | "edges">,
  sizeOf: (id: string) => Size = () => DEFAULT_NODE_SIZE,
) {
  const positions = layoutGraph(graph, sizeOf);
  expect(positions.size).toBe(graph.nodes.length);
  const boxes = graph.nodes
    .map((n) => ({ id: n.id, ...positions.get(n.id)!, ...sizeOf(n.id) }))
    .sort((a, b) => a.x - b.x);
  const clashes: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i]!;
    for (let j = i + 1; j < boxes.length && boxes[j]!.x < a.x + a.width; j++) {
      if (overlaps(a, boxes[j]!)) clashes.push(`${a.id} × ${boxes[j]!.id}`);
    }
  }
  expect(clashes).toEqual([]);
  return positions;
}

/** A random tree-ish flow: each step hangs off a random free output of an earlier one. */
function randomGraph(choices: number[]): FlowGraph {
  const kinds = ["wait", "email", "condition", "split", "sms", "wait_for_event", "exit"] as const;
  const nodes: FlowGraph["nodes"] = [
    {
      id: "trigger",
      kind: "trigger",
      position: { x: 0, y: 0 },
      config: nodeDefinitions.trigger.defaultConfig(),
    },
  ];
  const edges: FlowGraph["edges"] = [];
  const free: { id: string; handle: string }[] = [{ id: "trigger", handle: "next" }];
  choices.forEach((c, i) => {
    if (free.length === 0) return;
    const kind = kinds[c % kinds.length]!;
    const slot = free.splice(c % free.length, 1)[0]!;
    const id = `n${i}`;
    const config = nodeDefinitions[kind].defaultConfig();
    nodes.push({ id, kind, position: { x: 0, y: 0 }, config } as FlowGraph["nodes"][number]);
    edges.push({ id: `e${i}`, source: slot.id, sourceHandle: slot.handle, target: id });
    for (const handle of (nodeDefinitions[kind].outputs as (c: unknown) => string[])(config))
      free.push({ id, handle });
  });
  return { schema: 1, nodes, edges, settings: flowTemplates()[0]!.graph.settings };
}

describe("auto-layout", () => {
  it("lays out every template top to bottom with no overlaps", () => {
    for (const template of flowTemplates()) {
      const positions = expectNoOverlap(template.graph);
      for (const edge of template.graph.edges) {
        expect(positions.get(edge.target)!.y, `${template.key}: ${edge.id}`).toBeGreaterThan(
          positions.get(edge.source)!.y,
        );
      }
    }
  });

  it("puts branches left to right in output order (yes before no)", () => {
    const graph = flowTemplates().find((t) => t.key === "post_purchase")!.graph;
    const positions = layoutGraph(graph);
    const yes = graph.edges.find((e) => e.source === "first_order" && e.sourceHandle === "yes")!;
    const no = graph.edges.find((e) => e.source === "first_order" && e.sourceHandle === "no")!;
    expect(positions.get(yes.target)!.x).toBeLessThan(positions.get(no.target)!.x);
  });

  it("respects the measured sizes of the cards", () => {
    const graph = flowTemplates().find((t) => t.key === "review_request")!.graph;
    expectNoOverlap(graph, (id) =>
      id.includes("email") ? { width: 320, height: 140 } : { width: 200, height: 70 },
    );
  });

  it("never overlaps on random flows (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 60 }), (choices) => {
        expectNoOverlap(randomGraph(choices));
      }),
      { numRuns: 40 },
    );
  });

  it("is pure: the same graph gives the same positions, and the graph is not changed", () => {
    const graph = flowTemplates()[6]!.graph;
    const before = structuredClone(graph);
    expect([...layoutGraph(graph)]).toEqual([...layoutGraph(graph)]);
    expect(graph).toEqual(before);
  });

  it("lays out a 500-step flow", { timeout: 30_000 }, () => {
    const choices = Array.from({ length: 499 }, (_, i) => (i * 7919) % 1000);
    const graph = randomGraph(choices);
    expect(graph.nodes.length).toBe(500);
    expectNoOverlap(graph);
  });
});
