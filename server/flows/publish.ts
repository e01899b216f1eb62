/**
 * Draft → published. Saving a draft names the revision it was based on, so a second tab
 * cannot silently overwrite the first. Publishing validates the draft, inserts an
 * immutable flow_versions row and makes it live; in-flight enrollments stay on the
 * version they entered with, unless the publish says to move them (matched by node id;
 * a contact on a removed node exits, counted). An inactivity flow's publish also says
 * whether contacts already inactive enter (catch-up) or only those who lapse from now on.
 */
import { and, count, desc, eq, max, ne, sql, type SQL } from "drizzle-orm";
import { rowsOf } from "@/server/db/rows";
import { contentCatalog } from "@/emails/content-catalog";
import { couponPoolCounts } from "@/server/coupons/coupons";
import type { ContentCatalog } from "@/server/engine/catalog";
import type { Db, DbOrTx } from "@/server/db/client";
import { enrollments, flows, flowVersions, users } from "@/server/db/schema";
import { FlowGraph, parseGraph, triggerNode } from "@/server/engine/graph";
import { migrateEnrollment, validateGraph } from "@/server/engine";
import type { Issue } from "@/server/engine/issues";
import { badRequest, conflict, DomainError } from "@/server/errors";
import { notifyFlowsChanged } from "@/server/db/flow-changes";
import { getFlow } from "@/server/db/queries/flows";
import { countInactiveNow } from "@/server/db/queries/inactivity";

export class GraphInvalidError extends DomainError {
  constructor(readonly issues: Issue[]) {
    super(
      "BAD_REQUEST",
      `The flow has ${issues.length} problem${issues.length === 1 ? "" : "s"} to fix before it can go live: ${issues.map((i) => (i.nodeId ? `step “${i.nodeId}”: ${i.message}` : i.message)).join("; ")}`,
      "graph",
    );
  }
}

export async function saveDraft(
  db: Db,
  input: { workspaceId: string; flowId: string; userId: string; graph: unknown; baseRevision: number },
) {
  const parsed = parseGraph(input.graph);
  if (!parsed.ok) throw new GraphInvalidError(parsed.issues);
  const [row] = await db
    .update(flows)
    .set({
      draftGraph: parsed.graph,
      draftRevision: input.baseRevision + 1,
      updatedAt: new Date(),
      updatedBy: input.userId,
    })
    .where(
      and(
        eq(flows.workspaceId, input.workspaceId),
        eq(flows.id, input.flowId),
        eq(flows.draftRevision, input.baseRevision),
      ),
    )
    .returning({ draftRevision: flows.draftRevision, updatedAt: flows.updatedAt });
  if (row) return row;
  const current = await getFlow(db, { workspaceId: input.workspaceId, flowId: input.flowId });
  throw conflict(
    `This draft was changed elsewhere (revision ${current.draftRevision}, you edited ${input.baseRevision}). Reload to see the latest before saving.`,
    "baseRevision",
  );
}

export interface InFlightPlan {
  /** Active enrollments on older versions. */
  total: number;
  stay: number;
  move: number;
  exit: number;
  /** Where the exits come from: node id → count. */
  exitByNode: Record<string, number>;
}

/** What a publish would do to contacts in flight, without doing it. */
export async function planInFlight(
  db: DbOrTx,
  input: { workspaceId: string; flowId: string; graph: FlowGraph },
): Promise<InFlightPlan> {
  const rows = await db
    .select({ versionId: enrollments.versionId, nodeId: enrollments.currentNodeId, n: count() })
    .from(enrollments)
    .where(
      and(
        eq(enrollments.workspaceId, input.workspaceId),
        eq(enrollments.flowId, input.flowId),
        eq(enrollments.status, "active"),
      ),
    )
    .groupBy(enrollments.versionId, enrollments.currentNodeId);
  const plan: InFlightPlan = { total: 0, stay: 0, move: 0, exit: 0, exitByNode: {} };
  const versions = new Map<string, FlowGraph>();
  for (const r of rows) {
    plan.total += r.n;
    let old = versions.get(r.versionId);
    if (!old) {
      const [v] = await db
        .select({ graph: flowVersions.graph })
        .from(flowVersions)
        .where(eq(flowVersions.id, r.versionId));
      old = FlowGraph.parse(v?.graph);
      versions.set(r.versionId, old);
    }
    const decision = migrateEnrollment(old, input.graph, r.nodeId);
    if (decision.action === "exit") {
      plan.exit += r.n;
      plan.exitByNode[r.nodeId] = (plan.exitByNode[r.nodeId] ?? 0) + r.n;
    } else plan.move += r.n;
  }
  return plan;
}

