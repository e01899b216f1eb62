/**
 * The whole product's data model. One schema, two drivers (PGlite and postgres.js).
 * Every row that belongs to a workspace carries `workspace_id`, and it leads the indexes.
 */
import { sql } from "drizzle-orm";
import { SEARCH_TEXT_SQL } from "./search-fold";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { CHANNELS, CONSENT_STATUSES } from "../engine/facts";
import type { FlowGraph } from "@/server/engine/graph";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const tz = (name: string) => timestamp(name, { withTimezone: true });
/** Binary data: a Buffer on both drivers (PGlite answers a Uint8Array). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

// ---------------------------------------------------------------- auth (better-auth, plural table names)

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    expiresAt: tz("expires_at").notNull(),
    token: text("token").notNull().unique(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: tz("access_token_expires_at"),
    refreshTokenExpiresAt: tz("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("accounts_user_idx").on(t.userId)],
);

export const verifications = pgTable("verifications", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: tz("expires_at").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Failed sign-ins per account (email), for the per-account limit with backoff. */
export const signInFailures = pgTable("sign_in_failures", {
  email: text("email").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastFailureAt: tz("last_failure_at").notNull(),
});

// ---------------------------------------------------------------- workspaces

export const workspaces = pgTable("workspaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  /** IANA zone used when a contact has none. */
  timezone: text("timezone").notNull().default("UTC"),
  brandColor: text("brand_color").notNull().default("#4f46e5"),
  logoUrl: text("logo_url"),
  postalAddress: text("postal_address").notNull().default(""),
  senderEmail: text("sender_email").notNull().default("hello@example.com"),
  /** Signing secret of the shop's Shopify webhooks (HMAC-SHA256 of the body); null until set in Settings. */
  shopifyWebhookSecret: text("shopify_webhook_secret"),
  /**
   * Months of history kept (events, messages, message events, journey steps); older months
   * are dropped by the history sweep (`server/db/history.ts`). Orders are kept forever.
   */
  historyMonths: integer("history_months").notNull().default(25),
  createdAt: createdAt(),
});

export const memberRole = pgEnum("member_role", ["owner", "member"]);

export const members = pgTable(
  "members",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: memberRole("role").notNull().default("member"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("members_workspace_user_uq").on(t.workspaceId, t.userId),
    index("members_user_idx").on(t.userId),
  ],
);

export const apiKeyKind = pgEnum("api_key_kind", ["secret", "publishable"]);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: apiKeyKind("kind").notNull().default("secret"),
    /** First characters of the key, shown in Settings so a member can tell keys apart. */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key; the key itself is shown once and never stored. */
    hash: text("hash").notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: tz("last_used_at"),
    revokedAt: tz("revoked_at"),
  },
  (t) => [index("api_keys_workspace_idx").on(t.workspaceId)],
);

/** Key/value settings owned by the installation (auth secret, VAPID keys, link-signing key). */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});

// ---------------------------------------------------------------- contacts and events

export const consentStatus = pgEnum("consent_status", CONSENT_STATUSES);

