/** Test fixtures: members with their own workspace, and callers acting as them. */
import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Db } from "@/server/db/client";
import { users } from "@/server/db/schema";
import { createWorkspace } from "@/server/workspaces/workspaces";
import { appRouter, createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";

export async function createMember(db: Db, name: string) {
  const id = randomUUID();
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${id.slice(0, 6)}@example.com`;
  await db.insert(users).values({ id, name, email });
  const workspace = await createWorkspace(db, { name: `${name}'s shop`, ownerUserId: id });
  const user = { id, email, name };
  return { user, workspace, caller: createCaller(createContext({ db, user })) };
}

/** Calls a procedure over the real HTTP handler, so the error formatter runs. */
export async function callHttp(
  db: Db,
  user: { id: string; email: string; name: string } | null,
  path: string,
  input: unknown,
  method: "query" | "mutation" = "mutation",
) {
  const body = JSON.stringify({ json: input });
  const url =
    method === "query"
      ? `http://test/api/trpc/${path}?input=${encodeURIComponent(body)}`
      : `http://test/api/trpc/${path}`;
  const req = new Request(
    url,
    method === "query"
      ? { method: "GET" }
      : { method: "POST", body, headers: { "content-type": "application/json" } },
  );
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext({ db, user }),
    allowMethodOverride: true,
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      error?: {
        json: {
          message: string;
          data: { code: string; httpStatus: number; fieldErrors: Record<string, string[]> | null };
        };
      };
      result?: unknown;
    },
  };
}