/** The content catalog with this workspace's coupon pools and their remaining codes. */
export async function workspaceCatalog(
  db: DbOrTx,
  workspaceId: string,
  now: Date = new Date(),
): Promise<ContentCatalog> {
  return { ...contentCatalog, couponPools: await couponPoolCounts(db, { workspaceId, now }) };
}

/**
 * For an inactivity flow: how many contacts are inactive already (before the segment and
 * re-entry rules) and would enter at once if the publish lets them catch up.
 */
export interface InactivePlan {
  count: number;
  event: string;
  days: number;
  includeNeverDone: boolean;
}

export async function previewPublish(db: Db, input: { workspaceId: string; flowId: string; now?: Date }) {
  const flow = await getFlow(db, input);
  const issues = validateGraph(flow.draftGraph, await workspaceCatalog(db, input.workspaceId));
  const parsed = parseGraph(flow.draftGraph);
  const inFlight = parsed.ok ? await planInFlight(db, { ...input, graph: parsed.graph }) : null;
  const trigger = parsed.ok ? triggerNode(parsed.graph)?.config : undefined;
  let inactive: InactivePlan | null = null;
  if (trigger?.type === "inactivity" && trigger.event.trim() !== "")
    inactive = {
      count: await countInactiveNow(db, {
        ...input,
        config: trigger,
        now: (input.now ?? new Date()).getTime(),
      }),
      event: trigger.event,
      days: trigger.days,
      includeNeverDone: trigger.includeNeverDone === true,
    };
  return { issues, inFlight, inactive, draftRevision: flow.draftRevision };
}

export async function publishFlow(
  db: Db,
  input: {
    workspaceId: string;
    flowId: string;
    userId: string;
    moveInFlight: boolean;
    /** Inactivity flows: contacts already inactive enter too (else only those who lapse from now on). */
    catchUpInactive?: boolean;
    expectedRevision?: number;
    now?: Date;
  },
) {
  const now = input.now ?? new Date();
  const result = await db.transaction(async (tx) => {
    const [flow] = await tx
      .select()
      .from(flows)
      .where(and(eq(flows.workspaceId, input.workspaceId), eq(flows.id, input.flowId)))
      .for("update");
    if (!flow) throw new DomainError("NOT_FOUND", "Flow not found");
    if (flow.status === "archived") throw badRequest("Restore the flow before publishing it");
    if (input.expectedRevision !== undefined && input.expectedRevision !== flow.draftRevision) {
      throw conflict(
        "The draft changed since you looked at it. Review it and publish again.",
        "expectedRevision",
      );
    }
    const issues = validateGraph(flow.draftGraph, await workspaceCatalog(tx, flow.workspaceId, now));
    if (issues.length) throw new GraphInvalidError(issues);
    const graph = FlowGraph.parse(flow.draftGraph);
    const [last] = await tx
      .select({ v: max(flowVersions.version) })
      .from(flowVersions)
      .where(eq(flowVersions.flowId, flow.id));
    const [version] = await tx
      .insert(flowVersions)
      .values({
        workspaceId: flow.workspaceId,
        flowId: flow.id,
        version: (last?.v ?? 0) + 1,
        graph,
        publishedBy: input.userId,
        publishedAt: now,
        catchUpInactive: input.catchUpInactive === true && triggerNode(graph)?.config.type === "inactivity",
      })
      .returning();
    if (!version) throw new Error("version insert returned no row");
    const plan = await planInFlight(tx, { workspaceId: flow.workspaceId, flowId: flow.id, graph });
    let moved = 0;
    let exited = 0;
    if (input.moveInFlight && plan.total > 0)
      ({ moved, exited } = await moveInFlight(tx, flow.workspaceId, flow.id, version.id, graph));
    await tx
      .update(flows)
      .set({ status: "live", liveVersionId: version.id, updatedAt: now, updatedBy: input.userId })
      .where(eq(flows.id, flow.id));
    await notifyFlowsChanged(tx, flow.workspaceId);
    return { version: version.version, versionId: version.id, inFlight: plan, moved, exited };
  });
  return result;
}

