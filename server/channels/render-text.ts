/**
 * SMS and push rendering: merge fields in plain text, absolute links, and the SMS
 * segment count marketers see next to the message box.
 */
import { absoluteUrl } from "@/emails/data";
import type { EmailContact, EmailWorkspace, PushContent, SmsContent, TriggerEvent } from "@/emails/types";
import { normalizeSmsBody, smsSegments, toGsmFriendly, type SmsSegmentInfo } from "@/server/engine/sms-text";
import { buildMergeContext, renderMerge, type DrawnCouponCode } from "./merge";

export { smsSegments, toGsmFriendly, type SmsEncoding, type SmsSegmentInfo } from "@/server/engine/sms-text";

// ------------------------------------------------------------------ rendering

export type RenderTextInput<C> = {
  content: C;
  workspace: EmailWorkspace;
  contact: EmailContact;
  trigger: TriggerEvent;
  products?: readonly unknown[] | undefined;
  couponCode?: string | undefined;
  coupon?: DrawnCouponCode | null | undefined;
};

export type RenderedSms = { body: string; segments: SmsSegmentInfo };

const OPT_OUT = "Reply STOP to opt out.";

/**
 * Merges an SMS. Marketing texts name the shop and carry opt-out wording (carrier
 * rules), added only when the marketer's text lacks them.
 */
export function renderSms(input: RenderTextInput<SmsContent>): RenderedSms {
  const context = buildMergeContext(input);
  let body = normalizeSmsBody(renderMerge(input.content.body, context, "text"));
  if (input.content.category === "marketing") {
    const shop = toGsmFriendly(input.workspace.name.trim());
    if (shop && !body.toLowerCase().includes(shop.toLowerCase())) body = `${shop}: ${body}`;
    if (!/\bstop\b/i.test(body)) body = `${body}\n${OPT_OUT}`;
  }
  return { body, segments: smsSegments(body) };
}

export type RenderedPush = { title: string; body: string; url?: string };

/** Merges a push notification; the link is made absolute or dropped. */
export function renderPush(input: RenderTextInput<PushContent>): RenderedPush {
  const context = buildMergeContext(input);
  const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
  const out: RenderedPush = {
    title: oneLine(renderMerge(input.content.title, context, "text")),
    body: renderMerge(input.content.body, context, "text").trim(),
  };
  const url = input.content.url
    ? absoluteUrl(renderMerge(input.content.url, context, "text"), input.workspace.appUrl)
    : undefined;
  if (url && !url.startsWith("mailto:")) out.url = url;
  return out;
}
