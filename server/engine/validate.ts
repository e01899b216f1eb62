/**
 * The one validator, used by publish (refuses on any issue), the canvas (marks the nodes)
 * and React Flow's `isValidConnection` (through `canConnect`).
 */
import { fieldsForTrigger, type ContentCatalog } from "./catalog";
import { entryKeyPaths } from "./entry";
import { inspectGraph, type FlowEdge, type InspectedNode } from "./graph";
import { issue, type Issue } from "./issues";
import { fileSystemTagIssues } from "./liquid-tags";
import { definitionOf, isNodeKind, nodeDefinitions, WAITING_KINDS } from "./nodes";
import { BACK_IN_STOCK_EVENT, type TriggerConfig } from "./nodes/trigger";
import { engagementPredicatesIn, Predicate, predicateProblems, predicateTriggerPaths } from "./predicate";
import type { FlowSettings } from "./settings";
import { parseClock } from "./time";

function outputsOf(node: InspectedNode): string[] | null {
  if (!node.kind || node.config === null) return null;
  return definitionOf(node.kind).outputs(node.config);
}

function handleLabel(node: InspectedNode, handle: string): string {
  if (!node.kind || node.config === null) return handle;
  return definitionOf(node.kind).outputLabel(node.config, handle);
}

function isWaiting(kind: string | null): boolean {
  return kind !== null && isNodeKind(kind) && WAITING_KINDS.has(kind);
}

/** The event whose data a flow's messages can merge (null: the trigger brings no event). */
export function triggerEventName(trigger: TriggerConfig | null): string | null {
  if (trigger?.type === "event") return trigger.event.trim() || null;
  if (trigger?.type === "back_in_stock") return BACK_IN_STOCK_EVENT;
  return null;
}

/**
 * Every problem that keeps a graph from being published. Accepts any JSON. With a
 * `catalog` (publish and the canvas pass the real one), message steps are also checked
 * against the email templates and merge fields; `null` checks the graph alone.
 */
