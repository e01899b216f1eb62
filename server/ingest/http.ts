/**
 * HTTP plumbing for the ingest endpoints: bounded body reading, JSON parsing, API-key auth,
 * and one error shape: `{ error: { message, issues: [{ path, message }] } }`.
 */
import {
  authenticateApiKey,
  keyFromAuthorization,
  type ApiKeyKind,
  type ApiPrincipal,
} from "@/server/api-keys/api-keys";
import type { DbOrTx } from "@/server/db/client";
import { DomainError, HTTP_STATUS } from "@/server/errors";
import type { Issue } from "./schemas";

/** A request that cannot be served, with the status and issues to answer with. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
    this.name = "RequestError";
  }
}

export const CORS_HEADERS: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PUT, OPTIONS",
  "access-control-allow-headers": "authorization, content-type",
  "access-control-max-age": "86400",
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function summarize(issues: readonly Issue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`);
  return `Invalid request: ${shown.join("; ")}${issues.length > 3 ? `; and ${issues.length - 3} more` : ""}`;
}

export function invalid(issues: Issue[]): RequestError {
  return new RequestError(400, summarize(issues), issues);
}

/** The error response for anything thrown while serving; unexpected errors are logged and answered with 500. */
export function errorResponse(error: unknown, headers: Record<string, string> = {}): Response {
  if (error instanceof RequestError)
    return json(error.status, { error: { message: error.message, issues: error.issues } }, headers);
  if (error instanceof DomainError) {
    const issues = error.field ? [{ path: error.field, message: error.message }] : [];
    return json(HTTP_STATUS[error.code], { error: { message: error.message, issues } }, headers);
  }
  console.error("[ingest] request failed:", error);
  return json(
    500,
    { error: { message: "Something went wrong on our side; try again", issues: [] } },
    headers,
  );
}

/**
 * Reads a JSON request body as text: refuses (415) a Content-Type other than JSON, (413)
 * anything over `limit` bytes without reading it all, and (400) bytes that are not UTF-8.
 */
export async function readBody(req: Request, limit: number): Promise<string> {
  requireJsonContentType(req);
  return decodeUtf8(await readBodyBytes(req, limit));
}

/** `application/json` or a `+json` type, in UTF-8 when a charset is named. */
export function requireJsonContentType(req: Request): void {
  const header = req.headers.get("content-type") ?? "";
  const [type = "", ...params] = header.split(";").map((part) => part.trim().toLowerCase());
  const json = type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
  const charset = params
    .find((p) => p.startsWith("charset="))
    ?.slice(8)
    .replace(/"/g, "");
  if (!json || (charset !== undefined && charset !== "utf-8" && charset !== "utf8"))
    throw new RequestError(415, "Send the body as JSON: `Content-Type: application/json`", [
      { path: "Content-Type", message: header ? `${header} is not JSON in UTF-8` : "Missing" },
    ]);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The body as text; bytes that are not valid UTF-8 are refused rather than replaced. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new RequestError(400, "The body is not valid UTF-8", [
      { path: "(body)", message: "Not valid UTF-8" },
    ]);
  }
}

/** The raw body bytes (for signatures), refusing (413) anything over `limit` bytes. */
export async function readBodyBytes(req: Request, limit: number): Promise<Buffer> {
  const header = req.headers.get("content-length");
  const declared = header === null ? NaN : Number(header);
  if (declared > limit) throw tooLarge(limit);
  if (!req.body) return Buffer.alloc(0);
  if (Number.isInteger(declared) && declared >= 0) {
    // A declared length within the limit: read it in one go (the runtime holds the body to it).
    const body = Buffer.from(await req.arrayBuffer());
    if (body.byteLength > limit) throw tooLarge(limit);
    return body;
  }
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    parts.push(value);
  }
  return Buffer.concat(parts, size);
}

function tooLarge(limit: number): RequestError {
  return new RequestError(413, `Request body is larger than ${Math.round(limit / 1024)} KB`);
}

export function parseJson(body: string): unknown {
  if (body.trim() === "")
    throw new RequestError(400, "Send a JSON body", [{ path: "(body)", message: "Empty body" }]);
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    const message = `Malformed JSON: ${error instanceof Error ? error.message : "could not parse"}`;
    throw new RequestError(400, message, [{ path: "(body)", message }]);
  }
}

/** The API key's workspace; 401 for a missing, unknown or revoked key, 403 for a key of the wrong kind. */
export async function authenticate(
  db: DbOrTx,
  req: Request,
  allowed: readonly ApiKeyKind[],
): Promise<ApiPrincipal> {
  const key = keyFromAuthorization(req.headers.get("authorization"));
  if (!key) throw new RequestError(401, "Missing API key: send `Authorization: Bearer <key>`");
  const principal = await authenticateApiKey(db, key);
  if (!principal) throw new RequestError(401, "Invalid or revoked API key");
  if (!allowed.includes(principal.kind)) {
    throw new RequestError(
      403,
      principal.kind === "publishable"
        ? "A publishable key can only track and identify; use a secret key"
        : "This key cannot use this endpoint",
    );
  }
  return principal;
}
