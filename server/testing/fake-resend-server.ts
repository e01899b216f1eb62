/**
 * A local stand-in for Resend's HTTP API, for tests and benchmarks (node:http only).
 *
 * Speaks `POST /emails`, `POST /emails/batch` and `GET /emails/:id` with Resend's
 * response and error shapes (`{ id }`, `{ data: [{ id }] }`,
 * `{ statusCode, name, message }`), Bearer auth and the `Idempotency-Key` header:
 * the same key with the same body answers the first response again and records
 * nothing new; the same key with another body is a 409 `invalid_idempotent_request`;
 * a key whose first request is still running is a 409 `concurrent_idempotent_requests`.
 *
 * Switches: `failNext(n, status, retryAfterSeconds?)` answers the next n requests with
 * that error (429 carries `Retry-After` and `ratelimit-*` headers), `hangNext(n)`
 * never answers the next n requests (until `close()`), `dropNext(n)` processes the next n
 * requests and then cuts the connection (the email is sent, the answer is lost).
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeResendEmail = {
  id: string;
  /** The request's Idempotency-Key (for a batch, the batch's key), if any. */
  idempotencyKey?: string;
  endpoint: "/emails" | "/emails/batch";
  /** Position in its batch, for batch sends. */
  batchIndex?: number;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  createdAt: string;
};

export type FakeResendRequest = {
  method: string;
  path: string;
  status: number;
  idempotencyKey?: string;
  /** Number of emails in the request body (1 for `/emails`). */
  emails: number;
  /** True when the answer was replayed from an earlier request with the same key. */
  replayed: boolean;
  /** When the request arrived (ms since the epoch, this process's clock). */
  at: number;
};

export type FakeResend = {
  url: string;
  port: number;
  close: () => Promise<void>;
  /** Emails accepted, in order. An idempotent replay does not add one. */
  received: () => FakeResendEmail[];
  /** Every request answered, including failures and replays. */
  requests: () => FakeResendRequest[];
  /** Accepted emails per idempotency key. */
  countsByIdempotencyKey: () => Record<string, number>;
  /** Accepted emails per value of one tag (e.g. `message_id`), whether sent alone or in a batch. */
  countsByTag: (name: string) => Record<string, number>;
  failNext: (n: number, status: number, retryAfterSeconds?: number) => void;
  hangNext: (n: number) => void;
  /** Process the next n requests normally, then drop the connection instead of answering. */
  dropNext: (n: number) => void;
  /** Process the next n requests normally (the emails are accepted), then never answer: a sender that dies now has sent them. */
  stallNext: (n: number) => void;
  /** Once `after` requests have arrived, accept the next `n` but never answer them. */
  stallAfter: (after: number, n: number) => void;
  reset: () => void;
};

export type FakeResendOptions = {
  port?: number;
  /** When set, only this key is accepted; otherwise any `re_…` key is. */
  apiKey?: string;
};

type StoredResponse = { bodyHash: string; status: number; body: unknown; done: boolean };

const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;
const ERROR_NAMES: Record<number, string> = {
  400: "validation_error",
  401: "missing_api_key",
  403: "invalid_api_key",
  404: "not_found",
  405: "method_not_allowed",
  409: "invalid_idempotent_request",
  422: "validation_error",
  429: "rate_limit_exceeded",
  500: "internal_server_error",
  503: "internal_server_error",
};

