"use client";
import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { MessageSquare } from "lucide-react";
import { SMS_MAX_LENGTH } from "@/server/engine/nodes/sms";
import { normalizeSmsBody, smsSegments } from "@/server/engine/sms-text";
import type { CanvasNodeOf } from "../graph-canvas";
import { appendTag, CategoryField, SmartSendingField, MergeFieldInsert } from "../inspector/common-fields";
import { CouponPoolField } from "../inspector/coupon-pool-field";
import { useNodeForm } from "../inspector/use-node-form";
import { TextAreaField } from "../ui/form";
import { NodeCard } from "./node-card";
import type { InspectorProps, NodeUi } from "./types";

/**
 * The segments the sender bills for this text (before merge-field values and opt-out
 * wording): the same function and clean-up the sender uses, so the two never disagree.
 */
export function smsSegmentCount(text: string): number {
  return smsSegments(normalizeSmsBody(text)).segments;
}

function SmsInspector({ nodeId, config }: InspectorProps<"sms">) {
  const { draft, change, error } = useNodeForm("sms", nodeId, config);
  const segments = smsSegmentCount(draft.body);
  return (
    <>
      <TextAreaField
        label="Message"
        rows={6}
        value={draft.body}
        onChange={(body) => change({ ...draft, body })}
        error={error("body")}
        hint={`${draft.body.length} / ${SMS_MAX_LENGTH} characters · ${segments} ${segments === 1 ? "segment" : "segments"}. Include how to opt out (Reply STOP).`}
      />
      <MergeFieldInsert
        label="Insert a merge field"
        onInsert={(tag) => change({ ...draft, body: appendTag(draft.body, tag) })}
      />
      <CouponPoolField
        value={draft.couponPool}
        error={error("couponPool")}
        onChange={(couponPool) => {
          const { couponPool: _old, ...rest } = draft;
          change(couponPool === undefined ? rest : { ...rest, couponPool });
        }}
      />
      <CategoryField value={draft.category} onChange={(category) => change({ ...draft, category })} />
      <SmartSendingField
        category={draft.category}
        value={draft.smartSending}
        onChange={(smartSending) => change({ ...draft, smartSending })}
        channelName="SMS"
      />
    </>
  );
}

const SmsCard = memo(function SmsCard({ id, data, selected }: NodeProps<CanvasNodeOf<"sms">>) {
  return (
    <NodeCard id={id} kind="sms" config={data} selected={selected} icon={MessageSquare} tone="emerald" />
  );
});

export const smsUi: NodeUi<"sms"> = {
  icon: MessageSquare,
  tone: "emerald",
  Card: SmsCard,
  Inspector: SmsInspector,
};
