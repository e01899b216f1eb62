/**
 * The node-kind registry: kind → definition. Adding a kind means one file beside this one
 * and one entry below; everything else (the kind enum, schema, validator, interpreter,
 * summaries, the kind sets below, the builder's palette) reads from here.
 */
import { z } from "zod";
import { action } from "./action";
import { condition } from "./condition";
import { consent } from "./consent";
import { PALETTE_GROUPS, type NodeDefinition, type PaletteGroup } from "./define";
import { email } from "./email";
import { exit } from "./exit";
import { push } from "./push";
import { sms } from "./sms";
import { split } from "./split";
import { trigger } from "./trigger";
import { wait } from "./wait";
import { wait_for_event } from "./wait_for_event";

/** Checks that every entry's key is its definition's kind. */
function registry<T extends { [K in keyof T]: NodeDefinition<K & string, unknown> }>(definitions: T): T {
  return definitions;
}

export const nodeDefinitions = registry({
  trigger,
  wait,
  wait_for_event,
  condition,
  split,
  email,
  sms,
  push,
  action,
  consent,
  exit,
});

export type NodeDefinitions = typeof nodeDefinitions;
export type NodeKind = keyof NodeDefinitions;
const KINDS = Object.keys(nodeDefinitions) as [NodeKind, ...NodeKind[]];
export const NodeKind = z.enum(KINDS);

/** The config type of a kind, e.g. `NodeConfig<"wait">`. */
export type NodeConfig<K extends NodeKind> = z.infer<NodeDefinitions[K]["configSchema"]>;

export function isNodeKind(kind: string): kind is NodeKind {
  return Object.hasOwn(nodeDefinitions, kind);
}

/** A definition seen through its general shape, for code that handles any kind. */
export function definitionOf(kind: NodeKind): NodeDefinition<NodeKind, unknown> {
  return nodeDefinitions[kind];
}

function kindsWhere(test: (definition: NodeDefinition<NodeKind, unknown>) => boolean): ReadonlySet<NodeKind> {
  return new Set(KINDS.filter((kind) => test(definitionOf(kind))));
}

/** Kinds that hold a contact over time; a loop must pass through one of them. */
export const WAITING_KINDS = kindsWhere((d) => d.traits.waits);
/** Kinds that leave by more than one output; the analytics canvas shows each output's share. */
export const BRANCHING_KINDS = kindsWhere((d) => d.traits.branches);
/** Kinds that send a message on a channel; the analytics canvas shows their message stats. */
export const MESSAGE_KINDS = kindsWhere((d) => d.traits.channel !== null);

/** The palette: its groups in order, each with its kinds in order. */
export const PALETTE: ReadonlyArray<{ title: PaletteGroup; kinds: NodeKind[] }> = PALETTE_GROUPS.map(
  (group) => ({
    title: group,
    kinds: KINDS.filter((kind) => definitionOf(kind).traits.palette.group === group).sort(
      (a, b) => definitionOf(a).traits.palette.order - definitionOf(b).traits.palette.order,
    ),
  }),
).filter((group) => group.kinds.length > 0);

export { PALETTE_GROUPS, type NodeTraits, type PaletteGroup } from "./define";
export type { NodeDefinition, StepContext, StepResult, ValidateContext } from "./define";
