/**
 * Runs enrollments: lock a batch, ask the engine where each contact goes next, and write
 * what it says — path log, queued messages, skips, actions, conversions, the enrollment's
 * new position — in the same transaction. Messages are only queued here; the dispatcher
 * sends them after commit, keyed by the message id, so a crash never sends twice.
 */
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "@/server/db/client";
import { contacts, enrollments, enrollmentSteps, messages } from "@/server/db/schema";
import { recordConversion } from "@/server/analytics/attribution";
import { advance } from "@/server/engine";
import { EnrollmentState, TriggerData, type Facts } from "@/server/engine/facts";
import type { Advance, Effect } from "@/server/engine/effects";
import type { FlowGraph } from "@/server/engine/graph";
import type { ExecutorCaches } from "./caches";
import { loadFacts, loadGraphs } from "./load";
import { splitWinnersFor } from "./split-winners";

type EnrollmentRow = typeof enrollments.$inferSelect;

export interface RunResult {
  enrollments: number;
  /** Node steps taken (one per node a contact passed or stopped at). */
  steps: number;
  queuedMessageIds: string[];
  webhooks: WebhookCall[];
}

export interface WebhookCall {
  enrollmentId: string;
  nodeId: string;
  url: string;
  method: string;
  body: Record<string, unknown>;
}

/** A paused flow holds its contacts where they are until it is resumed. */
const flowIsLive = sql`exists (select 1 from flows f where f.id = ${enrollments.flowId} and f.status = 'live')`;

const emptyResult = (): RunResult => ({ enrollments: 0, steps: 0, queuedMessageIds: [], webhooks: [] });

/** Claims up to `limit` due enrollments (others' locked rows are skipped) and runs them. */
export async function runDueEnrollments(
  db: Db,
  options: { now: number; limit?: number; caches: ExecutorCaches },
): Promise<RunResult> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(enrollments)
      .where(
        and(eq(enrollments.status, "active"), lte(enrollments.nextRunAt, new Date(options.now)), flowIsLive),
      )
      .orderBy(asc(enrollments.nextRunAt))
      .limit(options.limit ?? 100)
      .for("update", { skipLocked: true });
    return processLocked(tx, rows, options.now, options.caches);
  });
}

/** Runs these enrollments now (waiting for a lock another worker holds), e.g. after an event woke them. */
export async function runEnrollmentsNow(
  db: Db,
  ids: readonly string[],
  now: number,
  caches: ExecutorCaches,
): Promise<RunResult> {
  if (ids.length === 0) return emptyResult();
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(enrollments)
      .where(and(inArray(enrollments.id, [...ids]), eq(enrollments.status, "active"), flowIsLive))
      .orderBy(asc(enrollments.id))
      .for("update");
    return processLocked(tx, rows, now, caches);
  });
}

