/**
 * Request schemas of the ingest API (Segment spec: track, identify, batch) and the catalog.
 * Each schema parses to the normalized message the service stores; the same schemas
 * generate the OpenAPI document (server/ingest/openapi.ts).
 */
import { z } from "zod";
import { CANONICAL_EVENTS, isCanonicalEvent } from "./events";
import { CalendarDate, Consent, Currency, Email, Phone, text, TimeZone, Timestamp, UrlLike } from "./fields";
import { jsonProblems } from "./json-value";
import { INT32_MAX } from "@/server/engine/input";

export const EVENT_BYTES_LIMIT = 32 * 1024;
export const BATCH_BYTES_LIMIT = 500 * 1024;

/** One validation problem, with the JSON path of the field at fault (`batch.3.event`). */
export interface Issue {
  path: string;
  message: string;
}

// ---------------------------------------------------------------- free-form JSON

/** An object of arbitrary JSON with storable strings and bounded nesting. */
const FreeObject = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  for (const problem of jsonProblems(value))
    ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
});

// ---------------------------------------------------------------- common Segment fields

const UserId = z
  .union([text(255).trim().min(1, "Must not be empty"), z.number().int()])
  .transform(String)
  .describe("The shop's own customer id. Identifies the contact (created on first sight).");
const AnonymousId = text(255)
  .trim()
  .min(1, "Must not be empty")
  .describe(
    "A device or browser id for a visitor not yet identified. Merged into the contact when an identify call carries both ids.",
  );
const MessageId = text(255)
  .trim()
  .min(1, "Must not be empty")
  .describe(
    "Unique id of this message. The same messageId sent twice is stored once per workspace; without one, a new id is generated.",
  );

export const Context = z
  .looseObject({
    timezone: TimeZone.optional().describe(
      "The device's IANA time zone; fills the contact's time zone when it has none.",
    ),
  })
  .describe("Segment context. Only `timezone` is used; everything else is accepted and ignored.");

const common = {
  userId: UserId.nullish(),
  anonymousId: AnonymousId.nullish(),
  timestamp: Timestamp.optional().describe(
    "When it happened (ISO 8601 with a zone); flows reason on this time, not on arrival order. Defaults to the time it was received. A time more than 5 minutes after its arrival is taken as the arrival time, the value sent kept in the `original_timestamp` property; more than a day ahead is refused.",
  ),
  messageId: MessageId.optional(),
  context: Context.optional(),
};

function hasIdentity(message: { userId?: string | null; anonymousId?: string | null }, ctx: z.RefinementCtx) {
  if (message.userId == null && message.anonymousId == null) {
    ctx.addIssue({ code: "custom", message: "Either userId or anonymousId is required", path: ["userId"] });
  }
}

// ---------------------------------------------------------------- track

const EventName = text(200)
  .trim()
  .min(1, "Name the event")
  .describe('Event name, e.g. "Placed Order". The canonical names have typed properties.');

export const TrackFields = z
  .looseObject({
    type: z.literal("track", { error: 'Must be "track"' }).optional(),
    event: EventName,
    properties: FreeObject.optional().describe(
      "Event properties. Canonical events check their documented properties.",
    ),
    ...common,
  })
  .describe("Records that a customer did something.");

export interface TrackMessage {
  type: "track";
  userId?: string;
  anonymousId?: string;
  event: string;
  properties: Record<string, unknown>;
  timestamp?: Date;
  messageId?: string;
  timezone?: string;
  /** Set by integrations that matched the contact themselves (never from the API body). */
  contactId?: string;
}

/** Says which documented property of a canonical event is missing or null, and why it matters. */
function canonicalMessage(event: string, properties: unknown, issue: z.core.$ZodIssue): string {
  let value: unknown = properties;
  for (const key of issue.path)
    value = value && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  const name = issue.path.map(String).join(".");
  if (value === undefined && issue.code !== "custom") return `Required: "${event}" events carry ${name}`;
  if (value === null) return `Must not be null: "${event}" events need a real value for ${name}`;
  return issue.message === "Invalid input" ? "Must be a string or a whole number" : issue.message;
}

function toTrackMessage(input: z.output<typeof TrackFields>, ctx: z.RefinementCtx): TrackMessage {
  let properties: Record<string, unknown> = input.properties ?? {};
  if (isCanonicalEvent(input.event)) {
    const parsed = CANONICAL_EVENTS[input.event].safeParse(properties);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({
          code: "custom",
          message: canonicalMessage(input.event, properties, issue),
          path: ["properties", ...issue.path],
        });
      return z.NEVER;
    }
    properties = parsed.data;
  }
  return {
    type: "track",
    event: input.event,
    properties,
    ...(input.userId != null && { userId: input.userId }),
    ...(input.anonymousId != null && { anonymousId: input.anonymousId }),
    ...(input.timestamp && { timestamp: input.timestamp }),
    ...(input.messageId && { messageId: input.messageId }),
    ...(input.context?.timezone && { timezone: input.context.timezone }),
  };
}

