/**
 * Request handlers for `/u/{token}` and `/u/{token}/preferences`.
 *
 * - `GET /u/{token}` shows a confirmation page; it never changes anything, because link
 *   scanners and mail previews follow GETs.
 * - `POST /u/{token}` unsubscribes at once: the RFC 8058 one-click request
 *   (`List-Unsubscribe=One-Click`) a mail client sends, or the confirmation page's button.
 * - `/u/{token}/preferences` shows and saves consent per channel, resubscribing included.
 * - A tampered, truncated or foreign token gets a friendly 400 page and changes nothing.
 * - The preference page only takes POSTs from its own form: a browser's cross-origin POST
 *   (by `Sec-Fetch-Site` or `Origin`) gets a 403 and changes nothing.
 */
import { createElement, type ReactElement } from "react";
import type { Db } from "@/server/db/client";
import { appUrl } from "@/server/env";
import {
  PREFERENCE_CHANNELS,
  resolveUnsubscribeLink,
  savePreferences,
  unsubscribeByLink,
  type PreferenceChannel,
} from "./consent";
import {
  ConfirmPage,
  DonePage,
  InvalidLinkPage,
  PreferencesPage,
  renderPage,
  SampleLinkPage,
} from "./link-pages";

const MAX_FORM_BYTES = 16 * 1024;

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex, nofollow",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

async function page(status: number, element: ReactElement): Promise<Response> {
  return new Response(await renderPage(element), { status, headers: PAGE_HEADERS });
}

const invalid = () => page(400, createElement(InvalidLinkPage));

/**
 * Whether a browser sent this POST from another site. Browsers send `Sec-Fetch-Site` and
 * `Origin` with every POST; a request with neither comes from outside a browser (no
 * cross-site forgery possible) and is let through.
 */
export function isCrossOrigin(req: Request, appOrigin: string): boolean {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = req.headers.get("origin");
  if (!origin) return false;
  const own = new Set([appOrigin]);
  try {
    own.add(new URL(req.url).origin);
  } catch {
    // A request URL that does not parse leaves only the configured origin.
  }
  return !own.has(origin);
}
const sample = () => page(200, createElement(SampleLinkPage));

/** The form fields of a POST, or an empty form when the body is missing, too big or not a form. */
async function readForm(req: Request): Promise<URLSearchParams> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) return new URLSearchParams();
  const type = req.headers.get("content-type") ?? "";
  try {
    if (type.includes("multipart/form-data")) {
      const form = await req.formData();
      const out = new URLSearchParams();
      for (const [k, v] of form) if (typeof v === "string") out.append(k, v);
      return out;
    }
    const text = await req.text();
    return text.length > MAX_FORM_BYTES ? new URLSearchParams() : new URLSearchParams(text);
  } catch {
    return new URLSearchParams();
  }
}

export async function handleUnsubscribeGet(db: Db, token: string): Promise<Response> {
  const link = await resolveUnsubscribeLink(db, token);
  if (link.kind === "sample") return sample();
  if (link.kind === "invalid") return invalid();
  return page(
    200,
    createElement(ConfirmPage, {
      token,
      shop: link.workspace,
      contact: link.contact,
      channel: link.payload.channel,
    }),
  );
}

export async function handleUnsubscribePost(
  db: Db,
  req: Request,
  token: string,
  now: Date = new Date(),
): Promise<Response> {
  const link = await resolveUnsubscribeLink(db, token);
  if (link.kind === "sample") return sample();
  if (link.kind === "invalid") return invalid();
  // Any POST to a genuine link unsubscribes: mail clients send `List-Unsubscribe=One-Click`,
  // the confirmation page sends the same field, and nothing else knows the signed URL.
  const form = await readForm(req);
  const source =
    form.get("List-Unsubscribe") === "One-Click" && !req.headers.get("origin") ? "one-click" : "page";
  await unsubscribeByLink(db, { payload: link.payload, source, now });
  const channel = link.payload.channel;
  const contact = {
    ...link.contact,
    consent: { ...link.contact.consent, [channel]: "unsubscribed" as const },
  };
  return page(200, createElement(DonePage, { token, shop: link.workspace, contact, channel }));
}

export async function handlePreferencesGet(db: Db, token: string): Promise<Response> {
  const link = await resolveUnsubscribeLink(db, token);
  if (link.kind === "sample") return sample();
  if (link.kind === "invalid") return invalid();
  return page(
    200,
    createElement(PreferencesPage, { token, shop: link.workspace, contact: link.contact, saved: false }),
  );
}

export async function handlePreferencesPost(
  db: Db,
  req: Request,
  token: string,
  now: Date = new Date(),
): Promise<Response> {
  if (isCrossOrigin(req, new URL(appUrl()).origin))
    return new Response("Preferences can only be changed from their own page.", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  const link = await resolveUnsubscribeLink(db, token);
  if (link.kind === "sample") return sample();
  if (link.kind === "invalid") return invalid();
  const form = await readForm(req);
  // `channels` lists the channels the form showed: a box left unticked is a no.
  const shown = new Set(form.getAll("channels"));
  const wanted: Partial<Record<PreferenceChannel, boolean>> = {};
  for (const channel of PREFERENCE_CHANNELS)
    if (shown.has(channel)) wanted[channel] = form.get(channel) === "on";
  const consent = await savePreferences(db, { payload: link.payload, contact: link.contact, wanted, now });
  return page(
    200,
    createElement(PreferencesPage, {
      token,
      shop: link.workspace,
      contact: { ...link.contact, consent },
      saved: true,
    }),
  );
}
