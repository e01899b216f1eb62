import { z } from "zod";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { Day } from "@/server/engine/input";
import { dashboardSummary, recentEnrollments } from "@/server/analytics/dashboard";

const FlowId = z.uuid("Not a flow id");

export const dashboardRouter = router({
  summary: workspaceProcedure
    .input(
      z.strictObject({
        flowId: FlowId,
        days: z.union([z.literal([7, 30, 90]), z.literal("all")], "Choose 7, 30 or 90 days, or all time"),
        /** The last day of the range (UTC); today when left out. */
        to: Day.optional(),
      }),
    )
    .query(({ ctx, input }) =>
      dashboardSummary(ctx.db, {
        workspaceId: ctx.workspaceId,
        flowId: input.flowId,
        days: input.days,
        to: input.to,
        now: Date.now(),
      }),
    ),
  recentEnrollments: workspaceProcedure
    .input(
      z.strictObject({
        flowId: FlowId,
        limit: z
          .number("Give a number")
          .int("Give a whole number")
          .min(1, "At least 1")
          .max(50, "At most 50")
          .default(50),
      }),
    )
    .query(({ ctx, input }) =>
      recentEnrollments(ctx.db, { workspaceId: ctx.workspaceId, flowId: input.flowId, limit: input.limit }),
    ),
});