export function validateGraph(graph: unknown, catalog: ContentCatalog | null = null): Issue[] {
  const inspected = inspectGraph(graph);
  if (!inspected.readable) return inspected.issues;
  const issues: Issue[] = [...inspected.issues];

  // ids
  const byId = new Map<string, InspectedNode>();
  for (const node of inspected.nodes) {
    if (byId.has(node.id)) {
      issues.push(issue("duplicate_node_id", `Two steps share the id “${node.id}”.`, { nodeId: node.id }));
      continue;
    }
    byId.set(node.id, node);
  }
  const nodes = [...byId.values()];
  const edgeIds = new Set<string>();
  for (const edge of inspected.edges) {
    if (edgeIds.has(edge.id))
      issues.push(
        issue("duplicate_edge_id", `Two connections share the id “${edge.id}”.`, { edgeId: edge.id }),
      );
    edgeIds.add(edge.id);
  }

  // exactly one trigger
  const triggers = nodes.filter((n) => n.rawKind === "trigger");
  const trigger = triggers[0] ?? null;
  if (!trigger) issues.push(issue("no_trigger", "Add a trigger: every flow starts with one."));
  for (const extra of triggers.slice(1)) {
    issues.push(
      issue("multiple_triggers", "A flow has exactly one trigger; remove this one.", { nodeId: extra.id }),
    );
  }
  const triggerConfig = triggers.length === 1 && trigger?.config ? (trigger.config as TriggerConfig) : null;

  // edges
  const usable: FlowEdge[] = [];
  const taken = new Set<string>();
  for (const edge of inspected.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    const at = { edgeId: edge.id, ...(source ? { nodeId: source.id } : {}) };
    if (!source)
      issues.push(
        issue("edge_unknown_source", `A connection starts at a step that doesn't exist (“${edge.source}”).`, {
          edgeId: edge.id,
        }),
      );
    if (!target)
      issues.push(
        issue(
          "edge_unknown_target",
          `A connection leads to a step that doesn't exist (“${edge.target}”).`,
          at,
        ),
      );
    if (!source || !target) continue;
    if (source.id === target.id) {
      issues.push(issue("self_loop", "A step can't connect to itself.", at));
      continue;
    }
    if (target.rawKind === "trigger") {
      issues.push(issue("edge_into_trigger", "Nothing can lead into the trigger.", at));
      continue;
    }
    const outputs = outputsOf(source);
    if (outputs && !outputs.includes(edge.sourceHandle)) {
      issues.push(
        issue(
          "edge_unknown_handle",
          outputs.length === 0
            ? "This step ends the flow; nothing can follow it."
            : `A connection leaves from an output (“${edge.sourceHandle}”) this step doesn't have.`,
          at,
        ),
      );
      continue;
    }
    const key = `${edge.source}\u0000${edge.sourceHandle}`;
    if (taken.has(key)) {
      issues.push(
        issue(
          "handle_already_connected",
          `The “${handleLabel(source, edge.sourceHandle)}” output is connected more than once.`,
          at,
        ),
      );
      continue;
    }
    taken.add(key);
    usable.push(edge);
  }

  // every output connected
  for (const node of nodes) {
    const outputs = outputsOf(node);
    if (!outputs) continue;
    for (const handle of outputs) {
      if (taken.has(`${node.id}\u0000${handle}`)) continue;
      const message =
        outputs.length === 1
          ? "Connect this step to a next step (or an Exit)."
          : `Connect the “${handleLabel(node, handle)}” path to a next step (or an Exit).`;
      issues.push(issue("unconnected_output", message, { nodeId: node.id }));
    }
  }

  // reachable from the trigger
  const adjacency = new Map<string, string[]>();
  for (const edge of usable) adjacency.set(edge.source, [...(adjacency.get(edge.source) ?? []), edge.target]);
  if (trigger) {
    const seen = new Set<string>([trigger.id]);
    const queue = [trigger.id];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const next of adjacency.get(id) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    for (const node of nodes) {
      if (!seen.has(node.id) && node.rawKind !== "trigger") {
        issues.push(
          issue("unreachable", "This step can't be reached from the trigger. Connect it, or delete it.", {
            nodeId: node.id,
          }),
        );
      }
    }
  }

  // loops must pass through a wait
  for (const loop of loopsWithoutWait(nodes, usable)) {
    const names = loop.join(", ");
    for (const id of loop) {
      issues.push(
        issue(
          "cycle_without_wait",
          `These steps loop without a wait (${names}). Add a Wait or a Wait for event to the loop.`,
          { nodeId: id },
        ),
      );
    }
  }

  // each step's own content
  const availableFields = catalog
    ? fieldsForTrigger(catalog, triggerEventName(triggerConfig))
    : new Set<string>();
  for (const node of nodes) {
    if (!node.kind || node.config === null) continue;
    for (const found of definitionOf(node.kind).validate(node.config, {
      nodeId: node.id,
      trigger: triggerConfig,
      catalog,
      availableFields,
    })) {
      issues.push({ ...found, nodeId: node.id });
    }
    issues.push(...fileSystemTagIssues(node.id, node.config));
  }

  // comparisons with the trigger need a trigger that has an event to read
  if (triggerConfig && !hasTriggerEvent(triggerConfig)) {
    for (const node of nodes) {
      const paths = [...triggerPathsIn(node.config)];
      if (paths.length === 0) continue;
      const name = node.kind ? `${nodeDefinitions[node.kind].label} “${node.id}”` : `Step “${node.id}”`;
      issues.push(
        issue(
          "invalid_condition",
          `${name} compares with the trigger's ${paths.map((p) => `“${p}”`).join(", ")}, but ${TRIGGER_WORDS[triggerConfig.type]} has no event to read it from. Compare with a fixed value instead.`,
          { nodeId: node.id },
        ),
      );
    }
  }

  issues.push(...engagementIssues(nodes, inspected.settings));
  if (inspected.settings) issues.push(...settingsIssues(inspected.settings, triggerConfig));
  return issues;
}

/**
 * "Opened the email of step X" must name a message step of this flow, and a trigger (no one
 * has a journey yet when they enter) can only ask about messages in general, over a number of days.
 */
function withArticle(words: string): string {
  return `${/^[AEIOU]/i.test(words) ? "an" : "a"} ${words}`;
}

