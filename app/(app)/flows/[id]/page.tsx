import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { trpc, getQueryClient } from "@/trpc/server";
import { HydrateClient } from "@/trpc/hydrate";
import { FlowBuilder } from "@/components/builder/builder";

export const metadata: Metadata = { title: "Flow builder" };

export default async function FlowBuilderPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ view?: string; range?: string }>;
}) {
  const { id } = await params;
  const query = await searchParams;
  if (!z.uuid().safeParse(id).success) notFound();
  try {
    await getQueryClient().fetchQuery(trpc.flows.get.queryOptions({ id }));
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <HydrateClient>
      <FlowBuilder
        flowId={id}
        analytics={query.view === "analytics" ? { range: query.range } : null}
        forecast={query.view === "forecast"}
      />
    </HydrateClient>
  );
}