export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** The shop's own id for the customer (Segment `userId`). */
    externalId: text("external_id"),
    anonymousIds: text("anonymous_ids")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    email: text("email"),
    phone: text("phone"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    /** IANA zone; null falls back to the workspace zone. */
    timezone: text("timezone"),
    /** Calendar date, `YYYY-MM-DD`. */
    birthday: date("birthday", { mode: "string" }),
    country: text("country"),
    properties: jsonb("properties").$type<Record<string, unknown>>().notNull().default({}),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    emailConsent: consentStatus("email_consent").notNull().default("none"),
    smsConsent: consentStatus("sms_consent").notNull().default("none"),
    pushConsent: consentStatus("push_consent").notNull().default("none"),
    /**
     * Version of the contact's signed links (unsubscribe, preferences). Raising it rotates
     * them: older links still unsubscribe but can no longer subscribe.
     */
    linkVersion: integer("link_version").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /**
     * Name, email, customer id and phone, folded for search (`server/db/search-fold.ts`);
     * written by Postgres, indexed by trigrams so any word of a name or part of an email is found fast.
     */
    searchText: text("search_text").notNull().generatedAlwaysAs(sql.raw(SEARCH_TEXT_SQL)),
  },
  (t) => [
    uniqueIndex("contacts_workspace_external_uq").on(t.workspaceId, t.externalId),
    /** One contact per email in a workspace, whatever the letter case (identify merges into it). */
    uniqueIndex("contacts_workspace_email_uq").on(t.workspaceId, sql`lower(${t.email})`),
    index("contacts_workspace_created_idx").on(t.workspaceId, t.createdAt),
    /** A schedule in each contact's own clock reads the workspace's zones, then one zone's contacts page by page. */
    index("contacts_workspace_timezone_id_idx").on(t.workspaceId, t.timezone, t.id),
    /** The contacts list's order (email, then id), read page by page from a cursor. */
    index("contacts_workspace_email_id_idx").on(t.workspaceId, t.email, t.id),
    /** Search: every word of the query is a `like '%word%'` on the folded text (pg_trgm). */
    index("contacts_search_trgm_idx").using("gin", t.searchText.op("gin_trgm_ops")),
    /** Finds the contact an anonymous id was merged into (`anonymous_ids && array[...]`). */
    index("contacts_anonymous_ids_idx").using("gin", t.anonymousIds),
  ],
);

/**
 * Contacts merged into another one because they turned out to be the same person (an
 * identify named an email another contact already had). The merged contact is gone; its
 * events, journeys, messages and subscriptions now belong to the survivor. Written by the
 * database function `tidings_merge_contacts` (`server/db/sql/merge-contacts.sql`).
 */
export const contactMerges = pgTable(
  "contact_merges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    survivorId: uuid("survivor_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    /** The id the merged contact had (no longer a contact). */
    mergedId: uuid("merged_id").notNull(),
    mergedExternalId: text("merged_external_id"),
    mergedEmail: text("merged_email"),
    mergedAnonymousIds: text("merged_anonymous_ids")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** What asked for it: `identify`, `migration`. */
    reason: text("reason").notNull(),
    /** What moved: `{ events, enrollments, enrollments_cancelled, messages, ... }`. */
    moved: jsonb("moved").$type<Record<string, number>>().notNull().default({}),
    mergedAt: tz("merged_at").notNull(),
  },
  (t) => [
    index("contact_merges_workspace_survivor_idx").on(t.workspaceId, t.survivorId),
    uniqueIndex("contact_merges_merged_uq").on(t.mergedId),
  ],
);

/**
 * Partitioned by month of `occurred_at` (a migration converts it; the history sweep creates
 * months ahead and drops expired ones, keeping orders). The idempotency key's uniqueness
 * across all months lives in `event_keys`.
 */
export const events = pgTable(
  "events",
  {
    id: uuid("id").notNull().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "cascade" }),
    anonymousId: text("anonymous_id"),
    name: text("name").notNull(),
    properties: jsonb("properties").$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: tz("occurred_at").notNull(),
    receivedAt: tz("received_at").notNull().defaultNow(),
    /** Segment `messageId`: the same event sent twice is stored once. */
    idempotencyKey: text("idempotency_key").notNull(),
    /** Set once flow triggers have seen the event; the executor sweeps events left unset (a crash mid-ingest). */
    triggeredAt: tz("triggered_at"),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.occurredAt] }),
    index("events_workspace_contact_name_time_idx").on(t.workspaceId, t.contactId, t.name, t.occurredAt),
    index("events_workspace_name_time_idx").on(t.workspaceId, t.name, t.occurredAt),
    /** A forecast reads a window of the workspace's events in time order, by keyset. */
    index("events_workspace_time_id_idx").on(t.workspaceId, t.occurredAt, t.id),
    /** A contact's timeline, newest first, whatever the event's name. */
    index("events_workspace_contact_time_idx").on(t.workspaceId, t.contactId, t.occurredAt, t.id),
    index("events_untriggered_idx")
      .on(t.receivedAt)
      .where(sql`${t.triggeredAt} is null`),
    index("events_workspace_anonymous_idx")
      .on(t.workspaceId, t.anonymousId)
      .where(sql`${t.anonymousId} is not null and ${t.contactId} is null`),
  ],
);

