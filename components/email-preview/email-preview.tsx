"use client";

import { useState } from "react";
import Link from "next/link";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleCheck, LoaderCircle, Send } from "lucide-react";
import { useTRPC } from "@/trpc/client";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import {
  DeviceToggle,
  EmailFrame,
  InboxHeader,
  PlainText,
  ViewToggle,
  type Device,
  type EmailView,
} from "./email-frame";
import { CouponNote, MergeProblems, RenderError } from "./problems";
import { ago, SourcePicker } from "./source-picker";
import { useDebounced } from "./use-debounced";
import type { EmailContentInput, PreviewPick, PreviewSource } from "./types";

export type EmailPreviewProps = {
  /** The email node's content, as edited (merge fields not filled). */
  content: EmailContentInput;
  /** The flow's trigger event: which merge fields exist, and which of a contact's events to use. */
  triggerEventName?: string | null | undefined;
  /** `panel` for the editor's inspector (narrow), `page` for the full-page preview. */
  layout?: "panel" | "page";
  initialDevice?: Device;
  className?: string;
};

export function SourceNote({ source }: { source: PreviewSource | undefined }) {
  if (!source) return null;
  if (source.kind === "sample") {
    return (
      <p className="text-xs text-slate-500">
        Sample customer and {source.triggerName ? `a sample “${source.triggerName}” event` : "sample data"},
        with your shop’s name and colours.
      </p>
    );
  }
  if (source.note) return <p className="text-xs text-amber-800">{source.note}</p>;
  if (source.event) {
    return (
      <p
        className="truncate text-xs text-slate-500"
        title={source.event.summary}
        data-testid="preview-event-summary"
      >
        {`${source.contact.name}’s “${source.event.name}” ${ago(source.event.occurredAt)}: ${source.event.summary}`}
      </p>
    );
  }
  return <p className="text-xs text-slate-500">{`${source.contact.name}, with no trigger event.`}</p>;
}

/**
 * The email preview: rendered on the server for a chosen contact and event (or sample
 * data), shown as an inbox would show it, at desktop or phone width, as HTML or plain
 * text, with merge-field problems listed and render errors shown in place. Sends tests.
 */
export function EmailPreview({
  content,
  triggerEventName: trigger,
  layout = "panel",
  initialDevice = "desktop",
  className,
}: EmailPreviewProps) {
  const triggerEventName = trigger ?? undefined;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pick, setPick] = useState<PreviewPick>({});
  const [device, setDevice] = useState<Device>(initialDevice);
  const [view, setView] = useState<EmailView>("html");
  const debouncedContent = useDebounced(content, 300);

  const input = { content: debouncedContent, ...pick, ...(triggerEventName ? { triggerEventName } : {}) };
  const preview = useQuery({ ...trpc.preview.email.queryOptions(input), placeholderData: keepPreviousData });
  const sendTest = useMutation(
    trpc.preview.sendTest.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.outbox.pathKey() }),
    }),
  );

  const data = preview.data;
  const rendered = data?.rendered ?? null;
  const updating = preview.isFetching && !preview.isPending;

  return (
    <div className={cn("space-y-3", className)} data-testid="email-preview" aria-busy={preview.isFetching}>
      <div className={cn("flex flex-wrap items-center gap-2", layout === "page" && "justify-between")}>
        <SourcePicker
          pick={pick}
          onPick={setPick}
          triggerEventName={triggerEventName}
          source={data?.source}
        />
        <div className="flex flex-wrap items-center gap-2">
          <DeviceToggle value={device} onChange={setDevice} />
          <ViewToggle value={view} onChange={setView} />
          <Button
            type="button"
            size="sm"
            variant="secondary"
            disabled={sendTest.isPending || !rendered}
            onClick={() =>
              sendTest.mutate({ content, ...pick, ...(triggerEventName ? { triggerEventName } : {}) })
            }
          >
            {sendTest.isPending ? (
              <LoaderCircle className="animate-spin" aria-hidden />
            ) : (
              <Send aria-hidden />
            )}
            Send test
          </Button>
        </div>
      </div>

      {sendTest.isError ? (
        <p role="alert" className="text-xs text-red-700">
          Test not sent: {sendTest.error.message}
        </p>
      ) : sendTest.data ? (
        <p
          role="status"
          className={cn(
            "flex items-center gap-1.5 text-xs",
            sendTest.data.status === "sent" ? "text-emerald-800" : "text-red-700",
          )}
          data-testid="send-test-result"
        >
          {sendTest.data.status === "sent" ? <CircleCheck className="size-3.5" aria-hidden /> : null}
          {sendTest.data.status === "sent"
            ? `Test sent to ${sendTest.data.to}.`
            : `Test not sent: ${sendTest.data.error ?? "unknown error"}.`}
          <Link
            href={`/outbox/${sendTest.data.messageId}`}
            className="font-medium text-indigo-700 hover:underline"
          >
            View in Outbox
          </Link>
        </p>
      ) : null}

      <SourceNote source={data?.source} />

      {preview.isError ? (
        <RenderError message={preview.error.message} />
      ) : preview.isPending ? (
        <div className="flex h-40 items-center justify-center gap-2 rounded-lg border border-dashed border-slate-300 text-sm text-slate-500">
          <LoaderCircle className="size-4 animate-spin" aria-hidden /> Rendering preview…
        </div>
      ) : (
        <>
          <InboxHeader
            from={data?.from ?? ""}
            to={data?.to}
            subject={rendered?.subject ?? ""}
            preheader={rendered?.preheader ?? ""}
          />
          <MergeProblems
            problems={data?.problems ?? []}
            empty={data?.empty ?? []}
            contactChosen={Boolean(pick.contactId)}
          />
          <CouponNote coupon={data?.coupon} />
          {data?.error || !rendered ? (
            <RenderError message={data?.error ?? "The email could not be rendered."} />
          ) : (
            <div className={cn("transition-opacity", updating && "opacity-60")}>
              {view === "html" ? (
                <EmailFrame html={rendered.html} device={device} />
              ) : (
                <PlainText text={rendered.text} />
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}
