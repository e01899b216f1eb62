/**
 * Signed unsubscribe tokens for one-click unsubscribe links (RFC 8058).
 *
 * `base64url(JSON payload) + "." + base64url(HMAC-SHA256(key, payload part))`.
 * Tokens do not expire: an unsubscribe link must keep working for as long as the
 * email sits in an inbox. Rotating the key invalidates old links, so keep old keys
 * around and try them in turn if you rotate.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { CHANNELS as CHANNEL_LIST } from "@/server/engine/facts";
import type { Channel } from "./types";

export type UnsubscribePayload = {
  workspaceId: string;
  contactId: string;
  channel: Channel;
  /** The message the link was in, for attribution. */
  messageId?: string;
};

const CHANNELS: ReadonlySet<string> = new Set<Channel>(CHANNEL_LIST);

function mac(part: string, key: string | Buffer): Buffer {
  return createHmac("sha256", key).update(`unsubscribe.v1.${part}`).digest();
}

function checkKey(key: string | Buffer): void {
  if (key.length < 16) throw new Error("Unsubscribe signing key must be at least 16 bytes.");
}

export function signUnsubscribe(payload: UnsubscribePayload, key: string | Buffer): string {
  checkKey(key);
  const body: Record<string, string> = { w: payload.workspaceId, c: payload.contactId, ch: payload.channel };
  if (payload.messageId) body.m = payload.messageId;
  const part = Buffer.from(JSON.stringify(body)).toString("base64url");
  return `${part}.${mac(part, key).toString("base64url")}`;
}

/** The payload of a genuine token; `null` for a tampered, truncated or foreign one. */
export function verifyUnsubscribe(token: string, key: string | Buffer): UnsubscribePayload | null {
  checkKey(key);
  if (typeof token !== "string" || token.length > 2048) return null;
  const [part, sig, ...rest] = token.split(".");
  if (!part || !sig || rest.length > 0) return null;
  if (!/^[A-Za-z0-9_-]+$/.test(part) || !/^[A-Za-z0-9_-]+$/.test(sig)) return null;
  // Compare the signature as text: base64url decoding ignores stray trailing characters.
  const expected = Buffer.from(mac(part, key).toString("base64url"));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof body !== "object" || body === null) return null;
  const { w, c, ch, m } = body as Record<string, unknown>;
  if (
    typeof w !== "string" ||
    !w ||
    typeof c !== "string" ||
    !c ||
    typeof ch !== "string" ||
    !CHANNELS.has(ch)
  )
    return null;
  const payload: UnsubscribePayload = { workspaceId: w, contactId: c, channel: ch as Channel };
  if (typeof m === "string" && m) payload.messageId = m;
  return payload;
}
