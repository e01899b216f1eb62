"use client";
/**
 * The live email preview in the email inspector: the node's content rendered on the server
 * for a chosen contact and one of their trigger events (or sample data), at desktop or
 * phone width, as HTML or plain text, with "Send test".
 */
import { EmailPreview } from "@/components/email-preview";
import type { EmailConfig } from "@/server/engine/nodes/email";

export function EmailPreviewSlot({
  content,
  triggerEventName,
}: {
  nodeId: string;
  content: EmailConfig;
  triggerEventName: string | null;
}) {
  return (
    <div data-slot="email-preview" data-template={content.template} className="min-w-0">
      <EmailPreview content={content} triggerEventName={triggerEventName} layout="panel" />
    </div>
  );
}