/**
 * Every event's idempotency key (Segment `messageId`), one row per key in a workspace, not
 * partitioned: a partitioned table's unique keys must include the month, so the "stored
 * once" guarantee across all months is this table's primary key. A statement trigger on
 * `events` writes it for every insert and refuses a key already held by another event;
 * ingest claims keys here first (`on conflict do nothing`) and inserts only the events whose
 * key it claimed. The history sweep removes the keys of events it expired.
 */
export const eventKeys = pgTable(
  "event_keys",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    idempotencyKey: text("idempotency_key").notNull(),
    eventId: uuid("event_id").notNull(),
    /** The event's `occurred_at`: the event's month, and when the key may expire with it. */
    occurredAt: tz("occurred_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.idempotencyKey] }),
    index("event_keys_workspace_time_idx").on(t.workspaceId, t.occurredAt),
  ],
);

/**
 * Identify messages already applied, by Segment `messageId` (track messages are deduplicated
 * by `events.idempotency_key`): a repeated identify is applied once.
 */
export const ingestedMessages = pgTable(
  "ingested_messages",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    /** The contact the message was applied to. */
    contactId: uuid("contact_id"),
    receivedAt: tz("received_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.messageId] })],
);

/**
 * Double opt-in: a subscription asked for with the storefront's publishable key waits here
 * until the contact clicks the signed link in the confirmation email (once).
 */
export const consentConfirmations = pgTable(
  "consent_confirmations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    channel: text("channel").$type<"email">().notNull(),
    /** The address the confirmation was sent to; a contact whose address changed since is not subscribed. */
    address: text("address").notNull(),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
    confirmedAt: tz("confirmed_at"),
  },
  (t) => [index("consent_confirmations_contact_idx").on(t.workspaceId, t.contactId, t.createdAt)],
);

/** An event row as stored: what ingest announces and the executor enrolls from. */
export type StoredEvent = typeof events.$inferSelect;

// ---------------------------------------------------------------- catalog

export const products = pgTable(
  "products",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** The shop's product id. */
    id: text("id").notNull(),
    title: text("title").notNull(),
    url: text("url"),
    imageUrl: text("image_url"),
    priceCents: integer("price_cents").notNull().default(0),
    currency: text("currency").notNull().default("USD"),
    category: text("category"),
    inventory: integer("inventory").notNull().default(0),
    /** For replenishment: how many days one unit lasts (consumables only). */
    daysPerUnit: integer("days_per_unit"),
    properties: jsonb("properties").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("products_workspace_category_idx").on(t.workspaceId, t.category),
  ],
);

export const backInStockSubscriptions = pgTable(
  "back_in_stock_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    productId: text("product_id").notNull(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    /** Set when the restock notice was emitted; a subscriber is told once per subscription. */
    notifiedAt: tz("notified_at"),
  },
  (t) => [
    uniqueIndex("bis_workspace_product_contact_uq").on(t.workspaceId, t.productId, t.contactId),
    index("bis_workspace_product_pending_idx")
      .on(t.workspaceId, t.productId)
      .where(sql`${t.notifiedAt} is null`),
  ],
);

// ---------------------------------------------------------------- flows

export const flowStatus = pgEnum("flow_status", ["draft", "live", "paused", "archived"]);

export const flows = pgTable(
  "flows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: flowStatus("status").notNull().default("draft"),
    /** The editable draft; publish copies it into an immutable flow_versions row. */
    draftGraph: jsonb("draft_graph").$type<FlowGraph>().notNull(),
    /** Bumped on every draft save; a save that names an older revision is refused as stale. */
    draftRevision: integer("draft_revision").notNull().default(1),
    liveVersionId: uuid("live_version_id"),
    /** The template the flow was created from, if any. */
    templateKey: text("template_key"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("flows_workspace_status_idx").on(t.workspaceId, t.status)],
);

