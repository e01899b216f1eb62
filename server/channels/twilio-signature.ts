/**
 * Twilio request signatures (`X-Twilio-Signature`): base64 of HMAC-SHA1, keyed with the
 * account's auth token, over the full URL Twilio called followed by every POST parameter
 * as `name + value`, names sorted (a repeated name contributes each value, sorted).
 * Twilio signs the URL as configured, with or without an explicit port, so both forms
 * are tried, as Twilio's own helper does.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type TwilioParams = URLSearchParams | Record<string, string | readonly string[]>;

function entries(params: TwilioParams): [string, string[]][] {
  const map = new Map<string, string[]>();
  const add = (k: string, v: string) => map.set(k, [...(map.get(k) ?? []), v]);
  if (params instanceof URLSearchParams) for (const [k, v] of params) add(k, v);
  else
    for (const [k, v] of Object.entries(params))
      for (const one of typeof v === "string" ? [v] : v) add(k, one);
  return [...map.entries()];
}

export function twilioSignature(url: string, params: TwilioParams, authToken: string): string {
  let data = url;
  const sorted = entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, values] of sorted) for (const value of [...values].sort()) data += key + value;
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

/** The URL as given, and with and without its scheme's default port. */
function urlForms(url: string): string[] {
  const forms = new Set<string>([url]);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [...forms];
  }
  const defaultPort = u.protocol === "https:" ? "443" : u.protocol === "http:" ? "80" : "";
  const rest = `${u.pathname}${u.search}`;
  // `new URL` drops a default port, so `u.port` is empty whether or not the URL spelled it out.
  if (u.port === "" && defaultPort) {
    forms.add(`${u.protocol}//${u.host}${rest}`);
    forms.add(`${u.protocol}//${u.host}:${defaultPort}${rest}`);
  }
  return [...forms];
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when `signature` was made by Twilio for one of `urls` (the URL Twilio was given) and these parameters. */
export function verifyTwilioSignature(input: {
  urls: readonly string[];
  params: TwilioParams;
  signature: string | null | undefined;
  authToken: string;
}): boolean {
  const { signature, authToken } = input;
  if (!signature || !authToken) return false;
  for (const url of input.urls) {
    for (const form of urlForms(url))
      if (same(twilioSignature(form, input.params, authToken), signature)) return true;
  }
  return false;
}
