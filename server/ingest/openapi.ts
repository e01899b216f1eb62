/**
 * The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas that validate
 * the requests (`z.toJSONSchema`, input side). Served at /api/v1/openapi.json and rendered
 * by the in-app /api-docs page.
 */
import { z } from "zod";
import { CANONICAL_EVENTS, LineItem } from "./events";
import {
  PushKeyResponse,
  PushSubscribeRequestDoc,
  PushSubscribeResponse,
  PushUnsubscribeBody,
  PushUnsubscribeResponse,
} from "@/server/ingest/push-schemas";
import {
  BATCH_BYTES_LIMIT,
  BatchRequestDoc,
  Context,
  EVENT_BYTES_LIMIT,
  IdentifyFields,
  ProductInput,
  TraitFields,
  TrackFields,
} from "./schemas";

export type JsonSchema = Record<string, unknown>;

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{
    name: string;
    in: "path" | "header";
    required: boolean;
    description: string;
    schema: JsonSchema;
  }>;
  requestBody?: {
    required: boolean;
    content: { "application/json": { schema: JsonSchema; example: unknown } };
  };
  responses: Record<
    string,
    { description: string; content?: { "application/json": { schema: JsonSchema; example?: unknown } } }
  >;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
  "x-canonical-events": Array<{ name: string; description: string; schema: { $ref: string } }>;
}

// ---------------------------------------------------------------- response shapes (documentation only)

const Issue = z.object({
  path: z.string().describe("JSON path of the field at fault, e.g. batch.3.event"),
  message: z.string(),
});
const ErrorResponse = z
  .object({ error: z.object({ message: z.string(), issues: z.array(Issue) }) })
  .describe("Every error has this shape.");
const TrackResponse = z
  .object({
    ok: z.literal(true),
    id: z
      .uuid()
      .optional()
      .describe(
        "The event id (identify: the contact id); absent only for a duplicate whose original is still being written.",
      ),
    duplicate: z.boolean().describe("True when this messageId was stored before; nothing new was written."),
  })
  .describe("The message was stored (or was already).");
const BatchResponse = z
  .object({
    results: z.array(
      z.object({
        index: z.number().int().describe("Position in `batch`."),
        ok: z.boolean(),
        id: z.uuid().optional().describe("Event id (track) or contact id (identify)."),
        duplicate: z.boolean().optional(),
        error: z.object({ status: z.number().int(), message: z.string(), issues: z.array(Issue) }).optional(),
      }),
    ),
  })
  .describe("One result per message, in order. Messages that failed wrote nothing; the others were stored.");
const ProductResponse = z.object({
  ok: z.literal(true),
  created: z.boolean(),
  product: z.object({
    id: z.string(),
    title: z.string(),
    url: z.string().nullable(),
    image: z.string().nullable(),
    price: z.number(),
    currency: z.string(),
    category: z.string().nullable(),
    inventory: z.number().int(),
    daysPerUnit: z.number().int().nullable(),
    properties: z.record(z.string(), z.unknown()),
    updatedAt: z.string(),
  }),
  backInStock: z.object({
    notified: z.number().int().describe("Back in Stock events emitted by this change."),
  }),
});

const eventComponentId = (name: string) => `${name.replace(/[^A-Za-z0-9]/g, "")}Properties`;

let cachedComponents: Record<string, JsonSchema> | undefined;

/** The component schemas, generated once per process from the zod schemas. */
function components(): Record<string, JsonSchema> {
  return (cachedComponents ??= generateComponents());
}

function generateComponents(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string; title?: string }>();
  registry.add(TrackFields, { id: "TrackRequest" });
  registry.add(IdentifyFields, { id: "IdentifyRequest" });
  registry.add(BatchRequestDoc, { id: "BatchRequest" });
  registry.add(ProductInput, { id: "ProductInput" });
  registry.add(TraitFields, { id: "Traits" });
  registry.add(Context, { id: "Context" });
  registry.add(LineItem, { id: "LineItem" });
  registry.add(ErrorResponse, { id: "Error" });
  registry.add(TrackResponse, { id: "TrackResponse" });
  registry.add(BatchResponse, { id: "BatchResponse" });
  registry.add(ProductResponse, { id: "ProductResponse" });
  registry.add(PushSubscribeRequestDoc, { id: "PushSubscribeRequest" });
  registry.add(PushUnsubscribeBody, { id: "PushUnsubscribeRequest" });
  registry.add(PushKeyResponse, { id: "PushKeyResponse" });
  registry.add(PushSubscribeResponse, { id: "PushSubscribeResponse" });
  registry.add(PushUnsubscribeResponse, { id: "PushUnsubscribeResponse" });
  for (const [name, schema] of Object.entries(CANONICAL_EVENTS))
    registry.add(schema, { id: eventComponentId(name), title: name });
  const { schemas } = z.toJSONSchema(registry, {
    io: "input",
    target: "draft-2020-12",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as JsonSchema;
    out[id] = rest;
  }
  return out;
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const jsonContent = (id: string, example?: unknown) => ({
  "application/json": { schema: ref(id), ...(example !== undefined && { example }) },
});
const errorResponse = (description: string) => ({ description, content: jsonContent("Error") });

const keyAuth: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { basicAuth: [] }];

