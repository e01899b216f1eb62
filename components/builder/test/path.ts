/** The path a test run took, for the canvas: its steps and the connections between consecutive ones. */
export type TestHighlight = { nodes: ReadonlySet<string>; edges: ReadonlySet<string> };

export function pathHighlight(
  path: readonly string[],
  edges: readonly { id: string; source: string; target: string }[],
): TestHighlight {
  const pairs = new Set<string>();
  for (let i = 1; i < path.length; i++) pairs.add(`${path[i - 1]}\u0000${path[i]}`);
  return {
    nodes: new Set(path),
    edges: new Set(edges.filter((e) => pairs.has(`${e.source}\u0000${e.target}`)).map((e) => e.id)),
  };
}
