/**
 * Headers every email provider puts on a message, so the Outbox and Resend agree:
 * marketing mail carries RFC 8058 one-click unsubscribe headers, transactional mail
 * never does (whatever the caller passed).
 */
import type { EmailMessage } from "./types";

const OWNED = new Set(["list-unsubscribe", "list-unsubscribe-post"]);

export type PreparedHeaders = { ok: true; headers: Record<string, string> } | { ok: false; error: string };

function isWebUrl(url: string | undefined): url is string {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

export function emailHeaders(message: EmailMessage): PreparedHeaders {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (OWNED.has(name.toLowerCase())) continue;
    // A header value never spans lines.
    headers[name] = value.replace(/[\r\n]+/g, " ");
  }
  if (message.category === "marketing") {
    if (!isWebUrl(message.unsubscribeUrl)) {
      return { ok: false, error: "Marketing email needs an absolute unsubscribe link." };
    }
    headers["List-Unsubscribe"] = `<${message.unsubscribeUrl}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  return { ok: true, headers };
}
