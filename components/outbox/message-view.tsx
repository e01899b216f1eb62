"use client";

import { useState, type ReactNode } from "react";
import Link from "next/link";
import type { inferRouterOutputs } from "@trpc/server";
import { ExternalLink } from "lucide-react";
import type { AppRouter } from "@/server/api/root";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import {
  DeviceToggle,
  EmailFrame,
  InboxHeader,
  PlainText,
  ViewToggle,
  type Device,
  type EmailView,
} from "@/components/email-preview/email-frame";
import { PhoneFrame, PushNotification, segmentLabel, SmsBubble } from "@/components/email-preview/phone";
import { formatDate, StatusBadge } from "./outbox-table";

export type OutboxMessageView = inferRouterOutputs<AppRouter>["outbox"]["get"];

const EVENT_LABEL: Record<OutboxMessageView["events"][number]["type"], string> = {
  delivered: "Delivered",
  opened: "Opened",
  clicked: "Clicked",
  bounced: "Bounced",
  complained: "Marked as spam",
  unsubscribed: "Unsubscribed",
  delayed: "Delivery delayed",
};

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[5.5rem_1fr] gap-2 py-1.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  );
}

function ConsentBadge({ label, status }: { label: string; status: string }) {
  return (
    <Badge
      tone={status === "subscribed" ? "live" : status === "unsubscribed" ? "danger" : "neutral"}
    >{`${label}: ${status}`}</Badge>
  );
}

function EmailBody({ message, sender }: { message: OutboxMessageView; sender: string }) {
  const [device, setDevice] = useState<Device>("desktop");
  const [view, setView] = useState<EmailView>("html");
  const email = message.email;
  if (!email?.html && !email?.text) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
        {message.status === "skipped"
          ? "This email was skipped, so nothing was rendered."
          : message.status === "queued" || message.status === "sending"
            ? "Not rendered yet: the email is rendered when it is sent."
            : "No rendered copy of this email was stored."}
      </p>
    );
  }
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-end gap-2">
        <DeviceToggle value={device} onChange={setDevice} />
        <ViewToggle value={view} onChange={setView} />
      </div>
      <InboxHeader
        from={sender}
        to={message.toAddress}
        subject={message.subject ?? email.renderedSubject}
        preheader={email.preheader}
      />
      {view === "html" && email.html ? (
        <EmailFrame html={email.html} device={device} title="Sent email" />
      ) : (
        <PlainText text={email.text ?? ""} />
      )}
    </div>
  );
}

/** One Outbox message: what was sent, to whom, and what happened to it since. */
export function MessageView({ message }: { message: OutboxMessageView }) {
  const { sender, shopName } = message;
  const links = message.email?.links ?? [];
  const special = links.filter((l) => l.kind !== "link");
  return (
    <div className="grid gap-6 px-8 py-6 xl:grid-cols-[minmax(0,1fr)_19rem]">
      <div className="min-w-0">
        {message.channel === "email" ? (
          <EmailBody message={message} sender={sender} />
        ) : message.channel === "sms" ? (
          <div className="space-y-2">
            <PhoneFrame label="Text message as sent">
              <SmsBubble
                sender={shopName}
                body={message.sms?.text ?? "(not rendered)"}
                time={formatDate(message.sentAt ?? message.createdAt)}
              />
            </PhoneFrame>
            {message.sms?.segments ? (
              <p className="text-center text-xs text-slate-600">
                {segmentLabel({
                  segments: message.sms.segments,
                  encoding: message.sms.encoding ?? "GSM-7",
                  length: message.sms.text?.length ?? 0,
                })}
              </p>
            ) : null}
          </div>
        ) : (
          <PhoneFrame label="Push notification as sent">
            <PushNotification
              app={shopName}
              title={message.push?.title ?? message.subject ?? ""}
              body={message.push?.body ?? ""}
              url={message.push?.url}
            />
          </PhoneFrame>
        )}
      </div>

      <aside className="space-y-4" aria-label="Message details">
        <Card className="p-4">
          <h2 className="mb-2 text-sm font-semibold text-slate-900">Details</h2>
          <dl>
            <Row label="Status">
              <StatusBadge status={message.status} skipReason={message.skipReason} />
            </Row>
            {message.lastError ? (
              <Row label={message.status === "skipped" ? "Why skipped" : "Error"}>{message.lastError}</Row>
            ) : null}
            <Row label="To">{message.toAddress ?? "—"}</Row>
            <Row label="From">
              {message.isTest ? (
                <Badge tone="draft">Test send</Badge>
              ) : message.flowName ? (
                <Link href={`/flows/${message.flowId}`} className="text-indigo-700 hover:underline">
                  {message.flowName}
                </Link>
              ) : (
                "—"
              )}
            </Row>
            {message.triggerName ? <Row label="Trigger">{message.triggerName}</Row> : null}
            <Row label="Type">{message.category}</Row>
            <Row label="Provider">{message.provider ?? "—"}</Row>
            <Row label="Created">{formatDate(message.createdAt)}</Row>
            {message.sentAt ? <Row label="Sent">{formatDate(message.sentAt)}</Row> : null}
          </dl>
        </Card>

        {message.contact ? (
          <Card className="p-4" data-testid="message-contact">
            <h2 className="text-sm font-semibold text-slate-900">
              {message.contact.previewOnly ? "Rendered for" : "Contact"}
            </h2>
            <p className="mt-1 text-sm text-slate-800">{message.contact.name}</p>
            <p className="text-xs text-slate-500">{message.contact.email ?? message.contact.phone}</p>
            <div className="mt-2 flex flex-wrap gap-1">
              <ConsentBadge label="Email" status={message.contact.consent.email} />
              <ConsentBadge label="SMS" status={message.contact.consent.sms} />
            </div>
            {message.contact.previewOnly ? (
              <p className="mt-2 text-xs text-slate-500">
                This test used their data. Its unsubscribe link is theirs: following it and confirming
                unsubscribes them.
              </p>
            ) : null}
          </Card>
        ) : null}

        {special.length > 0 ? (
          <Card className="p-4">
            <h2 className="mb-2 text-sm font-semibold text-slate-900">Subscription links</h2>
            <ul className="space-y-1.5 text-sm">
              {special.map((l) => (
                <li key={l.href}>
                  <a
                    href={l.href}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="inline-flex items-center gap-1.5 text-indigo-700 hover:underline"
                    data-testid={`link-${l.kind}`}
                  >
                    {l.kind === "unsubscribe" ? "Open the unsubscribe page" : "Open the preference page"}
                    <ExternalLink className="size-3.5" aria-hidden />
                  </a>
                </li>
              ))}
            </ul>
          </Card>
        ) : null}

        <Card className="p-4">
          <h2 className="mb-2 text-sm font-semibold text-slate-900">Activity</h2>
          {message.events.length === 0 ? (
            <p className="text-sm text-slate-500">No provider events yet.</p>
          ) : (
            <ol className="space-y-2 text-sm" data-testid="message-events">
              {message.events.map((e) => (
                <li key={e.id} className="flex items-start justify-between gap-3">
                  <span className="min-w-0">
                    <span className="font-medium text-slate-900">{EVENT_LABEL[e.type]}</span>
                    {e.url ? <span className="block truncate text-xs text-slate-500">{e.url}</span> : null}
                    {typeof e.data.reason === "string" ? (
                      <span className="block text-xs text-slate-500">{e.data.reason}</span>
                    ) : null}
                  </span>
                  <span className="shrink-0 text-xs text-slate-500">{formatDate(e.occurredAt)}</span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </aside>
    </div>
  );
}
