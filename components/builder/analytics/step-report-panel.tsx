"use client";
/**
 * The side panel a step opens on the analytics canvas: its numbers over the chosen dates (day
 * by day), the messages it sent (each opens in the Outbox), why messages were skipped,
 * the orders credited to it, and who is waiting there now.
 */
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { LoaderCircle, X } from "lucide-react";
import { useTRPC } from "@/trpc/client";
import { cn } from "@/components/ui/cn";
import { formatCount, formatMoney } from "@/components/format";
import type { FlowGraph } from "@/server/engine/graph";
import { isNodeKind, MESSAGE_KINDS } from "@/server/engine/nodes";
import type { NodeStats } from "@/server/analytics/stats";
import { describeNode } from "../nodes/node-card";
import { nodeUiOf } from "../nodes";
import { TONES } from "../nodes/types";
import { EMPTY_NODE_STATS } from "./analytics-context";
import { skipReasonLabel } from "./format";

const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const shortDay = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

type Range = { from?: string | undefined; to?: string | undefined };

export function StepReportPanel({
  flowId,
  node,
  range,
  versionId,
  stats,
  currency,
  onClose,
}: {
  flowId: string;
  node: FlowGraph["nodes"][number];
  range: Range | null;
  versionId: string | undefined;
  stats: NodeStats | null;
  currency: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const report = useQuery({
    ...trpc.stepReport.get.queryOptions({ flowId, nodeId: node.id, ...range, versionId }),
    enabled: range !== null,
    placeholderData: keepPreviousData,
  });
  const kind = isNodeKind(node.kind) ? node.kind : null;
  const words = kind ? describeNode(kind, node.config) : null;
  const ui = kind ? nodeUiOf(kind) : null;
  const Icon = ui?.icon;
  const isMessage = (MESSAGE_KINDS as ReadonlySet<string>).has(node.kind);
  const s = stats ?? EMPTY_NODE_STATS;
  const data = report.data;

  return (
    <aside
      aria-label="Step report"
      className="flex w-[400px] shrink-0 flex-col border-l border-slate-200 bg-white"
      data-testid="step-report"
      data-node-id={node.id}
      aria-busy={report.isFetching}
    >
      <header className="flex items-start gap-3 border-b border-slate-100 px-4 py-3">
        {ui && Icon && (
          <span
            className={cn("flex size-9 shrink-0 items-center justify-center rounded-lg", TONES[ui.tone].icon)}
            aria-hidden
          >
            <Icon className="size-[18px]" />
          </span>
        )}
        <div className="min-w-0 flex-1">
          <p className="text-[11px] font-semibold uppercase tracking-wide text-slate-600">
            {words?.label ?? node.kind}
          </p>
          <h2 className="text-sm font-semibold text-slate-900" data-testid="step-report-title">
            {words?.summary ?? node.id}
          </h2>
        </div>
        <button
          type="button"
          onClick={onClose}
          className="rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
          aria-label="Close the step report"
        >
          <X className="size-4" aria-hidden />
        </button>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto px-4 py-3 text-sm">
        <dl className="grid grid-cols-4 gap-2" data-testid="step-report-totals">
          <Total label="Entered" value={formatCount(s.entered)} />
          <Total label="Waiting" value={formatCount(s.waiting)} />
          <Total label="Passed on" value={formatCount(s.passed)} />
          <Total label="Exited" value={formatCount(s.exited)} />
          {isMessage && (
            <>
              <Total label="Sent" value={formatCount(s.sent)} />
              <Total label="Opened" value={formatCount(s.opened)} />
              <Total label="Clicked" value={formatCount(s.clicked)} />
              <Total label="Conversions" value={formatCount(s.conversions)} />
            </>
          )}
        </dl>
        {report.error && (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-red-900">
            Couldn&apos;t load this step&apos;s report: {report.error.message}
          </p>
        )}
        {!data && !report.error && (
          <p className="mt-4 flex items-center gap-2 text-slate-600">
            <LoaderCircle className="size-4 animate-spin" aria-hidden /> Loading the report…
          </p>
        )}
        {data && (
          <>
            <Section title="Over time" testId="step-report-days">
              <DayBars days={data.days} metric={isMessage ? "sent" : "passed"} />
            </Section>
            {isMessage && (
              <Section title={`Messages (latest ${data.messages.length})`} testId="step-report-messages">
                {data.messages.length === 0 ? (
                  <Empty>No messages in these dates.</Empty>
                ) : (
                  <ul className="divide-y divide-slate-100">
                    {data.messages.map((m) => (
                      <li key={m.id} className="py-1.5">
                        <Link
                          href={`/outbox/${m.id}`}
                          className="block rounded px-1 hover:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                          data-testid="step-report-message"
                        >
                          <span className="flex items-baseline justify-between gap-2">
                            <span className="truncate font-medium text-slate-900">
                              {m.contactName ?? m.toAddress ?? "Unknown contact"}
                            </span>
                            <span className="shrink-0 text-xs text-slate-600">
                              {m.status === "skipped" && m.skipReason
                                ? `Skipped: ${skipReasonLabel(m.skipReason)}`
                                : [m.status, m.opened && "opened", m.clicked && "clicked"]
                                    .filter(Boolean)
                                    .join(" · ")}
                            </span>
                          </span>
                          <span className="block truncate text-xs text-slate-600">
                            {m.subject ?? "(no subject)"} · {dateTime.format(new Date(m.createdAt))}
                          </span>
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
            )}
            {isMessage && (
              <Section title="Skipped" testId="step-report-skipped">
                {data.skipped.length === 0 ? (
                  <Empty>Nothing skipped.</Empty>
                ) : (
                  <ul>
                    {data.skipped.map((r) => (
                      <li key={r.reason} className="flex justify-between py-0.5">
                        <span>{skipReasonLabel(r.reason)}</span>
                        <span className="font-semibold tabular-nums">{formatCount(r.count)}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
            )}
            <Section
              title={`Conversions: ${formatCount(data.conversions.total)} · ${formatMoney(data.conversions.revenueCents, data.conversions.currency || currency)}`}
              testId="step-report-conversions"
            >
              {data.conversions.rows.length === 0 ? (
                <Empty>No orders credited to this step in these dates.</Empty>
              ) : (
                <ul className="divide-y divide-slate-100">
                  {data.conversions.rows.map((c) => (
                    <li key={c.id} className="flex items-baseline justify-between gap-2 py-1.5">
                      <span className="min-w-0">
                        <span className="block truncate font-medium text-slate-900">
                          {c.orderId ? `Order ${c.orderId}` : "Order"}
                        </span>
                        <Link
                          href={`/contacts/${c.contact.id}`}
                          className="block truncate text-xs text-indigo-700 hover:underline"
                        >
                          {c.contact.name ?? c.contact.email ?? "Contact"}
                        </Link>
                      </span>
                      <span className="shrink-0 text-right">
                        <span className="block font-semibold tabular-nums">
                          {formatMoney(c.valueCents, c.currency)}
                        </span>
                        <span className="block text-xs text-slate-600">
                          {dateTime.format(new Date(c.occurredAt))}
                        </span>
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section
              title={`Waiting here now: ${formatCount(data.waiting.total)}`}
              testId="step-report-waiting"
            >
              {data.waiting.rows.length === 0 ? (
                <Empty>Nobody is waiting at this step.</Empty>
              ) : (
                <ul className="divide-y divide-slate-100">
                  {data.waiting.rows.map((w) => (
                    <li key={w.enrollmentId} className="flex items-baseline justify-between gap-2 py-1.5">
                      <Link
                        href={`/contacts/${w.contact.id}`}
                        className="truncate font-medium text-indigo-700 hover:underline"
                      >
                        {w.contact.name ?? w.contact.email ?? "Contact"}
                      </Link>
                      <span className="shrink-0 text-xs text-slate-600">
                        {w.nextRunAt
                          ? `until ${dateTime.format(new Date(w.nextRunAt))}`
                          : "waiting for an event"}
                      </span>
                    </li>
                  ))}
                  {data.waiting.total > data.waiting.rows.length && (
                    <li className="py-1.5 text-xs text-slate-600">
                      and {formatCount(data.waiting.total - data.waiting.rows.length)} more
                    </li>
                  )}
                </ul>
              )}
            </Section>
          </>
        )}
      </div>
    </aside>
  );
}

function Total({ label, value }: { label: string; value: string }) {
  return (
    <div className="min-w-0 rounded-md bg-slate-50 px-2 py-1.5">
      <dt className="truncate text-[11px] text-slate-600">{label}</dt>
      <dd className="truncate font-semibold tabular-nums text-slate-900">{value}</dd>
    </div>
  );
}

function Section({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    <section className="mt-4" data-testid={testId}>
      <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-600">{title}</h3>
      {children}
    </section>
  );
}

function Empty({ children }: { children: React.ReactNode }) {
  return <p className="text-slate-600">{children}</p>;
}

/** One bar per day with numbers (the step's main count), conversions in green beneath each bar's label. */
function DayBars({
  days,
  metric,
}: {
  days: { day: string; passed: number; sent: number; conversions: number }[];
  metric: "sent" | "passed";
}) {
  if (days.length === 0) return <Empty>Nothing happened at this step in these dates.</Empty>;
  const max = Math.max(1, ...days.map((d) => d[metric]));
  const label = metric === "sent" ? "sent" : "passed on";
  return (
    <div>
      <div className="flex h-24 items-end gap-px" role="img" aria-label={`${label} per day`}>
        {days.map((d) => (
          <div
            key={d.day}
            className="min-w-[3px] flex-1 rounded-t-sm bg-indigo-400"
            style={{ height: `${Math.max(2, (d[metric] / max) * 100)}%` }}
            title={`${shortDay.format(new Date(`${d.day}T00:00:00Z`))}: ${formatCount(d[metric])} ${label}, ${formatCount(d.conversions)} conversions`}
          />
        ))}
      </div>
      <p className="mt-1 flex justify-between text-[11px] text-slate-600">
        <span>{shortDay.format(new Date(`${days[0]!.day}T00:00:00Z`))}</span>
        <span>
          {formatCount(days.reduce((n, d) => n + d[metric], 0))} {label} ·{" "}
          {formatCount(days.reduce((n, d) => n + d.conversions, 0))} conversions
        </span>
        <span>{shortDay.format(new Date(`${days[days.length - 1]!.day}T00:00:00Z`))}</span>
      </p>
    </div>
  );
}