export const flowVersions = pgTable(
  "flow_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    graph: jsonb("graph").$type<FlowGraph>().notNull(),
    publishedAt: tz("published_at").notNull().defaultNow(),
    publishedBy: text("published_by").references(() => users.id, { onDelete: "set null" }),
    /**
     * Inactivity flows: the marketer chose at publish that contacts already inactive enter
     * (else only those who become inactive after the publish do).
     */
    catchUpInactive: boolean("catch_up_inactive").notNull().default(false),
  },
  (t) => [
    uniqueIndex("flow_versions_flow_version_uq").on(t.flowId, t.version),
    index("flow_versions_workspace_flow_idx").on(t.workspaceId, t.flowId),
  ],
);

// ---------------------------------------------------------------- execution

export const enrollmentStatus = pgEnum("enrollment_status", [
  "active",
  "completed",
  "exited",
  "failed",
  "cancelled",
]);

export const enrollments = pgTable(
  "enrollments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    versionId: uuid("version_id")
      .notNull()
      .references(() => flowVersions.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    currentNodeId: text("current_node_id").notNull(),
    status: enrollmentStatus("status").notNull().default("active"),
    /** When the executor should next look at it; null while it waits for an event with no timeout. */
    nextRunAt: tz("next_run_at"),
    triggerEventId: uuid("trigger_event_id"),
    triggerData: jsonb("trigger_data").$type<Record<string, unknown>>().notNull().default({}),
    /** Separates concurrent enrollments of one contact (e.g. a cart id); '' when the flow allows one at a time. */
    entryKey: text("entry_key").notNull().default(""),
    /** Engine state carried between steps (visit counts, what a wait is waiting for). */
    state: jsonb("state").$type<Record<string, unknown>>().notNull().default({}),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    exitReason: text("exit_reason"),
    /**
     * What made this entry happen, unique per flow and contact: `event:<id>` for an event
     * trigger, `date:2027-03-14` for a yearly date, `schedule:<iso>` for a scheduled send.
     * The same occurrence never enrolls a contact twice, whatever retries or sweeps do.
     */
    occurrenceKey: text("occurrence_key").notNull(),
    /** Lease for work done outside a transaction (e.g. a webhook action); null when free. */
    lockedUntil: tz("locked_until"),
    enteredAt: tz("entered_at").notNull().defaultNow(),
    endedAt: tz("ended_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("enrollments_due_idx")
      .on(t.nextRunAt)
      .where(sql`${t.status} = 'active'`),
    index("enrollments_workspace_flow_status_idx").on(t.workspaceId, t.flowId, t.status),
    index("enrollments_workspace_contact_idx").on(t.workspaceId, t.contactId),
    uniqueIndex("enrollments_one_active_uq")
      .on(t.flowId, t.contactId, t.entryKey)
      .where(sql`${t.status} = 'active'`),
    uniqueIndex("enrollments_occurrence_uq").on(t.flowId, t.contactId, t.occurrenceKey),
  ],
);

export const enrollmentSteps = pgTable(
  "enrollment_steps",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    enrollmentId: uuid("enrollment_id")
      .notNull()
      .references(() => enrollments.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id").notNull(),
    versionId: uuid("version_id").notNull(),
    nodeId: text("node_id").notNull(),
    visit: integer("visit").notNull().default(1),
    /** The output taken (`next`, `yes`, `timeout`, a split branch), or what stopped here (`exit`, `goal`, `wait`). */
    outcome: text("outcome").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    at: tz("at").notNull(),
  },
  (t) => [
    index("enrollment_steps_workspace_enrollment_idx").on(t.workspaceId, t.enrollmentId, t.id),
    index("enrollment_steps_workspace_flow_node_idx").on(t.workspaceId, t.flowId, t.nodeId, t.at),
  ],
);

export const channel = pgEnum("channel", CHANNELS);
export const messageCategory = pgEnum("message_category", ["marketing", "transactional"]);
export const messageStatus = pgEnum("message_status", [
  "queued",
  "sending",
  "sent",
  "delivered",
  "failed",
  "skipped",
  "bounced",
]);

export const messages = pgTable(
  "messages",
  {
    /** Also the provider idempotency key. */
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Null for test sends from the editor. */
    enrollmentId: uuid("enrollment_id").references(() => enrollments.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id"),
    nodeId: text("node_id"),
    visit: integer("visit").notNull().default(1),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    channel: channel("channel").notNull(),
    category: messageCategory("category").notNull().default("marketing"),
    status: messageStatus("status").notNull().default("queued"),
    skipReason: text("skip_reason"),
    toAddress: text("to_address"),
    subject: text("subject"),
    /** Rendered content as sent: `{ html, text }` for email, `{ text }` for SMS, `{ title, body, url }` for push. */
    content: jsonb("content").$type<Record<string, unknown>>().notNull().default({}),
    provider: text("provider"),
    providerMessageId: text("provider_message_id"),
    /** Provider failures so far (a rate limit or a lease that ran out is not the message's failure). */
    attempts: integer("attempts").notNull().default(0),
    /** Times a dispatcher claimed it; a sender checks it is still its claim before writing a batch or renewing its lease. */
    claims: integer("claims").notNull().default(0),
    /** The first claim: retries give up 24 h later (the provider's idempotency window). */
    firstAttemptAt: tz("first_attempt_at"),
    lastError: text("last_error"),
    /** When the dispatcher may (re)try it: now on creation, later after a retryable error or quiet hours. */
    nextAttemptAt: tz("next_attempt_at").notNull().defaultNow(),
    /** Lease of the dispatcher that is sending it; an expired lease means that sender died, so resend with the same key. */
    lockedUntil: tz("locked_until"),
    /**
     * Set before the first send when the email goes out in a provider batch call: the batch's
     * members (this id, ordered by `batch_index`) are then only ever sent together, with the
     * content frozen on their rows, so a resend after a crash repeats the same request.
     */
    batchId: uuid("batch_id"),
    batchIndex: integer("batch_index"),
    /**
     * A sent email's HTML and plain text, kept as their difference from a rendered email of the
     * same step (`rendered_designs.hash`): raw DEFLATE of `[html, text]` with that email as the
     * preset dictionary, byte for byte what went out. `content` then holds neither; readers
     * get them back through `withEmailBodies` (`server/channels/email-bodies.ts`).
     */
    bodyDesign: text("body_design"),
    body: bytea("body"),
    createdAt: createdAt(),
    sentAt: tz("sent_at"),
    /** First time each engagement happened (set by a trigger on message_events); unique counts read these. */
    deliveredAt: tz("delivered_at"),
    openedAt: tz("opened_at"),
    clickedAt: tz("clicked_at"),
    bouncedAt: tz("bounced_at"),
    complainedAt: tz("complained_at"),
    unsubscribedAt: tz("unsubscribed_at"),
  },
  (t) => [
    uniqueIndex("messages_enrollment_node_visit_uq").on(t.enrollmentId, t.nodeId, t.visit),
    index("messages_workspace_flow_node_idx").on(t.workspaceId, t.flowId, t.nodeId, t.createdAt),
    index("messages_workspace_contact_created_idx").on(t.workspaceId, t.contactId, t.createdAt, t.id),
    /** The Outbox, newest first, page by page. */
    index("messages_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("messages_provider_message_idx").on(t.providerMessageId),
    index("messages_dispatch_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('queued', 'sending')`),
    index("messages_batch_idx")
      .on(t.batchId, t.batchIndex)
      .where(sql`${t.batchId} is not null`),
  ],
);

/**
 * Every consent change a flow made (a `consent` step), with where it came from: the
 * contact's journey shows it, and the contact's consent column holds the result.
 */
export const consentChanges = pgTable(
  "consent_changes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    channel: channel("channel").notNull(),
    fromStatus: consentStatus("from_status").notNull(),
    toStatus: consentStatus("to_status").notNull(),
    /** `flow` for a consent step. */
    source: text("source").notNull(),
    enrollmentId: uuid("enrollment_id").references(() => enrollments.id, { onDelete: "set null" }),
    flowId: uuid("flow_id"),
    nodeId: text("node_id"),
    visit: integer("visit"),
    occurredAt: tz("occurred_at").notNull(),
  },
  (t) => [
    index("consent_changes_workspace_contact_idx").on(t.workspaceId, t.contactId, t.occurredAt),
    uniqueIndex("consent_changes_enrollment_node_visit_uq").on(t.enrollmentId, t.nodeId, t.visit),
  ],
);

export const webhookCallStatus = pgEnum("webhook_call_status", ["queued", "sending", "sent", "failed"]);

/**
 * Webhook calls of flow actions. Written in the step's transaction (one per enrollment,
 * node and visit), sent after commit by the executor, retried with backoff. The id is the
 * idempotency key the receiver sees on every attempt.
 */
export const webhookCalls = pgTable(
  "webhook_calls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    enrollmentId: uuid("enrollment_id")
      .notNull()
      .references(() => enrollments.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id").notNull(),
    nodeId: text("node_id").notNull(),
    visit: integer("visit").notNull().default(1),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    url: text("url").notNull(),
    method: text("method").notNull(),
    /** The JSON body exactly as sent (and signed) on every attempt; empty for GET. */
    body: text("body").notNull(),
    status: webhookCallStatus("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    /** HTTP status of the last response; null when none came (network error, timeout). */
    responseStatus: integer("response_status"),
    lastError: text("last_error"),
    nextAttemptAt: tz("next_attempt_at").notNull().defaultNow(),
    /** Lease of the executor sending it; an expired lease means that sender died. */
    lockedUntil: tz("locked_until"),
    createdAt: createdAt(),
    sentAt: tz("sent_at"),
  },
  (t) => [
    uniqueIndex("webhook_calls_enrollment_node_visit_uq").on(t.enrollmentId, t.nodeId, t.visit),
    index("webhook_calls_workspace_enrollment_idx").on(t.workspaceId, t.enrollmentId),
    index("webhook_calls_dispatch_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('queued', 'sending')`),
  ],
);

export const messageEventType = pgEnum("message_event_type", [
  "delivered",
  "opened",
  "clicked",
  "bounced",
  "complained",
  "unsubscribed",
  "delayed",
]);

export const messageEvents = pgTable(
  "message_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    type: messageEventType("type").notNull(),
    url: text("url"),
    /** Provider's event id (e.g. `svix-id`): a replayed webhook is recorded once. */
    providerEventId: text("provider_event_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: tz("occurred_at").notNull(),
  },
  (t) => [
    uniqueIndex("message_events_workspace_provider_event_uq").on(t.workspaceId, t.providerEventId),
    index("message_events_workspace_message_type_idx").on(t.workspaceId, t.messageId, t.type),
  ],
);

export const conversions = pgTable(
  "conversions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    enrollmentId: uuid("enrollment_id").references(() => enrollments.id, { onDelete: "set null" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    eventId: uuid("event_id").notNull(),
    /** The message credited (last opened or clicked within the attribution window), if any. */
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "set null" }),
    nodeId: text("node_id"),
    valueCents: bigint("value_cents", { mode: "number" }).notNull().default(0),
    currency: text("currency").notNull().default("USD"),
    occurredAt: tz("occurred_at").notNull(),
  },
  (t) => [
    uniqueIndex("conversions_flow_event_uq").on(t.flowId, t.eventId),
    index("conversions_workspace_flow_time_idx").on(t.workspaceId, t.flowId, t.occurredAt),
  ],
);

export const suppressionReason = pgEnum("suppression_reason", ["hard_bounce", "complaint", "manual"]);

export const suppressions = pgTable(
  "suppressions",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    channel: channel("channel").notNull(),
    /** Email address or E.164 phone number, lower-cased. */
    address: text("address").notNull(),
    reason: suppressionReason("reason").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.channel, t.address] })],
);

