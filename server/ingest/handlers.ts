/**
 * The ingest HTTP endpoints as plain functions of (db, request): the route files under
 * app/api wrap them with the process database; tests and the benchmark call them directly.
 * Each one parses, authenticates, calls one service verb, and maps errors to statuses.
 * Bad input is always a 4xx with the JSON path of the problem, never a 500.
 */
import type { Db } from "@/server/db/client";
import { jsonByteLength } from "@/server/engine/input";
import { upsertProduct } from "./catalog";
import { text } from "./fields";
import { notifyEventsStored } from "./hooks";
import {
  authenticate,
  CORS_HEADERS,
  decodeUtf8,
  errorResponse,
  invalid,
  json,
  parseJson,
  readBody,
  readBodyBytes,
  RequestError,
} from "./http";
import { ingestMessages, type IngestOutcome, type IngestReport } from "./ingest";
import { requestEmailOptIn } from "@/server/messages/opt-in";
import { buildOpenApiDocument } from "./openapi";
import {
  BATCH_BYTES_LIMIT,
  BatchEnvelope,
  EVENT_BYTES_LIMIT,
  IdentifyRequest,
  parseBatchItem,
  ProductId,
  ProductInput,
  toIssues,
  TrackRequest,
  type IngestMessage,
  type Issue,
} from "./schemas";
import { getShopifyWebhookSecret, ingestShopifyDelivery, isShopifyTopic, verifyShopifyHmac } from "./shopify";

/** A workspace slug as it can appear in a webhook address. */
const WorkspaceSlug = text(100);

/** Largest Shopify delivery accepted (big orders carry many line items). */
const SHOPIFY_BYTES_LIMIT = 2 * 1024 * 1024;

export type BatchItemResult =
  | { index: number; ok: true; id?: string; duplicate: boolean }
  | { index: number; ok: false; error: { status: number; message: string; issues: Issue[] } };

async function serve(headers: Record<string, string>, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    return errorResponse(error, headers);
  }
}

/**
 * Sends the double opt-in emails a publishable key's identify asked for. The messages are
 * stored already: a failure here is logged, and the next sign-up asks again.
 */
async function sendOptIns(db: Db, workspaceId: string, report: IngestReport): Promise<void> {
  for (const contactId of new Set(report.optIns)) {
    await requestEmailOptIn(db, { workspaceId, contactId }).catch((error: unknown) =>
      console.error("[ingest] could not send a double opt-in email:", error),
    );
  }
}

function single(outcome: IngestOutcome | undefined): Response {
  if (!outcome) return errorResponse(new Error("no outcome for the message"), CORS_HEADERS);
  if (!outcome.ok) return json(outcome.status, { error: outcome.error }, CORS_HEADERS);
  return json(200, { ok: true, id: outcome.id, duplicate: outcome.duplicate }, CORS_HEADERS);
}

/** `POST /api/v1/track` — one event (secret or publishable key). */
export function handleTrack(db: Db, req: Request): Promise<Response> {
  return serve(CORS_HEADERS, async () => {
    const { workspaceId, kind } = await authenticate(db, req, ["secret", "publishable"]);
    const parsed = TrackRequest.safeParse(parseJson(await readBody(req, EVENT_BYTES_LIMIT)));
    if (!parsed.success) throw invalid(toIssues(parsed.error));
    const report = await ingestMessages(db, { workspaceId, messages: [parsed.data], keyKind: kind });
    await notifyEventsStored(workspaceId, report.stored);
    return single(report.outcomes[0]);
  });
}

/** `POST /api/v1/identify` — create or update one contact (secret or publishable key). */
export function handleIdentify(db: Db, req: Request): Promise<Response> {
  return serve(CORS_HEADERS, async () => {
    const { workspaceId, kind } = await authenticate(db, req, ["secret", "publishable"]);
    const parsed = IdentifyRequest.safeParse(parseJson(await readBody(req, EVENT_BYTES_LIMIT)));
    if (!parsed.success) throw invalid(toIssues(parsed.error));
    const report = await ingestMessages(db, { workspaceId, messages: [parsed.data], keyKind: kind });
    await sendOptIns(db, workspaceId, report);
    return single(report.outcomes[0]);
  });
}

