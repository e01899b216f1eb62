/** Small builders for the seed flows: nodes on a grid, edges named after their ends. */
import type { FlowEdge, FlowGraph, FlowNodeOf } from "../graph";
import type { NodeConfig, NodeKind } from "../nodes";
import type { EmailConfig } from "../nodes/email";
import { ORDER_EVENT } from "../predicate";
import { defaultSettings, type FlowSettings } from "../settings";

/** Vertical distance between steps, and horizontal distance between branches. */
export const ROW = 250;
export const COLUMN = 300;

/** A node at grid cell (column, row); column 0 is the centre line. */
export function node<K extends NodeKind>(
  id: string,
  kind: K,
  column: number,
  row: number,
  config: NodeConfig<K>,
): FlowNodeOf<K> {
  return { id, kind, position: { x: column * COLUMN, y: row * ROW }, config };
}

export function edge(source: string, sourceHandle: string, target: string): FlowEdge {
  return { id: `e_${source}_${sourceHandle}`, source, sourceHandle, target };
}

/** Connects a chain of single-output steps through their `next` handle. */
export function chain(...ids: string[]): FlowEdge[] {
  return ids.slice(1).map((target, i) => edge(ids[i] ?? "", "next", target));
}

type EmailCopy = Omit<
  EmailConfig,
  "preheader" | "heading" | "buttonText" | "buttonUrl" | "productSource" | "category"
> &
  Partial<
    Pick<EmailConfig, "preheader" | "heading" | "buttonText" | "buttonUrl" | "productSource" | "category">
  >;

export function emailCopy(copy: EmailCopy): EmailConfig {
  return {
    preheader: "",
    heading: "",
    buttonText: "",
    buttonUrl: "",
    productSource: "none",
    category: "marketing",
    ...copy,
  };
}

export type GraphNode = FlowGraph["nodes"][number];

export function graph(
  nodes: GraphNode[],
  edges: FlowEdge[],
  settings: Partial<FlowSettings> = {},
): FlowGraph {
  return { schema: 1, nodes, edges, settings: { ...defaultSettings(), ...settings } };
}

/** `Placed Order` as the goal; with `matchTriggerProperty`, only the order of this trigger (e.g. `cart_id`). */
export const orderGoal = (matchTriggerProperty?: string): FlowSettings["goal"] =>
  matchTriggerProperty === undefined
    ? { event: ORDER_EVENT, filter: null }
    : { event: ORDER_EVENT, filter: null, matchTriggerProperty };