export const TrackRequest = TrackFields.superRefine(hasIdentity).transform(toTrackMessage);

/** A track message without userId/anonymousId, for integrations that find the contact themselves. */
export const TrackPayload = TrackFields.transform(toTrackMessage);

// ---------------------------------------------------------------- identify

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

export const TraitFields = z
  .looseObject({
    email: nullable(Email).optional().describe("Email address (stored lower-case)."),
    phone: nullable(Phone).optional().describe("Phone number, ideally E.164."),
    firstName: nullable(text(200)).optional().describe("First name (also accepted as first_name)."),
    first_name: nullable(text(200)).optional().describe("First name."),
    lastName: nullable(text(200)).optional().describe("Last name (also accepted as last_name)."),
    last_name: nullable(text(200)).optional().describe("Last name."),
    timezone: nullable(TimeZone).optional().describe("IANA time zone; waits and quiet hours use it."),
    birthday: nullable(CalendarDate)
      .optional()
      .describe("Date of birth, YYYY-MM-DD; the birthday flow uses it."),
    country: nullable(text(64)).optional().describe("Country, ideally an ISO 3166 code such as US."),
    email_consent: Consent.optional().describe('Marketing email consent: "subscribed" or "unsubscribed".'),
    sms_consent: Consent.optional().describe('Marketing SMS consent: "subscribed" or "unsubscribed".'),
  })
  .superRefine((value, ctx) => {
    for (const problem of jsonProblems(value))
      ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
  })
  .describe(
    "Traits: the documented ones are stored in contact columns, every other trait in the contact's properties.",
  );

export const IdentifyFields = z
  .looseObject({
    type: z.literal("identify", { error: 'Must be "identify"' }).optional(),
    traits: TraitFields.optional(),
    ...common,
  })
  .describe("Creates or updates a contact.");

const CONTACT_TRAITS = new Set([
  "email",
  "phone",
  "firstName",
  "first_name",
  "lastName",
  "last_name",
  "timezone",
  "birthday",
  "country",
  "email_consent",
  "sms_consent",
]);

/** What an identify call changes on the contact: only the fields it names. */
export interface ContactTraits {
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  timezone?: string | null;
  birthday?: string | null;
  country?: string | null;
  emailConsent?: "subscribed" | "unsubscribed";
  smsConsent?: "subscribed" | "unsubscribed";
  /** Every other trait, merged into `contacts.properties`. */
  properties: Record<string, unknown>;
}

export interface IdentifyMessage {
  type: "identify";
  userId?: string;
  anonymousId?: string;
  traits: ContactTraits;
  timestamp?: Date;
  messageId?: string;
  timezone?: string;
}

function toContactTraits(t: z.output<typeof TraitFields>): ContactTraits {
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(t)) if (!CONTACT_TRAITS.has(key)) properties[key] = value;
  const out: ContactTraits = { properties };
  if (t.email !== undefined) out.email = t.email;
  if (t.phone !== undefined) out.phone = t.phone;
  const firstName = t.firstName !== undefined ? t.firstName : t.first_name;
  if (firstName !== undefined) out.firstName = firstName;
  const lastName = t.lastName !== undefined ? t.lastName : t.last_name;
  if (lastName !== undefined) out.lastName = lastName;
  if (t.timezone !== undefined) out.timezone = t.timezone;
  if (t.birthday !== undefined) out.birthday = t.birthday;
  if (t.country !== undefined)
    out.country = t.country && /^[a-z]{2}$/i.test(t.country) ? t.country.toUpperCase() : t.country;
  if (t.email_consent) out.emailConsent = t.email_consent;
  if (t.sms_consent) out.smsConsent = t.sms_consent;
  return out;
}

function toIdentifyMessage(input: z.output<typeof IdentifyFields>): IdentifyMessage {
  return {
    type: "identify",
    traits: toContactTraits(input.traits ?? {}),
    ...(input.userId != null && { userId: input.userId }),
    ...(input.anonymousId != null && { anonymousId: input.anonymousId }),
    ...(input.timestamp && { timestamp: input.timestamp }),
    ...(input.messageId && { messageId: input.messageId }),
    ...(input.context?.timezone && { timezone: input.context.timezone }),
  };
}

/** Identify names the contact by userId, anonymousId or `traits.email` (as Segment users expect). */
function hasContactIdentity(
  message: { userId?: string | null; anonymousId?: string | null; traits?: { email?: string | null } },
  ctx: z.RefinementCtx,
) {
  if (message.userId == null && message.anonymousId == null && message.traits?.email == null) {
    ctx.addIssue({
      code: "custom",
      message: "One of userId, anonymousId or traits.email is required",
      path: ["userId"],
    });
  }
}