/**
 * Browsers that accepted Web Push for a shop (`PushSubscription.toJSON()`). A subscription
 * made before the visitor was identified keeps its anonymous id and reaches the contact that
 * id is merged into. The push service's 404/410 removes the row.
 */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "cascade" }),
    anonymousId: text("anonymous_id"),
    endpoint: text("endpoint").notNull(),
    /** The browser's P-256 public key, base64url. */
    p256dh: text("p256dh").notNull(),
    /** The browser's 16-byte auth secret, base64url. */
    auth: text("auth").notNull(),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastSuccessAt: tz("last_success_at"),
  },
  (t) => [
    uniqueIndex("push_subscriptions_workspace_endpoint_uq").on(t.workspaceId, t.endpoint),
    index("push_subscriptions_workspace_contact_idx").on(t.workspaceId, t.contactId),
    index("push_subscriptions_workspace_anonymous_idx")
      .on(t.workspaceId, t.anonymousId)
      .where(sql`${t.anonymousId} is not null`),
  ],
);

// ---------------------------------------------------------------- analytics

/**
 * Daily per-node counters for the canvas and the dashboard, kept by statement-level
 * triggers on enrollment_steps, enrollments, messages, message_events and conversions
 * (see the analytics migration). Writers spread over `shard` so concurrent workers do not
 * queue on one row; readers sum the shards.
 */