function engagementIssues(nodes: readonly InspectedNode[], settings: FlowSettings | null): Issue[] {
  const issues: Issue[] = [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const stepProblem = (step: string): string | null => {
    const target = byId.get(step);
    if (!target)
      return `asks about step “${step}”, which is not in this flow. Choose one of its email, SMS or push steps.`;
    if (!target.kind || nodeDefinitions[target.kind].traits.channel === null)
      return `asks about step “${step}”, which is ${target.kind ? withArticle(`${nodeDefinitions[target.kind].label} step`) : "not a step"}, not an email, SMS or push step. Choose a message step.`;
    return null;
  };
  for (const node of nodes) {
    const name = node.kind ? `${nodeDefinitions[node.kind].label} “${node.id}”` : `Step “${node.id}”`;
    for (const p of engagementPredicatesIn(node.config)) {
      if (node.rawKind === "trigger") {
        if (p.step !== null)
          issues.push(
            issue(
              "invalid_condition",
              `${name} asks about message step “${p.step}”, but nobody has received it when they enter. Ask about any message in the last few days instead.`,
              { nodeId: node.id },
            ),
          );
        else if (p.days === null)
          issues.push(
            issue(
              "invalid_condition",
              `${name}: choose how many days back to look for ${p.engagement} messages.`,
              {
                nodeId: node.id,
              },
            ),
          );
        continue;
      }
      if (p.step === null || p.step.trim() === "") continue;
      const problem = stepProblem(p.step);
      if (problem) issues.push(issue("invalid_condition", `${name} ${problem}`, { nodeId: node.id }));
    }
  }
  if (settings) {
    for (const [label, value] of [
      ["The goal filter", settings.goal?.filter ?? null],
      ["The flow filter", settings.filter],
    ] as const) {
      for (const p of engagementPredicatesIn(value)) {
        if (p.step === null || p.step.trim() === "") continue;
        const problem = stepProblem(p.step);
        if (problem)
          issues.push(issue("invalid_settings", `Flow settings: ${label.toLowerCase()} ${problem}`));
      }
    }
  }
  return issues;
}

const TRIGGER_WORDS: Record<TriggerConfig["type"], string> = {
  event: "an event trigger",
  back_in_stock: "a back-in-stock trigger",
  date_property: "a date trigger",
  schedule: "a scheduled trigger",
  inactivity: "an inactivity trigger",
};

/** Whether enrollments carry a trigger event whose properties conditions may read. */
function hasTriggerEvent(trigger: TriggerConfig): boolean {
  return trigger.type === "event" || trigger.type === "back_in_stock";
}

/** Trigger property paths any predicate inside a node's config (or the settings) compares with. */
function triggerPathsIn(value: unknown, into = new Set<string>(), depth = 0): Set<string> {
  if (depth > 64 || typeof value !== "object" || value === null) return into;
  if (Array.isArray(value)) {
    for (const v of value) triggerPathsIn(v, into, depth + 1);
    return into;
  }
  const record = value as Record<string, unknown>;
  if (record.type === "property") {
    const parsed = Predicate.safeParse(record);
    if (parsed.success) predicateTriggerPaths(parsed.data, into);
    return into;
  }
  for (const v of Object.values(record)) triggerPathsIn(v, into, depth + 1);
  return into;
}

function settingsIssues(settings: FlowSettings, trigger: TriggerConfig | null): Issue[] {
  const issues: Issue[] = [];
  const bad = (message: string) => issues.push(issue("invalid_settings", `Flow settings: ${message}`));
  if (settings.goal) {
    if (settings.goal.event.trim() === "") bad("choose the goal event, or remove the goal.");
    const scope = settings.goal.matchTriggerProperty;
    if (scope !== undefined && scope !== null) {
      if (scope.trim() === "")
        bad(
          "name the trigger property the goal must share (e.g. cart_id), or turn “only this trigger's” off.",
        );
      else if (trigger && !hasTriggerEvent(trigger))
        bad("a goal tied to the trigger needs a flow triggered by an event.");
    }
    if (settings.goal.filter)
      for (const p of predicateProblems(settings.goal.filter)) bad(`goal filter: ${p}`);
  }
  if (settings.filter) for (const p of predicateProblems(settings.filter)) bad(`flow filter: ${p}`);
  if (trigger && !hasTriggerEvent(trigger)) {
    const paths = [...triggerPathsIn([settings.filter, settings.goal?.filter ?? null])];
    if (paths.length > 0)
      bad(
        `the filters compare with the trigger's ${paths.map((p) => `“${p}”`).join(", ")}, but ${TRIGGER_WORDS[trigger.type]} has no event to read it from.`,
      );
  }
  if (settings.reentry.mode === "once_per_period" && settings.reentry.periodDays === undefined) {
    bad("choose after how many days a contact may enter again.");
  }
  if (settings.entryKey !== null) {
    if (entryKeyPaths(settings.entryKey).length === 0)
      bad("name the trigger property that tells entries apart (e.g. cart_id), or turn it off.");
    else if (trigger && trigger.type !== "event" && trigger.type !== "back_in_stock") {
      bad("entering several times at once needs a flow triggered by an event.");
    }
  }
  if (
    settings.quietHours.enabled &&
    (!parseClock(settings.quietHours.start) || !parseClock(settings.quietHours.end))
  ) {
    bad("enter quiet hours as HH:MM, e.g. 21:00 to 08:00.");
  }
  return issues;
}

/** Strongly connected groups of non-waiting steps (Tarjan), i.e. loops with no wait on them. */
function loopsWithoutWait(nodes: readonly InspectedNode[], edges: readonly FlowEdge[]): string[][] {
  const plain = new Set(nodes.filter((n) => !isWaiting(n.rawKind)).map((n) => n.id));
  const adjacency = new Map<string, string[]>();
  for (const e of edges) {
    if (plain.has(e.source) && plain.has(e.target))
      adjacency.set(e.source, [...(adjacency.get(e.source) ?? []), e.target]);
  }
  const order = nodes.map((n) => n.id).filter((id) => plain.has(id));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const loops: string[][] = [];
  let counter = 0;

  // Iterative Tarjan, so a long chain of steps cannot overflow the call stack.
  for (const root of order) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = adjacency.get(frame.id) ?? [];
      if (frame.next < targets.length) {
        const w = targets[frame.next++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
          onStack.delete(w);
          component.push(w);
          if (w === frame.id) break;
        }
        if (component.length > 1) loops.push(order.filter((id) => component.includes(id)));
      }
    }
  }
  return loops;
}

