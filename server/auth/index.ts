import { getDb } from "@/server/db";
import { createAuth, type Auth } from "./auth";

const KEY = Symbol.for("tidings.auth");
type Holder = { [KEY]?: Promise<Auth> };

/** The process-wide auth instance (built once the database is open). */
export function getAuth(): Promise<Auth> {
  const g = globalThis as Holder;
  g[KEY] ??= getDb().then(createAuth);
  return g[KEY];
}

/** The signed-in user for these request headers, or null. */
export async function getSession(headers: Headers) {
  const auth = await getAuth();
  return auth.api.getSession({ headers });
}
