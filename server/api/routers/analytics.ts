import { z } from "zod";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { Day } from "@/server/engine/input";
import { statsGraph } from "@/server/analytics/canvas";
import { flowStats } from "@/server/analytics/stats";
import { getFlow } from "@/server/db/queries/flows";

const FlowStatsInput = z
  .object({
    flowId: z.uuid("Not a flow id"),
    from: Day.optional(),
    to: Day.optional(),
    versionId: z.uuid("Not a version id").optional(),
  })
  .refine((i) => !i.from || !i.to || i.from <= i.to, {
    message: "The end date is before the start date",
    path: ["to"],
  });

export const analyticsRouter = router({
  flowStats: workspaceProcedure.input(FlowStatsInput).query(async ({ ctx, input }) => {
    await getFlow(ctx.db, { workspaceId: ctx.workspaceId, flowId: input.flowId });
    return flowStats(ctx.db, { workspaceId: ctx.workspaceId, ...input });
  }),
  /** The published graph the canvas numbers belong to, with the flow's versions to choose from. */
  statsGraph: workspaceProcedure
    .input(z.object({ flowId: z.uuid("Not a flow id"), versionId: z.uuid("Not a version id").optional() }))
    .query(({ ctx, input }) => statsGraph(ctx.db, { workspaceId: ctx.workspaceId, ...input })),
});
