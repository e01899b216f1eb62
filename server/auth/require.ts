import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getSession } from "./index";

/** For server components: the signed-in user, or a redirect to sign-in. */
export async function requireUser() {
  const session = await getSession(await headers());
  if (!session) redirect("/sign-in");
  return session.user;
}
