/**
 * Flow graph JSON, schema 1 (DESIGN.md §3):
 * `{ schema: 1, nodes: [{ id, kind, position, config }], edges: [{ id, source, sourceHandle, target }], settings }`.
 * Node config is a discriminated union on `kind`, built from the node registry; every
 * object is strict, so unknown fields (and kinds) are rejected with a message that names
 * the node.
 */
import { z } from "zod";
import { issue, type Issue } from "./issues";
import { isRecord } from "./json";
import { definitionOf, isNodeKind, NodeKind, nodeDefinitions, type NodeConfig } from "./nodes";
import { defaultSettings, FlowSettings } from "./settings";

export const NodeId = z.string().min(1).max(100);

export const Position = z.strictObject({ x: z.number(), y: z.number() });
export type Position = z.infer<typeof Position>;

export const FlowEdge = z.strictObject({
  id: z.string().min(1),
  source: z.string().min(1),
  /** The output handle of the source node (`next`, `yes`, a branch id, …). */
  sourceHandle: z.string().min(1),
  target: z.string().min(1),
});
export type FlowEdge = z.infer<typeof FlowEdge>;

/** A node of one kind with that kind's config. */
export type FlowNodeOf<K extends NodeKind> = {
  id: string;
  kind: K;
  position: Position;
  config: NodeConfig<K>;
};
type AnyFlowNode = { [K in NodeKind]: FlowNodeOf<K> }[NodeKind];

function nodeSchema<K extends NodeKind>(kind: K) {
  return z.strictObject({
    id: NodeId,
    kind: z.literal(kind),
    position: Position,
    config: nodeDefinitions[kind].configSchema,
  });
}
const nodeSchemas = NodeKind.options.map((kind) => nodeSchema(kind));
type NodeSchema = (typeof nodeSchemas)[number];

export const FlowNode = z.discriminatedUnion(
  "kind",
  nodeSchemas as [NodeSchema, ...NodeSchema[]],
) as unknown as z.ZodType<AnyFlowNode>;
export type FlowNode = z.infer<typeof FlowNode>;

export const FlowGraph = z.strictObject({
  schema: z.literal(1),
  nodes: z.array(FlowNode),
  edges: z.array(FlowEdge),
  settings: FlowSettings.prefault({}),
});
export type FlowGraph = z.infer<typeof FlowGraph>;

/** A new flow's graph: no steps yet, default settings. */
export function emptyGraph(): FlowGraph {
  return { schema: 1, nodes: [], edges: [], settings: defaultSettings() };
}

/** A new flow's graph with a trigger to start from. */
export function starterGraph(): FlowGraph {
  return {
    schema: 1,
    nodes: [
      {
        id: "trigger",
        kind: "trigger",
        position: { x: 0, y: 0 },
        config: nodeDefinitions.trigger.defaultConfig(),
      },
    ],
    edges: [],
    settings: defaultSettings(),
  };
}

// ---------------------------------------------------------------- parsing with named issues

/** A node whose envelope parsed; `config` is the parsed config, or null if it did not parse. */
export type InspectedNode = {
  index: number;
  id: string;
  kind: NodeKind | null;
  rawKind: string;
  position: Position;
  config: unknown;
};

export type InspectedGraph = {
  /** Every shape problem found, each naming its node, edge or the settings. */
  issues: Issue[];
  nodes: InspectedNode[];
  edges: FlowEdge[];
  settings: FlowSettings | null;
  /** False when the top level itself is not a graph (nothing else could be read). */
  readable: boolean;
};

const Envelope = z.strictObject({
  schema: z.literal(1),
  nodes: z.array(z.unknown()),
  edges: z.array(z.unknown()),
  settings: z.unknown().optional(),
});

const NodeEnvelope = z.strictObject({
  id: NodeId,
  kind: z.string().min(1),
  position: Position,
  config: z.unknown(),
});

type ZodIssue = z.core.$ZodIssue;

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === "string" ? `'${v}'` : JSON.stringify(v))).join(", ");
}

/** One zod issue in words, relative to the object that was parsed. */
export function describeZodIssue(zi: ZodIssue, root?: string): string {
  const path = formatPath(zi.path);
  const field = path === "" ? (root ? `'${root}'` : "this") : `'${path}'`;
  const hasInput = "input" in zi && zi.input !== undefined;
  switch (zi.code) {
    case "unrecognized_keys": {
      const names = zi.keys.map((k) => (path === "" ? k : `${path}.${k}`));
      return names.length === 1 ? `unknown field '${names[0]}'` : `unknown fields ${quoteList(names)}`;
    }
    case "invalid_type":
      if (!hasInput && (path !== "" || root)) return `missing field ${field}`;
      return `${field} should be ${zi.expected === "array" || zi.expected === "object" ? "an" : "a"} ${zi.expected}`;
    case "invalid_value":
      return zi.values.length === 1
        ? `${field} must be ${quoteList(zi.values)}`
        : `${field} must be one of ${quoteList(zi.values)}`;
    case "invalid_union": {
      const options = (zi as { options?: unknown[] }).options;
      const discriminator = (zi as { discriminator?: string }).discriminator;
      if (discriminator && options) {
        const input = (zi as { input?: unknown }).input;
        if (isRecord(input) && !Object.hasOwn(input, discriminator)) return `missing field ${field}`;
        return `${field} must be one of ${quoteList(options)}`;
      }
      return `${field} is not valid`;
    }
    case "too_small":
      if (zi.origin === "string" && Number(zi.minimum) === 1) return `${field} must not be empty`;
      if (zi.origin === "array")
        return `${field} needs at least ${Number(zi.minimum)} ${Number(zi.minimum) === 1 ? "item" : "items"}`;
      return `${field} must be at least ${Number(zi.minimum)}`;
    case "too_big":
      if (zi.origin === "array") return `${field} may hold at most ${Number(zi.maximum)} items`;
      if (zi.origin === "string") return `${field} may be at most ${Number(zi.maximum)} characters`;
      return `${field} must be at most ${Number(zi.maximum)}`;
    default:
      return path === "" ? zi.message : `${field}: ${zi.message}`;
  }
}