// ---------------------------------------------------------------- the canvas's connection check

/** The part of a graph `canConnect` reads; the canvas passes its nodes as `{ id, kind: type, config: data }`. */
export type GraphLike = {
  nodes: ReadonlyArray<{ id: string; kind: string; config?: unknown }>;
  edges: ReadonlyArray<{ id?: string; source: string; sourceHandle?: string | null; target: string }>;
};

export type Connection = { source: string; sourceHandle?: string | null; target: string };

function looseOutputs(node: { kind: string; config?: unknown }): string[] | null {
  if (!isNodeKind(node.kind)) return null;
  const definition = definitionOf(node.kind);
  const parsed = definition.configSchema.safeParse(node.config);
  return parsed.success ? definition.outputs(parsed.data) : null;
}

/** Null when the connection may be drawn; otherwise the reason it may not. */
export function canConnect(graph: GraphLike, connection: Connection): Issue | null {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const source = byId.get(connection.source);
  const target = byId.get(connection.target);
  if (!source) return issue("edge_unknown_source", "That step no longer exists.");
  if (!target) return issue("edge_unknown_target", "That step no longer exists.", { nodeId: source.id });
  const at = { nodeId: source.id };
  if (source.id === target.id) return issue("self_loop", "A step can't connect to itself.", at);
  if (target.kind === "trigger") return issue("edge_into_trigger", "Nothing can lead into the trigger.", at);

  const outputs = looseOutputs(source);
  const handleOf = (h: string | null | undefined) =>
    h ?? (outputs && outputs.length === 1 ? outputs[0] : undefined) ?? "next";
  const handle = handleOf(connection.sourceHandle);
  if (outputs && outputs.length === 0)
    return issue("edge_unknown_handle", "This step ends the flow; nothing can follow it.", at);
  if (outputs && !outputs.includes(handle))
    return issue("edge_unknown_handle", `This step has no output “${handle}”.`, at);
  if (graph.edges.some((e) => e.source === source.id && handleOf(e.sourceHandle) === handle)) {
    return issue(
      "handle_already_connected",
      "This output is already connected; remove that connection first.",
      at,
    );
  }

  // A new edge source → target closes a loop through every path target ⇝ source.
  if (isWaiting(source.kind) || isWaiting(target.kind)) return null;
  const kindOf = new Map(graph.nodes.map((n) => [n.id, n.kind] as const));
  const seen = new Set<string>([target.id]);
  const queue = [target.id];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const e of graph.edges) {
      if (e.source !== id || seen.has(e.target) || isWaiting(kindOf.get(e.target) ?? null)) continue;
      if (e.target === source.id)
        return issue(
          "cycle_without_wait",
          "This would make a loop without a wait. Put a Wait on the loop first.",
          at,
        );
      seen.add(e.target);
      queue.push(e.target);
    }
  }
  return null;
}
