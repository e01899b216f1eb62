import { router, workspaceProcedure } from "@/server/api/trpc";
import { SIGNATURE_HEADER, webhookSigningSecret } from "@/server/executor/webhooks";

export const workspaceRouter = router({
  current: workspaceProcedure.query(({ ctx }) => ({
    id: ctx.workspace.id,
    name: ctx.workspace.name,
    slug: ctx.workspace.slug,
    timezone: ctx.workspace.timezone,
    role: ctx.role,
    user: ctx.user,
  })),
  /** How flows' webhook calls are signed, with the workspace's secret, so the receiver can check them. */
  webhookSigning: workspaceProcedure.query(async ({ ctx }) => ({
    header: SIGNATURE_HEADER,
    secret: await webhookSigningSecret(ctx.db, ctx.workspace.id),
  })),
});