function nodeLabel(id: string | null, index: number, kind: string | null): string {
  const name = id ? `Node ${id}` : `Node #${index + 1}`;
  return kind ? `${name} (${kind})` : name;
}

/**
 * Reads a graph piece by piece so that every problem is reported at once, each naming
 * its node ("Node n3 (wait): unknown field 'foo'"), edge or the settings.
 */
export function inspectGraph(json: unknown): InspectedGraph {
  const top = Envelope.safeParse(json, { reportInput: true });
  if (!top.success) {
    return {
      issues: top.error.issues.map((zi) => issue("invalid_graph", `Flow: ${describeZodIssue(zi)}`)),
      nodes: [],
      edges: [],
      settings: null,
      readable: false,
    };
  }
  const issues: Issue[] = [];
  const nodes: InspectedNode[] = [];
  for (const [index, raw] of top.data.nodes.entries()) {
    const rawId = isRecord(raw) && typeof raw.id === "string" && raw.id !== "" ? raw.id : null;
    const rawKind = isRecord(raw) && typeof raw.kind === "string" ? raw.kind : null;
    const envelope = NodeEnvelope.safeParse(raw, { reportInput: true });
    if (!envelope.success) {
      for (const zi of envelope.error.issues) {
        issues.push(
          issue(
            "invalid_node",
            `${nodeLabel(rawId, index, rawKind)}: ${describeZodIssue(zi)}`,
            rawId ? { nodeId: rawId } : {},
          ),
        );
      }
      continue;
    }
    const { id, kind, position } = envelope.data;
    if (!isNodeKind(kind)) {
      issues.push(issue("unknown_kind", `Node ${id}: unknown step type '${kind}'`, { nodeId: id }));
      nodes.push({ index, id, kind: null, rawKind: kind, position, config: null });
      continue;
    }
    const config = definitionOf(kind).configSchema.safeParse(envelope.data.config, { reportInput: true });
    if (!config.success) {
      for (const zi of config.error.issues) {
        issues.push(
          issue("invalid_config", `${nodeLabel(id, index, kind)}: ${describeZodIssue(zi, "config")}`, {
            nodeId: id,
          }),
        );
      }
    }
    nodes.push({ index, id, kind, rawKind: kind, position, config: config.success ? config.data : null });
  }

  const edges: FlowEdge[] = [];
  for (const [index, raw] of top.data.edges.entries()) {
    const parsed = FlowEdge.safeParse(raw, { reportInput: true });
    if (parsed.success) {
      edges.push(parsed.data);
      continue;
    }
    const rawId = isRecord(raw) && typeof raw.id === "string" && raw.id !== "" ? raw.id : null;
    for (const zi of parsed.error.issues) {
      issues.push(
        issue(
          "invalid_edge",
          `${rawId ? `Edge ${rawId}` : `Edge #${index + 1}`}: ${describeZodIssue(zi)}`,
          rawId ? { edgeId: rawId } : {},
        ),
      );
    }
  }

  const settingsResult = FlowSettings.safeParse(top.data.settings ?? {}, { reportInput: true });
  if (!settingsResult.success) {
    for (const zi of settingsResult.error.issues)
      issues.push(issue("invalid_settings", `Flow settings: ${describeZodIssue(zi)}`));
  }

  return {
    issues,
    nodes,
    edges,
    settings: settingsResult.success ? settingsResult.data : null,
    readable: true,
  };
}

export type ParseGraphResult = { ok: true; graph: FlowGraph } | { ok: false; issues: Issue[] };

/** Parses graph JSON; on failure every issue names its node, edge or the settings. */
export function parseGraph(json: unknown): ParseGraphResult {
  const inspected = inspectGraph(json);
  if (inspected.issues.length > 0) return { ok: false, issues: inspected.issues };
  const parsed = FlowGraph.safeParse(json);
  if (!parsed.success) {
    // Not expected once every piece parsed; report rather than throw.
    return {
      ok: false,
      issues: parsed.error.issues.map((zi) => issue("invalid_graph", `Flow: ${describeZodIssue(zi)}`)),
    };
  }
  return { ok: true, graph: parsed.data };
}

/** The nodes of a graph by id. */
export function nodesById(graph: FlowGraph): Map<string, FlowNode> {
  return new Map(graph.nodes.map((n) => [n.id, n]));
}

/** The edge leaving a node by a handle, if connected. */
export function edgeFrom(graph: FlowGraph, nodeId: string, handle: string): FlowEdge | undefined {
  return graph.edges.find((e) => e.source === nodeId && e.sourceHandle === handle);
}

/** The graph's trigger node (the first, if a draft has several). */
export function triggerNode(graph: FlowGraph): FlowNodeOf<"trigger"> | null {
  for (const node of graph.nodes) if (node.kind === "trigger") return node;
  return null;
}
