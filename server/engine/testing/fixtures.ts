/** Builders shared by the engine's unit tests (no I/O, fixed clocks). */
import type { Advance } from "../effects";
import {
  emptyState,
  type ContactFacts,
  type Enrollment,
  type EventFact,
  type Facts,
  type TriggerData,
} from "../facts";
import { triggerNode, type FlowGraph } from "../graph";
import { advance } from "../step";

/** Epoch ms of an ISO instant ("2025-03-10T14:00:00Z"). */
export const at = (iso: string): number => Date.parse(iso);

export function contact(overrides: Partial<ContactFacts> = {}): ContactFacts {
  return {
    id: "c1",
    email: "maya@example.com",
    phone: "+15555550100",
    firstName: "Maya",
    timezone: "America/New_York",
    birthday: null,
    country: "US",
    properties: {},
    tags: [],
    consent: { email: "subscribed", sms: "subscribed", push: "subscribed" },
    suppressed: { email: false, sms: false, push: false },
    ...overrides,
  };
}

export function facts(overrides: Partial<Facts> = {}): Facts {
  return {
    contact: contact(),
    workspaceTimezone: "America/New_York",
    events: [],
    lastMarketingSentAt: {},
    ...overrides,
  };
}

let eventCounter = 0;
export function event(
  name: string,
  occurredAt: number,
  properties: Record<string, unknown> = {},
  id?: string,
): EventFact {
  eventCounter += 1;
  return { id: id ?? `ev_${eventCounter}`, name, properties, occurredAt };
}

export function triggerData(trigger: EventFact): TriggerData {
  return {
    eventId: trigger.id,
    name: trigger.name,
    properties: trigger.properties,
    occurredAt: trigger.occurredAt,
  };
}

export function enrollment(
  graph: FlowGraph,
  trigger: TriggerData,
  enteredAt: number,
  id = "enr_1",
): Enrollment {
  const start = triggerNode(graph);
  if (!start) throw new Error("graph has no trigger");
  return { id, currentNodeId: start.id, enteredAt, state: emptyState(), triggerData: trigger };
}

/** Moves an advance's position back into an enrollment, as the executor persists it. */
export function carry(previous: Enrollment, result: Advance): Enrollment {
  return { ...previous, currentNodeId: result.currentNodeId, state: result.state };
}

export type Run = { results: Advance[]; times: number[]; final: Advance };

/**
 * Runs an enrollment the way the executor does: advance, then advance again at
 * `nextRunAt`, until it ends (or `maxRuns`). `factsAt` gives the facts as of each run.
 */
export function runToEnd(
  graph: FlowGraph,
  start: Enrollment,
  factsAt: (now: number) => Facts,
  firstRun: number,
  maxRuns = 50,
): Run {
  const results: Advance[] = [];
  const times: number[] = [];
  let current = start;
  let now = firstRun;
  for (let i = 0; i < maxRuns; i++) {
    const result = advance(graph, current, factsAt(now), now);
    results.push(result);
    times.push(now);
    if (result.status !== "active" || result.nextRunAt === null) break;
    current = carry(current, result);
    now = result.nextRunAt;
  }
  const final = results[results.length - 1];
  if (!final) throw new Error("no run");
  return { results, times, final };
}
