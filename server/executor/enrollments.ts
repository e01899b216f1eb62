/** The executor's view for the UI: enrollments of a flow, one contact's journey, retry and cancel. */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db, DbOrTx } from "@/server/db/client";
import {
  contacts,
  enrollments,
  enrollmentStatus,
  enrollmentSteps,
  flows,
  flowVersions,
  messages,
  webhookCalls,
} from "@/server/db/schema";
import { FlowGraph } from "@/server/engine/graph";
import { END_REASON_LABELS, endReasonOf, stepOutcomeWords, stepTitle } from "@/server/engine/metrics";
import { badRequest, notFound } from "@/server/errors";

/** The statuses the database knows, from its enum. */
const STATUSES = enrollmentStatus.enumValues;
export type EnrollmentStatus = (typeof STATUSES)[number];

export async function listEnrollments(
  db: DbOrTx,
  input: { workspaceId: string; flowId: string; status?: EnrollmentStatus; limit: number },
) {
  const where = [eq(enrollments.workspaceId, input.workspaceId), eq(enrollments.flowId, input.flowId)];
  if (input.status) where.push(eq(enrollments.status, input.status));
  return db
    .select({
      id: enrollments.id,
      status: enrollments.status,
      currentNodeId: enrollments.currentNodeId,
      nextRunAt: enrollments.nextRunAt,
      enteredAt: enrollments.enteredAt,
      endedAt: enrollments.endedAt,
      exitReason: enrollments.exitReason,
      lastError: enrollments.lastError,
      contactId: enrollments.contactId,
      contactEmail: contacts.email,
      contactName: contacts.firstName,
    })
    .from(enrollments)
    .innerJoin(contacts, eq(contacts.id, enrollments.contactId))
    .where(and(...where))
    .orderBy(desc(enrollments.enteredAt))
    .limit(input.limit);
}

/** One enrollment with the path it took and the messages it produced. */
export async function getJourney(db: DbOrTx, input: { workspaceId: string; enrollmentId: string }) {
  const [enrollment] = await db
    .select()
    .from(enrollments)
    .where(and(eq(enrollments.workspaceId, input.workspaceId), eq(enrollments.id, input.enrollmentId)));
  if (!enrollment) throw notFound("Enrollment");
  const [steps, sent, webhooks] = await Promise.all([
    db
      .select({
        nodeId: enrollmentSteps.nodeId,
        visit: enrollmentSteps.visit,
        outcome: enrollmentSteps.outcome,
        detail: enrollmentSteps.detail,
        at: enrollmentSteps.at,
      })
      .from(enrollmentSteps)
      .where(
        and(
          eq(enrollmentSteps.workspaceId, input.workspaceId),
          eq(enrollmentSteps.enrollmentId, enrollment.id),
        ),
      )
      .orderBy(asc(enrollmentSteps.id)),
    db
      .select({
        id: messages.id,
        nodeId: messages.nodeId,
        channel: messages.channel,
        status: messages.status,
        skipReason: messages.skipReason,
        subject: messages.subject,
        sentAt: messages.sentAt,
        lastError: messages.lastError,
      })
      .from(messages)
      .where(and(eq(messages.workspaceId, input.workspaceId), eq(messages.enrollmentId, enrollment.id)))
      .orderBy(asc(messages.createdAt)),
    webhookCallsOf(db, input.workspaceId, [enrollment.id]),
  ]);
  return { enrollment, steps, messages: sent, webhooks };
}

/** All of a contact's enrollments with their paths (contact profile). */
export async function contactJourneys(db: DbOrTx, input: { workspaceId: string; contactId: string }) {
  const rows = await db
    .select({
      id: enrollments.id,
      flowId: enrollments.flowId,
      flowName: flows.name,
      versionId: enrollments.versionId,
      status: enrollments.status,
      exitReason: enrollments.exitReason,
      currentNodeId: enrollments.currentNodeId,
      enteredAt: enrollments.enteredAt,
    })
    .from(enrollments)
    .innerJoin(flows, eq(flows.id, enrollments.flowId))
    .where(and(eq(enrollments.workspaceId, input.workspaceId), eq(enrollments.contactId, input.contactId)))
    .orderBy(desc(enrollments.enteredAt));
  const steps = rows.length
    ? await db
        .select({
          enrollmentId: enrollmentSteps.enrollmentId,
          nodeId: enrollmentSteps.nodeId,
          outcome: enrollmentSteps.outcome,
          detail: enrollmentSteps.detail,
          at: enrollmentSteps.at,
        })
        .from(enrollmentSteps)
        .where(
          and(
            eq(enrollmentSteps.workspaceId, input.workspaceId),
            inArray(
              enrollmentSteps.enrollmentId,
              rows.map((r) => r.id),
            ),
          ),
        )
        .orderBy(asc(enrollmentSteps.id))
    : [];
  const versionIds = [...new Set(rows.map((r) => r.versionId))];
  const [webhooks, versions] = await Promise.all([
    webhookCallsOf(
      db,
      input.workspaceId,
      rows.map((r) => r.id),
    ),
    versionIds.length
      ? db
          .select({ id: flowVersions.id, graph: flowVersions.graph })
          .from(flowVersions)
          .where(and(eq(flowVersions.workspaceId, input.workspaceId), inArray(flowVersions.id, versionIds)))
      : Promise.resolve([]),
  ]);
  const nodesOf = new Map(
    versions.map((v) => {
      const parsed = FlowGraph.safeParse(v.graph);
      return [v.id, new Map(parsed.success ? parsed.data.nodes.map((n) => [n.id, n]) : [])] as const;
    }),
  );
  // Steps are named by their card title, never by their internal id.
  return rows.map(({ exitReason, ...r }) => {
    const flowSteps = nodesOf.get(r.versionId);
    const node = (nodeId: string) => flowSteps?.get(nodeId);
    const reason = r.status === "active" ? null : endReasonOf(r.status, exitReason);
    return {
      ...r,
      currentStep: stepTitle(node(r.currentNodeId), flowSteps),
      ended: reason ? END_REASON_LABELS[reason] : null,
      path: steps
        .filter((s) => s.enrollmentId === r.id)
        .map(({ detail, ...s }, i, all) => ({
          ...s,
          title: stepTitle(node(s.nodeId), flowSteps),
          words:
            s.outcome === "wait" && (r.status !== "active" || i < all.length - 1)
              ? "waited"
              : stepOutcomeWords(node(s.nodeId), s.outcome),
          note: noteOf(detail),
        })),
      webhooks: webhooks
        .filter((w) => w.enrollmentId === r.id)
        .map((w) => ({ ...w, stepTitle: stepTitle(node(w.nodeId), flowSteps) })),
    };
  });
}

