import { z } from "zod";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { storableString } from "@/server/engine/input";
import { cursorField } from "@/server/pagination/cursor";
import {
  CONSENT_CHANNELS,
  CONSENT_STATUSES,
  CONTACTS_LIST,
  ContactsCursor,
  contactTimeline,
  getContact,
  listContacts,
  listEventNames,
} from "@/server/contacts/contacts";
import { CSV_IMPORT_MAX_BYTES, importContactsCsv } from "@/server/contacts/import-csv";
import { notFound } from "@/server/errors";
import { appUrl } from "@/server/env";
import { listOutbox } from "@/server/outbox/outbox";
import { rotateContactLinks } from "@/server/messages/consent";

const ContactId = z.object({ id: z.uuid("Not a contact id") });

export const contactsRouter = router({
  list: workspaceProcedure
    .input(
      z.object({
        search: storableString().trim().max(200, "Search is too long").optional(),
        consent: z.object({ channel: z.enum(CONSENT_CHANNELS), status: z.enum(CONSENT_STATUSES) }).optional(),
        hasProperty: storableString().trim().min(1).max(200, "Property name is too long").optional(),
        didEvent: storableString().trim().min(1).max(200, "Event name is too long").optional(),
        limit: z.number().int().min(1).max(200).default(50),
        /** The previous page's `nextCursor`; absent for the first page. */
        cursor: cursorField(CONTACTS_LIST, ContactsCursor).optional(),
      }),
    )
    .query(({ ctx, input }) => listContacts(ctx.db, { workspaceId: ctx.workspaceId, ...input })),
  eventNames: workspaceProcedure.query(({ ctx }) => listEventNames(ctx.db, { workspaceId: ctx.workspaceId })),
  get: workspaceProcedure
    .input(ContactId)
    .query(({ ctx, input }) => getContact(ctx.db, { workspaceId: ctx.workspaceId, contactId: input.id })),
  timeline: workspaceProcedure
    .input(ContactId.extend({ limit: z.number().int().min(1).max(500).default(200) }))
    .query(({ ctx, input }) =>
      contactTimeline(ctx.db, { workspaceId: ctx.workspaceId, contactId: input.id, limit: input.limit }),
    ),
  messages: workspaceProcedure
    .input(ContactId.extend({ limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) =>
      // The Outbox's own rows, so subjects read merged for this contact exactly as the Outbox shows them.
      getContact(ctx.db, { workspaceId: ctx.workspaceId, contactId: input.id }).then(() =>
        listOutbox(ctx.db, {
          workspaceId: ctx.workspaceId,
          contactId: input.id,
          limit: input.limit,
          appUrl: appUrl(),
        }),
      ),
    ),
  importCsv: workspaceProcedure
    .input(
      z.object({
        csv: storableString()
          .min(1, "The file is empty")
          .max(CSV_IMPORT_MAX_BYTES, "The file is larger than 2 MB"),
      }),
    )
    .mutation(({ ctx, input }) =>
      importContactsCsv(ctx.db, { workspaceId: ctx.workspaceId, csv: input.csv }),
    ),
  /** Rotates the contact's unsubscribe/preference links: old ones still unsubscribe, never subscribe. */
  rotateLinks: workspaceProcedure.input(ContactId).mutation(async ({ ctx, input }) => {
    const rotated = await rotateContactLinks(ctx.db, { workspaceId: ctx.workspaceId, contactId: input.id });
    if (!rotated) throw notFound("Contact");
    return { rotated };
  }),
});