async function processLocked(
  tx: Tx,
  rows: EnrollmentRow[],
  now: number,
  caches: ExecutorCaches,
): Promise<RunResult> {
  const result = emptyResult();
  if (rows.length === 0) return result;
  const graphs = await loadGraphs(
    tx,
    rows.map((r) => r.versionId),
    caches,
  );
  const facts = await loadFacts(
    tx,
    rows.flatMap((r) => {
      const graph = graphs.get(r.versionId);
      return graph ? [{ workspaceId: r.workspaceId, contactId: r.contactId, graph }] : [];
    }),
    now,
  );
  const winners = await splitWinnersFor(tx, rows, graphs, now, caches);

  const updates: EnrollmentUpdate[] = [];
  const stepRows: Array<typeof enrollmentSteps.$inferInsert> = [];
  const messageRows: Array<typeof messages.$inferInsert> = [];
  const conversionRows: Array<{
    row: EnrollmentRow;
    graph: FlowGraph;
    effect: Extract<Effect, { type: "convert" }>;
  }> = [];
  const contactActions: Array<{ contactId: string; effect: Extract<Effect, { type: "action" }> }> = [];

  for (const row of rows) {
    const graph = graphs.get(row.versionId);
    const contactFacts = facts.get(row.contactId);
    let outcome: Advance;
    try {
      if (!graph) throw new Error(`flow version ${row.versionId} is missing`);
      if (!contactFacts) throw new Error("the contact no longer exists");
      const splitWinners = winners.get(row.versionId);
      outcome = advance(
        graph,
        toEngineEnrollment(row),
        splitWinners ? { ...contactFacts, splitWinners } : contactFacts,
        now,
      );
    } catch (error) {
      updates.push({
        id: row.id,
        status: "failed",
        currentNodeId: row.currentNodeId,
        nextRunAt: null,
        state: row.state,
        exitReason: null,
        lastError: errorText(error),
        ended: true,
      });
      continue;
    }
    result.enrollments++;
    applyToFacts(contactFacts, outcome.effects, now);
    let exitReason: string | null = null;
    for (const effect of outcome.effects) {
      switch (effect.type) {
        case "step":
          result.steps++;
          stepRows.push({
            workspaceId: row.workspaceId,
            enrollmentId: row.id,
            flowId: row.flowId,
            versionId: row.versionId,
            nodeId: effect.nodeId,
            visit: effect.visit,
            outcome: effect.outcome,
            detail: { ...effect.detail },
            at: new Date(now),
          });
          break;
        case "send":
          messageRows.push({
            workspaceId: row.workspaceId,
            enrollmentId: row.id,
            flowId: row.flowId,
            nodeId: effect.nodeId,
            visit: effect.visit,
            contactId: row.contactId,
            channel: effect.channel,
            category: effect.category,
            status: "queued",
            toAddress: effect.to ?? row.contactId,
            subject:
              effect.channel === "email"
                ? effect.content.subject
                : effect.channel === "push"
                  ? effect.content.title
                  : null,
            content: { config: effect.content, trigger: row.triggerData },
            nextAttemptAt: new Date(now),
            createdAt: new Date(now),
          });
          break;
        case "skip":
          messageRows.push({
            workspaceId: row.workspaceId,
            enrollmentId: row.id,
            flowId: row.flowId,
            nodeId: effect.nodeId,
            visit: effect.visit,
            contactId: row.contactId,
            channel: effect.channel,
            category: effect.category,
            status: "skipped",
            skipReason: effect.reason,
            content: {},
            createdAt: new Date(now),
          });
          break;
        case "action":
          if (effect.action.type === "webhook") {
            result.webhooks.push({
              enrollmentId: row.id,
              nodeId: effect.nodeId,
              url: effect.action.url,
              method: effect.action.method,
              body: {
                enrollment_id: row.id,
                flow_id: row.flowId,
                contact_id: row.contactId,
                node_id: effect.nodeId,
                trigger: row.triggerData,
              },
            });
          } else contactActions.push({ contactId: row.contactId, effect });
          break;
        case "convert":
          conversionRows.push({ row, graph, effect });
          break;
        case "exit":
          exitReason = effect.reason;
          break;
      }
    }
    updates.push({
      id: row.id,
      status: outcome.status,
      currentNodeId: outcome.currentNodeId,
      nextRunAt: outcome.nextRunAt,
      state: outcome.state,
      exitReason,
      lastError: outcome.error,
      ended: outcome.status !== "active",
    });
  }

  if (stepRows.length) await tx.insert(enrollmentSteps).values(stepRows);
  if (messageRows.length) {
    const inserted = await tx
      .insert(messages)
      .values(messageRows)
      .onConflictDoNothing()
      .returning({ id: messages.id, status: messages.status });
    result.queuedMessageIds = inserted.filter((m) => m.status === "queued").map((m) => m.id);
  }
  for (const { row, graph, effect } of conversionRows) {
    await recordConversion(tx, {
      workspaceId: row.workspaceId,
      flowId: row.flowId,
      graph,
      contactId: row.contactId,
      enrollmentId: row.id,
      event: {
        id: effect.eventId,
        properties: { value_cents: effect.valueCents, currency: effect.currency },
        occurredAt: effect.occurredAt,
      },
    });
  }
  for (const { contactId, effect } of contactActions) await applyContactAction(tx, contactId, effect);
  await writeEnrollmentUpdates(tx, updates, now);
  return result;
}

