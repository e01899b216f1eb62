/**
 * Click and open tracking that works without provider webhooks. Links in a sent email are
 * rewritten to `/r/<token>`, a signed pair of message id and destination (`signed-token.ts`);
 * an open pixel points at `/o/<token>`. A click is recorded and forwarded. The tracking
 * never breaks a link: a token whose signature is bad still forwards, without recording,
 * when its destination is a link that message really carried (or the shop's own host) —
 * anything else is refused, so the redirect cannot be used to send people elsewhere. Only
 * http(s) destinations are ever redirected to.
 */
import { and, eq } from "drizzle-orm";
import { Parser } from "htmlparser2";
import type { DbOrTx } from "@/server/db/client";
import { messageEvents, messages } from "@/server/db/schema";
import { readToken, signToken } from "@/server/channels/signed-token";

export interface LinkPayload {
  /** Message id. */
  m: string;
  /** Destination URL (absent for the open pixel). */
  u?: string;
}

/** A click token (with a destination) or an open-pixel token (without), in the one signed-token format. */
export function signLink(payload: LinkPayload, key: string): string {
  return signToken(payload.u === undefined ? "open.v2" : "click.v2", { ...payload }, key);
}

/** The payload and whether its signature holds; null when it cannot even be read. */
export function readLink(
  token: string,
  key: string,
  kind: "click" | "open" = "click",
): { payload: LinkPayload; verified: boolean } | null {
  const read = readToken(kind === "click" ? "click.v2" : "open.v2", token, key);
  if (!read) return null;
  const { m, u } = read.payload;
  if (typeof m !== "string" || (u !== undefined && typeof u !== "string")) return null;
  return { payload: u === undefined ? { m } : { m, u }, verified: read.verified };
}

/** The destination as a redirect may send it: http(s) only (never `javascript:` or `data:`), normalised. */
export function safeDestination(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
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
  const read = readLink(input.token, input.key, "click");
  if (!read?.payload.u) return { status: 400, reason: "This link is not one we sent." };
  const { m, u } = read.payload;
  // A forged destination with control characters (CR/LF) could never be sent as a Location header.
  if (!isHeaderSafe(u)) return { status: 400, reason: "This link is not one we sent." };
  const location = safeDestination(u);
  if (!location) return { status: 400, reason: "This link does not lead to a web page." };
  const [message] = UUID.test(m)
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
    return { status: 302, location, recorded: true };
  }
  if (sentLinks.includes(u) || sameHost(u, input.appUrl)) return { status: 302, location, recorded: false };
  return { status: 400, reason: "This link is not one we sent." };
}

export async function handleOpen(
  db: DbOrTx,
  input: { token: string; key: string; now: Date },
): Promise<boolean> {
  const read = readLink(input.token, input.key, "open");
  if (!read?.verified) return false;
  const [message] = UUID.test(read.payload.m)
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

/** A message id as the messages table stores it; anything else cannot name a message. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f]/;
function isHeaderSafe(url: string): boolean {
  return !CONTROL.test(url) && URL.canParse(url);
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
