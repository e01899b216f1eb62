import { z } from "zod";
import { listFlowsWithNumbers } from "@/server/analytics/metrics";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { int32, storableString } from "@/server/engine/input";
import { FLOW_TEMPLATE_KEYS } from "@/server/engine/templates";
import { eventCatalog } from "@/server/flows/catalog";
import {
  archiveFlow,
  createFlow,
  createFlowFromTemplate,
  duplicateFlow,
  getFlowForEditing,
  renameFlow,
  restoreVersionAsDraft,
  unarchiveFlow,
} from "@/server/flows/flows";
import { listVersions, previewPublish, publishFlow, saveDraft, setFlowPaused } from "@/server/flows/publish";

const FlowName = storableString()
  .trim()
  .min(1, "Give the flow a name")
  .max(120, "Keep the name under 120 characters");
const FlowId = z.uuid("Not a flow id");
const TemplateKey = z.enum(FLOW_TEMPLATE_KEYS, "Pick one of the flow templates");

export const flowsRouter = router({
  list: workspaceProcedure
    .input(z.object({ archived: z.boolean().optional() }).optional())
    .query(({ ctx, input }) =>
      listFlowsWithNumbers(ctx.db, {
        workspaceId: ctx.workspaceId,
        archived: input?.archived ?? false,
        now: Date.now(),
      }),
    ),
  get: workspaceProcedure
    .input(z.object({ id: FlowId }))
    .query(({ ctx, input }) => getFlowForEditing(ctx.db, { workspaceId: ctx.workspaceId, flowId: input.id })),
  create: workspaceProcedure
    .input(z.object({ name: FlowName }))
    .mutation(({ ctx, input }) =>
      createFlow(ctx.db, { workspaceId: ctx.workspaceId, userId: ctx.user.id, name: input.name }),
    ),
  createFromTemplate: workspaceProcedure
    .input(z.object({ templateKey: TemplateKey, name: FlowName.optional() }))
    .mutation(({ ctx, input }) =>
      createFlowFromTemplate(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.user.id,
        templateKey: input.templateKey,
        name: input.name,
      }),
    ),
  rename: workspaceProcedure.input(z.object({ id: FlowId, name: FlowName })).mutation(({ ctx, input }) =>
    renameFlow(ctx.db, {
      workspaceId: ctx.workspaceId,
      flowId: input.id,
      userId: ctx.user.id,
      name: input.name,
    }),
  ),
  duplicate: workspaceProcedure
    .input(z.object({ id: FlowId }))
    .mutation(({ ctx, input }) =>
      duplicateFlow(ctx.db, { workspaceId: ctx.workspaceId, flowId: input.id, userId: ctx.user.id }),
    ),
  archive: workspaceProcedure
    .input(z.object({ id: FlowId }))
    .mutation(({ ctx, input }) =>
      archiveFlow(ctx.db, { workspaceId: ctx.workspaceId, flowId: input.id, userId: ctx.user.id }),
    ),
  unarchive: workspaceProcedure
    .input(z.object({ id: FlowId }))
    .mutation(({ ctx, input }) =>
      unarchiveFlow(ctx.db, { workspaceId: ctx.workspaceId, flowId: input.id, userId: ctx.user.id }),
    ),
  saveDraft: workspaceProcedure
    .input(z.object({ id: FlowId, graph: z.unknown(), baseRevision: int32().min(1, "At least 1") }))
    .mutation(({ ctx, input }) =>
      saveDraft(ctx.db, {
        workspaceId: ctx.workspaceId,
        flowId: input.id,
        userId: ctx.user.id,
        graph: input.graph,
        baseRevision: input.baseRevision,
      }),
    ),
  previewPublish: workspaceProcedure
    .input(z.object({ id: FlowId }))
    .query(({ ctx, input }) => previewPublish(ctx.db, { workspaceId: ctx.workspaceId, flowId: input.id })),
  publish: workspaceProcedure
    .input(
      z.object({
        id: FlowId,
        moveInFlight: z.boolean().default(false),
        catchUpInactive: z.boolean().default(false),
        expectedRevision: int32().min(1, "At least 1").optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      publishFlow(ctx.db, {
        workspaceId: ctx.workspaceId,
        flowId: input.id,
        userId: ctx.user.id,
        moveInFlight: input.moveInFlight,
        catchUpInactive: input.catchUpInactive,
        expectedRevision: input.expectedRevision,
      }),
    ),
  pause: workspaceProcedure.input(z.object({ id: FlowId })).mutation(({ ctx, input }) =>
    setFlowPaused(ctx.db, {
      workspaceId: ctx.workspaceId,
      flowId: input.id,
      userId: ctx.user.id,
      paused: true,
    }),
  ),
  resume: workspaceProcedure.input(z.object({ id: FlowId })).mutation(({ ctx, input }) =>
    setFlowPaused(ctx.db, {
      workspaceId: ctx.workspaceId,
      flowId: input.id,
      userId: ctx.user.id,
      paused: false,
    }),
  ),
  versions: workspaceProcedure
    .input(z.object({ id: FlowId }))
    .query(({ ctx, input }) => listVersions(ctx.db, { workspaceId: ctx.workspaceId, flowId: input.id })),
  restoreVersion: workspaceProcedure
    .input(z.object({ id: FlowId, versionId: z.uuid("Not a version id") }))
    .mutation(({ ctx, input }) =>
      restoreVersionAsDraft(ctx.db, {
        workspaceId: ctx.workspaceId,
        flowId: input.id,
        versionId: input.versionId,
        userId: ctx.user.id,
      }),
    ),
  /** Event names with their property keys and contact fields the workspace has seen, for the pickers. */
  eventCatalog: workspaceProcedure.query(({ ctx }) => eventCatalog(ctx.db, { workspaceId: ctx.workspaceId })),
});