/** `POST /api/v1/batch` — many messages; each is stored or refused on its own, with a result per item. */
export function handleBatch(db: Db, req: Request): Promise<Response> {
  return serve(CORS_HEADERS, async () => {
    const { workspaceId, kind } = await authenticate(db, req, ["secret", "publishable"]);
    const raw = await readBody(req, BATCH_BYTES_LIMIT);
    const envelope = BatchEnvelope.safeParse(parseJson(raw));
    if (!envelope.success) throw invalid(toIssues(envelope.error));
    // No single message can be over the per-message limit when the whole body is not.
    const checkSizes = Buffer.byteLength(raw, "utf8") > EVENT_BYTES_LIMIT;

    const results: BatchItemResult[] = new Array<BatchItemResult>(envelope.data.batch.length);
    const accepted: Array<{ index: number; message: IngestMessage }> = [];
    envelope.data.batch.forEach((item, index) => {
      // Counted without recursion: a hostile item nested 100,000 deep must not overflow the stack.
      if (checkSizes && jsonByteLength(item, EVENT_BYTES_LIMIT) > EVENT_BYTES_LIMIT) {
        const message = `Message is larger than ${EVENT_BYTES_LIMIT / 1024} KB`;
        results[index] = {
          index,
          ok: false,
          error: { status: 413, message, issues: [{ path: `batch.${index}`, message }] },
        };
        return;
      }
      const parsed = parseBatchItem(item, index, envelope.data.context);
      if (parsed.ok) accepted.push({ index, message: parsed.message });
      else
        results[index] = {
          index,
          ok: false,
          error: {
            status: 400,
            message: parsed.issues[0]?.message ?? "Invalid message",
            issues: parsed.issues,
          },
        };
    });

    const report = await ingestMessages(db, {
      workspaceId,
      messages: accepted.map((a) => a.message),
      keyKind: kind,
    });
    report.outcomes.forEach((outcome, k) => {
      const index = accepted[k]!.index;
      results[index] = outcome.ok
        ? { index, ok: true, id: outcome.id, duplicate: outcome.duplicate }
        : {
            index,
            ok: false,
            error: {
              status: outcome.status,
              message: outcome.error.message,
              issues: outcome.error.issues.map((i) => ({ ...i, path: `batch.${index}.${i.path}` })),
            },
          };
    });
    // The confirmation is asked for first: a welcome email in this batch then waits for it.
    await sendOptIns(db, workspaceId, report);
    await notifyEventsStored(workspaceId, report.stored);
    return json(200, { results }, CORS_HEADERS);
  });
}

/** `PUT /api/v1/products/{id}` — create or update a product (secret key only). */
export function handleProductPut(db: Db, req: Request, productId: string): Promise<Response> {
  return serve({}, async () => {
    const { workspaceId } = await authenticate(db, req, ["secret"]);
    const id = ProductId.safeParse(productId);
    const body = ProductInput.safeParse(parseJson(await readBody(req, EVENT_BYTES_LIMIT)));
    const issues = [
      ...(id.success ? [] : toIssues(id.error, ["id"])),
      ...(body.success ? [] : toIssues(body.error)),
    ];
    if (!id.success || !body.success) throw invalid(issues);
    const result = await upsertProduct(db, { workspaceId, productId: id.data, product: body.data });
    await notifyEventsStored(workspaceId, result.backInStock);
    const p = result.product;
    return json(result.created ? 201 : 200, {
      ok: true,
      created: result.created,
      product: {
        id: p.id,
        title: p.title,
        url: p.url,
        image: p.imageUrl,
        price: p.priceCents / 100,
        currency: p.currency,
        category: p.category,
        inventory: p.inventory,
        daysPerUnit: p.daysPerUnit,
        properties: p.properties,
        updatedAt: p.updatedAt.toISOString(),
      },
      backInStock: { notified: result.backInStock.length },
    });
  });
}

/** `POST /api/webhooks/shopify/{workspaceSlug}` — a Shopify webhook delivery, HMAC-verified. */
export function handleShopifyWebhook(db: Db, req: Request, workspaceSlug: string): Promise<Response> {
  return serve({}, async () => {
    if (!WorkspaceSlug.safeParse(workspaceSlug).success)
      throw new RequestError(404, "No workspace has this webhook address", [
        { path: "workspaceSlug", message: "Not a workspace" },
      ]);
    const workspace = await getShopifyWebhookSecret(db, { workspaceSlug });
    if (!workspace?.secret)
      throw new RequestError(
        401,
        "Shopify webhooks are not set up for this workspace: add the signing secret in Settings",
      );
    const body = await readBodyBytes(req, SHOPIFY_BYTES_LIMIT);
    if (!verifyShopifyHmac(body, workspace.secret, req.headers.get("x-shopify-hmac-sha256"))) {
      throw new RequestError(
        401,
        "X-Shopify-Hmac-Sha256 does not match the body and the workspace's signing secret",
      );
    }
    const topic = req.headers.get("x-shopify-topic")?.trim() ?? "";
    if (!isShopifyTopic(topic))
      return json(200, { ok: true, ignored: `topic ${topic || "(none)"} is not used` });
    const webhookId = req.headers.get("x-shopify-webhook-id")?.trim();
    if (!webhookId || webhookId.length > 200)
      throw new RequestError(400, "Missing X-Shopify-Webhook-Id", [
        { path: "X-Shopify-Webhook-Id", message: "Required" },
      ]);
    const payload = parseJson(decodeUtf8(body));
    const shopDomain = req.headers.get("x-shopify-shop-domain")?.trim() || undefined;

    const { result, stored } = await ingestShopifyDelivery(db, {
      workspaceId: workspace.workspaceId,
      topic,
      webhookId,
      payload,
      shopDomain,
    });
    await notifyEventsStored(workspace.workspaceId, stored);
    if (!result.ok) return json(result.status, { error: { message: result.message, issues: result.issues } });
    return json(200, { topic, ...result });
  });
}

/** `GET /api/v1/openapi.json` — the OpenAPI 3.1 description of /api/v1. */
export function handleOpenApi(req: Request, baseUrl?: string): Response {
  return json(200, buildOpenApiDocument({ baseUrl: baseUrl ?? new URL(req.url).origin }), {
    ...CORS_HEADERS,
    "cache-control": "public, max-age=300",
  });
}

/** CORS preflight for the browser-facing endpoints (publishable keys). */
export function handlePreflight(): Response {
  return new Response(null, { status: 204, headers: CORS_HEADERS });
}
