/**
 * The node-kind registry: kind → definition. Adding a kind means one file beside this one,
 * its name in `NodeKind`, and one entry below; everything else (schema, validator,
 * interpreter, summaries) reads from here.
 */
import { z } from "zod";
import { action } from "./action";
import { condition } from "./condition";
import type { NodeDefinition } from "./define";
import { email } from "./email";
import { exit } from "./exit";
import { push } from "./push";
import { sms } from "./sms";
import { split } from "./split";
import { trigger } from "./trigger";
import { wait } from "./wait";
import { wait_for_event } from "./wait_for_event";

export const NodeKind = z.enum([
  "trigger",
  "wait",
  "wait_for_event",
  "condition",
  "split",
  "email",
  "sms",
  "push",
  "action",
  "exit",
]);
export type NodeKind = z.infer<typeof NodeKind>;

export const nodeDefinitions = {
  trigger,
  wait,
  wait_for_event,
  condition,
  split,
  email,
  sms,
  push,
  action,
  exit,
} satisfies { [K in NodeKind]: NodeDefinition<K, unknown> };

export type NodeDefinitions = typeof nodeDefinitions;

/** The config type of a kind, e.g. `NodeConfig<"wait">`. */
export type NodeConfig<K extends NodeKind> = z.infer<NodeDefinitions[K]["configSchema"]>;

/** Kinds that hold a contact over time; a loop must pass through one of them. */
export const WAITING_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>(["wait", "wait_for_event"]);

export function isNodeKind(kind: string): kind is NodeKind {
  return Object.hasOwn(nodeDefinitions, kind);
}

/** A definition seen through its general shape, for code that handles any kind. */
export function definitionOf(kind: NodeKind): NodeDefinition<NodeKind, unknown> {
  return nodeDefinitions[kind];
}

export type { NodeDefinition, StepContext, StepResult, ValidateContext } from "./define";
