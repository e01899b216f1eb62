/** `push`: send a web push notification. Marketing push waits out quiet hours. */
import { z } from "zod";
import { blank, compactMergeFields, excerpt, isLinkLike, textFieldIssues } from "../content";
import { deliver } from "../delivery";
import { MessageCategory } from "../facts";
import { issue, type Issue } from "../issues";
import { defineNode, type ValidateContext } from "./define";

export const PushConfig = z.strictObject({
  title: z.string(),
  body: z.string(),
  /** Opened on click; merge fields allowed (`{{ product_url }}`). */
  url: z.string().optional(),
  category: MessageCategory.default("marketing"),
  /**
   * Smart sending for this step: skip a marketing message when the contact got one on the
   * channel within the flow's window. Absent or true: on; false: always send (thank-yous,
   * receipts, codes the contact asked for). Transactional messages never wait for it.
   */
  smartSending: z.boolean().optional(),
});
export type PushConfig = z.infer<typeof PushConfig>;

function validatePush(config: PushConfig, ctx: ValidateContext): Issue[] {
  const issues: Issue[] = [];
  if (blank(config.title)) issues.push(issue("missing_content", "Add the notification title."));
  if (blank(config.body)) issues.push(issue("missing_content", "Add the notification text."));
  if (config.url !== undefined && !blank(config.url) && !isLinkLike(config.url)) {
    issues.push(
      issue("invalid_url", "The link must start with https:// (or be a merge field like {{ product_url }})."),
    );
  }
  issues.push(
    ...textFieldIssues(
      [
        ["Title", config.title],
        ["Text", config.body],
        ["Link", config.url],
      ],
      ctx,
    ),
  );
  return issues;
}

export const push = defineNode({
  kind: "push",
  traits: { waits: false, branches: false, channel: "push", palette: { group: "Messages", order: 3 } },
  label: "Push",
  description: "Send a web push notification.",
  configSchema: PushConfig,
  outputs: () => ["next"],
  outputLabel: () => "Next",
  summary: (config) =>
    `Push: ${blank(config.title) ? "(no title)" : excerpt(compactMergeFields(config.title))}`,
  validate: (config, ctx) => validatePush(config, ctx),
  step: (ctx) => deliver(ctx, { channel: "push", content: ctx.config }),
  defaultConfig: (): PushConfig => ({ title: "", body: "", category: "marketing" }),
  eventNames: () => [],
});