export const flowStatsDaily = pgTable(
  "flow_stats_daily",
  {
    workspaceId: uuid("workspace_id").notNull(),
    flowId: uuid("flow_id").notNull(),
    versionId: uuid("version_id").notNull(),
    nodeId: text("node_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    /** e.g. `step:next`, `step:yes`, `ended:completed`, `sent`, `opened`, `skipped:no_consent`, `conversions`, `revenue_cents`. */
    metric: text("metric").notNull(),
    shard: integer("shard").notNull().default(0),
    value: bigint("value", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    uniqueIndex("flow_stats_daily_uq").on(t.flowId, t.versionId, t.nodeId, t.day, t.metric, t.shard),
    index("flow_stats_daily_workspace_flow_day_idx").on(t.workspaceId, t.flowId, t.day),
  ],
);

// ---------------------------------------------------------------- coupons

/** A workspace's stock of unique coupon codes, uploaded as CSV or generated; message steps draw from it. */
export const couponPools = pgTable(
  "coupon_pools",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("coupon_pools_workspace_name_uq").on(t.workspaceId, t.name)],
);

/**
 * One code. A message draws it once: `message_id` is set in the transaction that queues the
 * message (unique, so a message never holds two codes and a code never serves two messages);
 * a retry or resend of that message reads the same code back.
 */
export const couponCodes = pgTable(
  "coupon_codes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    poolId: uuid("pool_id")
      .notNull()
      .references(() => couponPools.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    /** Null: never expires. An expired code is never drawn. */
    expiresAt: tz("expires_at"),
    /** The message that drew it (its id is also the provider's idempotency key). */
    messageId: uuid("message_id"),
    assignedAt: tz("assigned_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("coupon_codes_pool_code_uq").on(t.poolId, t.code),
    uniqueIndex("coupon_codes_message_uq").on(t.messageId),
    index("coupon_codes_pool_free_idx")
      .on(t.poolId, t.id)
      .where(sql`${t.messageId} is null`),
  ],
);

// ---------------------------------------------------------------- forecasts (a draft replayed over past events)

export const forecastRunStatus = pgEnum("forecast_run_status", [
  "queued",
  "running",
  "done",
  "failed",
  "cancelled",
]);

/**
 * One forecast of a flow's draft over a window of past events, computed by an executor
 * process. It keeps the draft revision and the hash of the draft's steps, edges and settings
 * it was computed for, so the builder can tell when the draft has changed since; with a live
 * version, the same window is replayed for it too, so each step can show the difference.
 */
export const forecastRuns = pgTable(
  "forecast_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    draftRevision: integer("draft_revision").notNull(),
    /** Hash of the draft's steps, edges and settings (not their positions on the canvas). */
    draftHash: text("draft_hash").notNull(),
    /** The draft as it was replayed. */
    graph: jsonb("graph").$type<FlowGraph>().notNull(),
    /** The live version replayed over the same window, if the flow had one. */
    liveVersionId: uuid("live_version_id"),
    days: integer("days").notNull(),
    windowFrom: tz("window_from").notNull(),
    windowTo: tz("window_to").notNull(),
    status: forecastRunStatus("status").notNull().default("queued"),
    /** Per mille done, written as the replay goes (about every 5 %). */
    progress: integer("progress_permille").notNull().default(0),
    /** `{ draft, live }`: per-step counts (zod-parsed on read). */
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    /** A running forecast whose lease ran out (its process died) is claimed again. */
    leaseUntil: tz("lease_until"),
    requestedBy: text("requested_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    startedAt: tz("started_at"),
    finishedAt: tz("finished_at"),
  },
  (t) => [
    index("forecast_runs_flow_idx").on(t.workspaceId, t.flowId, t.createdAt),
    index("forecast_runs_pending_idx")
      .on(t.createdAt)
      .where(sql`${t.status} in ('queued', 'running')`),
  ],
);

/**
 * One token bucket per provider API key (`key` is a hash of the provider and the key, never
 * the key itself), shared by every worker through this row: a sender takes a slot with one
 * atomic UPDATE … RETURNING and waits until the slot's time. `tokens` may go below zero:
 * that many slots are already promised to senders who are waiting.
 */
/**
 * A rendered email that the sent emails of one step are stored against (by a hash of its HTML
 * and text): each message keeps only its difference from it (`messages.body`). Written once per
 * step and sending process, never changed, so a resend rebuilds its request byte for byte.
 */
export const renderedDesigns = pgTable(
  "rendered_designs",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    hash: text("hash").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.hash] })],
);