/**
 * Moves the in-flight enrollments to the new version, set-based: the decision is made per
 * (version, node) — the same for every contact there — and applied in one UPDATE for all
 * those that exit and one for all those that move, whatever their number.
 */
async function moveInFlight(
  tx: DbOrTx,
  workspaceId: string,
  flowId: string,
  versionId: string,
  graph: FlowGraph,
) {
  const groups = await tx
    .select({ versionId: enrollments.versionId, nodeId: enrollments.currentNodeId })
    .from(enrollments)
    .where(
      and(
        eq(enrollments.workspaceId, workspaceId),
        eq(enrollments.flowId, flowId),
        eq(enrollments.status, "active"),
        ne(enrollments.versionId, versionId),
      ),
    )
    .groupBy(enrollments.versionId, enrollments.currentNodeId);
  const graphs = new Map<string, FlowGraph>();
  const exits: Array<{ version_id: string; node_id: string }> = [];
  const moves: Array<{ version_id: string; node_id: string }> = [];
  for (const g of groups) {
    let old = graphs.get(g.versionId);
    if (!old) {
      const [v] = await tx
        .select({ graph: flowVersions.graph })
        .from(flowVersions)
        .where(eq(flowVersions.id, g.versionId));
      old = FlowGraph.parse(v?.graph);
      graphs.set(g.versionId, old);
    }
    const decision = migrateEnrollment(old, graph, g.nodeId);
    (decision.action === "exit" ? exits : moves).push({ version_id: g.versionId, node_id: g.nodeId });
  }
  const apply = async (targets: typeof exits, set: SQL) => {
    if (targets.length === 0) return 0;
    const result = await tx.execute(sql`
      with changed as (
        update ${enrollments} as e set ${set}
        from jsonb_to_recordset(${JSON.stringify(targets)}::jsonb) as x(version_id uuid, node_id text)
        where e.workspace_id = ${workspaceId} and e.flow_id = ${flowId} and e.status = 'active'
          and e.version_id = x.version_id and e.current_node_id = x.node_id
        returning 1)
      select count(*)::int as n from changed`);
    return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
  };
  const exited = await apply(
    exits,
    sql`status = 'exited', exit_reason = 'node_removed', ended_at = ${new Date().toISOString()}::timestamptz, next_run_at = null`,
  );
  const moved = await apply(moves, sql`version_id = ${versionId}`);
  return { moved, exited };
}

export async function setFlowPaused(
  db: Db,
  input: { workspaceId: string; flowId: string; userId: string; paused: boolean },
) {
  const flow = await getFlow(db, input);
  if (input.paused && flow.status !== "live") throw badRequest("Only a live flow can be paused", "status");
  if (!input.paused && flow.status !== "paused")
    throw badRequest("Only a paused flow can be resumed", "status");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(flows)
      .set({ status: input.paused ? "paused" : "live", updatedAt: new Date(), updatedBy: input.userId })
      .where(and(eq(flows.workspaceId, input.workspaceId), eq(flows.id, input.flowId)))
      .returning();
    await notifyFlowsChanged(tx, input.workspaceId);
    return row;
  });
}

/** Published versions, newest first, with who published each. */
export async function listVersions(db: DbOrTx, input: { workspaceId: string; flowId: string }) {
  await getFlow(db, input);
  return db
    .select({
      id: flowVersions.id,
      version: flowVersions.version,
      publishedAt: flowVersions.publishedAt,
      publishedBy: flowVersions.publishedBy,
      publishedByName: users.name,
    })
    .from(flowVersions)
    .leftJoin(users, eq(users.id, flowVersions.publishedBy))
    .where(and(eq(flowVersions.workspaceId, input.workspaceId), eq(flowVersions.flowId, input.flowId)))
    .orderBy(desc(flowVersions.version));
}
