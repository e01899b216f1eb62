/**
 * The sign-in HTTP entry (`/api/auth/*`) around better-auth: it resolves the client address
 * (`server/http/client-address.ts`) and hands only that to better-auth, and it keeps the per-account
 * limit (`./throttle.ts`): a sign-in for an account that must wait gets a 429 with
 * Retry-After before its password is checked.
 */
import type { BlockList } from "node:net";
import type { Db } from "@/server/db/client";
import type { Auth } from "./auth";
import { CLIENT_IP_HEADER, clientAddress } from "@/server/http/client-address";
import { accountRetryAfterMs, clearSignInFailures, recordSignInFailure } from "./throttle";

async function emailOf(req: Request): Promise<string | null> {
  try {
    const body = (await req.clone().json()) as { email?: unknown };
    return typeof body.email === "string" && body.email.length <= 320 ? body.email : null;
  } catch {
    return null;
  }
}

export async function handleAuthRequest(
  auth: Auth,
  db: Db,
  req: Request,
  options: { trustedProxies: BlockList | null; now?: () => Date },
): Promise<Response> {
  const now = options.now ?? (() => new Date());
  // Read the email first: building the forwarded request takes over the body.
  const signIn = req.method === "POST" && new URL(req.url).pathname.endsWith("/sign-in/email");
  const email = signIn ? await emailOf(req) : null;
  const headers = new Headers(req.headers);
  headers.delete(CLIENT_IP_HEADER);
  const address = clientAddress(req.headers, options.trustedProxies);
  if (address) headers.set(CLIENT_IP_HEADER, address);
  const forwarded = new Request(req, { headers });

  if (email) {
    const waitMs = await accountRetryAfterMs(db, email, now());
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      return Response.json(
        {
          code: "TOO_MANY_ATTEMPTS",
          message: `Too many failed sign-ins for this account. Try again in ${seconds} s.`,
        },
        { status: 429, headers: { "retry-after": String(seconds), "cache-control": "no-store" } },
      );
    }
  }
  const res = await auth.handler(forwarded);
  if (email) {
    if (res.status === 401) await recordSignInFailure(db, email, now());
    else if (res.ok) await clearSignInFailures(db, email);
  }
  return res;
}