export const providerRateLimits = pgTable("provider_rate_limits", {
  key: text("key").primaryKey(),
  tokens: doublePrecision("tokens").notNull(),
  refilledAt: tz("refilled_at").notNull(),
});

// ---------------------------------------------------------------- due-driven time triggers

/**
 * Each contact's last time of each event name, kept by the database on every insert into
 * `events` (and when events move to another contact): "no `Placed Order` for 30 days" reads
 * the lapsed contacts of a window through `(workspace_id, event_name, last_at)` instead of
 * aggregating the whole event history.
 */
export const contactEventLast = pgTable(
  "contact_event_last",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    eventName: text("event_name").notNull(),
    lastAt: tz("last_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.contactId, t.eventName] }),
    // contact_id last: "lapsed in this window" is an index-only scan.
    index("contact_event_last_workspace_event_at_idx").on(t.workspaceId, t.eventName, t.lastAt, t.contactId),
  ],
);

/**
 * A date-property flow's next occurrence per contact (birthday N days before, at a local
 * hour): the sweep reads only the rows due in its window, through `(flow_id, due_at)`.
 * Built for the live version when it goes live (`flow_trigger_due`), re-computed for a
 * contact when its date, time zone or properties change (`contact_trigger_dirty`), and
 * moved on to the next occurrence once the sweep has weighed it.
 */
