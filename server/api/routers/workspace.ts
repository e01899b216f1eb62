import { z } from "zod";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { MAX_HISTORY_MONTHS, MIN_HISTORY_MONTHS } from "@/server/db/history";
import { SIGNATURE_HEADER, webhookSigningSecret } from "@/server/executor/webhooks";
import { setHistoryMonths } from "@/server/workspaces/workspaces";

const HistoryMonths = z
  .number({ error: "Enter a number of months" })
  .int("Enter whole months")
  .min(MIN_HISTORY_MONTHS, `Keep at least ${MIN_HISTORY_MONTHS} month`)
  .max(MAX_HISTORY_MONTHS, `Keep at most ${MAX_HISTORY_MONTHS} months`);

export const workspaceRouter = router({
  current: workspaceProcedure.query(({ ctx }) => ({
    id: ctx.workspace.id,
    name: ctx.workspace.name,
    slug: ctx.workspace.slug,
    timezone: ctx.workspace.timezone,
    historyMonths: ctx.workspace.historyMonths,
    role: ctx.role,
    user: ctx.user,
  })),
  /** How flows' webhook calls are signed, with the workspace's secret, so the receiver can check them. */
  webhookSigning: workspaceProcedure.query(async ({ ctx }) => ({
    header: SIGNATURE_HEADER,
    secret: await webhookSigningSecret(ctx.db, ctx.workspace.id),
  })),
  /** Months of events, messages and journey steps kept; orders are kept forever. */
  setHistoryMonths: workspaceProcedure
    .input(z.object({ historyMonths: HistoryMonths }))
    .mutation(({ ctx, input }) =>
      setHistoryMonths(ctx.db, { workspaceId: ctx.workspaceId, months: input.historyMonths }),
    ),
});
