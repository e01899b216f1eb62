/**
 * The identities a flow's numbers must keep, as a pure check used by the consistency and
 * property tests: every step's entered = waiting + passed on + exited; what a step passes
 * on along an edge is what the next step received from it (a step's entered is the sum
 * over the edges into it, the trigger's is everyone who entered); what it passed on with
 * no edge out finished the flow there; the step sums of sends, conversions and revenue are
 * the flow's.
 */
import type { FlowGraph } from "@/server/engine/graph";
import type { FlowStats } from "./stats";

export function conservationProblems(graph: FlowGraph, stats: FlowStats): string[] {
  const problems: string[] = [];
  const node = (id: string) => stats.nodes[id];
  const inbound = new Map<string, number>();
  const trigger = graph.nodes.find((n) => n.kind === "trigger");

  for (const [id, s] of Object.entries(stats.nodes)) {
    if (s.entered !== s.waiting + s.passed + s.exited)
      problems.push(
        `${id}: entered ${s.entered} ≠ waiting ${s.waiting} + passed ${s.passed} + exited ${s.exited}`,
      );
    const outcomes = Object.values(s.outcomes).reduce((n, o) => n + o.count, 0);
    if (outcomes !== s.passed) problems.push(`${id}: passed ${s.passed} ≠ sum of outputs ${outcomes}`);
    const exits = Object.values(s.exitedBy).reduce((n, v) => n + v, 0);
    if (exits !== s.exited) problems.push(`${id}: exited ${s.exited} ≠ sum of reasons ${exits}`);
  }
  for (const n of graph.nodes) {
    const s = node(n.id);
    let finished = 0;
    for (const [handle, o] of Object.entries(s?.outcomes ?? {})) {
      const edge = graph.edges.find((e) => e.source === n.id && e.sourceHandle === handle);
      if (edge) inbound.set(edge.target, (inbound.get(edge.target) ?? 0) + o.count);
      else finished += o.count;
    }
    if (finished !== (s?.finished ?? 0))
      problems.push(
        `${n.id}: ${finished} passed on with no next step, but finished says ${s?.finished ?? 0}`,
      );
  }
  for (const n of graph.nodes) {
    const entered = node(n.id)?.entered ?? 0;
    const expected = n.id === trigger?.id ? stats.flow.entered : (inbound.get(n.id) ?? 0);
    if (entered !== expected)
      problems.push(
        `${n.id}: entered ${entered} ≠ ${n.id === trigger?.id ? "flow entered" : "passed on to it"} ${expected}`,
      );
  }
  const sum = (pick: (s: FlowStats["nodes"][string]) => number) =>
    Object.values(stats.nodes).reduce((total, s) => total + pick(s), 0);
  if (sum((s) => s.sent) !== stats.flow.sent)
    problems.push(`steps sent ${sum((s) => s.sent)} ≠ flow sent ${stats.flow.sent}`);
  if (sum((s) => s.conversions) !== stats.flow.conversions)
    problems.push(`steps conversions ${sum((s) => s.conversions)} ≠ flow ${stats.flow.conversions}`);
  if (sum((s) => s.revenueCents) !== stats.flow.revenueCents)
    problems.push(`steps revenue ${sum((s) => s.revenueCents)} ≠ flow ${stats.flow.revenueCents}`);
  return problems;
}
