import { router, workspaceProcedure } from "@/server/api/trpc";

export const workspaceRouter = router({
  current: workspaceProcedure.query(({ ctx }) => ({
    id: ctx.workspace.id,
    name: ctx.workspace.name,
    slug: ctx.workspace.slug,
    timezone: ctx.workspace.timezone,
    role: ctx.role,
    user: ctx.user,
  })),
});
