import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { ArrowLeft } from "lucide-react";
import { getCaller } from "@/trpc/server";
import { PageHeader } from "@/components/shell/page-header";
import { ConsentBadge } from "@/components/contacts/consent-badge";
import { EventTimeline } from "@/components/contacts/event-timeline";
import { ChannelIcon, StatusBadge, formatDate } from "@/components/outbox/outbox-table";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

export const metadata: Metadata = { title: "Contact" };

async function loadProfile(id: string) {
  const caller = await getCaller();
  try {
    const [contact, timeline, sent, journeys] = await Promise.all([
      caller.contacts.get({ id }),
      caller.contacts.timeline({ id }),
      caller.contacts.messages({ id }),
      caller.enrollments.forContact({ contactId: id }),
    ]);
    return { contact, timeline, sent, journeys };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  }
}

function Field({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <div className="flex justify-between gap-4 border-b border-slate-100 py-1.5 text-sm last:border-0">
      <dt className="text-slate-600">{label}</dt>
      <dd className="text-right font-medium break-all">{value || "—"}</dd>
    </div>
  );
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export default async function ContactPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { contact: c, timeline, sent, journeys } = await loadProfile(id);
  const name =
    [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || c.externalId || "Anonymous visitor";
  return (
    <>
      <PageHeader
        title={name}
        description={c.email ?? c.phone ?? undefined}
        actions={
          <Link href="/contacts" className="flex items-center gap-1 text-sm text-indigo-700 hover:underline">
            <ArrowLeft className="size-4" aria-hidden /> All contacts
          </Link>
        }
      />
      <div className="grid gap-6 px-8 py-6 lg:grid-cols-[22rem_1fr]">
        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle>Profile</CardTitle>
            </CardHeader>
            <CardContent>
              <dl>
                <Field label="Email" value={c.email} />
                <Field label="Phone" value={c.phone} />
                <Field label="Customer id" value={c.externalId} />
                <Field label="Time zone" value={c.timezone ?? "workspace default"} />
                <Field label="Birthday" value={c.birthday} />
                <Field label="Country" value={c.country} />
                <Field label="Created" value={formatDate(c.createdAt)} />
              </dl>
              <div className="mt-3 flex flex-wrap gap-1" data-testid="contact-consent">
                <ConsentBadge label="Email" status={c.emailConsent} />
                <ConsentBadge label="SMS" status={c.smsConsent} />
                <ConsentBadge label="Push" status={c.pushConsent} />
              </div>
              {c.tags.length > 0 && (
                <div className="mt-3 flex flex-wrap gap-1">
                  {c.tags.map((t) => (
                    <Badge key={t} tone="paused">
                      {t}
                    </Badge>
                  ))}
                </div>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Properties</CardTitle>
            </CardHeader>
            <CardContent>
              {Object.keys(c.properties).length === 0 ? (
                <p className="text-sm text-slate-600">No properties.</p>
              ) : (
                <dl>
                  {Object.entries(c.properties).map(([k, v]) => (
                    <Field key={k} label={k} value={show(v)} />
                  ))}
                </dl>
              )}
            </CardContent>
          </Card>
        </div>
        <div className="flex min-w-0 flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle>Flows</CardTitle>
            </CardHeader>
            <CardContent>
              {journeys.length === 0 ? (
                <p className="text-sm text-slate-600">Not in any flow yet.</p>
              ) : (
                <ul className="flex flex-col gap-3" data-testid="contact-flows">
                  {journeys.map((j) => (
                    <li key={j.id} className="rounded-md border border-slate-200 p-3">
                      <div className="flex flex-wrap items-center gap-2">
                        <Link
                          href={`/flows/${j.flowId}`}
                          className="font-medium text-indigo-700 hover:underline"
                        >
                          {j.flowName}
                        </Link>
                        <Badge
                          tone={j.status === "active" ? "live" : j.status === "failed" ? "danger" : "neutral"}
                        >
                          {j.status}
                        </Badge>
                        <span className="text-xs text-slate-600">entered {formatDate(j.enteredAt)}</span>
                      </div>
                      <ol className="mt-2 flex flex-wrap items-center gap-1 text-xs">
                        {j.path.map((s, i) => (
                          <li key={`${s.nodeId}-${i}`} className="flex items-center gap-1">
                            {i > 0 && <span className="text-slate-400">→</span>}
                            <span
                              className="rounded bg-slate-100 px-1.5 py-0.5"
                              title={formatDate(s.at)}
                              data-node-id={s.nodeId}
                            >
                              {s.title}
                              <span className="text-slate-500"> · {s.words}</span>
                              {s.note && <span className="text-slate-600"> · {s.note}</span>}
                            </span>
                          </li>
                        ))}
                        {j.status === "active" && (
                          <li className="flex items-center gap-1">
                            <span className="text-slate-400">→</span>
                            <span className="rounded bg-emerald-50 px-1.5 py-0.5 text-emerald-800">
                              now at {j.currentStep}
                            </span>
                          </li>
                        )}
                        {j.ended && (
                          <li className="flex items-center gap-1">
                            <span className="text-slate-400">→</span>
                            <span
                              className="rounded bg-slate-50 px-1.5 py-0.5 text-slate-700"
                              data-testid="journey-ended"
                            >
                              {j.ended} at {j.currentStep}
                            </span>
                          </li>
                        )}
                      </ol>
                      {j.webhooks.length > 0 && (
                        <ul className="mt-2 flex flex-col gap-1 text-xs" data-testid="contact-webhooks">
                          {j.webhooks.map((w) => (
                            <li key={w.id} className="flex flex-wrap items-center gap-1.5">
                              <span className="rounded bg-slate-100 px-1.5 py-0.5">{w.stepTitle}</span>
                              <span className="font-mono break-all text-slate-700">
                                {w.method} {w.url}
                              </span>
                              <Badge
                                tone={
                                  w.status === "sent" ? "live" : w.status === "failed" ? "danger" : "neutral"
                                }
                              >
                                {w.status === "queued" && w.attempts > 0 ? "retrying" : w.status}
                              </Badge>
                              <span className="text-slate-600">
                                {w.attempts} {w.attempts === 1 ? "attempt" : "attempts"}
                                {w.responseStatus !== null && ` · answered ${w.responseStatus}`}
                                {w.status !== "sent" && w.lastError && ` · ${w.lastError}`}
                                {w.sentAt && ` · ${formatDate(w.sentAt)}`}
                              </span>
                            </li>
                          ))}
                        </ul>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Messages</CardTitle>
            </CardHeader>
            <CardContent>
              {sent.length === 0 ? (
                <p className="text-sm text-slate-600">No messages yet.</p>
              ) : (
                <table className="w-full text-sm" data-testid="contact-messages">
                  <thead className="text-left text-xs uppercase tracking-wide text-slate-600">
                    <tr>
                      <th className="py-2 font-medium">Channel</th>
                      <th className="py-2 font-medium">Subject</th>
                      <th className="py-2 font-medium">Status</th>
                      <th className="py-2 font-medium">Date</th>
                    </tr>
                  </thead>
                  <tbody>
                    {sent.map((m) => (
                      <tr key={m.id} className="border-t border-slate-100">
                        <td className="py-2">
                          <ChannelIcon channel={m.channel} />
                        </td>
                        <td className="py-2">
                          {m.subject ?? (
                            <span className="text-slate-500">{m.channel === "sms" ? "SMS" : "—"}</span>
                          )}
                        </td>
                        <td className="py-2">
                          <StatusBadge status={m.status} />
                        </td>
                        <td className="py-2 text-slate-600">{formatDate(m.sentAt ?? m.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Activity</CardTitle>
            </CardHeader>
            <CardContent>
              <EventTimeline events={timeline} />
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}
