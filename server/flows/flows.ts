/** Flow service verbs and queries; every one is scoped by workspace. */
import { and, desc, eq, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/server/db/client";
import { ensureCouponPool, isPoolId } from "@/server/coupons/coupons";
import { flows, flowVersions, users } from "@/server/db/schema";
import { emptyGraph, FlowGraph, triggerNode } from "@/server/engine/graph";
import { definitionOf } from "@/server/engine/nodes";
import { getFlowTemplate } from "@/server/engine/templates";
import { badRequest, DomainError, notFound } from "@/server/errors";
import { notifyFlowsChanged } from "@/server/db/flow-changes";
import { getFlow } from "@/server/db/queries/flows";

const MAX_NAME = 120;

export type FlowListItem = {
  id: string;
  name: string;
  status: (typeof flows.$inferSelect)["status"];
  templateKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  updatedByName: string | null;
  /** The trigger in words, from the live version when there is one, else the draft. */
  trigger: string | null;
};

/** The trigger of a graph in words ("When Started Checkout"), or null when it has none that parses. */
export function triggerSummary(graph: unknown): string | null {
  const parsed = FlowGraph.safeParse(graph);
  if (!parsed.success) return null;
  const trigger = triggerNode(parsed.data);
  return trigger ? definitionOf("trigger").summary(trigger.config) : null;
}

/**
 * The flows list with its columns: status, trigger, last edited and by whom. Archived flows
 * only when asked. Its numbers come from server/analytics/metrics (flowsListWithNumbers).
 */
export async function listFlows(
  db: DbOrTx,
  input: { workspaceId: string; archived?: boolean },
): Promise<FlowListItem[]> {
  const live = alias(flowVersions, "live_version");
  const rows = await db
    .select({
      id: flows.id,
      name: flows.name,
      status: flows.status,
      templateKey: flows.templateKey,
      createdAt: flows.createdAt,
      updatedAt: flows.updatedAt,
      updatedByName: users.name,
      draftGraph: flows.draftGraph,
      liveGraph: live.graph,
    })
    .from(flows)
    .leftJoin(users, eq(users.id, flows.updatedBy))
    .leftJoin(live, and(eq(live.id, flows.liveVersionId), eq(live.workspaceId, flows.workspaceId)))
    .where(
      and(
        eq(flows.workspaceId, input.workspaceId),
        input.archived ? eq(flows.status, "archived") : ne(flows.status, "archived"),
      ),
    )
    .orderBy(desc(flows.updatedAt));
  return rows.map(({ draftGraph, liveGraph, ...row }) => ({
    ...row,
    trigger: triggerSummary(liveGraph ?? draftGraph),
  }));
}

export { getFlow };

/** The flow as the builder opens it: the row, its draft parsed, and who edited it last. */
export async function getFlowForEditing(db: DbOrTx, input: { workspaceId: string; flowId: string }) {
  const flow = await getFlow(db, input);
  const [editor] = flow.updatedBy
    ? await db.select({ name: users.name }).from(users).where(eq(users.id, flow.updatedBy))
    : [];
  const [live] = flow.liveVersionId
    ? await db
        .select({ graph: flowVersions.graph })
        .from(flowVersions)
        .where(and(eq(flowVersions.workspaceId, input.workspaceId), eq(flowVersions.id, flow.liveVersionId)))
    : [];
  const parsed = FlowGraph.safeParse(flow.draftGraph);
  const liveParsed = live ? FlowGraph.safeParse(live.graph) : null;
  return {
    ...flow,
    draftGraph: parsed.success ? parsed.data : emptyGraph(),
    /** The live version's graph, so the builder can tell a draft with nothing new to publish. */
    liveGraph: liveParsed?.success ? liveParsed.data : null,
    updatedByName: editor?.name ?? null,
  };
}

export async function createFlow(
  db: DbOrTx,
  input: {
    workspaceId: string;
    userId: string;
    name: string;
    graph?: FlowGraph;
    templateKey?: string | null;
  },
) {
  const [flow] = await db
    .insert(flows)
    .values({
      workspaceId: input.workspaceId,
      name: input.name,
      draftGraph: input.graph ?? emptyGraph(),
      templateKey: input.templateKey ?? null,
      updatedBy: input.userId,
    })
    .returning();
  if (!flow) throw new Error("flow insert returned no row");
  return flow;
}

/** A new draft flow holding a copy of a seed template. */
export async function createFlowFromTemplate(
  db: DbOrTx,
  input: { workspaceId: string; userId: string; templateKey: string; name?: string },
) {
  const template = getFlowTemplate(input.templateKey);
  if (!template) throw badRequest(`There is no template “${input.templateKey}”`, "templateKey");
  return createFlow(db, {
    workspaceId: input.workspaceId,
    userId: input.userId,
    name: input.name ?? template.name,
    graph: await withWorkspacePools(db, input.workspaceId, template.graph),
    templateKey: template.key,
  });
}

/**
 * A template names the coupon pools its steps draw from ("Birthday"); in a workspace the
 * step holds the pool's id. The pool is created, empty, when the workspace has none of that
 * name, so publish asks for its codes.
 */
export async function withWorkspacePools(
  db: DbOrTx,
  workspaceId: string,
  graph: FlowGraph,
): Promise<FlowGraph> {
  const nodes: FlowGraph["nodes"] = [];
  for (const node of graph.nodes) {
    const config = node.config as { couponPool?: unknown };
    if (typeof config.couponPool === "string" && config.couponPool !== "" && !isPoolId(config.couponPool)) {
      const pool = await ensureCouponPool(db, { workspaceId, name: config.couponPool });
      nodes.push({ ...node, config: { ...config, couponPool: pool.id } } as typeof node);
    } else nodes.push(node);
  }
  return { ...graph, nodes };
}

export async function renameFlow(
  db: DbOrTx,
  input: { workspaceId: string; flowId: string; userId: string; name: string },
) {
  const [flow] = await db
    .update(flows)
    .set({ name: input.name, updatedAt: new Date(), updatedBy: input.userId })
    .where(and(eq(flows.workspaceId, input.workspaceId), eq(flows.id, input.flowId)))
    .returning();
  if (!flow) throw notFound("Flow");
  return flow;
}

function copyName(name: string): string {
  const suffix = " (copy)";
  return name.length + suffix.length > MAX_NAME
    ? `${name.slice(0, MAX_NAME - suffix.length)}${suffix}`
    : `${name}${suffix}`;
}

/** A new draft with the same draft graph; the copy has no versions and nobody in it. */
export async function duplicateFlow(
  db: DbOrTx,
  input: { workspaceId: string; flowId: string; userId: string },
) {
  const source = await getFlow(db, input);
  return createFlow(db, {
    workspaceId: input.workspaceId,
    userId: input.userId,
    name: copyName(source.name),
    graph: FlowGraph.parse(source.draftGraph),
    templateKey: source.templateKey,
  });
}

/**
 * Archiving takes a flow off the list and stops it: no one new enters, and contacts in it
 * stay where they are (they carry on if the flow is restored and resumed).
 */
export async function archiveFlow(
  db: DbOrTx,
  input: { workspaceId: string; flowId: string; userId: string },
) {
  const flow = await getFlow(db, input);
  if (flow.status === "archived") return flow;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(flows)
      .set({ status: "archived", updatedAt: new Date(), updatedBy: input.userId })
      .where(and(eq(flows.workspaceId, input.workspaceId), eq(flows.id, input.flowId)))
      .returning();
    if (!row) throw notFound("Flow");
    if (flow.status === "live") await notifyFlowsChanged(tx, input.workspaceId);
    return row;
  });
}