const trackExample = {
  userId: "cus_00042",
  event: "Placed Order",
  messageId: "ord_1001-placed",
  timestamp: "2026-05-01T14:03:00Z",
  properties: {
    order_id: "ord_1001",
    value: 37.8,
    currency: "USD",
    items: [
      {
        product_id: "cof-ethiopia",
        title: "Ethiopia Yirgacheffe, 340 g",
        price: 18.9,
        quantity: 2,
        category: "Coffee",
      },
    ],
  },
};
const identifyExample = {
  userId: "cus_00042",
  anonymousId: "a1b2c3d4",
  traits: {
    email: "olivia.smith@example.com",
    first_name: "Olivia",
    timezone: "America/New_York",
    birthday: "1990-05-17",
    email_consent: "subscribed",
    favorite_category: "Coffee",
  },
};
const batchExample = {
  batch: [
    { type: "identify", userId: "cus_00042", traits: { email: "olivia.smith@example.com" } },
    {
      type: "track",
      userId: "cus_00042",
      event: "Viewed Product",
      properties: { product_id: "cof-kenya", title: "Kenya Nyeri AA, 340 g", price: 21.9 },
    },
  ],
};
const productExample = {
  title: "Kenya Nyeri AA, 340 g",
  url: "https://shop.example.com/products/cof-kenya",
  price: 21.9,
  category: "Coffee",
  inventory: 40,
  daysPerUnit: 14,
};

