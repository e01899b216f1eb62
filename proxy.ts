/**
 * Runs before routing. Every path: segments that cannot be decoded are refused with a 400
 * (never a 500). Pages: a fresh CSP nonce per request (Next reads it from the request's
 * Content-Security-Policy header and puts it on its own scripts) and the security headers
 * of `server/security/headers.ts`.
 */
import { NextResponse, type NextRequest } from "next/server";
import { badPathResponse, pathProblem } from "@/server/http/path-guard";
import {
  BASE_HEADERS,
  contentSecurityPolicy,
  HSTS,
  newNonce,
  servedOverHttps,
} from "@/server/security/headers";

/**
 * Not pages: the API, the service worker, and the link handlers (`/u`, `/c`, `/r`, `/o`),
 * which set policies of their own.
 */
const NOT_A_PAGE = /^\/(?:api\/|push-sw\.js$|u\/|c\/|r\/|o\/)/;

function isPrefetch(request: NextRequest): boolean {
  return request.headers.has("next-router-prefetch") || request.headers.get("purpose") === "prefetch";
}

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const problem = pathProblem(pathname);
  if (problem) return badPathResponse(pathname, problem);
  if (NOT_A_PAGE.test(pathname) || isPrefetch(request)) return NextResponse.next();

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
  // Static assets never carry a dynamic segment.
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico).*)"],
};
