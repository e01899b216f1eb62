"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { CopyButton } from "./api-keys-card";

export function ShopifyCard({ appBaseUrl }: { appBaseUrl: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: shopify } = useSuspenseQuery(trpc.apiKeys.shopify.queryOptions());
  const [editing, setEditing] = useState(false);
  const save = useMutation(
    trpc.apiKeys.setShopifySecret.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.apiKeys.shopify.queryKey(), next);
        setEditing(false);
      },
    }),
  );
  const webhookUrl = `${appBaseUrl}${shopify.webhookPath}`;
  const secretError = save.error?.data?.fieldErrors?.secret;

  function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const secret = new FormData(event.currentTarget).get("secret");
    save.mutate({ secret: typeof secret === "string" ? secret : "" });
  }

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div>
          <CardTitle>Shopify</CardTitle>
          <p className="mt-1 text-sm text-slate-600">
            Orders, checkouts, customers, fulfillments and products straight from your Shopify store.
          </p>
        </div>
        {shopify.configured ? (
          <Badge tone="live" className="shrink-0 whitespace-nowrap">
            Connected
          </Badge>
        ) : (
          <Badge className="shrink-0 whitespace-nowrap">Not set up</Badge>
        )}
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        <ol className="list-decimal space-y-1 pl-5 text-slate-700">
          <li>
            In Shopify admin, open Settings → Notifications → Webhooks and create a webhook (JSON) for each
            topic below.
          </li>
          <li>Use this URL for each of them:</li>
        </ol>
        <div className="flex items-center gap-2">
          <code
            className="min-w-0 flex-1 truncate rounded border border-slate-200 bg-slate-50 px-2 py-1.5 font-mono text-xs"
            data-testid="shopify-webhook-url"
          >
            {webhookUrl}
          </code>
          <CopyButton value={webhookUrl} label="Copy URL" />
        </div>
        <div className="flex flex-wrap gap-1.5">
          {shopify.topics.map((topic) => (
            <Badge key={topic} className="font-mono">
              {topic}
            </Badge>
          ))}
        </div>
        <p className="text-slate-700">
          Then paste the signing secret Shopify shows under the webhook list, so Tidings can check each
          delivery is really from your store.
        </p>

        {shopify.configured && !editing ? (
          <div className="flex items-center gap-3">
            <span className="text-slate-700">
              Signing secret saved, ending in <code className="font-mono">…{shopify.secretHint}</code>
            </span>
            <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
              Replace
            </Button>
            <Button
              size="sm"
              variant="ghost"
              disabled={save.isPending}
              onClick={() => save.mutate({ secret: null })}
            >
              Disconnect
            </Button>
          </div>
        ) : (
          <form onSubmit={onSave} aria-label="Shopify signing secret" className="flex items-end gap-2">
            <div className="flex flex-1 flex-col gap-1.5">
              <Label htmlFor="shopify-secret">Webhook signing secret</Label>
              <Input
                id="shopify-secret"
                name="secret"
                type="password"
                autoComplete="off"
                placeholder="Paste the secret from Shopify"
                aria-invalid={secretError ? true : undefined}
              />
              {(secretError ?? (save.error ? [save.error.message] : null)) && (
                <p role="alert" className="text-sm text-red-700">
                  {(secretError ?? [save.error?.message]).join(" ")}
                </p>
              )}
            </div>
            <Button type="submit" size="sm" disabled={save.isPending}>
              Save
            </Button>
            {editing && (
              <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            )}
          </form>
        )}
      </CardContent>
    </Card>
  );
}