function noteOf(detail: Record<string, unknown>): string | null {
  return typeof detail.note === "string" ? detail.note : null;
}

/** The webhook calls of these enrollments' action steps, with how their sending went. */
function webhookCallsOf(db: DbOrTx, workspaceId: string, enrollmentIds: string[]) {
  if (enrollmentIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      id: webhookCalls.id,
      enrollmentId: webhookCalls.enrollmentId,
      nodeId: webhookCalls.nodeId,
      visit: webhookCalls.visit,
      method: webhookCalls.method,
      url: webhookCalls.url,
      status: webhookCalls.status,
      attempts: webhookCalls.attempts,
      responseStatus: webhookCalls.responseStatus,
      lastError: webhookCalls.lastError,
      nextAttemptAt: webhookCalls.nextAttemptAt,
      sentAt: webhookCalls.sentAt,
      createdAt: webhookCalls.createdAt,
    })
    .from(webhookCalls)
    .where(and(eq(webhookCalls.workspaceId, workspaceId), inArray(webhookCalls.enrollmentId, enrollmentIds)))
    .orderBy(asc(webhookCalls.createdAt), asc(webhookCalls.nodeId));
}

/** A failed enrollment runs again from where it stopped; its failed message is queued again. */
export async function retryEnrollment(
  db: Db,
  input: { workspaceId: string; enrollmentId: string; now: Date },
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(enrollments)
      .where(and(eq(enrollments.workspaceId, input.workspaceId), eq(enrollments.id, input.enrollmentId)))
      .for("update");
    if (!row) throw notFound("Enrollment");
    if (row.status !== "failed") throw badRequest("Only a failed enrollment can be retried", "status");
    await tx
      .update(messages)
      .set({
        status: "queued",
        attempts: 0,
        firstAttemptAt: null,
        nextAttemptAt: input.now,
        lockedUntil: null,
      })
      .where(and(eq(messages.enrollmentId, row.id), eq(messages.status, "failed")));
    const [updated] = await tx
      .update(enrollments)
      .set({
        status: "active",
        lastError: null,
        endedAt: null,
        nextRunAt: input.now,
        attempts: row.attempts + 1,
        updatedAt: input.now,
      })
      .where(eq(enrollments.id, row.id))
      .returning();
    return updated;
  });
}

export async function cancelEnrollment(
  db: Db,
  input: { workspaceId: string; enrollmentId: string; now: Date },
) {
  const [updated] = await db
    .update(enrollments)
    .set({
      status: "cancelled",
      exitReason: "cancelled",
      endedAt: input.now,
      nextRunAt: null,
      updatedAt: input.now,
    })
    .where(
      and(
        eq(enrollments.workspaceId, input.workspaceId),
        eq(enrollments.id, input.enrollmentId),
        eq(enrollments.status, "active"),
      ),
    )
    .returning();
  if (updated) {
    await db
      .update(messages)
      .set({ status: "skipped", skipReason: "cancelled" })
      .where(and(eq(messages.enrollmentId, updated.id), eq(messages.status, "queued")));
    return updated;
  }
  const [exists] = await db
    .select({ id: enrollments.id })
    .from(enrollments)
    .where(and(eq(enrollments.workspaceId, input.workspaceId), eq(enrollments.id, input.enrollmentId)));
  if (!exists) throw notFound("Enrollment");
  throw badRequest("Only an active enrollment can be cancelled", "status");
}

export { STATUSES as ENROLLMENT_STATUSES };
