import { getDb } from "@/server/db";
import { getSession } from "@/server/auth";
import { createContext, type Context } from "./trpc";

/** Builds the tRPC context for a request: the database and the signed-in user, if any. */
export async function createRequestContext(headers: Headers): Promise<Context> {
  const [db, session] = await Promise.all([getDb(), getSession(headers)]);
  const user = session ? { id: session.user.id, email: session.user.email, name: session.user.name } : null;
  return createContext({ db, user });
}
