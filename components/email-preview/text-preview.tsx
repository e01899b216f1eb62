"use client";

import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { LoaderCircle } from "lucide-react";
import { useTRPC } from "@/trpc/client";
import { cn } from "@/components/ui/cn";
import { SourceNote } from "./email-preview";
import { PhoneFrame, PushNotification, segmentLabel, SmsBubble } from "./phone";
import { CouponNote, MergeProblems, RenderError } from "./problems";
import { SourcePicker } from "./source-picker";
import { useDebounced } from "./use-debounced";
import type { PreviewPick, PushContentInput, SmsContentInput } from "./types";

type Props<C> = { content: C; triggerEventName?: string | null | undefined; className?: string };

function Pending() {
  return (
    <div className="flex h-40 items-center justify-center gap-2 rounded-lg border border-dashed border-slate-300 text-sm text-slate-500">
      <LoaderCircle className="size-4 animate-spin" aria-hidden /> Rendering preview…
    </div>
  );
}

/** An SMS as the recipient's phone shows it, with its segment count, for a contact or sample data. */
export function SmsPreview({ content, triggerEventName: trigger, className }: Props<SmsContentInput>) {
  const triggerEventName = trigger ?? undefined;
  const trpc = useTRPC();
  const [pick, setPick] = useState<PreviewPick>({});
  const debounced = useDebounced(content, 300);
  const preview = useQuery({
    ...trpc.preview.sms.queryOptions({
      content: debounced,
      ...pick,
      ...(triggerEventName ? { triggerEventName } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const workspace = useQuery(trpc.workspace.current.queryOptions());
  const data = preview.data;
  return (
    <div className={cn("space-y-3", className)} data-testid="sms-preview">
      <SourcePicker pick={pick} onPick={setPick} triggerEventName={triggerEventName} source={data?.source} />
      <SourceNote source={data?.source} />
      {preview.isError ? (
        <RenderError message={preview.error.message} />
      ) : !data ? (
        <Pending />
      ) : (
        <>
          <MergeProblems
            problems={data.problems}
            empty={data.empty}
            contactChosen={Boolean(pick.contactId)}
          />
          <CouponNote coupon={data.coupon} />
          {data.rendered ? (
            <>
              <PhoneFrame label="Text message preview">
                <SmsBubble sender={workspace.data?.name ?? "Your shop"} body={data.rendered.body} />
              </PhoneFrame>
              <p className="text-center text-xs text-slate-600" data-testid="sms-segments">
                {segmentLabel(data.rendered.segments)}
              </p>
            </>
          ) : (
            <RenderError message={data.error ?? "The text message could not be rendered."} />
          )}
        </>
      )}
    </div>
  );
}

/** A push notification on a lock screen, for a contact or sample data. */
export function PushPreview({ content, triggerEventName: trigger, className }: Props<PushContentInput>) {
  const triggerEventName = trigger ?? undefined;
  const trpc = useTRPC();
  const [pick, setPick] = useState<PreviewPick>({});
  const debounced = useDebounced(content, 300);
  const preview = useQuery({
    ...trpc.preview.push.queryOptions({
      content: debounced,
      ...pick,
      ...(triggerEventName ? { triggerEventName } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const workspace = useQuery(trpc.workspace.current.queryOptions());
  const data = preview.data;
  return (
    <div className={cn("space-y-3", className)} data-testid="push-preview">
      <SourcePicker pick={pick} onPick={setPick} triggerEventName={triggerEventName} source={data?.source} />
      <SourceNote source={data?.source} />
      {preview.isError ? (
        <RenderError message={preview.error.message} />
      ) : !data ? (
        <Pending />
      ) : (
        <>
          <MergeProblems
            problems={data.problems}
            empty={data.empty}
            contactChosen={Boolean(pick.contactId)}
          />
          {data.rendered ? (
            <PhoneFrame label="Push notification preview">
              <PushNotification
                app={workspace.data?.name ?? "Your shop"}
                title={data.rendered.title}
                body={data.rendered.body}
                url={data.rendered.url}
              />
            </PhoneFrame>
          ) : (
            <RenderError message={data.error ?? "The notification could not be rendered."} />
          )}
        </>
      )}
    </div>
  );
}