export const contactTriggerDue = pgTable(
  "contact_trigger_due",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    dueAt: tz("due_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.flowId, t.contactId] }),
    index("contact_trigger_due_flow_due_idx").on(t.flowId, t.dueAt),
  ],
);

/** The flow version whose occurrences `contact_trigger_due` holds; another live version rebuilds them. */
export const flowTriggerDue = pgTable(
  "flow_trigger_due",
  {
    flowId: uuid("flow_id")
      .primaryKey()
      .references(() => flows.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    versionId: uuid("version_id").notNull(),
    builtAt: tz("built_at").notNull(),
  },
  (t) => [index("flow_trigger_due_workspace_idx").on(t.workspaceId)],
);

/**
 * How far a schedule or inactivity flow's live version has been swept: the next sweep reads
 * only the occurrences and lapses after `swept_to`, so a sweep every 30 seconds weighs what
 * fell due since the last one, not the whole look-back window again.
 */
export const flowTriggerSweeps = pgTable("flow_trigger_sweeps", {
  flowId: uuid("flow_id")
    .primaryKey()
    .references(() => flows.id, { onDelete: "cascade" }),
  workspaceId: uuid("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  versionId: uuid("version_id").notNull(),
  sweptTo: tz("swept_to").notNull(),
});

/**
 * Contacts whose date, time zone or properties changed since their occurrences were
 * computed, queued by a trigger on `contacts` while the workspace has a date-property flow.
 */
export const contactTriggerDirty = pgTable(
  "contact_trigger_dirty",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.contactId] })],
);
