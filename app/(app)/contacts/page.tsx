import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { getCaller } from "@/trpc/server";
import { PageHeader } from "@/components/shell/page-header";
import { ConsentBadge } from "@/components/contacts/consent-badge";
import { ImportForm } from "@/components/contacts/import-form";
import { Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { CHANNELS, CONSENT_STATUSES as STATUSES } from "@/server/engine/facts";

export const metadata: Metadata = { title: "Contacts" };

const PAGE = 50;
const selectClass =
  "h-9 rounded-md border border-slate-300 bg-white px-2 text-sm shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";

type Params = {
  q?: string;
  /** The cursor of the page shown (the previous page's last contact). */
  after?: string;
  channel?: string;
  consent?: string;
  property?: string;
  event?: string;
};

function pick<T extends string>(options: readonly T[], value: string | undefined): T | undefined {
  return options.find((o) => o === value);
}

export default async function ContactsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const after = params.after?.slice(0, 2000) || undefined;
  const channel = pick(CHANNELS, params.channel);
  const status = pick(STATUSES, params.consent);
  const property = params.property?.trim().slice(0, 200) || undefined;
  const event = params.event?.trim().slice(0, 200) || undefined;
  const q = params.q?.trim().slice(0, 200) || undefined;
  const caller = await getCaller();
  const [{ items, total, nextCursor }, eventNames] = await Promise.all([
    caller.contacts
      .list({
        search: q,
        consent: channel && status ? { channel, status } : undefined,
        hasProperty: property,
        didEvent: event,
        limit: PAGE,
        cursor: after,
      })
      .catch((error: unknown) => {
        // A cursor from an edited or outdated address: show the first page instead.
        if (after && error instanceof TRPCError && error.code === "BAD_REQUEST") {
          const { after: _after, ...rest } = params;
          redirect(`/contacts?${new URLSearchParams(rest).toString()}`);
        }
        throw error;
      }),
    caller.contacts.eventNames(),
  ]);
  const query = { q, channel, consent: status, property, event };
  const filtered = [q, channel && status, property, event].some(Boolean);
  return (
    <>
      <PageHeader
        title="Contacts"
        description={`${total.toLocaleString("en")} ${filtered ? "matching" : "people in your shop"}`}
      />
      <div className="px-8 py-6">
        <ImportForm />
        <form className="mb-4 flex flex-wrap items-end gap-2" role="search" aria-label="Filter contacts">
          <label className="flex min-w-64 flex-col gap-1 text-xs text-slate-600">
            Search
            <Input name="q" defaultValue={q} placeholder="Email, name or id" aria-label="Search contacts" />
          </label>
          <label className="flex flex-col gap-1 text-xs text-slate-600">
            Consent channel
            <select
              name="channel"
              defaultValue={channel ?? ""}
              className={selectClass}
              aria-label="Consent channel"
            >
              <option value="">Any channel</option>
              <option value="email">Email</option>
              <option value="sms">SMS</option>
              <option value="push">Push</option>
            </select>
          </label>
          <label className="flex flex-col gap-1 text-xs text-slate-600">
            Consent
            <select
              name="consent"
              defaultValue={status ?? ""}
              className={selectClass}
              aria-label="Consent status"
            >
              <option value="">Any consent</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-xs text-slate-600">
            Has property
            <Input
              name="property"
              defaultValue={property}
              placeholder="e.g. favorite_category"
              className="w-48"
              aria-label="Has property"
            />
          </label>
          <label className="flex flex-col gap-1 text-xs text-slate-600">
            Has done event
            <select
              name="event"
              defaultValue={event ?? ""}
              className={selectClass}
              aria-label="Has done event"
            >
              <option value="">Any</option>
              {eventNames.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit" variant="secondary">
            Apply
          </Button>
          {filtered && (
            <Link href="/contacts" className="h-9 px-2 py-2 text-sm text-indigo-700 hover:underline">
              Clear
            </Link>
          )}
        </form>
        <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm shadow-sm">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th className="px-4 py-3 font-medium">Contact</th>
              <th className="px-4 py-3 font-medium">Time zone</th>
              <th className="px-4 py-3 font-medium">Consent</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr
                key={c.id}
                className="border-t border-slate-100 hover:bg-slate-50"
                data-testid="contact-row"
              >
                <td className="px-4 py-3">
                  <Link href={`/contacts/${c.id}`} className="block">
                    <div className="font-medium text-indigo-700 hover:underline">
                      {[c.firstName, c.lastName].filter(Boolean).join(" ") || "—"}
                    </div>
                    <div className="text-slate-600">
                      {c.email ?? c.phone ?? c.externalId ?? c.anonymousIds[0] ?? "anonymous"}
                    </div>
                  </Link>
                </td>
                <td className="px-4 py-3 text-slate-600">{c.timezone ?? "workspace"}</td>
                <td className="flex flex-wrap gap-1 px-4 py-3">
                  <ConsentBadge label="Email" status={c.emailConsent} />
                  <ConsentBadge label="SMS" status={c.smsConsent} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="mt-4 flex items-center gap-3 text-sm text-slate-600">
          {after && (
            <Link className="text-indigo-700 hover:underline" href={{ query: query }}>
              ← First page
            </Link>
          )}
          <span>
            {total === 0
              ? "No contacts"
              : `${items.length.toLocaleString("en")} shown of ${total.toLocaleString("en")}`}
          </span>
          {nextCursor && (
            <Link
              className="text-indigo-700 hover:underline"
              href={{ query: { ...query, after: nextCursor } }}
            >
              Next →
            </Link>
          )}
        </div>
      </div>
    </>
  );
}
