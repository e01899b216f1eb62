/**
 * "Test with a contact": the builder's saved draft run for one real contact on a virtual
 * clock, from one of their events (as it happened, or an edited copy) or from now for time
 * triggers, with what the marketer says they do next. Nothing is written and nothing is sent;
 * a draft that does not validate answers with its problems instead of a run.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { getFlow } from "@/server/db/queries/flows";
import { contacts, events, type workspaces } from "@/server/db/schema";
import { FlowGraph, triggerNode, validateGraph, type Issue } from "@/server/engine";
import { MESSAGE_KINDS } from "@/server/engine/nodes";
import { triggerEventName } from "@/server/engine/validate";
import { badRequest, DomainError } from "@/server/errors";
import { listContactEvents } from "@/server/messages/preview";
import {
  simulateContact,
  type ContactSimulation,
  type SimInjection,
  type SimTrigger,
} from "@/server/simulate";
import { workspaceCatalog } from "@/server/flows/publish";

/** How far the virtual clock runs past the trigger. */
export const TEST_HORIZON_DAYS = 60;
/** How many "what they do next" the marketer may add to one run. */
export const MAX_INJECTIONS = 20;
const DAY = 86_400_000;
const NOW_SLACK_MS = 5 * 60_000;

export type TestTriggerInput =
  | { eventId: string }
  | { event: { name: string; properties: Record<string, unknown>; occurredAt: number } }
  | { now: true };

export type TestContactInput = {
  workspaceId: string;
  flowId: string;
  contactId: string;
  trigger: TestTriggerInput;
  injections: SimInjection[];
  /** The wall clock, for "now" triggers. */
  now: number;
};

export type TestContactResult =
  | { kind: "problems"; issues: Issue[]; draftRevision: number }
  | { kind: "run"; simulation: ContactSimulation; draftRevision: number; horizonDays: number };

async function contactOf(db: DbOrTx, workspaceId: string, contactId: string) {
  const [row] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)));
  if (!row) throw new DomainError("NOT_FOUND", "Contact not found in this shop", "contactId");
  return row;
}

async function resolveTrigger(db: DbOrTx, input: TestContactInput, graph: FlowGraph): Promise<SimTrigger> {
  const t = input.trigger;
  if ("eventId" in t) {
    const [row] = await db
      .select({
        id: events.id,
        contactId: events.contactId,
        name: events.name,
        properties: events.properties,
        occurredAt: events.occurredAt,
      })
      .from(events)
      .where(and(eq(events.workspaceId, input.workspaceId), eq(events.id, t.eventId)));
    if (!row || row.contactId !== input.contactId)
      throw new DomainError("NOT_FOUND", "That event is not one of this contact's events", "trigger.eventId");
    return {
      eventId: row.id,
      name: row.name,
      properties: row.properties,
      occurredAt: row.occurredAt.getTime(),
    };
  }
  // An edited copy is an event of its own (never stored): it has an id so the run treats it
  // as the contact's event, like the real one it replaces.
  if ("event" in t)
    return {
      eventId: `edited-${randomUUID()}`,
      name: t.event.name,
      properties: t.event.properties,
      occurredAt: t.event.occurredAt,
    };
  // "Now", for a time trigger: the occurrence the scheduler would record.
  const config = triggerNode(graph)?.config;
  if (!config || config.type === "event" || config.type === "back_in_stock")
    throw badRequest("“Now” is for time triggers; pick one of the contact's events", "trigger");
  return {
    eventId: null,
    name: config.type,
    properties: { occurrence: new Date(input.now).toISOString() },
    occurredAt: input.now,
  };
}

function checkInjections(
  injections: SimInjection[],
  graph: FlowGraph,
  trigger: SimTrigger,
  horizonDays: number,
) {
  if (injections.length > MAX_INJECTIONS)
    throw badRequest(`At most ${MAX_INJECTIONS} things the contact does next`, "injections");
  const end = trigger.occurredAt + horizonDays * DAY;
  const messageSteps = new Set(
    graph.nodes.filter((n) => (MESSAGE_KINDS as ReadonlySet<string>).has(n.kind)).map((n) => n.id),
  );
  injections.forEach((injection, i) => {
    if (injection.at < trigger.occurredAt)
      throw badRequest("This happens before the trigger; pick a time after it", `injections.${i}.at`);
    if (injection.at > end)
      throw badRequest(
        `The test runs ${horizonDays} days after the trigger; pick a time inside them`,
        `injections.${i}.at`,
      );
    if (injection.kind === "engagement" && !messageSteps.has(injection.nodeId))
      throw badRequest("Pick one of the flow's email, SMS or push steps", `injections.${i}.nodeId`);
  });
}

export async function testFlowWithContact(db: DbOrTx, input: TestContactInput): Promise<TestContactResult> {
  const flow = await getFlow(db, { workspaceId: input.workspaceId, flowId: input.flowId });
  await contactOf(db, input.workspaceId, input.contactId);
  const issues = validateGraph(flow.draftGraph, await workspaceCatalog(db, input.workspaceId));
  if (issues.length > 0) return { kind: "problems", issues, draftRevision: flow.draftRevision };
  const graph = FlowGraph.parse(flow.draftGraph);
  const trigger = await resolveTrigger(db, input, graph);
  // "Now" is the browser's now in the times it sends and ours here: a few minutes apart at most.
  const injections =
    "now" in input.trigger
      ? input.injections.map((i) =>
          i.at < trigger.occurredAt && i.at >= trigger.occurredAt - NOW_SLACK_MS
            ? { ...i, at: trigger.occurredAt }
            : i,
        )
      : input.injections;
  checkInjections(injections, graph, trigger, TEST_HORIZON_DAYS);
  const simulation = await simulateContact(db, {
    workspaceId: input.workspaceId,
    flowId: input.flowId,
    graph,
    settings: graph.settings,
    contactId: input.contactId,
    trigger,
    injections: [...injections].sort((a, b) => a.at - b.at),
    horizonDays: TEST_HORIZON_DAYS,
  });
  return { kind: "run", simulation, draftRevision: flow.draftRevision, horizonDays: TEST_HORIZON_DAYS };
}

type WorkspaceRow = typeof workspaces.$inferSelect;

export type TestContactEvent = {
  id: string;
  name: string;
  occurredAt: number;
  properties: Record<string, unknown>;
  summary: string;
};

/**
 * The contact's recent events that could start the draft (those named as its trigger event),
 * newest first, with their properties so the marketer can edit a copy.
 */
export async function listTestTriggerEvents(
  db: DbOrTx,
  input: { workspace: WorkspaceRow; flowId: string; contactId: string; limit: number },
): Promise<{ triggerEvent: string | null; events: TestContactEvent[] }> {
  const flow = await getFlow(db, { workspaceId: input.workspace.id, flowId: input.flowId });
  await contactOf(db, input.workspace.id, input.contactId);
  const parsed = FlowGraph.safeParse(flow.draftGraph);
  const config = parsed.success ? triggerNode(parsed.data)?.config : undefined;
  const triggerEvent = triggerEventName(config ?? null);
  // A time trigger starts from "now", not from an event.
  if (config && !triggerEvent) return { triggerEvent: null, events: [] };
  const rows = await listContactEvents(db, {
    workspace: input.workspace,
    contactId: input.contactId,
    eventName: triggerEvent ?? undefined,
    limit: input.limit,
  });
  return {
    triggerEvent,
    events: rows.map((r) => ({ ...r, occurredAt: r.occurredAt.getTime() })),
  };
}
