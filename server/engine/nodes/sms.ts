/** `sms`: send a text message. Marketing SMS waits out quiet hours. */
import { z } from "zod";
import { COUPON_POOL_FIELDS, couponPoolIssues } from "../catalog";
import { blank, compactMergeFields, excerpt, textFieldIssues } from "../content";
import { deliver } from "../delivery";
import { MessageCategory } from "../facts";
import { issue, type Issue } from "../issues";
import { defineNode, type ValidateContext } from "./define";

/** Ten concatenated segments; carriers refuse longer. */
export const SMS_MAX_LENGTH = 1600;

export const SmsConfig = z.strictObject({
  body: z.string(),
  category: MessageCategory.default("marketing"),
  /**
   * Smart sending for this step: skip a marketing message when the contact got one on the
   * channel within the flow's window. Absent or true: on; false: always send (thank-yous,
   * receipts, codes the contact asked for). Transactional messages never wait for it.
   */
  smartSending: z.boolean().optional(),
  /** The coupon pool each text draws a unique code from (`{{ coupon.code }}`); its id. */
  couponPool: z.string().optional(),
});
export type SmsConfig = z.infer<typeof SmsConfig>;

function validateSms(config: SmsConfig, ctx: ValidateContext): Issue[] {
  const issues: Issue[] = [];
  if (blank(config.body)) issues.push(issue("missing_content", "Write the text message."));
  if (config.body.length > SMS_MAX_LENGTH) {
    issues.push(
      issue(
        "invalid_value",
        `The text message is ${config.body.length} characters; keep it under ${SMS_MAX_LENGTH}.`,
      ),
    );
  }
  issues.push(...couponPoolIssues(config.couponPool, ctx.catalog));
  issues.push(
    ...textFieldIssues([["Message", config.body]], ctx, blank(config.couponPool) ? [] : COUPON_POOL_FIELDS),
  );
  return issues;
}

export const sms = defineNode({
  kind: "sms",
  traits: { waits: false, branches: false, channel: "sms", palette: { group: "Messages", order: 2 } },
  label: "SMS",
  description: "Send a text message.",
  configSchema: SmsConfig,
  outputs: () => ["next"],
  outputLabel: () => "Next",
  summary: (config) => `SMS: ${blank(config.body) ? "(empty)" : excerpt(compactMergeFields(config.body))}`,
  validate: (config, ctx) => validateSms(config, ctx),
  step: (ctx) => deliver(ctx, { channel: "sms", content: ctx.config }),
  defaultConfig: (): SmsConfig => ({ body: "", category: "marketing" }),
  eventNames: () => [],
});
