/**
 * Runs before every page: a fresh CSP nonce per request (Next reads it from the request's
 * Content-Security-Policy header and puts it on its own scripts) and the security headers
 * of `server/security/headers.ts`.
 */
import { NextResponse, type NextRequest } from "next/server";
import {
  BASE_HEADERS,
  contentSecurityPolicy,
  HSTS,
  newNonce,
  servedOverHttps,
} from "@/server/security/headers";

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const https = servedOverHttps(request.nextUrl, request.headers);
  const policy = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  response.headers.set("X-Frame-Options", "DENY");
  for (const [name, value] of Object.entries(BASE_HEADERS)) response.headers.set(name, value);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not the API, Next's static files, the service worker, or the link
      // handlers (`/u`, `/c`, `/r`, `/o`), which set policies of their own.
      source: "/((?!api/|_next/static|_next/image|favicon\\.ico|push-sw\\.js|u/|c/|r/|o/).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
