import { z } from "zod";
import { CHANNELS } from "@/server/engine/facts";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { messageStatus } from "@/server/db/schema";
import { appUrl } from "@/server/env";
import { senderOf } from "@/server/messages/preview";
import { countOutbox, getOutboxMessage, listOutbox, OUTBOX_LIST, OutboxCursor } from "@/server/outbox/outbox";
import { cursorField } from "@/server/pagination/cursor";

// The values the database's enums allow, so a new status or channel is filterable at once.
const Channel = z.enum(CHANNELS, `Pick ${CHANNELS.slice(0, -1).join(", ")} or ${CHANNELS.at(-1)}`);
const Status = z.enum(messageStatus.enumValues, "Not a message status");

const Filter = z.object({
  channel: Channel.optional(),
  status: Status.optional(),
});

export const outboxRouter = router({
  list: workspaceProcedure
    .input(
      Filter.extend({
        limit: z.number().int().min(1).max(500).default(100),
        /** A message's `cursor`: the messages older than it. */
        cursor: cursorField(OUTBOX_LIST, OutboxCursor).optional(),
      }).default({ limit: 100 }),
    )
    .query(({ ctx, input }) =>
      listOutbox(ctx.db, { workspaceId: ctx.workspaceId, appUrl: appUrl(), ...input }),
    ),
  count: workspaceProcedure
    .input(Filter.default({}))
    .query(({ ctx, input }) => countOutbox(ctx.db, { workspaceId: ctx.workspaceId, ...input })),
  get: workspaceProcedure
    .input(z.object({ id: z.uuid("Not a message id") }))
    .query(async ({ ctx, input }) => ({
      ...(await getOutboxMessage(ctx.db, { workspaceId: ctx.workspaceId, id: input.id, appUrl: appUrl() })),
      sender: senderOf(ctx.workspace),
      shopName: ctx.workspace.name,
    })),
});
