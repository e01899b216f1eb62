import type { Metadata } from "next";
import { trpc, getQueryClient } from "@/trpc/server";
import { HydrateClient } from "@/trpc/hydrate";
import { FlowsList } from "@/components/flows/flows-list";

export const metadata: Metadata = { title: "Flows" };

export default async function FlowsPage() {
  await getQueryClient().prefetchQuery(trpc.flows.list.queryOptions());
  return (
    <HydrateClient>
      <FlowsList />
    </HydrateClient>
  );
}
