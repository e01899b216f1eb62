import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { redirect } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { Inbox, LayoutGrid } from "lucide-react";
import { getCaller } from "@/trpc/server";
import { CHANNELS as CHANNEL_LIST, type Channel } from "@/server/engine/facts";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CHANNELS, OutboxTable, STATUSES } from "@/components/outbox/outbox-table";

export const metadata: Metadata = { title: "Outbox" };

const PAGE = 50;
type Status = (typeof STATUSES)[number];

function isChannel(v: string | undefined): v is Channel {
  return (CHANNEL_LIST as readonly string[]).includes(v ?? "");
}
function isStatus(v: string | undefined): v is Status {
  return (STATUSES as readonly string[]).includes(v ?? "");
}

function href(q: { channel?: string | undefined; status?: string | undefined; after?: string | undefined }) {
  const params = new URLSearchParams();
  if (q.channel) params.set("channel", q.channel);
  if (q.status) params.set("status", q.status);
  if (q.after) params.set("after", q.after);
  const s = params.toString();
  return s ? `/outbox?${s}` : "/outbox";
}

function Chip({ active, href: to, children }: { active: boolean; href: string; children: ReactNode }) {
  return (
    <Link
      href={to}
      aria-current={active ? "page" : undefined}
      className={cn(
        "rounded-full border px-3 py-1 text-xs font-medium",
        active
          ? "border-indigo-300 bg-indigo-50 text-indigo-800"
          : "border-slate-200 bg-white text-slate-700 hover:bg-slate-50",
      )}
    >
      {children}
    </Link>
  );
}

export default async function OutboxPage({
  searchParams,
}: {
  /** `after`: the cursor of the last message of the page before (older messages follow it). */
  searchParams: Promise<{ channel?: string; status?: string; after?: string }>;
}) {
  const q = await searchParams;
  const channel = isChannel(q.channel) ? q.channel : undefined;
  const status = isStatus(q.status) ? q.status : undefined;
  const after = q.after?.slice(0, 2000) || undefined;
  const caller = await getCaller();
  const [listed, total] = await Promise.all([
    // One more than a page: whether it exists says if there is an older page.
    caller.outbox.list({ channel, status, limit: PAGE + 1, cursor: after }).catch((error: unknown) => {
      // A cursor from an edited or outdated address: show the newest messages instead.
      if (after && error instanceof TRPCError && error.code === "BAD_REQUEST")
        redirect(href({ channel, status }));
      throw error;
    }),
    caller.outbox.count({ channel, status }),
  ]);
  const rows = listed.slice(0, PAGE);
  const older = listed.length > PAGE ? rows.at(-1)?.cursor : undefined;
  const filtered = Boolean(channel || status);
  return (
    <>
      <PageHeader
        title="Outbox"
        description="Every email, SMS and push your flows and test sends produced. With no provider keys set, messages stay here."
        actions={
          <Button asChild variant="secondary">
            <Link href="/preview">
              <LayoutGrid aria-hidden /> Email templates
            </Link>
          </Button>
        }
      />
      <div className="space-y-4 px-8 py-6">
        <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
          <nav aria-label="Channel" className="flex gap-1.5">
            {CHANNELS.map((c) => (
              <Chip key={c.label} active={channel === c.value} href={href({ channel: c.value, status })}>
                {c.label}
              </Chip>
            ))}
          </nav>
          <nav aria-label="Status" className="flex flex-wrap gap-1.5">
            <Chip active={!status} href={href({ channel })}>
              Any status
            </Chip>
            {STATUSES.map((s) => (
              <Chip key={s} active={status === s} href={href({ channel, status: s })}>
                {s}
              </Chip>
            ))}
          </nav>
        </div>
        {rows.length === 0 ? (
          <div className="flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-16 text-center">
            <Inbox className="mb-3 size-10 text-indigo-500" aria-hidden />
            <h2 className="text-lg font-semibold">{filtered ? "No messages match" : "Nothing sent yet"}</h2>
            <p className="mt-1 text-sm text-slate-600">
              {filtered ? (
                <Link href="/outbox" className="text-indigo-700 hover:underline">
                  Show all messages
                </Link>
              ) : (
                <>
                  Publish a flow, or{" "}
                  <Link href="/preview" className="text-indigo-700 hover:underline">
                    send yourself a test email
                  </Link>
                  , and the messages appear here.
                </>
              )}
            </p>
          </div>
        ) : (
          <>
            <OutboxTable rows={rows} />
            <div className="flex items-center gap-3 text-sm text-slate-600">
              {after ? (
                <Link className="text-indigo-700 hover:underline" href={href({ channel, status })}>
                  ← Newest
                </Link>
              ) : null}
              <span>{`${rows.length.toLocaleString("en")} shown of ${total.toLocaleString("en")}`}</span>
              {older ? (
                <Link
                  className="text-indigo-700 hover:underline"
                  href={href({ channel, status, after: older })}
                >
                  Older →
                </Link>
              ) : null}
            </div>
          </>
        )}
      </div>
    </>
  );
}
