/**
 * The one format of every signed link the product sends: unsubscribe and preference links,
 * click tracking (`/r/`), the open pixel (`/o/`) and the double opt-in confirmation.
 *
 * `base64url(JSON payload) + "." + base64url(HMAC-SHA256(key, purpose + "." + payload part))`.
 * The purpose is part of what is signed, so a token made for one kind of link is refused by
 * every other kind. `verifyToken` reads a payload only once its signature checked out;
 * `readToken` also hands back the payload of a token whose signature does not hold, marked
 * unverified, for the one caller that may still use it (a click forwards to a destination
 * the message really carried, so a mangled link in an old email never breaks).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** What a token is for. `unsubscribe.v1` keeps the links in emails sent before this format valid. */
export type TokenPurpose = "unsubscribe.v1" | "click.v2" | "open.v2" | "opt-in.v1";

const MAX_TOKEN_LENGTH = 4096;
const PART = /^[A-Za-z0-9_-]+$/;

function mac(purpose: TokenPurpose, part: string, key: string | Buffer): string {
  return createHmac("sha256", key).update(`${purpose}.${part}`).digest("base64url");
}

function checkKey(key: string | Buffer): void {
  if (key.length < 16) throw new Error("Link signing key must be at least 16 bytes.");
}

export function signToken(
  purpose: TokenPurpose,
  payload: Record<string, unknown>,
  key: string | Buffer,
): string {
  checkKey(key);
  const part = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${part}.${mac(purpose, part, key)}`;
}

/** The payload of a genuine token for this purpose; `null` for a tampered, truncated or foreign one. */
export function verifyToken(
  purpose: TokenPurpose,
  token: unknown,
  key: string | Buffer,
): Record<string, unknown> | null {
  const read = readToken(purpose, token, key);
  return read?.verified ? read.payload : null;
}

/** The payload and whether its signature holds for this purpose; `null` when it cannot even be read. */
export function readToken(
  purpose: TokenPurpose,
  token: unknown,
  key: string | Buffer,
): { payload: Record<string, unknown>; verified: boolean } | null {
  checkKey(key);
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return null;
  const [part, sig, ...rest] = token.split(".");
  if (!part || !sig || rest.length > 0 || !PART.test(part) || !PART.test(sig)) return null;
  let payload: Record<string, unknown>;
  try {
    const body: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
    payload = body as Record<string, unknown>;
  } catch {
    return null;
  }
  // Compare the signature as text: base64url decoding ignores stray trailing characters.
  const expected = Buffer.from(mac(purpose, part, key));
  const given = Buffer.from(sig);
  const verified = given.length === expected.length && timingSafeEqual(given, expected);
  return { payload, verified };
}