interface EnrollmentUpdate {
  id: string;
  status: "active" | "completed" | "exited" | "failed";
  currentNodeId: string;
  nextRunAt: number | null;
  state: unknown;
  exitReason: string | null;
  lastError: string | null;
  ended: boolean;
}

/** One statement for the whole batch. */
async function writeEnrollmentUpdates(tx: Tx, updates: EnrollmentUpdate[], now: number) {
  if (updates.length === 0) return;
  const payload = JSON.stringify(
    updates.map((u) => ({
      id: u.id,
      status: u.status,
      current_node_id: u.currentNodeId,
      next_run_at: u.nextRunAt === null ? null : new Date(u.nextRunAt).toISOString(),
      state: u.state,
      exit_reason: u.exitReason,
      last_error: u.lastError,
      ended_at: u.ended ? new Date(now).toISOString() : null,
    })),
  );
  await tx.execute(sql`
    update enrollments as e set
      status = x.status::enrollment_status,
      current_node_id = x.current_node_id,
      next_run_at = x.next_run_at,
      state = x.state,
      exit_reason = coalesce(x.exit_reason, e.exit_reason),
      last_error = x.last_error,
      ended_at = coalesce(x.ended_at, e.ended_at),
      updated_at = ${new Date(now).toISOString()}::timestamptz
    from jsonb_to_recordset(${payload}::jsonb) as x(
      id uuid, status text, current_node_id text, next_run_at timestamptz, state jsonb,
      exit_reason text, last_error text, ended_at timestamptz)
    where e.id = x.id`);
}

async function applyContactAction(tx: Tx, contactId: string, effect: Extract<Effect, { type: "action" }>) {
  const action = effect.action;
  if (action.type === "update_property") {
    await tx
      .update(contacts)
      .set({
        properties: sql`${contacts.properties} || jsonb_build_object(${action.property}::text, ${JSON.stringify(action.value)}::jsonb)`,
      })
      .where(eq(contacts.id, contactId));
  } else if (action.type === "add_tag") {
    await tx
      .update(contacts)
      .set({
        tags: sql`(select array(select distinct unnest(${contacts.tags} || array[${action.tag}::text])))`,
      })
      .where(eq(contacts.id, contactId));
  } else if (action.type === "remove_tag") {
    await tx
      .update(contacts)
      .set({ tags: sql`array_remove(${contacts.tags}, ${action.tag}::text)` })
      .where(eq(contacts.id, contactId));
  }
}

/** Later enrollments of the same contact in this batch see what earlier ones did (smart sending, tags). */
function applyToFacts(facts: Facts, effects: Effect[], now: number) {
  for (const effect of effects) {
    if (effect.type === "send" && effect.category === "marketing")
      facts.lastMarketingSentAt[effect.channel] = now;
    if (effect.type === "action") {
      const a = effect.action;
      if (a.type === "add_tag" && !facts.contact.tags.includes(a.tag))
        facts.contact.tags = [...facts.contact.tags, a.tag];
      if (a.type === "remove_tag") facts.contact.tags = facts.contact.tags.filter((t) => t !== a.tag);
      if (a.type === "update_property")
        facts.contact.properties = { ...facts.contact.properties, [a.property]: a.value };
    }
  }
}

function toEngineEnrollment(row: EnrollmentRow) {
  return {
    id: row.id,
    currentNodeId: row.currentNodeId,
    enteredAt: row.enteredAt.getTime(),
    state: EnrollmentState.parse(row.state),
    triggerData: TriggerData.parse(row.triggerData),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type { FlowGraph };