function errorBody(status: number, name: string, message: string) {
  return { statusCode: status, name, message };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** Validates one email body as Resend does; answers an error message or the normalised email. */
function validateEmail(
  v: unknown,
): { error: string } | { email: Omit<FakeResendEmail, "id" | "endpoint" | "createdAt"> } {
  const e = asRecord(v);
  if (!e) return { error: "Invalid email payload." };
  const from = typeof e.from === "string" ? e.from.trim() : "";
  if (!from) return { error: "Missing `from` field." };
  const toRaw = e.to;
  const to = (Array.isArray(toRaw) ? toRaw : [toRaw]).filter(
    (t): t is string => typeof t === "string" && t.trim() !== "",
  );
  if (to.length === 0) return { error: "Missing `to` field." };
  if (to.length > 50) return { error: "Too many recipients: `to` takes at most 50." };
  if (!to.every((t) => /^[^\s@<>]+@[^\s@<>]+$/.test(t.replace(/^.*<([^>]+)>$/, "$1")))) {
    return {
      error:
        "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
    };
  }
  if (typeof e.subject !== "string" || e.subject === "") return { error: "Missing `subject` field." };
  if (typeof e.html !== "string" && typeof e.text !== "string")
    return { error: "Missing `html` or `text` field." };
  const tags: { name: string; value: string }[] = [];
  if (e.tags !== undefined) {
    if (!Array.isArray(e.tags)) return { error: "Invalid `tags` field." };
    for (const t of e.tags) {
      const tag = asRecord(t);
      const name = tag?.name;
      const value = tag?.value;
      if (
        typeof name !== "string" ||
        typeof value !== "string" ||
        !TAG_PART.test(name) ||
        !TAG_PART.test(value)
      ) {
        return {
          error:
            "Tags should only contain ASCII letters (a–z, A–Z), numbers (0–9), underscores (_), or dashes (-).",
        };
      }
      tags.push({ name, value });
    }
  }
  const headers: Record<string, string> = {};
  const h = asRecord(e.headers);
  if (h) for (const [k, val] of Object.entries(h)) if (typeof val === "string") headers[k] = val;
  const email: Omit<FakeResendEmail, "id" | "endpoint" | "createdAt"> = {
    from,
    to,
    subject: e.subject,
    headers,
    tags,
  };
  if (typeof e.html === "string") email.html = e.html;
  if (typeof e.text === "string") email.text = e.text;
  return { email };
}

export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  let emails: FakeResendEmail[] = [];
  let log: FakeResendRequest[] = [];
  let idempotency = new Map<string, StoredResponse>();
  let failures: { remaining: number; status: number; retryAfter?: number | undefined } | undefined;
  let hangs = 0;
  let drops = 0;
  let stalls = 0;
  let stallFrom: { after: number; n: number } | undefined;
  const hanging = new Set<ServerResponse>();

  function answer(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json", ...extra });
    res.end(JSON.stringify(body));
  }

  function authorised(req: IncomingMessage, res: ServerResponse): boolean {
    const auth = req.headers.authorization ?? "";
    const match = /^Bearer (.+)$/.exec(auth);
    if (!match?.[1]) {
      answer(res, 401, errorBody(401, "missing_api_key", "Missing API key in the authorization header."));
      return false;
    }
    const ok = options.apiKey ? match[1] === options.apiKey : match[1].startsWith("re_");
    if (!ok) {
      answer(res, 403, errorBody(403, "invalid_api_key", "API key is invalid."));
      return false;
    }
    return true;
  }

  function accept(
    list: unknown[],
    endpoint: FakeResendEmail["endpoint"],
    key: string | undefined,
    permissive: boolean,
  ) {
    const checked = list.map(validateEmail);
    const firstError = checked.findIndex((c) => "error" in c);
    if (!permissive && firstError >= 0) {
      const c = checked[firstError] as { error: string };
      const where = endpoint === "/emails/batch" ? ` (email ${firstError})` : "";
      return { status: 422, body: errorBody(422, "validation_error", `${c.error}${where}`) };
    }
    const data: { id: string }[] = [];
    const errors: { index: number; message: string }[] = [];
    checked.forEach((c, index) => {
      if ("error" in c) {
        errors.push({ index, message: c.error });
        return;
      }
      const id = randomUUID();
      const stored: FakeResendEmail = { ...c.email, id, endpoint, createdAt: new Date().toISOString() };
      if (key !== undefined) stored.idempotencyKey = key;
      if (endpoint === "/emails/batch") stored.batchIndex = index;
      emails.push(stored);
      data.push({ id });
    });
    if (endpoint === "/emails") return { status: 200, body: data[0] };
    return { status: 200, body: permissive ? { data, errors } : { data } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const key =
      typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : undefined;
    const raw = await readBody(req);
    const entry: FakeResendRequest = { method, path, status: 0, emails: 0, replayed: false, at: Date.now() };
    if (key !== undefined) entry.idempotencyKey = key;
    log.push(entry);
    if (stallFrom && log.length > stallFrom.after) {
      stalls += stallFrom.n;
      stallFrom = undefined;
    }
    const dropping = hangs === 0 && drops > 0;
    if (dropping) drops--;
    const stalling = hangs === 0 && !dropping && stalls > 0;
    if (stalling) stalls--;
    const send = (status: number, body: unknown, extra?: Record<string, string>) => {
      entry.status = status;
      if (dropping) {
        res.socket?.destroy();
        return;
      }
      if (stalling) {
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      }
      answer(res, status, body, extra);
    };

    if (hangs > 0) {
      hangs--;
      entry.status = -1;
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if (failures && failures.remaining > 0) {
      const { status, retryAfter } = failures;
      failures.remaining--;
      const name = ERROR_NAMES[status] ?? "application_error";
      const extra: Record<string, string> = {};
      if (status === 429) {
        const wait = String(retryAfter ?? 1);
        Object.assign(extra, {
          "retry-after": wait,
          "ratelimit-limit": "2",
          "ratelimit-remaining": "0",
          "ratelimit-reset": wait,
        });
      } else if (retryAfter !== undefined) {
        extra["retry-after"] = String(retryAfter);
      }
      const message =
        status === 429
          ? "Too many requests. You can only make 2 requests per second."
          : `Injected ${status} failure.`;
      send(status, errorBody(status, name, message), extra);
      return;
    }
    if (!authorised(req, res)) {
      entry.status = res.statusCode;
      return;
    }

    const getMatch = /^\/emails\/([^/]+)$/.exec(path);
    if (method === "GET" && getMatch && getMatch[1] !== "batch") {
      const e = emails.find((x) => x.id === getMatch[1]);
      if (!e) return send(404, errorBody(404, "not_found", "Email not found."));
      return send(200, {
        object: "email",
        id: e.id,
        to: e.to,
        from: e.from,
        created_at: e.createdAt,
        subject: e.subject,
        html: e.html ?? null,
        text: e.text ?? null,
        tags: e.tags,
        last_event: "delivered",
      });
    }
    if (method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) {
      return send(405, errorBody(405, "method_not_allowed", "Method not allowed."));
    }

    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(400, errorBody(400, "validation_error", "Invalid JSON body."));
    }
    const endpoint: FakeResendEmail["endpoint"] = path;
    if (endpoint === "/emails/batch" && (!Array.isArray(body) || body.length === 0 || body.length > 100)) {
      return send(422, errorBody(422, "validation_error", "The batch must hold between 1 and 100 emails."));
    }
    const list = Array.isArray(body) ? (body as unknown[]) : [body];
    entry.emails = list.length;

    if (key !== undefined) {
      if (key.length < 1 || key.length > 256) {
        return send(
          400,
          errorBody(
            400,
            "invalid_idempotency_key",
            "The idempotency key has to be between 1-256 characters.",
          ),
        );
      }
      const bodyHash = createHash("sha256").update(raw).digest("hex");
      const scoped = `${endpoint} ${key}`;
      const prior = idempotency.get(scoped);
      if (prior) {
        if (prior.bodyHash !== bodyHash) {
          return send(
            409,
            errorBody(
              409,
              "invalid_idempotent_request",
              "Same idempotency key used with a different request payload.",
            ),
          );
        }
        if (!prior.done) {
          return send(
            409,
            errorBody(
              409,
              "concurrent_idempotent_requests",
              "Same idempotency key used while original request is still in progress.",
            ),
          );
        }
        entry.replayed = true;
        return send(prior.status, prior.body);
      }
      const stored: StoredResponse = { bodyHash, status: 0, body: null, done: false };
      idempotency.set(scoped, stored);
      const permissive = req.headers["x-batch-validation"] === "permissive";
      const result = accept(list, endpoint, key, permissive);
      if (result.status >= 400) {
        // Resend does not keep a refused request: the key may be used again.
        idempotency.delete(scoped);
      } else {
        Object.assign(stored, { status: result.status, body: result.body, done: true });
      }
      return send(result.status, result.body);
    }
    const result = accept(list, endpoint, undefined, req.headers["x-batch-validation"] === "permissive");
    return send(result.status, result.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) answer(res, 500, errorBody(500, "internal_server_error", String(err)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        hanging.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    received: () => emails.slice(),
    requests: () => log.slice(),
    countsByIdempotencyKey: () => {
      const counts: Record<string, number> = {};
      for (const e of emails)
        if (e.idempotencyKey !== undefined) counts[e.idempotencyKey] = (counts[e.idempotencyKey] ?? 0) + 1;
      return counts;
    },
    countsByTag: (name) => {
      const counts: Record<string, number> = {};
      for (const e of emails) {
        const value = e.tags.find((t) => t.name === name)?.value;
        if (value !== undefined) counts[value] = (counts[value] ?? 0) + 1;
      }
      return counts;
    },
    stallNext: (n) => {
      stalls = n;
    },
    stallAfter: (after, n) => {
      stallFrom = { after, n };
    },
    failNext: (n, status, retryAfterSeconds) => {
      failures = { remaining: n, status, retryAfter: retryAfterSeconds };
    },
    hangNext: (n) => {
      hangs = n;
    },
    dropNext: (n) => {
      drops = n;
    },
    reset: () => {
      emails = [];
      log = [];
      idempotency = new Map();
      failures = undefined;
      hangs = 0;
      drops = 0;
      stalls = 0;
      stallFrom = undefined;
    },
  };
}
