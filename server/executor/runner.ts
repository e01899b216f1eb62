/**
 * Runs enrollments: lock a batch, ask the engine where each contact goes next, and write
 * what it says — path log, queued messages, skips, contact changes, webhook calls,
 * conversions, the enrollment's new position — in the same transaction, each effect through
 * its handler. Messages and webhook calls are only queued here; the dispatchers send them
 * after commit, keyed by their ids, so a crash never sends twice.
 */
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "@/server/db/client";
import { contacts, enrollments, enrollmentSteps, messages, webhookCalls } from "@/server/db/schema";
import { recordConversion } from "@/server/analytics/attribution";
import { couponPoolName, drawCoupon } from "@/server/coupons/coupons";
import { applyFlowConsentChange } from "@/server/messages/consent-changes";
import { advance } from "@/server/engine";
import { applyAction } from "@/server/engine/actions";
import { EnrollmentState, TriggerData, type ContactFacts, type Facts } from "@/server/engine/facts";
import type { Advance, ContactEffect, Effect } from "@/server/engine/effects";
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
  /** Webhook calls written in this run, to send after commit. */
  queuedWebhookIds: string[];
}

/** A paused flow holds its contacts where they are until it is resumed. */
const flowIsLive = sql`exists (select 1 from flows f where f.id = ${enrollments.flowId} and f.status = 'live')`;

const emptyResult = (): RunResult => ({
  enrollments: 0,
  steps: 0,
  queuedMessageIds: [],
  queuedWebhookIds: [],
});

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

/** What one batch writes, collected from the effects of all its enrollments. */
interface BatchWrites {
  steps: Array<typeof enrollmentSteps.$inferInsert>;
  messages: Array<typeof messages.$inferInsert>;
  webhooks: Array<typeof webhookCalls.$inferInsert>;
  conversions: Array<{ row: EnrollmentRow; graph: FlowGraph; effect: Extract<Effect, { type: "convert" }> }>;
  contactChanges: Array<{ row: EnrollmentRow; effect: ContactEffect }>;
}

/** One enrollment's run as the handlers see it. */
interface EffectContext {
  row: EnrollmentRow;
  graph: FlowGraph;
  /** The contact's facts, updated as effects apply, so later enrollments of the contact in the batch see them. */
  facts: Facts;
  now: number;
  writes: BatchWrites;
  result: RunResult;
  exitReason: string | null;
}

type Handler<T extends Effect["type"]> = (effect: Extract<Effect, { type: T }>, ctx: EffectContext) => void;

const changeContact = (effect: ContactEffect, ctx: EffectContext) => {
  ctx.facts.contact = applyAction(ctx.facts.contact, effect);
  ctx.writes.contactChanges.push({ row: ctx.row, effect });
};

