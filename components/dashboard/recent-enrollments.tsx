"use client";
/** The newest 50 enrollments: who, status, where they are now, when they entered and their last step. */
import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

const TONE = {
  active: "live",
  completed: "neutral",
  exited: "paused",
  failed: "danger",
  cancelled: "neutral",
} as const;

export function RecentEnrollments({ flowId }: { flowId: string }) {
  const trpc = useTRPC();
  const { data: rows } = useSuspenseQuery(trpc.dashboard.recentEnrollments.queryOptions({ flowId }));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Recent enrollments</CardTitle>
        <p className="text-sm text-slate-600">
          The newest {rows.length === 50 ? 50 : rows.length} contacts to enter the flow.
        </p>
      </CardHeader>
      <CardContent>
        {rows.length === 0 ? (
          <p className="text-sm text-slate-600">No one has entered this flow yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="recent-enrollments">
              <thead className="text-left text-xs text-slate-600">
                <tr>
                  <th className="py-2 pr-3 font-medium">Contact</th>
                  <th className="py-2 pr-3 font-medium">Status</th>
                  <th className="py-2 pr-3 font-medium">Current step</th>
                  <th className="py-2 pr-3 font-medium">Entered</th>
                  <th className="py-2 font-medium">Last step</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className="border-t border-slate-100" data-testid="enrollment-row">
                    <td className="max-w-[260px] py-2 pr-3">
                      <Link
                        href={`/contacts/${r.contact.id}`}
                        className="block truncate font-medium text-slate-900 hover:text-indigo-700 hover:underline"
                      >
                        {r.contact.name ?? r.contact.email ?? "Unnamed contact"}
                      </Link>
                      {r.contact.name && r.contact.email && (
                        <span className="block truncate text-xs text-slate-600">{r.contact.email}</span>
                      )}
                    </td>
                    <td className="py-2 pr-3">
                      <Badge tone={TONE[r.status as keyof typeof TONE] ?? "neutral"}>{r.status}</Badge>
                    </td>
                    <td className="py-2 pr-3 text-slate-800" data-node-id={r.currentStep.nodeId}>
                      {r.ended ? (
                        <>
                          Ended at {r.currentStep.label}
                          <span className="block text-xs text-slate-600" data-testid="ended-reason">
                            {r.ended.label}
                            {r.endedAt && ` · ${dateFormat.format(r.endedAt)}`}
                          </span>
                        </>
                      ) : (
                        r.currentStep.label
                      )}
                    </td>
                    <td className="whitespace-nowrap py-2 pr-3 text-slate-700">
                      {dateFormat.format(r.enteredAt)}
                    </td>
                    <td className="py-2 text-slate-700">
                      {r.lastStep ? (
                        <>
                          {r.lastStep.label} · {r.lastStep.words}
                          <span className="block text-xs text-slate-500">
                            {dateFormat.format(r.lastStep.at)}
                          </span>
                        </>
                      ) : (
                        <span className="text-slate-500">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
