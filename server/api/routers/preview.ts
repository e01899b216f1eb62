/**
 * Previews for the editor and the template gallery, rendered on the server: email (HTML,
 * text, subject, preheader), SMS (with segments) and push, for a real contact and one of
 * their trigger events or for sample data; pickers for both; and test sends.
 */
import { z } from "zod";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { storableString } from "@/server/engine/input";
import { EmailConfig } from "@/server/engine/nodes/email";
import { PushConfig } from "@/server/engine/nodes/push";
import { SmsConfig } from "@/server/engine/nodes/sms";
import {
  listContactEvents,
  listPreviewContacts,
  previewEmail,
  previewPush,
  previewSms,
} from "@/server/messages/preview";
import { sendTestEmail } from "@/server/messages/send-test";

const ContactId = z.uuid("Not a contact id");
const EventId = z.uuid("Not an event id");
const EventName = storableString()
  .trim()
  .min(1, "Name the trigger event")
  .max(200, "Keep the event name under 200 characters");

/** Who and what to preview with; no contact means sample data. */
const Source = z.object({
  contactId: ContactId.optional(),
  eventId: EventId.optional(),
  triggerEventName: EventName.optional(),
});

export const previewRouter = router({
  email: workspaceProcedure.input(Source.extend({ content: EmailConfig })).query(async ({ ctx, input }) => {
    const {
      contactId: _contact,
      trigger: _trigger,
      unsubscribeUrl: _link,
      ...preview
    } = await previewEmail(ctx.db, { ...input, workspace: ctx.workspace });
    return preview;
  }),
  sms: workspaceProcedure
    .input(Source.extend({ content: SmsConfig }))
    .query(({ ctx, input }) => previewSms(ctx.db, { ...input, workspace: ctx.workspace })),
  push: workspaceProcedure
    .input(Source.extend({ content: PushConfig }))
    .query(({ ctx, input }) => previewPush(ctx.db, { ...input, workspace: ctx.workspace })),
  contacts: workspaceProcedure
    .input(
      z.object({
        search: storableString().trim().max(200, "Search is too long").optional(),
        eventName: EventName.optional(),
        limit: z.number().int().min(1).max(50).default(20),
      }),
    )
    .query(({ ctx, input }) => listPreviewContacts(ctx.db, { workspaceId: ctx.workspaceId, ...input })),
  triggerEvents: workspaceProcedure
    .input(
      z.object({
        contactId: ContactId,
        eventName: EventName.optional(),
        limit: z.number().int().min(1).max(50).default(10),
      }),
    )
    .query(({ ctx, input }) => listContactEvents(ctx.db, { workspace: ctx.workspace, ...input })),
  sendTest: workspaceProcedure.input(Source.extend({ content: EmailConfig })).mutation(({ ctx, input }) =>
    sendTestEmail(ctx.db, {
      ...input,
      workspace: ctx.workspace,
      member: { id: ctx.user.id, email: ctx.user.email },
    }),
  ),
});
