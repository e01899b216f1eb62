/**
 * See a draft before it is published. `contact`: the saved draft run for one real contact on
 * a virtual clock (nothing written, nothing sent); a draft with problems answers with them.
 */
import { z } from "zod";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { backtestRouter } from "./simulate-backtest";
import { jsonByteLength, storableString } from "@/server/engine/input";
import { listTestTriggerEvents, MAX_INJECTIONS, testFlowWithContact } from "@/server/simulate/test-contact";

const FlowId = z.uuid("Not a flow id");
const ContactId = z.uuid("Pick a contact");
/** Epoch milliseconds, within years a shop's events can have. */
const Instant = z
  .number("A time in milliseconds")
  .int("A time in whole milliseconds")
  .min(Date.UTC(1970, 0, 1), "Too early")
  .max(Date.UTC(2199, 11, 31), "Too late");
const EventName = storableString("Name the event")
  .trim()
  .min(1, "Name the event")
  .max(200, "Keep the event name under 200 characters");
/** Event properties as a shop sends them: a JSON object, at most 16 kB. */
const Properties = z
  .record(z.string(), z.unknown(), "Properties are an object of names and values")
  .refine((p) => jsonByteLength(p, 16_384) <= 16_384, "Keep the properties under 16 kB");

const Trigger = z.union(
  [
    z.strictObject({ eventId: z.uuid("Pick one of the contact's events") }),
    z.strictObject({
      event: z.strictObject({ name: EventName, properties: Properties, occurredAt: Instant }),
    }),
    z.strictObject({ now: z.literal(true) }),
  ],
  "Pick one of the contact's events, an edited copy of one, or “now”",
);

const Injection = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("event"), at: Instant, name: EventName, properties: Properties }),
    z.strictObject({
      kind: z.literal("engagement"),
      at: Instant,
      nodeId: z
        .string("Pick a message step")
        .min(1, "Pick a message step")
        .max(100, "A step id is at most 100 characters"),
      type: z.enum(["opened", "clicked"], "Opened or clicked"),
    }),
  ],
  "An event or an open/click of a message",
);

export const simulateRouter = router({
  backtest: backtestRouter,
  contact: workspaceProcedure
    .input(
      z.object({
        flowId: FlowId,
        contactId: ContactId,
        trigger: Trigger,
        injections: z
          .array(Injection)
          .max(MAX_INJECTIONS, `At most ${MAX_INJECTIONS} things the contact does next`)
          .default([]),
      }),
    )
    .mutation(({ ctx, input }) =>
      testFlowWithContact(ctx.db, { workspaceId: ctx.workspaceId, ...input, now: Date.now() }),
    ),
  /** The contact's recent events that could start the draft, with their properties. */
  contactEvents: workspaceProcedure
    .input(
      z.object({
        flowId: FlowId,
        contactId: ContactId,
        limit: z.number().int().min(1).max(50).default(20),
      }),
    )
    .query(({ ctx, input }) => listTestTriggerEvents(ctx.db, { workspace: ctx.workspace, ...input })),
});
