/**
 * SMS through Twilio's REST API (plain fetch, no SDK):
 * `POST {base}/2010-04-01/Accounts/{sid}/Messages.json`, form-encoded, basic auth.
 *
 * Twilio's Messages API takes no idempotency key, so a retry is only safe when the
 * request surely never reached Twilio (connection refused, DNS failure). A timeout or a
 * connection cut after sending may have sent the SMS: it is reported as not retryable,
 * so the contact never gets it twice.
 */
import type { SendOptions, SendResult, SmsMessage, SmsProvider } from "./types";

export const TWILIO_DEFAULT_BASE_URL = "https://api.twilio.com";
const DEFAULT_TIMEOUT_MS = 15_000;

export type TwilioProviderOptions = {
  accountSid: string;
  authToken: string;
  /** Sender number (E.164) or a Messaging Service SID (`MG…`). */
  from: string;
  /** For tests; defaults to https://api.twilio.com (env `TWILIO_BASE_URL`). */
  baseUrl?: string | undefined;
  /** Twilio posts delivery status updates here. */
  statusCallbackUrl?: string | undefined;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

type TwilioError = { code?: number; message?: string; status?: number; more_info?: string };

function retryAfter(res: Response): number | undefined {
  const v = res.headers.get("retry-after")?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

function errorCode(err: unknown): string | undefined {
  const cause =
    err instanceof Error ? (err.cause as { code?: unknown; errors?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") return cause.code;
  // Several addresses tried (IPv4 and IPv6): all must have refused.
  if (Array.isArray(cause?.errors)) {
    const codes = new Set(cause.errors.map((e: { code?: unknown }) => e.code));
    const [only] = codes;
    if (codes.size === 1 && typeof only === "string") return only;
  }
  return undefined;
}

/** True when the request cannot have reached Twilio. */
function neverReached(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

function describe(err: unknown): string {
  const code = errorCode(err);
  const msg = err instanceof Error ? err.message : String(err);
  return code ? `${msg} (${code})` : msg;
}

export function createTwilioSmsProvider(options: TwilioProviderOptions): SmsProvider {
  const base = (options.baseUrl ?? TWILIO_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function send(message: SmsMessage, _options: SendOptions): Promise<SendResult> {
    if (!message.to.trim()) return { ok: false, retryable: false, error: "Missing recipient phone number." };
    if (!message.body.trim()) return { ok: false, retryable: false, error: "Empty SMS body." };
    const form = new URLSearchParams({ To: message.to, Body: message.body });
    const from = message.from ?? options.from;
    if (from.startsWith("MG")) form.set("MessagingServiceSid", from);
    else form.set("From", from);
    if (options.statusCallbackUrl) form.set("StatusCallback", options.statusCallbackUrl);

    let res: Response;
    try {
      res = await doFetch(url, {
        method: "POST",
        headers: {
          authorization: auth,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      if (neverReached(err))
        return { ok: false, retryable: true, error: `Twilio unreachable: ${describe(err)}` };
      return {
        ok: false,
        retryable: false,
        error: `Twilio did not answer (${describe(err)}); the SMS may have been sent, so it is not retried.`,
      };
    }

    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    if (res.ok) {
      const sid = (body as { sid?: unknown } | undefined)?.sid;
      return typeof sid === "string" && sid
        ? { ok: true, providerMessageId: sid }
        : { ok: false, retryable: true, error: "Twilio answered without a message sid." };
    }
    const e = (body ?? {}) as TwilioError;
    const text = `Twilio ${res.status}${e.code ? ` (${e.code})` : ""}: ${e.message ?? res.statusText}`;
    if (res.status === 429 || e.code === 20429) {
      const wait = retryAfter(res);
      return wait === undefined
        ? { ok: false, retryable: true, error: text }
        : { ok: false, retryable: true, retryAfterMs: wait, error: text };
    }
    if (res.status >= 500 || res.status === 408) return { ok: false, retryable: true, error: text };
    return { ok: false, retryable: false, error: text };
  }

  return { name: "twilio", send };
}