/** How each effect is carried out; an effect type without a handler does not compile. */
const effectHandlers = {
  step: (effect, { row, now, writes, result }) => {
    result.steps++;
    writes.steps.push({
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
  },
  send: (effect, { row, now, writes, facts }) => {
    if (effect.category === "marketing") facts.lastMarketingSentAt[effect.channel] = now;
    writes.messages.push({
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
  },
  skip: (effect, { row, now, writes }) => {
    writes.messages.push({
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
  },
  action: changeContact,
  consent: changeContact,
  webhook: (effect, { row, now, writes, facts }) => {
    writes.webhooks.push({
      workspaceId: row.workspaceId,
      enrollmentId: row.id,
      flowId: row.flowId,
      nodeId: effect.nodeId,
      visit: effect.visit,
      contactId: row.contactId,
      url: effect.call.url,
      method: effect.call.method,
      body: webhookBody(effect.call.method, {
        flow_id: row.flowId,
        enrollment_id: row.id,
        node_id: effect.nodeId,
        contact: webhookContact(facts.contact),
        trigger: row.triggerData,
      }),
      status: "queued",
      nextAttemptAt: new Date(now),
      createdAt: new Date(now),
    });
  },
  convert: (effect, ctx) => {
    ctx.writes.conversions.push({ row: ctx.row, graph: ctx.graph, effect });
  },
  exit: (effect, ctx) => {
    ctx.exitReason = effect.reason;
  },
} satisfies { [T in Effect["type"]]: Handler<T> };

function carryOut(effect: Effect, ctx: EffectContext) {
  (effectHandlers[effect.type] as (effect: Effect, ctx: EffectContext) => void)(effect, ctx);
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
  const writes: BatchWrites = { steps: [], messages: [], webhooks: [], conversions: [], contactChanges: [] };

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
    const ctx: EffectContext = { row, graph, facts: contactFacts, now, writes, result, exitReason: null };
    for (const effect of outcome.effects) carryOut(effect, ctx);
    updates.push({
      id: row.id,
      status: outcome.status,
      currentNodeId: outcome.currentNodeId,
      nextRunAt: outcome.nextRunAt,
      state: outcome.state,
      exitReason: ctx.exitReason,
      lastError: outcome.error,
      ended: outcome.status !== "active",
    });
  }

  if (writes.steps.length) await tx.insert(enrollmentSteps).values(writes.steps);
  if (writes.messages.length) {
    const inserted = await tx.insert(messages).values(writes.messages).onConflictDoNothing().returning({
      id: messages.id,
      status: messages.status,
      workspaceId: messages.workspaceId,
      content: messages.content,
    });
    const queued = inserted.filter((m) => m.status === "queued");
    const skipped = await drawCoupons(tx, queued, now);
    result.queuedMessageIds = queued.filter((m) => !skipped.has(m.id)).map((m) => m.id);
  }
  if (writes.webhooks.length) {
    const inserted = await tx
      .insert(webhookCalls)
      .values(writes.webhooks)
      .onConflictDoNothing()
      .returning({ id: webhookCalls.id });
    result.queuedWebhookIds = inserted.map((w) => w.id);
  }
  for (const { row, graph, effect } of writes.conversions) {
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
  for (const { row, effect } of writes.contactChanges) await writeContactChange(tx, row, effect, now);
  await writeEnrollmentUpdates(tx, updates, now);
  return result;
}

/**
 * Gives each queued message whose step names a coupon pool its own code, in the transaction
 * that queues it: the code is stored on the message, so every retry and resend renders the
 * same one. A message whose pool has no code left is skipped with the pool named. Returns
 * the ids of the messages skipped.
 */
async function drawCoupons(
  tx: Tx,
  queued: ReadonlyArray<{ id: string; workspaceId: string; content: Record<string, unknown> }>,
  now: number,
): Promise<Set<string>> {
  const skipped = new Set<string>();
  for (const message of queued) {
    const config = message.content.config as { couponPool?: unknown } | undefined;
    const poolId = typeof config?.couponPool === "string" ? config.couponPool : "";
    if (poolId === "") continue;
    const coupon = await drawCoupon(tx, {
      workspaceId: message.workspaceId,
      poolId,
      messageId: message.id,
      now: new Date(now),
    });
    if (coupon) {
      await tx
        .update(messages)
        .set({ content: { ...message.content, coupon } })
        .where(eq(messages.id, message.id));
      continue;
    }
    const name = await couponPoolName(tx, { workspaceId: message.workspaceId, poolId });
    skipped.add(message.id);
    await tx
      .update(messages)
      .set({
        status: "skipped",
        skipReason: "coupon_pool_empty",
        lastError: name === null ? "its coupon pool no longer exists" : `coupon pool “${name}” is empty`,
      })
      .where(eq(messages.id, message.id));
  }
  return skipped;
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

/** Writes a change `applyAction` made to the contact, as a patch (other writers' changes to the row stay). */
async function writeContactChange(tx: Tx, row: EnrollmentRow, effect: ContactEffect, now: number) {
  const contactId = row.contactId;
  if (effect.type === "consent") {
    await applyFlowConsentChange(tx, {
      workspaceId: row.workspaceId,
      contactId,
      channel: effect.channel,
      status: "unsubscribed",
      enrollmentId: row.id,
      flowId: row.flowId,
      nodeId: effect.nodeId,
      visit: effect.visit,
      now: new Date(now),
    });
    return;
  }
  const action = effect.action;
  switch (action.type) {
    case "update_property":
      await tx
        .update(contacts)
        .set({
          properties: sql`${contacts.properties} || jsonb_build_object(${action.property}::text, ${JSON.stringify(action.value)}::jsonb)`,
        })
        .where(eq(contacts.id, contactId));
      return;
    case "add_tag":
      await tx
        .update(contacts)
        .set({
          tags: sql`(select array(select distinct unnest(${contacts.tags} || array[${action.tag}::text])))`,
        })
        .where(eq(contacts.id, contactId));
      return;
    case "remove_tag":
      await tx
        .update(contacts)
        .set({ tags: sql`array_remove(${contacts.tags}, ${action.tag}::text)` })
        .where(eq(contacts.id, contactId));
      return;
  }
}

/** The contact as the webhook receiver sees it. */
function webhookContact(contact: ContactFacts) {
  return {
    id: contact.id,
    email: contact.email,
    phone: contact.phone,
    first_name: contact.firstName,
    country: contact.country,
    timezone: contact.timezone,
    tags: contact.tags,
    properties: contact.properties,
  };
}

/** The body as sent on every attempt (GET sends none; its receiver gets the ids in the query). */
function webhookBody(method: string, payload: Record<string, unknown>): string {
  return method === "GET" ? "" : JSON.stringify({ type: "flow.webhook", ...payload });
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
