/** `email`: send an email built from a react-email template and the node's copy. */
import { z } from "zod";
import { COUPON_POOL_FIELDS, couponPoolIssues, templateIssues } from "../catalog";
import { blank, compactMergeFields, excerpt, isLinkLike, textFieldIssues } from "../content";
import { deliver } from "../delivery";
import { MessageCategory } from "../facts";
import { issue, type Issue } from "../issues";
import { defineNode, type ValidateContext } from "./define";

/** Where the product block of the email takes its products from. */
export const ProductSource = z.enum(["none", "cart", "order", "last_viewed", "recommendations"]);
export type ProductSource = z.infer<typeof ProductSource>;

export const EmailConfig = z.strictObject({
  /** Key of an email template, e.g. `abandoned_cart_1`. */
  template: z.string(),
  subject: z.string(),
  /** The inbox preview line. */
  preheader: z.string().default(""),
  heading: z.string().default(""),
  body: z.string(),
  buttonText: z.string().default(""),
  buttonUrl: z.string().default(""),
  couponCode: z.string().optional(),
  /** The coupon pool each message draws a unique code from (`{{ coupon.code }}`); its id. */
  couponPool: z.string().optional(),
  productSource: ProductSource.default("none"),
  category: MessageCategory.default("marketing"),
  /**
   * Smart sending for this step: skip a marketing message when the contact got one on the
   * channel within the flow's window. Absent or true: on; false: always send (thank-yous,
   * receipts, codes the contact asked for). Transactional messages never wait for it.
   */
  smartSending: z.boolean().optional(),
});
export type EmailConfig = z.infer<typeof EmailConfig>;

/** Text fields of an email step's content that may hold merge fields (and that a template fills). */
export const EMAIL_TEXT_FIELDS = [
  "subject",
  "preheader",
  "heading",
  "body",
  "buttonText",
  "buttonUrl",
  "couponCode",
] as const satisfies readonly (keyof EmailConfig)[];

function validateEmail(config: EmailConfig, ctx: ValidateContext): Issue[] {
  const issues: Issue[] = [];
  if (blank(config.template)) issues.push(issue("missing_field", "Choose an email template."));
  else if (ctx.catalog) issues.push(...templateIssues(config.template, ctx.catalog));
  if (blank(config.subject)) issues.push(issue("missing_content", "Add a subject line."));
  if (blank(config.body)) issues.push(issue("missing_content", "Add the email's body text."));
  if (!blank(config.buttonText) && blank(config.buttonUrl))
    issues.push(issue("missing_content", "Add the link the button opens."));
  if (blank(config.buttonText) && !blank(config.buttonUrl))
    issues.push(issue("missing_content", "Add the button's text."));
  if (!blank(config.buttonUrl) && !isLinkLike(config.buttonUrl)) {
    issues.push(
      issue(
        "invalid_url",
        "The button link must start with https:// (or be a merge field like {{ checkout_url }}).",
      ),
    );
  }
  if (config.couponCode !== undefined && blank(config.couponCode))
    issues.push(issue("missing_content", "Enter the coupon code, or remove it."));
  const fields: [string, string | undefined][] = [
    ["Subject", config.subject],
    ["Preview text", config.preheader],
    ["Heading", config.heading],
    ["Body", config.body],
    ["Button text", config.buttonText],
    ["Button link", config.buttonUrl],
    ["Coupon code", config.couponCode],
  ];
  // The coupon code is merged first, so the other fields may print it as {{ coupon_code }}.
  const couponSet = config.couponCode !== undefined && !blank(config.couponCode);
  issues.push(...couponPoolIssues(config.couponPool, ctx.catalog));
  const extra: string[] = couponSet ? ["coupon_code"] : [];
  if (!blank(config.couponPool)) extra.push(...COUPON_POOL_FIELDS);
  issues.push(...textFieldIssues(fields, ctx, extra));
  return issues;
}

export const email = defineNode({
  kind: "email",
  traits: { waits: false, branches: false, channel: "email", palette: { group: "Messages", order: 1 } },
  label: "Email",
  description: "Send an email.",
  configSchema: EmailConfig,
  outputs: () => ["next"],
  outputLabel: () => "Next",
  summary: (config) =>
    `Email: ${blank(config.subject) ? "(no subject)" : excerpt(compactMergeFields(config.subject), 60)}`,
  validate: (config, ctx) => validateEmail(config, ctx),
  step: (ctx) => deliver(ctx, { channel: "email", content: ctx.config }),
  // No template until one is chosen (the editor starts a new step on the first real one):
  // a made-up key would only turn into an "unknown template" problem later.
  defaultConfig: (): EmailConfig => ({
    template: "",
    subject: "",
    preheader: "",
    heading: "",
    body: "",
    buttonText: "",
    buttonUrl: "",
    productSource: "none",
    category: "marketing",
  }),
  eventNames: () => [],
});
