import { getAuth } from "@/server/auth";
import { handleAuthRequest } from "@/server/auth/http";
import { parseTrustedProxies } from "@/server/http/client-address";
import { getDb } from "@/server/db";
import { env } from "@/server/env";

async function handler(req: Request) {
  const [auth, db] = await Promise.all([getAuth(), getDb()]);
  return handleAuthRequest(auth, db, req, { trustedProxies: parseTrustedProxies(env().TRUSTED_PROXIES) });
}

export { handler as GET, handler as POST };
