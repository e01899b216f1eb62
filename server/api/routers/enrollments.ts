import { z } from "zod";
import { router, workspaceProcedure } from "@/server/api/trpc";
import {
  cancelEnrollment,
  contactJourneys,
  ENROLLMENT_STATUSES,
  getJourney,
  listEnrollments,
  retryEnrollment,
} from "@/server/executor/enrollments";

const Id = (what: string) => z.uuid(`Not a ${what} id`);

export const enrollmentsRouter = router({
  list: workspaceProcedure
    .input(
      z.object({
        flowId: Id("flow"),
        status: z.enum(ENROLLMENT_STATUSES).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(({ ctx, input }) => listEnrollments(ctx.db, { workspaceId: ctx.workspaceId, ...input })),
  journey: workspaceProcedure
    .input(z.object({ id: Id("enrollment") }))
    .query(({ ctx, input }) => getJourney(ctx.db, { workspaceId: ctx.workspaceId, enrollmentId: input.id })),
  forContact: workspaceProcedure
    .input(z.object({ contactId: Id("contact") }))
    .query(({ ctx, input }) =>
      contactJourneys(ctx.db, { workspaceId: ctx.workspaceId, contactId: input.contactId }),
    ),
  retry: workspaceProcedure
    .input(z.object({ id: Id("enrollment") }))
    .mutation(({ ctx, input }) =>
      retryEnrollment(ctx.db, { workspaceId: ctx.workspaceId, enrollmentId: input.id, now: new Date() }),
    ),
  cancel: workspaceProcedure
    .input(z.object({ id: Id("enrollment") }))
    .mutation(({ ctx, input }) =>
      cancelEnrollment(ctx.db, { workspaceId: ctx.workspaceId, enrollmentId: input.id, now: new Date() }),
    ),
});
