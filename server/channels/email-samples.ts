/**
 * Props for a template preview: the sample shop, contact and event, with the copy (the
 * template's default unless given) merged against them. Lives with the channels because
 * merging is theirs; `emails/` stays free of server imports.
 */
import { emailCatalog, type EmailTemplateKey } from "@/emails/catalog";
import {
  sampleContact,
  samplePreferencesUrl,
  sampleProducts,
  sampleTriggers,
  sampleUnsubscribeUrl,
  sampleWorkspace,
} from "@/emails/samples";
import type { EmailContent, EmailTemplateProps } from "@/emails/types";
import { mergeEmailContent } from "./merge";

export function sampleEmailProps(
  key: EmailTemplateKey,
  content: EmailContent = emailCatalog[key].defaultContent,
): EmailTemplateProps {
  const base = {
    workspace: sampleWorkspace,
    contact: sampleContact,
    trigger: sampleTriggers[key],
    products: sampleProducts,
  };
  return {
    ...base,
    content: mergeEmailContent(content, base),
    unsubscribeUrl: sampleUnsubscribeUrl,
    preferencesUrl: samplePreferencesUrl,
  };
}
