import type { Metadata } from "next";
import { headers } from "next/headers";
import { getCaller, getQueryClient, trpc } from "@/trpc/server";
import { appUrl, env } from "@/server/env";
import { HydrateClient } from "@/trpc/hydrate";
import { PageHeader } from "@/components/shell/page-header";
import { ApiKeysCard } from "@/components/settings/api-keys-card";
import { ShopifyCard } from "@/components/settings/shopify-card";
import { CouponsCard } from "@/components/settings/coupons-card";
import { HistoryCard } from "@/components/settings/history-card";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

export const metadata: Metadata = { title: "Settings" };

/** The public origin: APP_URL when set, else the one this request came in on. */
async function publicOrigin(): Promise<string> {
  if (env().APP_URL) return appUrl();
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host");
  return host ? `${h.get("x-forwarded-proto") ?? "http"}://${host}` : appUrl();
}

export default async function SettingsPage() {
  const caller = await getCaller();
  const queryClient = getQueryClient();
  const [ws, origin, signing] = await Promise.all([
    caller.workspace.current(),
    publicOrigin(),
    caller.workspace.webhookSigning(),
    queryClient.prefetchQuery(trpc.apiKeys.list.queryOptions()),
    queryClient.prefetchQuery(trpc.apiKeys.shopify.queryOptions()),
    queryClient.prefetchQuery(trpc.coupons.list.queryOptions()),
  ]);
  const rows: Array<[string, string]> = [
    ["Shop name", ws.name],
    ["Workspace id", ws.slug],
    ["Default time zone", ws.timezone],
    ["Your role", ws.role],
    ["Signed in as", ws.user.email],
  ];
  return (
    <>
      <PageHeader title="Settings" description="Your shop, your team and your sending setup." />
      <div className="flex max-w-3xl flex-col gap-6 px-8 py-6">
        <Card>
          <CardHeader>
            <CardTitle>Workspace</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="divide-y divide-slate-100 text-sm">
              {rows.map(([k, v]) => (
                <div key={k} className="grid grid-cols-3 gap-4 py-2">
                  <dt className="text-slate-600">{k}</dt>
                  <dd className="col-span-2 font-medium">{v}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Flow webhooks</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-2 text-sm text-slate-700">
            <p>
              A flow&apos;s webhook action sends a JSON body with the contact, the trigger event and the flow.
              Each call carries an <code>Idempotency-Key</code> header (the same on every retry) and a{" "}
              <code>{signing.header}</code> header, <code>t=&lt;unix seconds&gt;,v1=&lt;signature&gt;</code>,
              where the signature is the hex HMAC-SHA256 of <code>&lt;t&gt;.&lt;body&gt;</code> with this
              secret. Refuse calls whose time is more than a few minutes off.
            </p>
            <p>
              Signing secret:{" "}
              <code className="rounded bg-slate-100 px-1.5 py-0.5 break-all" data-testid="webhook-secret">
                {signing.secret}
              </code>
            </p>
          </CardContent>
        </Card>
        <HydrateClient>
          <ApiKeysCard apiBaseUrl={origin} />
          <ShopifyCard appBaseUrl={origin} />
          <CouponsCard />
          <HistoryCard months={ws.historyMonths} />
        </HydrateClient>
      </div>
    </>
  );
}
