/**
 * The graph the canvas numbers belong to. Like Klaviyo, the analytics canvas shows the
 * published flow, not the draft: "all versions" shows the live version (or, when paused or
 * taken down, the latest published one), a chosen version shows that version. A flow never
 * published has no numbers, so its draft is shown.
 */
import { and, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { conversions, flowVersions } from "@/server/db/schema";
import { emptyGraph, FlowGraph } from "@/server/engine/graph";
import { behaviourJson } from "@/server/engine/graph-compare";
import { notFound } from "@/server/errors";
import { getFlow } from "@/server/db/queries/flows";

export interface StatsGraph {
  /** The version shown, or null when the flow was never published (the draft is shown). */
  version: { id: string; number: number; live: boolean } | null;
  graph: FlowGraph;
  /** The draft has steps, connections or settings the shown version does not. */
  draftDiffers: boolean;
  versions: { id: string; number: number; live: boolean; publishedAt: Date }[];
  /** The currency the flow's conversions were recorded in (the most recent), else USD. */
  currency: string;
}

export async function statsGraph(
  db: DbOrTx,
  input: { workspaceId: string; flowId: string; versionId?: string },
): Promise<StatsGraph> {
  const flow = await getFlow(db, input);
  const draft = FlowGraph.safeParse(flow.draftGraph);
  const [versions, lastConversion] = await Promise.all([
    db
      .select({ id: flowVersions.id, number: flowVersions.version, publishedAt: flowVersions.publishedAt })
      .from(flowVersions)
      .where(and(eq(flowVersions.workspaceId, input.workspaceId), eq(flowVersions.flowId, input.flowId)))
      .orderBy(desc(flowVersions.version)),
    db
      .select({ currency: conversions.currency })
      .from(conversions)
      .where(and(eq(conversions.workspaceId, input.workspaceId), eq(conversions.flowId, input.flowId)))
      .orderBy(desc(conversions.occurredAt))
      .limit(1),
  ]);
  const listed = versions.map((v) => ({ ...v, live: v.id === flow.liveVersionId }));
  const currency = lastConversion[0]?.currency ?? "USD";

  const chosenId = input.versionId ?? flow.liveVersionId ?? listed[0]?.id ?? null;
  if (input.versionId && !listed.some((v) => v.id === input.versionId)) throw notFound("Version");
  if (!chosenId) {
    return {
      version: null,
      graph: draft.success ? draft.data : emptyGraph(),
      draftDiffers: false,
      versions: listed,
      currency,
    };
  }
  const [row] = await db
    .select({ graph: flowVersions.graph })
    .from(flowVersions)
    .where(and(eq(flowVersions.workspaceId, input.workspaceId), eq(flowVersions.id, chosenId)));
  const parsed = FlowGraph.safeParse(row?.graph);
  if (!row || !parsed.success) throw notFound("Version");
  const chosen = listed.find((v) => v.id === chosenId)!;
  return {
    version: { id: chosen.id, number: chosen.number, live: chosen.live },
    graph: parsed.data,
    draftDiffers: !draft.success || behaviourJson(draft.data) !== behaviourJson(parsed.data),
    versions: listed,
    currency,
  };
}
