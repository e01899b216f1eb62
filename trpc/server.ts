import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { appRouter } from "@/server/api/root";
import { createRequestContext } from "@/server/api/context";
import { makeQueryClient } from "./query-client";

/** One QueryClient per server request. */
export const getQueryClient = cache(makeQueryClient);

/** Server components run beside their layout, so each one redirects a visitor with no session itself. */
const createServerContext = cache(async () => {
  const ctx = await createRequestContext(await headers());
  if (!ctx.user) redirect("/sign-in");
  return ctx;
});

/** Server components prefetch through this proxy and hand the cache to the client with <HydrateClient>. */
export const trpc = createTRPCOptionsProxy({
  ctx: createServerContext,
  router: appRouter,
  queryClient: getQueryClient,
});

/** A direct caller for server components that render data without client interactivity. */
export const getCaller = cache(async () => {
  const { createCaller } = await import("@/server/api/root");
  return createCaller(await createServerContext());
});
