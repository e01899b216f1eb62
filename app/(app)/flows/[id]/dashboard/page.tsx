import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { trpc, getQueryClient } from "@/trpc/server";
import { HydrateClient } from "@/trpc/hydrate";
import { DEFAULT_RANGE, FlowDashboard } from "@/components/dashboard/flow-dashboard";

export const metadata: Metadata = { title: "Flow dashboard" };

export default async function FlowDashboardPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const queryClient = getQueryClient();
  try {
    await queryClient.fetchQuery(trpc.flows.get.queryOptions({ id }));
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  await Promise.all([
    queryClient.prefetchQuery(trpc.dashboard.summary.queryOptions({ flowId: id, days: DEFAULT_RANGE })),
    queryClient.prefetchQuery(trpc.dashboard.recentEnrollments.queryOptions({ flowId: id })),
  ]);
  return (
    <HydrateClient>
      <FlowDashboard flowId={id} />
    </HydrateClient>
  );
}
