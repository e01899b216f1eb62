/**
 * Reads of flows and their versions shared by several services (flows, analytics, the
 * executor). Each takes the db or a transaction first and imports nothing but the schema,
 * so no service has to import another to read a flow.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { flows, flowVersions } from "@/server/db/schema";
import { notFound } from "@/server/errors";

/** One flow of a workspace; a flow of another workspace is "not found". */
export async function getFlow(db: DbOrTx, { workspaceId, flowId }: { workspaceId: string; flowId: string }) {
  const [flow] = await db
    .select()
    .from(flows)
    .where(and(eq(flows.workspaceId, workspaceId), eq(flows.id, flowId)));
  if (!flow) throw notFound("Flow");
  return flow;
}

/** The live flows of a workspace with their published version's graph (unparsed jsonb). */
export function getLiveFlowVersions(db: DbOrTx, { workspaceId }: { workspaceId: string }) {
  return db
    .select({ flowId: flows.id, versionId: flowVersions.id, graph: flowVersions.graph })
    .from(flows)
    .innerJoin(flowVersions, eq(flowVersions.id, flows.liveVersionId))
    .where(and(eq(flows.workspaceId, workspaceId), eq(flows.status, "live")));
}

/** The graphs (unparsed jsonb) of these flow versions. */
export function getVersionGraphs(db: DbOrTx, { versionIds }: { versionIds: readonly string[] }) {
  return db
    .select({ id: flowVersions.id, graph: flowVersions.graph })
    .from(flowVersions)
    .where(inArray(flowVersions.id, [...versionIds]));
}
