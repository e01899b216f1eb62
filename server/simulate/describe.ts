/**
 * A simulated effect in the shop's words, for the test timeline: "Email", "held by quiet
 * hours until 08:00 Europe/Rome", "skipped: smart sending", with a note where the contact's
 * own consent or suppression made the difference.
 */
import type { Effect, SkipReason } from "@/server/engine/effects";
import type { ContactFacts } from "@/server/engine/facts";
import type { FlowNode } from "@/server/engine/graph";
import { END_REASON_LABELS, stepOutcomeWords, stepTitle } from "@/server/engine/metrics";
import type { SimStep } from "./types";

const SKIP_WORDS: Record<SkipReason, string> = {
  no_consent: "no consent",
  suppressed: "suppressed",
  smart_sending: "smart sending",
  no_address: "no address",
  coupon_pool_empty: "coupon pool empty",
};

const CHANNEL_WORDS = { email: "Email", sms: "SMS", push: "Push" } as const;

function clockIn(at: number, zone: string): string {
  try {
    return new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      timeZone: zone,
      hourCycle: "h23",
    }).format(at);
  } catch {
    return new Date(at).toISOString().slice(11, 16);
  }
}

function skipNote(reason: SkipReason, channel: "email" | "sms" | "push", contact: ContactFacts): string | undefined {
  switch (reason) {
    case "no_consent":
      return `Uses the contact's consent: ${contact.consent[channel] === "unsubscribed" ? "unsubscribed from" : "never subscribed to"} ${CHANNEL_WORDS[channel]} marketing.`;
    case "suppressed":
      return `The contact's ${channel === "sms" ? "phone number" : "address"} is suppressed (bounce, complaint or by hand).`;
    case "smart_sending":
      return "Smart sending: the contact got another marketing message shortly before (from any flow, or earlier in this test).";
    case "no_address":
      return `The contact has no ${channel === "sms" ? "phone number" : channel === "email" ? "email address" : "push subscription"}.`;
    case "coupon_pool_empty":
      return "The step's coupon pool has no code left.";
  }
}

export function describeEffect(
  effect: Effect,
  at: number,
  ctx: { nodes: ReadonlyMap<string, FlowNode>; contact: ContactFacts; zone: string },
): SimStep | null {
  const node = "nodeId" in effect ? ctx.nodes.get(effect.nodeId) : undefined;
  const title = stepTitle(node, ctx.nodes);
  switch (effect.type) {
    case "step": {
      if (effect.outcome === "wait") {
        const until = effect.detail?.wakeAt ?? null;
        if (effect.detail?.waitingFor === "quiet_hours")
          return {
            at,
            nodeId: effect.nodeId,
            kind: "held",
            reason: "quiet_hours",
            text: `held by quiet hours until ${until === null ? "they end" : `${clockIn(until, ctx.zone)} ${ctx.zone}`}`,
          };
        if (effect.detail?.waitingFor === "opt_in")
          return {
            at,
            nodeId: effect.nodeId,
            kind: "held",
            reason: "opt_in",
            text: "held until the contact confirms their subscription",
          };
        return {
          at,
          nodeId: effect.nodeId,
          kind: "wait",
          text: `${title}: waiting${effect.detail?.waitingFor === "event" ? " for the event" : ""}`,
        };
      }
      if (effect.outcome === "exit") return null;
      return {
        at,
        nodeId: effect.nodeId,
        kind: "step",
        text: `${title}: ${stepOutcomeWords(node, effect.outcome)}`,
        ...(effect.detail?.note ? { note: effect.detail.note } : {}),
      };
    }
    case "send":
      return { at, nodeId: effect.nodeId, kind: "send", text: CHANNEL_WORDS[effect.channel] };
    case "skip": {
      const note = skipNote(effect.reason, effect.channel, ctx.contact);
      return {
        at,
        nodeId: effect.nodeId,
        kind: "skip",
        reason: effect.reason,
        text: `${CHANNEL_WORDS[effect.channel]} skipped: ${SKIP_WORDS[effect.reason]}`,
        ...(note ? { note } : {}),
      };
    }
    case "convert":
      return {
        at,
        nodeId: effect.nodeId,
        kind: "convert",
        text: `Reached the goal (${(effect.valueCents / 100).toFixed(2)} ${effect.currency})`,
      };
    case "exit":
      return {
        at,
        nodeId: effect.nodeId,
        kind: "exit",
        reason: effect.reason,
        text: END_REASON_LABELS[effect.reason],
      };
    case "action":
    case "consent":
    case "webhook":
      return { at, nodeId: effect.nodeId, kind: "action", text: title };
  }
}
