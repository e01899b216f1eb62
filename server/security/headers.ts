/**
 * The app's security headers, as pure functions so the proxy and the tests share them.
 *
 * - Pages get a nonce-based Content-Security-Policy: scripts only from this origin with the
 *   request's nonce (`'strict-dynamic'` lets Next's own chunks load), no framing
 *   (`frame-ancestors 'none'`), forms and connections to this origin only. Styles allow
 *   inline: React Flow, charts and the email previews (sandboxed `srcdoc` iframes, which
 *   inherit this policy) style elements inline; images may come from anywhere over http(s),
 *   as emails' images do.
 * - Every response gets `X-Content-Type-Options: nosniff` and a `Referrer-Policy`; pages also
 *   `X-Frame-Options: DENY` for browsers without CSP level 2; HSTS when served over https.
 *
 * The public link pages (`/u`, `/c`) and the redirects (`/r`, `/o`) set their own stricter
 * policies; API routes return JSON and only get the plain headers.
 */

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(input: { nonce: string; dev: boolean; https: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${input.nonce}' 'strict-dynamic'${input.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https: http:",
    "font-src 'self' data: https:",
    `connect-src 'self'${input.dev ? " ws: wss:" : ""}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(input.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

export const HSTS = "max-age=31536000; includeSubDomains";

/** Headers every response of the app carries (pages and API alike). */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

/** Whether the request reached us over https (directly, or as the proxy in front says). */
export function servedOverHttps(url: URL, headers: Headers): boolean {
  if (url.protocol === "https:") return true;
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https";
}