/** The whole document; `baseUrl` is the app's public origin. */
export function buildOpenApiDocument(options: { baseUrl: string }): OpenApiDocument {
  const schemas = components();
  const commonErrors = {
    "400": errorResponse("Malformed JSON or an invalid field; `issues` name each field by its JSON path."),
    "401": errorResponse("Missing, unknown or revoked API key."),
    "413": errorResponse("The body is too large."),
    "415": errorResponse("The body is not sent as JSON (`Content-Type: application/json`)."),
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Tidings ingest API",
      version: "1.0.0",
      description: [
        "Send your shop's customers, events and catalog to Tidings. Flows trigger on the events you send.",
        "Authenticate with an API key from Settings → API keys: `Authorization: Bearer <key>`, or Basic auth with the key as the user name (Segment-style).",
        "Secret keys (`tid_sk_…`) may call every endpoint; publishable keys (`tid_pk_…`) are for browsers and may only track, identify and manage push subscriptions.",
        "Bodies are JSON in UTF-8: send `Content-Type: application/json` (415 otherwise); bytes that are not UTF-8 are refused with 400.",
        `Limits: ${EVENT_BYTES_LIMIT / 1024} KB per message, ${BATCH_BYTES_LIMIT / 1024} KB per batch (413 beyond, nothing written).`,
      ].join("\n\n"),
    },
    servers: [{ url: options.baseUrl.replace(/\/$/, "") }],
    tags: [
      { name: "Events", description: "Segment-compatible track, identify and batch calls." },
      { name: "Catalog", description: "Products and their inventory." },
      { name: "Push", description: "Web Push subscriptions of shoppers' browsers." },
    ],
    paths: {
      "/api/v1/track": {
        post: {
          operationId: "track",
          summary: "Track an event",
          description:
            "Records what a customer did. `userId` finds or creates the contact; with only `anonymousId` the event is kept for the visitor and attributed once an identify call links the two ids. The same `messageId` is stored once. Canonical events (see below) check their documented properties.",
          tags: ["Events"],
          security: keyAuth,
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("TrackRequest"), example: trackExample } },
          },
          responses: {
            "200": {
              description: "Stored, or already stored (`duplicate`).",
              content: jsonContent("TrackResponse"),
            },
            ...commonErrors,
          },
        },
      },
      "/api/v1/identify": {
        post: {
          operationId: "identify",
          summary: "Identify a contact",
          description:
            "Creates or updates the contact named by `userId`, `traits.email` or an `anonymousId` (at least one of them; `traits.email` alone is enough). Documented traits go to the contact's columns, all others into its properties. With both `userId` and `anonymousId`, the visitor's earlier events are merged into the contact. The same `messageId` is applied once. With a publishable key: a contact already identified keeps its email and phone (a different one is refused with 403) and its other traits are only filled in; consent may be set to `unsubscribed`, while `subscribed` sends the contact a confirmation email and applies once they click its link (double opt-in).",
          tags: ["Events"],
          security: keyAuth,
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("IdentifyRequest"), example: identifyExample } },
          },
          responses: {
            "200": {
              description: "The contact was created or updated; `id` is the contact id.",
              content: jsonContent("TrackResponse"),
            },
            ...commonErrors,
          },
        },
      },
      "/api/v1/batch": {
        post: {
          operationId: "batch",
          summary: "Send many messages",
          description:
            "Track and identify messages in one request, each with a `type`. Each message is stored whole or not at all; the response has a result per message, so one bad message never blocks the others.",
          tags: ["Events"],
          security: keyAuth,
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("BatchRequest"), example: batchExample } },
          },
          responses: {
            "200": { description: "A result per message.", content: jsonContent("BatchResponse") },
            ...commonErrors,
          },
        },
      },
      "/api/v1/push/key": {
        get: {
          operationId: "pushKey",
          summary: "Get the push public key",
          description:
            "The VAPID public key a browser passes to `pushManager.subscribe({ userVisibleOnly: true, applicationServerKey })`.",
          tags: ["Push"],
          security: keyAuth,
          responses: {
            "200": { description: "The key.", content: jsonContent("PushKeyResponse") },
            "401": commonErrors["401"],
          },
        },
      },
      "/api/v1/push/subscriptions": {
        post: {
          operationId: "pushSubscribe",
          summary: "Save a browser's push subscription",
          description:
            "Call after the shopper allowed notifications. The contact is found by `userId` or `anonymousId` as for track (a `Push Subscribed` event is recorded) and their push consent becomes subscribed. A subscription made by a visitor not identified yet reaches the contact once an identify call links the ids. The same endpoint again updates it.",
          tags: ["Push"],
          security: keyAuth,
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: ref("PushSubscribeRequest"),
                example: {
                  userId: "cus_00042",
                  subscription: {
                    endpoint: "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ",
                    expirationTime: null,
                    keys: {
                      p256dh:
                        "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
                      auth: "tBHItJI5svbpez7KI4CCXg",
                    },
                  },
                },
              },
            },
          },
          responses: {
            "200": { description: "Updated.", content: jsonContent("PushSubscribeResponse") },
            "201": { description: "Saved.", content: jsonContent("PushSubscribeResponse") },
            ...commonErrors,
          },
        },
        delete: {
          operationId: "pushUnsubscribe",
          summary: "Forget a browser's push subscription",
          description: "Call after `subscription.unsubscribe()` in the browser.",
          tags: ["Push"],
          security: keyAuth,
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: ref("PushUnsubscribeRequest"),
                example: { endpoint: "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ" },
              },
            },
          },
          responses: {
            "200": {
              description: "Forgotten (or was not subscribed).",
              content: jsonContent("PushUnsubscribeResponse"),
            },
            ...commonErrors,
          },
        },
      },
      "/api/v1/products/{id}": {
        put: {
          operationId: "upsertProduct",
          summary: "Create or update a product",
          description:
            "Creates the product or updates the fields sent. When inventory goes from 0 (or less) to more, every waiting back-in-stock subscriber gets one `Back in Stock` event. Secret keys only.",
          tags: ["Catalog"],
          security: keyAuth,
          parameters: [
            {
              name: "id",
              in: "path",
              required: true,
              description: "The shop's product id.",
              schema: { type: "string", maxLength: 255 },
            },
          ],
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("ProductInput"), example: productExample } },
          },
          responses: {
            "200": { description: "Updated.", content: jsonContent("ProductResponse") },
            "201": { description: "Created.", content: jsonContent("ProductResponse") },
            ...commonErrors,
            "403": errorResponse("A publishable key cannot change the catalog."),
          },
        },
      },
    },
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "An API key from Settings: `Authorization: Bearer tid_sk_…`.",
        },
        basicAuth: {
          type: "http",
          scheme: "basic",
          description: "Segment-style: the API key as the user name, empty password.",
        },
      },
    },
    "x-canonical-events": Object.entries(CANONICAL_EVENTS).map(([name, schema]) => ({
      name,
      description: schema.description ?? "",
      schema: ref(eventComponentId(name)),
    })),
  };
}