/** Back from the archive: paused if it was ever published (resume to run it again), else a draft. */
export async function unarchiveFlow(
  db: DbOrTx,
  input: { workspaceId: string; flowId: string; userId: string },
) {
  const flow = await getFlow(db, input);
  if (flow.status !== "archived") throw badRequest("This flow isn't archived", "id");
  const [row] = await db
    .update(flows)
    .set({ status: flow.liveVersionId ? "paused" : "draft", updatedAt: new Date(), updatedBy: input.userId })
    .where(and(eq(flows.workspaceId, input.workspaceId), eq(flows.id, input.flowId)))
    .returning();
  if (!row) throw notFound("Flow");
  return row;
}

/**
 * Copies a published version into the draft. The live version keeps running until the
 * restored draft is published. Bumps the draft revision, so another tab with unsaved
 * edits is told its copy is stale rather than overwriting the restore.
 */
export async function restoreVersionAsDraft(
  db: DbOrTx,
  input: { workspaceId: string; flowId: string; versionId: string; userId: string },
) {
  await getFlow(db, input);
  const [version] = await db
    .select({ graph: flowVersions.graph, version: flowVersions.version })
    .from(flowVersions)
    .where(
      and(
        eq(flowVersions.workspaceId, input.workspaceId),
        eq(flowVersions.flowId, input.flowId),
        eq(flowVersions.id, input.versionId),
      ),
    );
  if (!version) throw new DomainError("NOT_FOUND", "Version not found", "versionId");
  const graph = FlowGraph.parse(version.graph);
  const [row] = await db
    .update(flows)
    .set({
      draftGraph: graph,
      draftRevision: sql`${flows.draftRevision} + 1`,
      updatedAt: new Date(),
      updatedBy: input.userId,
    })
    .where(and(eq(flows.workspaceId, input.workspaceId), eq(flows.id, input.flowId)))
    .returning();
  if (!row) throw notFound("Flow");
  return { ...row, draftGraph: graph, restoredVersion: version.version };
}
