"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import {
  Archive,
  ArchiveRestore,
  Copy,
  EllipsisVertical,
  LayoutDashboard,
  Pencil,
  Plus,
  Workflow,
} from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { useTRPC } from "@/trpc/client";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { formatRevenue } from "@/components/format";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Dialog } from "@/components/builder/ui/dialog";
import type { FlowListRow as FlowListItem } from "@/server/analytics/metrics";
import { LIST_RANGE, METRICS, RANGE_LABELS } from "@/server/engine/metrics";
import { CreateFlowDialog } from "./create-flow-dialog";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

function ago(date: Date, now = Date.now()): string {
  const seconds = (date.getTime() - now) / 1000;
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of steps)
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  return "just now";
}

export function FlowsList() {
  const trpc = useTRPC();
  const [showArchived, setShowArchived] = useState(false);
  const { data: flows } = useSuspenseQuery(trpc.flows.list.queryOptions());
  const archived = useQuery({ ...trpc.flows.list.queryOptions({ archived: true }), enabled: showArchived });
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<FlowListItem | null>(null);
  const rows = showArchived ? (archived.data ?? []) : flows;

  const createButton = (
    <Button onClick={() => setCreating(true)}>
      <Plus aria-hidden /> Create flow
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Flows"
        description="Automated journeys that send the right message when a customer acts."
        actions={createButton}
      />
      <div className="px-8 py-6">
        <div className="mb-4 flex items-center gap-1" role="tablist" aria-label="Which flows">
          {[
            { archived: false, label: "Active" },
            { archived: true, label: "Archived" },
          ].map((tab) => (
            <button
              key={tab.label}
              type="button"
              role="tab"
              aria-selected={showArchived === tab.archived}
              onClick={() => setShowArchived(tab.archived)}
              className={cn(
                "rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500",
                showArchived === tab.archived
                  ? "bg-white text-slate-900 shadow-sm ring-1 ring-slate-200"
                  : "text-slate-600 hover:text-slate-900",
              )}
            >
              {tab.label}
            </button>
          ))}
        </div>
        {!showArchived && flows.length === 0 ? (
          <div className="flex flex-col items-center justify-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-20 text-center">
            <Workflow className="mb-4 size-10 text-indigo-500" aria-hidden />
            <h2 className="text-lg font-semibold">No flows yet</h2>
            <p className="mt-1 max-w-md text-sm text-slate-600">
              Flows welcome new subscribers, win back abandoned carts and ask for reviews — automatically, for
              every customer. Start from one of 14 ready-made templates.
            </p>
            <div className="mt-6">{createButton}</div>
          </div>
        ) : showArchived && rows.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-600">
            {archived.isPending ? "Loading…" : "No archived flows."}
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th className="px-4 py-3 font-medium">Name</th>
                  <th className="px-4 py-3 font-medium">Status</th>
                  <th className="px-4 py-3 font-medium">Trigger</th>
                  {(["entered", "conversions", "revenue"] as const).map((key) => (
                    <th
                      key={key}
                      className="px-4 py-3 text-right font-medium"
                      title={METRICS[key].help}
                      data-testid={`column-${key}`}
                    >
                      {METRICS[key].label}
                      <span className="block text-[10px] font-normal normal-case tracking-normal text-slate-500">
                        {RANGE_LABELS[LIST_RANGE].toLowerCase()}
                      </span>
                    </th>
                  ))}
                  <th className="px-4 py-3 font-medium">Last edited</th>
                  <th className="px-2 py-3">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((flow) => (
                  <FlowRow key={flow.id} flow={flow} onRename={() => setRenaming(flow)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <CreateFlowDialog open={creating} onOpenChange={setCreating} />
      {renaming && <RenameDialog flow={renaming} onClose={() => setRenaming(null)} />}
    </>
  );
}

function FlowRow({ flow, onRename }: { flow: FlowListItem; onRename: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
  const duplicate = useMutation(trpc.flows.duplicate.mutationOptions({ onSuccess: refresh }));
  const archive = useMutation(trpc.flows.archive.mutationOptions({ onSuccess: refresh }));
  const unarchive = useMutation(trpc.flows.unarchive.mutationOptions({ onSuccess: refresh }));
  const isArchived = flow.status === "archived";
  const router = useRouter();
  return (
    <tr className="border-t border-slate-100 hover:bg-slate-50" data-testid="flow-row" data-flow-id={flow.id}>
      <td className="max-w-[240px] px-4 py-3">
        <Link
          href={`/flows/${flow.id}`}
          className="block truncate font-medium text-slate-900 hover:text-indigo-700 hover:underline"
        >
          {flow.name}
        </Link>
      </td>
      <td className="px-4 py-3">
        <Badge tone={flow.status === "live" ? "live" : flow.status === "paused" ? "paused" : "draft"}>
          {flow.status}
        </Badge>
      </td>
      <td className="max-w-[220px] truncate px-4 py-3 text-slate-700" title={flow.trigger ?? undefined}>
        {flow.trigger ?? <span className="text-slate-500">No trigger yet</span>}
      </td>
      <td className="px-4 py-3 text-right tabular-nums text-slate-800" data-testid="flow-entered">
        {flow.numbers.entered.toLocaleString("en")}
      </td>
      <td className="px-4 py-3 text-right tabular-nums text-slate-800" data-testid="flow-conversions">
        {flow.numbers.conversions.toLocaleString("en")}
      </td>
      <td className="px-4 py-3 text-right tabular-nums text-slate-800" data-testid="flow-revenue">
        {formatRevenue(flow.numbers.revenue)}
      </td>
      <td className="px-4 py-3 text-slate-600" title={dateFormat.format(flow.updatedAt)}>
        <span className="block whitespace-nowrap">{ago(flow.updatedAt)}</span>
        {flow.updatedByName && (
          <span className="block max-w-[160px] truncate text-xs text-slate-500">{flow.updatedByName}</span>
        )}
      </td>
      <td className="px-2 py-3 text-right">
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <Button type="button" size="icon" variant="ghost" aria-label={`Actions for ${flow.name}`}>
              <EllipsisVertical aria-hidden />
            </Button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content
              align="end"
              sideOffset={4}
              className="z-50 min-w-44 rounded-lg border border-slate-200 bg-white p-1 text-sm shadow-lg"
            >
              <MenuItem
                onSelect={() => router.push(`/flows/${flow.id}/dashboard`)}
                icon={<LayoutDashboard aria-hidden />}
              >
                Dashboard
              </MenuItem>
              <MenuItem onSelect={onRename} icon={<Pencil aria-hidden />}>
                Rename
              </MenuItem>
              <MenuItem onSelect={() => duplicate.mutate({ id: flow.id })} icon={<Copy aria-hidden />}>
                Duplicate
              </MenuItem>
              {isArchived ? (
                <MenuItem
                  onSelect={() => unarchive.mutate({ id: flow.id })}
                  icon={<ArchiveRestore aria-hidden />}
                >
                  Restore
                </MenuItem>
              ) : (
                <MenuItem onSelect={() => archive.mutate({ id: flow.id })} icon={<Archive aria-hidden />}>
                  Archive
                </MenuItem>
              )}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      </td>
    </tr>
  );
}

function MenuItem({
  onSelect,
  icon,
  children,
}: {
  onSelect: () => void;
  icon: ReactNode;
  children: ReactNode;
}) {
  return (
    <DropdownMenu.Item
      onSelect={onSelect}
      className="flex cursor-pointer items-center gap-2 rounded-md px-2.5 py-1.5 text-slate-800 outline-none data-[highlighted]:bg-slate-100 [&_svg]:size-4 [&_svg]:text-slate-500"
    >
      {icon}
      {children}
    </DropdownMenu.Item>
  );
}

function RenameDialog({ flow, onClose }: { flow: FlowListItem; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rename = useMutation(
    trpc.flows.rename.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
        onClose();
      },
    }),
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = new FormData(event.currentTarget).get("name");
    rename.mutate({ id: flow.id, name: typeof name === "string" ? name : "" });
  }
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Rename flow">
      <form onSubmit={onSubmit} className="flex flex-col gap-3" aria-label="Rename flow">
        <Label htmlFor="rename-flow">Flow name</Label>
        <Input
          id="rename-flow"
          name="name"
          defaultValue={flow.name}
          autoFocus
          aria-invalid={rename.error ? true : undefined}
        />
        {rename.error && (
          <p role="alert" className="text-sm text-red-700">
            {rename.error.message}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={rename.isPending}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