export const IdentifyRequest = IdentifyFields.superRefine(hasContactIdentity).transform(toIdentifyMessage);

/** An identify message that may name the contact by `traits.email` alone, for integrations. */
export const IdentifyPayload = IdentifyFields.transform(toIdentifyMessage);

export type IngestMessage = TrackMessage | IdentifyMessage;

// ---------------------------------------------------------------- batch

/** The batch envelope; each item is checked on its own so one bad item does not sink the rest. */
export const BatchEnvelope = z.looseObject({
  batch: z.array(z.unknown()).min(1, "Send at least one message"),
  context: Context.optional(),
});

/** The batch as documented (items are track or identify messages with a `type`). */
export const BatchRequestDoc = z
  .looseObject({
    batch: z
      .array(
        z.union([
          TrackFields.extend({ type: z.literal("track") }).describe("A track message."),
          IdentifyFields.extend({ type: z.literal("identify") }).describe("An identify message."),
        ]),
      )
      .min(1)
      .describe(
        "Up to 500 KB of track and identify messages, each at most 32 KB. Each is stored or refused on its own.",
      ),
    context: Context.optional().describe("Context shared by every message that has none of its own."),
  })
  .describe("Several messages in one request.");

/** Parses one batch item (dispatching on its `type`), with issue paths under `batch.<index>`. */
export function parseBatchItem(
  item: unknown,
  index: number,
  shared?: z.output<typeof Context>,
): { ok: true; message: IngestMessage } | { ok: false; issues: Issue[] } {
  const base = ["batch", index] as const;
  if (!item || typeof item !== "object" || Array.isArray(item))
    return { ok: false, issues: [{ path: `batch.${index}`, message: "Each message must be an object" }] };
  const type = (item as { type?: unknown }).type;
  const schema = type === "track" ? TrackRequest : type === "identify" ? IdentifyRequest : null;
  if (!schema)
    return { ok: false, issues: [{ path: `batch.${index}.type`, message: 'Must be "track" or "identify"' }] };
  const withContext = shared && !("context" in item) ? { ...item, context: shared } : item;
  const parsed = schema.safeParse(withContext);
  if (!parsed.success) return { ok: false, issues: toIssues(parsed.error, base) };
  return { ok: true, message: parsed.data };
}

// ---------------------------------------------------------------- catalog

/** Largest product price: the price is stored in cents in a 32-bit column. */
export const PRODUCT_PRICE_MAX = INT32_MAX / 100;
const ProductPrice = z
  .number()
  .min(0, "Must not be negative")
  .max(PRODUCT_PRICE_MAX, `At most ${PRODUCT_PRICE_MAX}`)
  .refine((v) => Math.round(v * 100) <= INT32_MAX, `At most ${PRODUCT_PRICE_MAX}`);

export const ProductInput = z
  .strictObject({
    title: text(500)
      .trim()
      .min(1, "Give the product a title")
      .optional()
      .describe("Product title; required when the product is new."),
    url: UrlLike.nullish().describe("Product page: absolute URL or a path on the shop."),
    image: UrlLike.nullish().describe("Product image URL."),
    price: ProductPrice.optional().describe(
      `Unit price in major units (18.9 = $18.90), at most ${PRODUCT_PRICE_MAX}.`,
    ),
    currency: Currency.optional().describe("ISO 4217 code (default USD)."),
    category: text(200).nullish().describe("Category; flows filter on it."),
    inventory: z
      .number()
      .int("A whole number")
      .min(-1_000_000_000)
      .max(1_000_000_000)
      .optional()
      .describe(
        "Units in stock. Going from 0 (or less) to more emits Back in Stock to each waiting subscriber, once.",
      ),
    daysPerUnit: z
      .number()
      .int("A whole number")
      .min(1)
      .max(3650)
      .nullish()
      .describe("For consumables: days one unit lasts (replenishment reminders)."),
    properties: FreeObject.optional().describe("Any other product data."),
  })
  .describe("Creates the product or updates the fields sent. Secret keys only.");
export type ProductInput = z.output<typeof ProductInput>;

export const ProductId = text(255).trim().min(1, "Name the product id").describe("The shop's product id.");

// ---------------------------------------------------------------- issues

/** Flattens zod issues to `{ path, message }`; an unknown key is reported at its own path. */
export function toIssues(error: z.ZodError, prefix: ReadonlyArray<string | number> = []): Issue[] {
  const pathOf = (parts: ReadonlyArray<PropertyKey>) =>
    [...prefix, ...parts].map(String).join(".") || "(body)";
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: "Unknown field" }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}
