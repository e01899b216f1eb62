"use client";
/** The flow dashboard: range picker, totals, daily chart, funnel, A/B results, recent enrollments. */
import { useState } from "react";
import Link from "next/link";
import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { ArrowLeft, Pencil } from "lucide-react";
import { useTRPC } from "@/trpc/client";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatMoney, formatShare } from "@/components/format";
import type { DashboardSummary } from "@/server/analytics/dashboard";
import { METRICS, RANGE_LABELS, type MetricKey } from "@/server/engine/metrics";
import { DailyChart } from "./daily-chart";
import { Funnel } from "./funnel";
import { RecentEnrollments } from "./recent-enrollments";
import { SplitResults } from "./split-results";

export const RANGES = [7, 30, 90, "all"] as const;
export type RangeDays = (typeof RANGES)[number];
export const DEFAULT_RANGE: RangeDays = 30;

export function FlowDashboard({ flowId }: { flowId: string }) {
  const trpc = useTRPC();
  const [days, setDays] = useState<RangeDays>(DEFAULT_RANGE);
  const { data: flow } = useSuspenseQuery(trpc.flows.get.queryOptions({ id: flowId }));
  const summary = useQuery({
    ...trpc.dashboard.summary.queryOptions({ flowId, days }),
    placeholderData: (previous) => previous,
  });

  const actions = (
    <>
      <Button asChild variant="ghost" size="sm">
        <Link href="/flows">
          <ArrowLeft aria-hidden /> Flows
        </Link>
      </Button>
      <Button asChild variant="secondary" size="sm">
        <Link href={`/flows/${flowId}`}>
          <Pencil aria-hidden /> Open builder
        </Link>
      </Button>
    </>
  );

  return (
    <>
      <PageHeader
        title={flow.name}
        description="How the flow is doing: who entered, what was sent, and what it earned."
        actions={actions}
      />
      <div className="flex flex-col gap-6 px-8 py-6" data-testid="flow-dashboard">
        <div className="flex flex-wrap items-center gap-3">
          <Badge tone={flow.status === "live" ? "live" : flow.status === "paused" ? "paused" : "draft"}>
            {flow.status}
          </Badge>
          <div
            role="radiogroup"
            aria-label="Date range"
            className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm"
          >
            {RANGES.map((n) => (
              <button
                key={n}
                type="button"
                role="radio"
                aria-checked={days === n}
                onClick={() => setDays(n)}
                className={cn(
                  "rounded px-3 py-1 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500",
                  days === n ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-100",
                )}
              >
                {n === "all" ? RANGE_LABELS.all : `Last ${n} days`}
              </button>
            ))}
          </div>
          {summary.data && (
            <span className="text-xs text-slate-600" data-testid="range-days">
              {summary.data.range.from} – {summary.data.range.to} (UTC)
            </span>
          )}
          {summary.isFetching && <span className="text-xs text-slate-500">Updating…</span>}
        </div>
        {summary.error && (
          <p
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900"
          >
            Couldn&apos;t load the numbers: {summary.error.message}
          </p>
        )}
        {summary.data ? (
          <Overview summary={summary.data} />
        ) : (
          !summary.error && <p className="text-sm text-slate-600">Loading…</p>
        )}
        <RecentEnrollments flowId={flowId} />
      </div>
    </>
  );
}

function Overview({ summary }: { summary: DashboardSummary }) {
  const { totals, currency } = summary;
  const tiles: Array<[MetricKey, string, string]> = [
    ["entered", totals.entered.toLocaleString("en"), "entered"],
    ["sent", totals.sent.toLocaleString("en"), "sent"],
    ["conversions", totals.conversions.toLocaleString("en"), "conversions"],
    ["conversionRate", formatShare(totals.conversionRate), "conversion-rate"],
    ["revenue", formatMoney(totals.revenueCents, currency), "revenue"],
    ["revenuePerRecipient", formatMoney(totals.revenuePerRecipientCents, currency), "revenue-per-recipient"],
  ];
  return (
    <>
      <dl className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
        {tiles.map(([key, value, id]) => (
          <Card key={id} className="px-4 py-3" data-testid={`total-${id}`} title={METRICS[key].help}>
            <dt className="text-xs font-medium text-slate-600">
              {key === "sent" ? "Messages sent" : METRICS[key].label}
            </dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</dd>
          </Card>
        ))}
      </dl>
      <Card>
        <CardHeader>
          <CardTitle>Per day</CardTitle>
          <p className="text-sm text-slate-600">
            Entered by the day contacts entered; messages by the day they were sent; conversions and revenue
            credited to a message of this flow, by the day of the order.
          </p>
        </CardHeader>
        <CardContent>
          <DailyChart series={summary.series} currency={currency} />
        </CardContent>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Funnel</CardTitle>
            <p className="text-sm text-slate-600">Contacts who entered in the range, and how far they got.</p>
          </CardHeader>
          <CardContent>
            <Funnel steps={summary.funnel} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>A/B tests</CardTitle>
            <p className="text-sm text-slate-600">
              Contacts who reached the goal after taking each path, compared with the first path.
            </p>
          </CardHeader>
          <CardContent>
            <SplitResults splits={summary.splits} currency={currency} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
