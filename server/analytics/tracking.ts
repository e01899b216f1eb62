/**
 * Click and open tracking that works without provider webhooks. Links in a sent email are
 * rewritten to `/r/<token>`, a signed (HMAC-SHA256) pair of message id and destination;
 * an open pixel points at `/o/<token>`. A click is recorded and forwarded. The tracking
 * never breaks a link: a token whose signature is bad still forwards, without recording,
 * when its destination is a link that message really carried (or the shop's own host) —
 * anything else is refused, so the redirect cannot be used to send people elsewhere.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { Parser } from "htmlparser2";
import type { DbOrTx } from "@/server/db/client";
import { messageEvents, messages } from "@/server/db/schema";

export interface LinkPayload {
  /** Message id. */
  m: string;
  /** Destination URL (absent for the open pixel). */
  u?: string;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString("base64url");

export function signLink(payload: LinkPayload, key: string): string {
  const body = b64(JSON.stringify(payload));
  const mac = createHmac("sha256", key).update(body).digest("base64url").slice(0, 32);
  return `${body}.${mac}`;
}

/** The payload and whether its signature holds; null when it cannot even be read. */
export function readLink(token: string, key: string): { payload: LinkPayload; verified: boolean } | null {
  const [body, mac] = token.split(".");
  if (!body || !mac || token.length > 4096) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!payload || typeof payload !== "object") return null;
  const { m, u } = payload as Record<string, unknown>;
  if (typeof m !== "string" || (u !== undefined && typeof u !== "string")) return null;
  const expected = createHmac("sha256", key).update(body).digest("base64url").slice(0, 32);
  const verified = expected.length === mac.length && timingSafeEqual(Buffer.from(expected), Buffer.from(mac));
  return { payload: u === undefined ? { m } : { m, u }, verified };
}

/** Tags whose `href` a reader clicks. */
const LINK_TAGS = new Set(["a", "area"]);

/**
 * Where each clickable http(s) link sits in the HTML: the source range of its `href`
 * attribute and its URL with entities decoded, read by an HTML parser (any quoting,
 * any case, entities such as `&amp;` in query strings).
 */
function linkAttributes(html: string): Array<{ start: number; end: number; url: string }> {
  const found: Array<{ start: number; end: number; url: string }> = [];
  let tag = "";
  const parser: Parser = new Parser(
    {
      onopentagname(name) {
        tag = name;
      },
      onattribute(name, value) {
        if (name === "href" && LINK_TAGS.has(tag) && /^https?:\/\//i.test(value.trim()))
          found.push({ start: parser.startIndex, end: parser.endIndex, url: value.trim() });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return found;
}

/**
 * Rewrites every http(s) link of an email to its tracking redirect and adds an open pixel.
 * Unsubscribe and preference links stay direct (one-click must keep working as it is).
 * Only the `href` attributes change; the rest of the HTML is kept byte for byte.
 */
export function addTracking(
  html: string,
  input: { messageId: string; appUrl: string; key: string; keep?: (url: string) => boolean },
): { html: string; links: string[] } {
  const links = new Set<string>();
  let rewritten = "";
  let at = 0;
  for (const link of linkAttributes(html)) {
    if (input.keep?.(link.url)) continue;
    links.add(link.url);
    rewritten += `${html.slice(at, link.start)}href="${input.appUrl}/r/${signLink({ m: input.messageId, u: link.url }, input.key)}"`;
    at = link.end;
  }
  rewritten += html.slice(at);
  const pixel = `<img src="${input.appUrl}/o/${signLink({ m: input.messageId }, input.key)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" />`;
  const withPixel = rewritten.includes("</body>")
    ? rewritten.replace("</body>", `${pixel}</body>`)
    : rewritten + pixel;
  return { html: withPixel, links: [...links] };
}

export type ClickOutcome =
  { status: 302; location: string; recorded: boolean } | { status: 400; reason: string };

export async function handleClick(
  db: DbOrTx,
  input: { token: string; key: string; appUrl: string; now: Date; userAgent?: string | null },
): Promise<ClickOutcome> {
  const read = readLink(input.token, input.key);
  if (!read?.payload.u) return { status: 400, reason: "This link is not one we sent." };
  const { m, u } = read.payload;
  const [message] = /^[0-9a-f-]{36}$/i.test(m)
    ? await db
        .select({ id: messages.id, workspaceId: messages.workspaceId, content: messages.content })
        .from(messages)
        .where(eq(messages.id, m))
    : [];
  const sentLinks = Array.isArray(message?.content.links) ? (message.content.links as unknown[]) : [];
  if (read.verified && message) {
    await db.insert(messageEvents).values({
      workspaceId: message.workspaceId,
      messageId: message.id,
      type: "clicked",
      url: u,
      occurredAt: input.now,
      data: { via: "redirect", userAgent: input.userAgent ?? null },
    });
    return { status: 302, location: u, recorded: true };
  }
  if (sentLinks.includes(u) || sameHost(u, input.appUrl))
    return { status: 302, location: u, recorded: false };
  return { status: 400, reason: "This link is not one we sent." };
}

export async function handleOpen(
  db: DbOrTx,
  input: { token: string; key: string; now: Date },
): Promise<boolean> {
  const read = readLink(input.token, input.key);
  if (!read?.verified) return false;
  const [message] = /^[0-9a-f-]{36}$/i.test(read.payload.m)
    ? await db
        .select({ id: messages.id, workspaceId: messages.workspaceId })
        .from(messages)
        .where(and(eq(messages.id, read.payload.m)))
    : [];
  if (!message) return false;
  await db.insert(messageEvents).values({
    workspaceId: message.workspaceId,
    messageId: message.id,
    type: "opened",
    occurredAt: input.now,
    data: { via: "pixel" },
  });
  return true;
}

function sameHost(url: string, appUrl: string): boolean {
  try {
    return new URL(url).host === new URL(appUrl).host;
  } catch {
    return false;
  }
}

/** A transparent 1×1 GIF. */
export const PIXEL_GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
