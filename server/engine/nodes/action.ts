/** `action`: change the contact (a property, a tag) or call a webhook. Carried out by the executor. */
import { z } from "zod";
import { blank, isHttpsUrl } from "../content";
import { issue, type Issue } from "../issues";
import { Scalar } from "../predicate";
import { defineNode, next } from "./define";

export const ActionConfig = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("update_property"), property: z.string(), value: Scalar }),
  z.strictObject({ type: z.enum(["add_tag", "remove_tag"]), tag: z.string() }),
  z.strictObject({
    type: z.literal("webhook"),
    /** https only. The executor posts the contact, the trigger data and the flow ids. */
    url: z.string(),
    method: z.enum(["POST", "PUT", "PATCH", "GET"]).default("POST"),
  }),
]);
export type ActionConfig = z.infer<typeof ActionConfig>;
export type WebhookActionConfig = Extract<ActionConfig, { type: "webhook" }>;
/** The actions that change the contact itself. */
export type ContactActionConfig = Exclude<ActionConfig, { type: "webhook" }>;

/** Contact properties that are fields, not custom properties, and cannot be set by an action. */
const RESERVED = new Set(["id", "email", "phone", "tags", "consent", "suppressed"]);

function summarize(config: ActionConfig): string {
  switch (config.type) {
    case "update_property":
      return `Set ${config.property || "(property)"} to ${config.value === null ? "empty" : String(config.value)}`;
    case "add_tag":
      return `Add tag ${config.tag || "(tag)"}`;
    case "remove_tag":
      return `Remove tag ${config.tag || "(tag)"}`;
    case "webhook":
      return `Webhook ${config.method} ${config.url || "(url)"}`;
  }
}

function validateAction(config: ActionConfig): Issue[] {
  switch (config.type) {
    case "update_property":
      if (blank(config.property)) return [issue("missing_field", "Choose the property to set.")];
      if (RESERVED.has(config.property.split(".")[0] ?? "")) {
        return [
          issue("invalid_value", `“${config.property}” can't be changed by a flow; pick a custom property.`),
        ];
      }
      return [];
    case "add_tag":
    case "remove_tag":
      return blank(config.tag) ? [issue("missing_field", "Enter the tag.")] : [];
    case "webhook":
      if (blank(config.url)) return [issue("missing_field", "Enter the webhook URL.")];
      return isHttpsUrl(config.url)
        ? []
        : [issue("invalid_url", "The webhook URL must start with https://.")];
  }
}

export const action = defineNode({
  kind: "action",
  traits: { waits: false, branches: false, channel: null, palette: { group: "Other", order: 1 } },
  label: "Action",
  description: "Update a property, add or remove a tag, or call a webhook.",
  configSchema: ActionConfig,
  outputs: () => ["next"],
  outputLabel: () => "Next",
  summary: summarize,
  validate: (config) => validateAction(config),
  step: ({ nodeId, visit, config }) =>
    next("next", [
      config.type === "webhook"
        ? { type: "webhook", nodeId, visit, call: config }
        : { type: "action", nodeId, visit, action: config },
    ]),
  defaultConfig: (): ActionConfig => ({ type: "add_tag", tag: "" }),
  eventNames: () => [],
});
