/**
 * Signed unsubscribe and preference tokens for the links in every message (RFC 8058),
 * in the one signed-token format (`./signed-token`).
 *
 * Tokens do not expire: an unsubscribe link must keep working for as long as the email sits
 * in an inbox. Each carries the version of the contact's links it was made with; raising the
 * contact's `link_version` rotates them: an older link still unsubscribes but can no longer
 * subscribe (see `server/messages/consent.ts`).
 */
import { CHANNELS as CHANNEL_LIST } from "@/server/engine/facts";
import { signToken, verifyToken } from "./signed-token";
import type { Channel } from "./types";

export type UnsubscribePayload = {
  workspaceId: string;
  contactId: string;
  channel: Channel;
  /** The message the link was in, for attribution. */
  messageId?: string;
  /** The contact's link version when the link was made (0 when absent). */
  version?: number;
};

const CHANNELS: ReadonlySet<string> = new Set<Channel>(CHANNEL_LIST);

export function signUnsubscribe(payload: UnsubscribePayload, key: string | Buffer): string {
  const body: Record<string, string | number> = {
    w: payload.workspaceId,
    c: payload.contactId,
    ch: payload.channel,
  };
  if (payload.messageId) body.m = payload.messageId;
  if (payload.version) body.v = payload.version;
  return signToken("unsubscribe.v1", body, key);
}

/** The payload of a genuine token; `null` for a tampered, truncated or foreign one. */
export function verifyUnsubscribe(token: string, key: string | Buffer): UnsubscribePayload | null {
  const body = verifyToken("unsubscribe.v1", token, key);
  if (!body) return null;
  const { w, c, ch, m, v } = body;
  if (
    typeof w !== "string" ||
    !w ||
    typeof c !== "string" ||
    !c ||
    typeof ch !== "string" ||
    !CHANNELS.has(ch)
  )
    return null;
  if (v !== undefined && (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)) return null;
  const payload: UnsubscribePayload = { workspaceId: w, contactId: c, channel: ch as Channel };
  if (typeof m === "string" && m) payload.messageId = m;
  if (typeof v === "number" && v > 0) payload.version = v;
  return payload;
}
