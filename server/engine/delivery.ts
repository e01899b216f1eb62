/**
 * The send rules shared by `email`, `sms` and `push`: marketing needs consent and no
 * suppression (a double opt-in not yet confirmed holds it until the link expires), respects
 * smart sending (unless the step turns it off) and (SMS / push) quiet hours; transactional needs
 * only no suppression. A skip records the reason and the contact moves on.
 */
import type { SendEffect, SkipReason } from "./effects";
import type { StepContext, StepResult } from "./nodes/define";
import type { EmailConfig } from "./nodes/email";
import type { PushConfig } from "./nodes/push";
import type { SmsConfig } from "./nodes/sms";
import { HOUR, quietHoursEnd } from "./time";

export type OutgoingMessage =
  | { channel: "email"; content: EmailConfig }
  | { channel: "sms"; content: SmsConfig }
  | { channel: "push"; content: PushConfig };

export function deliver<C>(ctx: StepContext<C>, message: OutgoingMessage): StepResult {
  const { contact, settings, now, resumed, nodeId, visit } = ctx;
  const { channel } = message;
  const category = message.content.category;
  const skip = (reason: SkipReason): StepResult => ({
    type: "next",
    handle: "next",
    effects: [{ type: "skip", nodeId, visit, channel, category, reason }],
  });

  const address = channel === "email" ? contact.email : channel === "sms" ? contact.phone : null;
  if (channel !== "push" && (address === null || address.trim() === "")) return skip("no_address");
  if (contact.suppressed[channel]) return skip("suppressed");

  if (category === "marketing") {
    if (contact.consent[channel] !== "subscribed") {
      // Signed up, confirmation email sent, link not clicked yet: the message waits for the
      // click (woken by it) until the link expires, then is skipped for want of consent.
      const pendingUntil = contact.consentPending?.[channel];
      if (pendingUntil !== undefined && now < pendingUntil)
        return { type: "wait", reason: "opt_in", until: pendingUntil, then: null };
      return skip("no_consent");
    }
    const last = ctx.lastMarketingSentAt[channel];
    if (
      message.content.smartSending !== false &&
      settings.smartSendingHours > 0 &&
      last !== undefined &&
      now - last < settings.smartSendingHours * HOUR
    ) {
      return skip("smart_sending");
    }
    if (channel !== "email") {
      const held = resumed?.reason === "quiet_hours" ? resumed : null;
      if (held && held.until !== null && now < held.until) {
        return { type: "wait", reason: "quiet_hours", until: held.until, then: null };
      }
      if (!held) {
        const end = quietHoursEnd(now, settings.quietHours, ctx.zone);
        if (end !== null) return { type: "wait", reason: "quiet_hours", until: end, then: null };
      }
    }
  }

  const to = address?.trim() ?? "";
  const base = { type: "send" as const, nodeId, visit, category };
  const effect: SendEffect =
    message.channel === "email"
      ? { ...base, channel: "email", to, content: message.content }
      : message.channel === "sms"
        ? { ...base, channel: "sms", to, content: message.content }
        : { ...base, channel: "push", to: null, content: message.content };
  // A message that waited for the opt-in goes when it came: later waits count from now.
  return resumed?.reason === "opt_in"
    ? { type: "next", handle: "next", effects: [effect], at: now }
    : { type: "next", handle: "next", effects: [effect] };
}
