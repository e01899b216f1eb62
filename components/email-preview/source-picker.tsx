"use client";

import { useId, useState } from "react";
import { Popover } from "radix-ui";
import { useQuery } from "@tanstack/react-query";
import { Check, ChevronDown, LoaderCircle, Search, Sparkles, User } from "lucide-react";
import { useTRPC } from "@/trpc/client";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { useDebounced } from "./use-debounced";
import type { PreviewPick, PreviewSource } from "./types";

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function ago(date: Date, now = Date.now()): string {
  const minutes = Math.round((date.getTime() - now) / 60_000);
  if (Math.abs(minutes) < 60) return relative.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return relative.format(hours, "hour");
  return relative.format(Math.round(hours / 24), "day");
}

function ConsentDot({ status }: { status: string }) {
  return (
    <span
      className={cn(
        "shrink-0 rounded-full px-1.5 py-px text-[10px] font-medium",
        status === "subscribed"
          ? "bg-emerald-100 text-emerald-800"
          : status === "unsubscribed"
            ? "bg-red-100 text-red-800"
            : "bg-slate-100 text-slate-600",
      )}
    >
      {status === "none" ? "no consent" : status}
    </span>
  );
}

/**
 * Picks who a preview is rendered for: sample data, or a real contact (searchable; by
 * default only those who had the flow's trigger event) and one of their recent events.
 */
export function SourcePicker({
  pick,
  onPick,
  triggerEventName,
  source,
}: {
  pick: PreviewPick;
  onPick: (pick: PreviewPick) => void;
  triggerEventName?: string | undefined;
  source: PreviewSource | undefined;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const [onlyWithEvent, setOnlyWithEvent] = useState(Boolean(triggerEventName));
  const debouncedSearch = useDebounced(search.trim(), 250);
  const eventId = useId();
  const filterId = useId();

  const contacts = useQuery({
    ...trpc.preview.contacts.queryOptions({
      search: debouncedSearch || undefined,
      eventName: onlyWithEvent && triggerEventName ? triggerEventName : undefined,
      limit: 20,
    }),
    enabled: open,
  });
  const events = useQuery({
    ...trpc.preview.triggerEvents.queryOptions({
      contactId: pick.contactId ?? "",
      eventName: triggerEventName,
      limit: 15,
    }),
    enabled: Boolean(pick.contactId),
  });

  const label = source?.kind === "contact" ? source.contact.name : pick.contactId ? "Contact" : "Sample data";

  return (
    <div className="flex flex-wrap items-center gap-2">
      <Popover.Root open={open} onOpenChange={setOpen}>
        <Popover.Trigger asChild>
          <button
            type="button"
            className="inline-flex h-8 max-w-[16rem] items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 text-xs font-medium text-slate-800 shadow-sm hover:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
            aria-label={`Preview as: ${label}`}
            data-testid="preview-as"
          >
            {pick.contactId ? (
              <User className="size-3.5 shrink-0" aria-hidden />
            ) : (
              <Sparkles className="size-3.5 shrink-0" aria-hidden />
            )}
            <span className="text-slate-500">Preview as</span>
            <span className="truncate">{label}</span>
            <ChevronDown className="size-3.5 shrink-0 text-slate-500" aria-hidden />
          </button>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content
            align="start"
            sideOffset={6}
            className="z-50 w-80 rounded-lg border border-slate-200 bg-white p-2 shadow-lg focus:outline-none"
            aria-label="Choose who to preview as"
          >
            <div className="relative">
              <Search
                className="pointer-events-none absolute left-2.5 top-2.5 size-4 text-slate-400"
                aria-hidden
              />
              <Input
                autoFocus
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                placeholder="Search by name or email"
                aria-label="Search contacts"
                className="pl-8"
              />
            </div>
            {triggerEventName ? (
              <label htmlFor={filterId} className="mt-2 flex items-center gap-2 px-1 text-xs text-slate-600">
                <input
                  id={filterId}
                  type="checkbox"
                  checked={onlyWithEvent}
                  onChange={(e) => setOnlyWithEvent(e.target.checked)}
                />
                Only contacts with “{triggerEventName}”
              </label>
            ) : null}
            <ul
              className="mt-2 max-h-72 overflow-y-auto"
              aria-label="Contacts"
              data-testid="preview-contacts"
            >
              <li>
                <button
                  type="button"
                  className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-slate-100"
                  onClick={() => {
                    onPick({});
                    setOpen(false);
                  }}
                >
                  <Sparkles className="size-4 text-indigo-500" aria-hidden />
                  <span className="flex-1">Sample data</span>
                  {!pick.contactId ? (
                    <Check className="size-4 text-indigo-600" aria-label="Selected" />
                  ) : null}
                </button>
              </li>
              {contacts.isPending ? (
                <li className="flex items-center gap-2 px-2 py-2 text-xs text-slate-500">
                  <LoaderCircle className="size-3.5 animate-spin" aria-hidden /> Loading contacts…
                </li>
              ) : contacts.isError ? (
                <li className="px-2 py-2 text-xs text-red-700">{contacts.error.message}</li>
              ) : contacts.data.length === 0 ? (
                <li className="px-2 py-2 text-xs text-slate-500">
                  {onlyWithEvent && triggerEventName
                    ? `No contacts with “${triggerEventName}”${debouncedSearch ? " match" : " yet"}.`
                    : "No contacts match."}
                </li>
              ) : (
                contacts.data.map((c) => (
                  <li key={c.id}>
                    <button
                      type="button"
                      data-testid="preview-contact-option"
                      data-consent={c.emailConsent}
                      data-email={c.email ?? ""}
                      data-name={c.name}
                      className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left hover:bg-slate-100"
                      onClick={() => {
                        onPick({ contactId: c.id });
                        setOpen(false);
                      }}
                    >
                      <span className="min-w-0 flex-1">
                        <span className="block truncate text-sm font-medium text-slate-900">{c.name}</span>
                        <span className="block truncate text-xs text-slate-500">
                          {c.email ?? c.phone ?? "No address"}
                          {c.lastEventAt ? ` · ${ago(c.lastEventAt)}` : ""}
                        </span>
                      </span>
                      <ConsentDot status={c.emailConsent} />
                      {pick.contactId === c.id ? (
                        <Check className="size-4 text-indigo-600" aria-label="Selected" />
                      ) : null}
                    </button>
                  </li>
                ))
              )}
            </ul>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>

      {pick.contactId ? (
        <div className="flex min-w-0 items-center gap-1.5">
          <label htmlFor={eventId} className="text-xs text-slate-500">
            Event
          </label>
          <select
            id={eventId}
            value={pick.eventId ?? ""}
            onChange={(e) =>
              onPick({ contactId: pick.contactId, ...(e.target.value ? { eventId: e.target.value } : {}) })
            }
            className="h-8 max-w-[18rem] truncate rounded-md border border-slate-300 bg-white px-2 text-xs text-slate-800 shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
            data-testid="preview-event"
          >
            <option value="">{triggerEventName ? `Latest “${triggerEventName}”` : "No event"}</option>
            {(events.data ?? []).map((e) => (
              <option key={e.id} value={e.id}>
                {`${e.name} · ${ago(e.occurredAt)} — ${e.summary}`}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </div>
  );
}
