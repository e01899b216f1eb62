import { z } from "zod";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { int32 } from "@/server/engine/input";
import {
  cancelForecast,
  FORECAST_DEFAULT_DAYS,
  FORECAST_MAX_DAYS,
  forecastStatus,
  latestForecast,
  startForecast,
} from "@/server/simulate/forecast-jobs";

const FlowId = z.uuid("Not a flow id");
const RunId = z.uuid("Not a forecast id");
const Days = int32()
  .min(1, "A forecast covers at least 1 day")
  .max(FORECAST_MAX_DAYS, `A forecast covers at most ${FORECAST_MAX_DAYS} days`)
  .default(FORECAST_DEFAULT_DAYS);

export const backtestRouter = router({
  start: workspaceProcedure.input(z.object({ flowId: FlowId, days: Days })).mutation(({ ctx, input }) =>
    startForecast(ctx.db, {
      workspaceId: ctx.workspaceId,
      flowId: input.flowId,
      userId: ctx.user.id,
      days: input.days,
      now: Date.now(),
    }),
  ),
  status: workspaceProcedure
    .input(z.object({ runId: RunId }))
    .query(({ ctx, input }) => forecastStatus(ctx.db, { workspaceId: ctx.workspaceId, runId: input.runId })),
  cancel: workspaceProcedure
    .input(z.object({ runId: RunId }))
    .mutation(({ ctx, input }) =>
      cancelForecast(ctx.db, { workspaceId: ctx.workspaceId, runId: input.runId, now: Date.now() }),
    ),
  latest: workspaceProcedure
    .input(z.object({ flowId: FlowId }))
    .query(({ ctx, input }) =>
      latestForecast(ctx.db, { workspaceId: ctx.workspaceId, flowId: input.flowId }),
    ),
});
