/**
 * Renders an email node for one contact: merge fields, then the react-email
 * template to HTML and plain text.
 */
import { createElement } from "react";
import { render, toPlainText } from "@react-email/render";
import { getEmailTemplate, type EmailTemplateComponent } from "@/emails";
import { readProducts } from "@/emails/data";
import type { EmailContact, EmailContent, EmailWorkspace, TriggerEvent } from "@/emails/types";
import { mergeEmailContent, type DrawnCouponCode } from "./merge";

export type RenderEmailInput = {
  /** The email node's content as configured (merge fields not yet filled). */
  content: EmailContent;
  workspace: EmailWorkspace;
  contact: EmailContact;
  trigger: TriggerEvent;
  /** Recommendations / recently viewed products chosen by the executor. */
  products?: readonly unknown[] | undefined;
  /** Required for marketing mail; ignored for transactional mail. */
  unsubscribeUrl?: string | undefined;
  preferencesUrl?: string | undefined;
  /** The unique code drawn for this message from the step's coupon pool. */
  coupon?: DrawnCouponCode | null | undefined;
};

export type RenderedEmail = { subject: string; preheader: string; html: string; text: string };

export class EmailRenderError extends Error {
  override name = "EmailRenderError";
}

function isAbsoluteHttp(url: string | undefined): url is string {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

export async function renderEmail(input: RenderEmailInput): Promise<RenderedEmail> {
  const template = checkedTemplate(input);
  const merged = mergeForRender(input);
  const { html, text } = await renderMergedDesign(template, input, merged);
  return { subject: subjectOf(merged, input.workspace), preheader: merged.preheader, html, text };
}

/** The template an input names, after the checks every render makes first. */
export function checkedTemplate(input: RenderEmailInput): EmailTemplateComponent {
  const template = getEmailTemplate(input.content.template);
  if (!template) throw new EmailRenderError(`Unknown email template “${input.content.template}”.`);
  if (input.content.category === "marketing" && !isAbsoluteHttp(input.unsubscribeUrl)) {
    throw new EmailRenderError("Marketing email needs an absolute unsubscribe link.");
  }
  return template.component;
}

/** The node's content with its merge fields filled for this contact. */
export function mergeForRender(input: RenderEmailInput): EmailContent {
  return mergeEmailContent(input.content, {
    workspace: input.workspace,
    contact: input.contact,
    trigger: input.trigger,
    products: readProducts(input.products, input.workspace),
    coupon: input.coupon,
  });
}

export function subjectOf(merged: EmailContent, workspace: EmailWorkspace): string {
  return merged.subject || merged.heading || workspace.name;
}

/** The react-email render of merged content: HTML, and the plain text derived from it. */
export async function renderMergedDesign(
  component: EmailTemplateComponent,
  input: RenderEmailInput,
  merged: EmailContent,
): Promise<{ html: string; text: string }> {
  const { workspace, contact, trigger } = input;
  const marketing = input.content.category === "marketing";
  const element = createElement(component, {
    workspace,
    contact,
    trigger,
    content: merged,
    products: readProducts(input.products, workspace),
    unsubscribeUrl: marketing ? input.unsubscribeUrl : undefined,
    preferencesUrl: marketing ? input.preferencesUrl : undefined,
  });
  // One render; the plain text is derived from it exactly as `render(el, { plainText: true })` would.
  const html = await render(element);
  return { html, text: plainTextOf(html) };
}

export function plainTextOf(html: string): string {
  return toPlainText(html).trim();
}
