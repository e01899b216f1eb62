import Link from "next/link";
import { Bell, Mail, MessageSquare, MousePointerClick, Eye } from "lucide-react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";

export type OutboxRow = inferRouterOutputs<AppRouter>["outbox"]["list"][number];
type Status = OutboxRow["status"];

export const CHANNELS = [
  { value: undefined, label: "All" },
  { value: "email", label: "Email" },
  { value: "sms", label: "SMS" },
  { value: "push", label: "Push" },
] as const;

export const STATUSES = [
  "sent",
  "delivered",
  "bounced",
  "failed",
  "skipped",
  "queued",
  "sending",
] as const satisfies readonly Status[];

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

export function formatDate(d: Date): string {
  return dateFormat.format(d);
}

export function ChannelIcon({ channel, className }: { channel: OutboxRow["channel"]; className?: string }) {
  const Icon = channel === "email" ? Mail : channel === "sms" ? MessageSquare : Bell;
  return (
    <Icon
      className={cn("size-4 text-slate-500", className)}
      aria-label={channel === "sms" ? "SMS" : channel === "email" ? "Email" : "Push"}
    />
  );
}

export function statusTone(status: Status): "live" | "danger" | "paused" | "neutral" {
  if (status === "failed" || status === "bounced") return "danger";
  if (status === "skipped") return "paused";
  if (status === "sent" || status === "delivered") return "live";
  return "neutral";
}

const SKIP_REASONS: Record<string, string> = {
  no_consent: "no consent",
  no_address: "no address",
  suppressed: "suppressed",
  smart_sending: "smart sending",
  cancelled: "cancelled",
  no_push_subscription: "no browser subscribed",
  coupon_pool_empty: "coupon pool empty",
};

export function StatusBadge({ status, skipReason }: { status: Status; skipReason?: string | null }) {
  return (
    <Badge tone={statusTone(status)} className="whitespace-nowrap" data-testid="message-status">
      {status}
      {skipReason ? ` · ${SKIP_REASONS[skipReason] ?? skipReason.replace(/_/g, " ")}` : ""}
    </Badge>
  );
}

function Engagement({ events }: { events: OutboxRow["events"] }) {
  const opened = events.opened ?? 0;
  const clicked = events.clicked ?? 0;
  if (!opened && !clicked && !events.unsubscribed && !events.complained) return null;
  return (
    <span className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
      {opened ? (
        <span className="inline-flex items-center gap-1" title="Opened">
          <Eye className="size-3.5" aria-hidden />
          {opened}
          <span className="sr-only"> opened</span>
        </span>
      ) : null}
      {clicked ? (
        <span className="inline-flex items-center gap-1" title="Clicked">
          <MousePointerClick className="size-3.5" aria-hidden />
          {clicked}
          <span className="sr-only"> clicked</span>
        </span>
      ) : null}
      {events.unsubscribed ? <Badge tone="danger">unsubscribed</Badge> : null}
      {events.complained ? <Badge tone="danger">spam report</Badge> : null}
    </span>
  );
}

function title(m: OutboxRow): string {
  if (m.subject) return m.subject;
  const kind = m.channel === "sms" ? "Text message" : m.channel === "push" ? "Push notification" : "Email";
  return m.status === "skipped" ? `${kind} not sent` : kind;
}

export function OutboxTable({ rows }: { rows: readonly OutboxRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full table-fixed text-sm">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th className="w-12 px-4 py-3 font-medium">
              <span className="sr-only">Channel</span>
            </th>
            <th className="px-4 py-3 font-medium">Message</th>
            <th className="w-[26%] px-4 py-3 font-medium">To</th>
            <th className="w-48 px-4 py-3 font-medium">Status</th>
            <th className="w-52 px-4 py-3 font-medium">Created</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr
              key={m.id}
              className="border-t border-slate-100 align-top hover:bg-slate-50"
              data-testid="outbox-row"
            >
              <td className="px-4 py-3">
                <ChannelIcon channel={m.channel} />
              </td>
              <td className="min-w-0 px-4 py-3">
                <Link
                  href={`/outbox/${m.id}`}
                  className={cn(
                    "block truncate font-medium hover:text-indigo-700 hover:underline",
                    m.subject ? "text-slate-900" : "text-slate-600",
                  )}
                >
                  {title(m)}
                </Link>
                <div className="mt-0.5 flex min-w-0 items-center gap-2 text-xs text-slate-500">
                  {m.isTest ? (
                    <Badge tone="draft" className="whitespace-nowrap">
                      Test send
                    </Badge>
                  ) : (
                    <span className="truncate">{m.flowName ?? "—"}</span>
                  )}
                  {m.lastError && (m.status === "failed" || m.status === "bounced") ? (
                    <span className="truncate text-red-700">{m.lastError}</span>
                  ) : m.lastError && m.status === "skipped" ? (
                    <span className="truncate text-amber-800">Skipped: {m.lastError}</span>
                  ) : null}
                </div>
              </td>
              <td className="min-w-0 px-4 py-3">
                <div className="truncate">{m.toAddress ?? "—"}</div>
                {m.contactName ? (
                  <div className="truncate text-xs text-slate-500">{m.contactName}</div>
                ) : null}
              </td>
              <td className="px-4 py-3">
                <div className="flex flex-col items-start gap-1">
                  <StatusBadge status={m.status} skipReason={m.skipReason} />
                  <Engagement events={m.events} />
                </div>
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-slate-600">{formatDate(m.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
