/** Test helpers for flows: publish a graph, store events, drive the executor with a fake clock. */
import { and, asc, eq, min } from "drizzle-orm";
import type { Db, DbHandle } from "@/server/db/client";
import { contacts, enrollments, events, flows } from "@/server/db/schema";
import type { FlowGraph } from "@/server/engine/graph";
import { publishFlow } from "@/server/flows/publish";
import { createChannels, type Channels } from "@/server/channels";
import { Executor } from "@/server/executor/executor";
import type { EnrollEvent } from "@/server/executor/enroll";

export class FakeClock {
  constructor(public t: number) {}
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export async function publishGraph(
  db: Db,
  input: {
    workspaceId: string;
    userId: string;
    graph: FlowGraph;
    name?: string;
    now: number;
    /** Inactivity flows: contacts already inactive enter too. */
    catchUpInactive?: boolean;
  },
) {
  const [flow] = await db
    .insert(flows)
    .values({
      workspaceId: input.workspaceId,
      name: input.name ?? "Test flow",
      draftGraph: input.graph,
      updatedBy: input.userId,
    })
    .returning();
  if (!flow) throw new Error("no flow");
  const published = await publishFlow(db, {
    workspaceId: input.workspaceId,
    flowId: flow.id,
    userId: input.userId,
    moveInFlight: false,
    catchUpInactive: input.catchUpInactive,
    now: new Date(input.now),
  });
  return { flowId: flow.id, versionId: published.versionId };
}

export async function createContact(
  db: Db,
  workspaceId: string,
  overrides: Partial<typeof contacts.$inferInsert> = {},
) {
  const [row] = await db
    .insert(contacts)
    .values({
      workspaceId,
      email: `shopper.${Math.random().toString(36).slice(2, 8)}@example.com`,
      phone: "+15550001111",
      firstName: "Sam",
      lastName: "Shopper",
      timezone: "America/New_York",
      emailConsent: "subscribed",
      smsConsent: "subscribed",
      pushConsent: "subscribed",
      ...overrides,
    })
    .returning();
  if (!row) throw new Error("no contact");
  return row;
}

let seq = 0;
export async function storeEvent(
  db: Db,
  input: {
    workspaceId: string;
    contactId: string;
    name: string;
    properties?: Record<string, unknown>;
    at: number;
  },
): Promise<EnrollEvent> {
  const [row] = await db
    .insert(events)
    .values({
      workspaceId: input.workspaceId,
      contactId: input.contactId,
      name: input.name,
      properties: input.properties ?? {},
      occurredAt: new Date(input.at),
      receivedAt: new Date(input.at),
      idempotencyKey: `test-${Date.now()}-${++seq}`,
    })
    .returning();
  if (!row) throw new Error("no event");
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    contactId: row.contactId,
    name: row.name,
    properties: row.properties,
    occurredAt: row.occurredAt,
  };
}

export function testExecutor(handle: DbHandle, clock: FakeClock, channels: Channels = createChannels({})) {
  return new Executor({
    handle,
    channels,
    clock,
    appUrl: "https://shop.example.com",
    linkSigningKey: "test-link-signing-key-0123456789",
    sweepEveryMs: 0,
  });
}

/**
 * Runs the flow to its end: drain what is due, then jump the clock to the next wake-up,
 * until no enrollment is active (or `until` is reached).
 */
export async function runUntilIdle(
  db: Db,
  executor: Executor,
  clock: FakeClock,
  options: { until?: number; maxJumps?: number } = {},
) {
  for (let i = 0; i < (options.maxJumps ?? 200); i++) {
    await executor.drain();
    const [next] = await db
      .select({ at: min(enrollments.nextRunAt) })
      .from(enrollments)
      .where(eq(enrollments.status, "active"));
    const at = next?.at ? new Date(next.at).getTime() : null;
    if (at === null || (options.until !== undefined && at > options.until)) {
      if (options.until !== undefined && clock.t < options.until) clock.t = options.until;
      await executor.drain();
      return;
    }
    clock.t = Math.max(clock.t, at);
  }
  throw new Error("flow did not settle");
}

export async function enrollmentsOf(db: Db, flowId: string) {
  return db
    .select()
    .from(enrollments)
    .where(and(eq(enrollments.flowId, flowId)))
    .orderBy(asc(enrollments.enteredAt));
}
