/**
 * Dynamic path segments are percent-decoded before any route sees them. A segment that is
 * not valid percent-encoded UTF-8 (`%ZZ`, `%ED%A0%80`) or that decodes to a NUL or another
 * control character can name nothing: answer 400 here instead of letting the decode fail
 * later with a 500.
 */
import { isStorableText } from "@/server/engine/input";

// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why a URL path cannot be routed, or null when every segment decodes to storable text. */
export function pathProblem(pathname: string): string | null {
  if (!pathname.includes("%")) return null;
  for (const segment of pathname.split("/")) {
    if (!segment.includes("%")) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return "The address contains a malformed percent-escape";
    }
    if (!isStorableText(decoded) || CONTROL.test(decoded))
      return "The address contains a character no page can have";
  }
  return null;
}

/** The 400 answer for an unroutable path: JSON under /api, a short page elsewhere. */
export function badPathResponse(pathname: string, problem: string): Response {
  if (pathname.startsWith("/api/"))
    return new Response(
      JSON.stringify({ error: { message: problem, issues: [{ path: "(path)", message: problem }] } }),
      {
        status: 400,
        headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
      },
    );
  return new Response(
    `<!doctype html><meta charset="utf-8"><title>Bad address</title><body style="font-family:system-ui;padding:3rem;text-align:center"><h1>This address is not valid</h1><p>${problem}.</p></body>`,
    { status: 400, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } },
  );
}

/**
 * A dynamic segment as the page should use it. Next hands some params still percent-encoded
 * and others decoded; decoding is tried once, and a value that does not decode (a literal `%`)
 * is kept as it is rather than thrown on.
 */
export function segmentValue(param: string): string {
  if (!param.includes("%")) return param;
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}
