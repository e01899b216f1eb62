/**
 * Renders an email node for one contact: merge fields, then the react-email
 * template to HTML and plain text.
 */
import { createElement } from "react";
import { render, toPlainText } from "@react-email/render";
import { getEmailTemplate } from "@/emails";
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
  const { content, workspace, contact, trigger } = input;
  const template = getEmailTemplate(content.template);
  if (!template) throw new EmailRenderError(`Unknown email template “${content.template}”.`);
  const marketing = content.category === "marketing";
  if (marketing && !isAbsoluteHttp(input.unsubscribeUrl)) {
    throw new EmailRenderError("Marketing email needs an absolute unsubscribe link.");
  }

  const products = readProducts(input.products, workspace);
  const merged = mergeEmailContent(content, {
    workspace,
    contact,
    trigger,
    products,
    coupon: input.coupon,
  });
  const subject = merged.subject || merged.heading || workspace.name;

  const element = createElement(template.component, {
    workspace,
    contact,
    trigger,
    content: merged,
    products,
    unsubscribeUrl: marketing ? input.unsubscribeUrl : undefined,
    preferencesUrl: marketing ? input.preferencesUrl : undefined,
  });
  // One render; the plain text is derived from it exactly as `render(el, { plainText: true })` would.
  const html = await render(element);
  const text = toPlainText(html);
  return { subject, preheader: merged.preheader, html, text: text.trim() };
}
