import { z } from "zod";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { rangeInstants, stepReport } from "@/server/analytics/step-report";
import { Day } from "@/server/engine/input";
import { appUrl } from "@/server/env";
import { listOutbox } from "@/server/outbox/outbox";

const StepReportInput = z
  .object({
    flowId: z.uuid("Not a flow id"),
    // The engine's rule for step ids (see NodeId), with sentences.
    nodeId: z.string("Name the step").min(1, "Name the step").max(100, "A step id is at most 100 characters"),
    from: Day.optional(),
    to: Day.optional(),
    versionId: z.uuid("Not a version id").optional(),
  })
  .refine((i) => !i.from || !i.to || i.from <= i.to, {
    message: "The end date is before the start date",
    path: ["to"],
  });

/** The most recent messages a step's report lists (each links to the Outbox). */
const MESSAGES_LISTED = 50;

export const stepReportRouter = router({
  /** One step of a flow on the analytics canvas: numbers over time, messages, skips, conversions, who waits. */
  get: workspaceProcedure.input(StepReportInput).query(async ({ ctx, input }) => {
    const report = await stepReport(ctx.db, { workspaceId: ctx.workspaceId, ...input });
    const messages = await listOutbox(ctx.db, {
      workspaceId: ctx.workspaceId,
      appUrl: appUrl(),
      flowId: input.flowId,
      nodeId: input.nodeId,
      ...rangeInstants(input.from, input.to),
      limit: MESSAGES_LISTED,
    });
    return {
      ...report,
      messages: messages.map((m) => ({
        id: m.id,
        channel: m.channel,
        status: m.status,
        subject: m.subject,
        toAddress: m.toAddress,
        contactId: m.contactId,
        contactName: m.contactName,
        skipReason: m.skipReason,
        createdAt: m.createdAt,
        sentAt: m.sentAt,
        opened: (m.events.opened ?? 0) > 0,
        clicked: (m.events.clicked ?? 0) > 0,
      })),
    };
  }),
});
