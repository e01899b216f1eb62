/**
 * `consent`: unsubscribe the contact from marketing on a channel ("stop marketing email to
 * those who never answered"). Carried out by the executor as a consent change, recorded
 * like one. A flow can only take consent away: subscribing needs the contact's own yes
 * (a sign-up form or the preference page), so `subscribed` is a validation problem.
 */
import { z } from "zod";
import { Channel } from "../facts";
import { issue, type Issue } from "../issues";
import { defineNode } from "./define";

export const ConsentConfig = z.strictObject({
  channel: Channel,
  status: z.enum(["unsubscribed", "subscribed"]),
});
export type ConsentConfig = z.infer<typeof ConsentConfig>;

export const CHANNEL_NAMES: Record<Channel, string> = { email: "email", sms: "SMS", push: "push" };

function validateConsent(config: ConsentConfig): Issue[] {
  if (config.status === "subscribed") {
    return [
      issue(
        "invalid_value",
        `A flow can't subscribe a contact to marketing ${CHANNEL_NAMES[config.channel]}: that consent has to come from the contact (a sign-up form or the preference page). Choose “Unsubscribe”.`,
      ),
    ];
  }
  return [];
}

export const consent = defineNode({
  kind: "consent",
  traits: { waits: false, branches: false, channel: null, palette: { group: "Other", order: 2 } },
  label: "Consent",
  description: "Unsubscribe the contact from marketing email, SMS or push.",
  configSchema: ConsentConfig,
  outputs: () => ["next"],
  outputLabel: () => "Next",
  summary: (config) =>
    config.status === "unsubscribed"
      ? `Unsubscribe from marketing ${CHANNEL_NAMES[config.channel]}`
      : `Subscribe to marketing ${CHANNEL_NAMES[config.channel]}`,
  validate: (config) => validateConsent(config),
  step: ({ nodeId, visit, config, contact }) => {
    if (config.status !== "unsubscribed") throw new Error("a flow can't subscribe a contact to marketing");
    const name = CHANNEL_NAMES[config.channel];
    // Only a yes is taken back: a contact who never opted in keeps "none".
    if (contact.consent[config.channel] !== "subscribed") {
      return { type: "next", handle: "next", note: `Not subscribed to marketing ${name}; nothing changed` };
    }
    return {
      type: "next",
      handle: "next",
      effects: [{ type: "consent", nodeId, visit, channel: config.channel, status: "unsubscribed" }],
      note: `Unsubscribed from marketing ${name}`,
    };
  },
  defaultConfig: (): ConsentConfig => ({ channel: "email", status: "unsubscribed" }),
  eventNames: () => [],
});
