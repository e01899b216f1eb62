"use client";

import { Fragment, useState, type FormEvent } from "react";
import Link from "next/link";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Check, Copy, KeyRound, Plus } from "lucide-react";
import { useTRPC } from "@/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
const timeFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

type Kind = "secret" | "publishable";

const KIND_HELP: Record<Kind, string> = {
  secret: "For your server: events, contacts and the product catalog. Keep it private.",
  publishable:
    "For the browser: can only track events and identify visitors; it cannot change a known customer's email or phone, and subscriptions it asks for need the customer's confirmation by email.",
};

export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      variant="secondary"
      size="sm"
      onClick={async () => {
        await navigator.clipboard.writeText(value);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      {copied ? "Copied" : label}
    </Button>
  );
}

export function ApiKeysCard({ apiBaseUrl }: { apiBaseUrl: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: keys } = useSuspenseQuery(trpc.apiKeys.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [kind, setKind] = useState<Kind>("secret");
  const [revealed, setRevealed] = useState<{ key: string; name: string; kind: Kind } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });

  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: async (created) => {
        setRevealed({ key: created.key, name: created.apiKey.name, kind: created.apiKey.kind });
        setCreating(false);
        await refresh();
      },
    }),
  );
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: async () => {
        setConfirming(null);
        await refresh();
      },
    }),
  );
  const fieldErrors = create.error?.data?.fieldErrors ?? null;

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = new FormData(event.currentTarget).get("name");
    create.mutate({ name: typeof name === "string" ? name : "", kind });
  }

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div>
          <CardTitle>API keys</CardTitle>
          <p className="mt-1 text-sm text-slate-600">
            Send events, contacts and products from your shop. See the{" "}
            <Link href="/api-docs" className="font-medium text-indigo-700 hover:underline">
              API reference
            </Link>
            .
          </p>
        </div>
        {!creating && (
          <Button
            size="sm"
            onClick={() => {
              create.reset();
              setCreating(true);
            }}
          >
            <Plus aria-hidden /> Create key
          </Button>
        )}
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {creating && (
          <form
            onSubmit={onCreate}
            aria-label="New API key"
            className="flex flex-col gap-3 rounded-md border border-slate-200 bg-slate-50 p-4"
          >
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="api-key-name">Name</Label>
              <Input
                id="api-key-name"
                name="name"
                placeholder="e.g. Storefront server"
                autoFocus
                aria-invalid={fieldErrors?.name ? true : undefined}
              />
              {fieldErrors?.name && (
                <p role="alert" className="text-sm text-red-700">
                  {fieldErrors.name.join(" ")}
                </p>
              )}
            </div>
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-sm font-medium text-slate-800">Kind</legend>
              {(["secret", "publishable"] as const).map((k) => (
                <label key={k} className="flex cursor-pointer items-start gap-2 text-sm">
                  <input
                    type="radio"
                    name="kind"
                    value={k}
                    checked={kind === k}
                    onChange={() => setKind(k)}
                    className="mt-1 accent-indigo-600"
                  />
                  <span>
                    <span className="font-medium capitalize">{k}</span>
                    <span className="block text-slate-600">{KIND_HELP[k]}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            {create.error && !fieldErrors && (
              <p role="alert" className="text-sm text-red-700">
                {create.error.message}
              </p>
            )}
            <div className="flex gap-2">
              <Button type="submit" size="sm" disabled={create.isPending}>
                Create key
              </Button>
              <Button type="button" size="sm" variant="ghost" onClick={() => setCreating(false)}>
                Cancel
              </Button>
            </div>
          </form>
        )}

        {revealed && (
          <div
            role="status"
            className="flex flex-col gap-2 rounded-md border border-emerald-300 bg-emerald-50 p-4"
            data-testid="new-api-key"
          >
            <p className="text-sm font-medium text-emerald-900">
              Your new {revealed.kind} key “{revealed.name}”. Copy it now: it is shown only once.
            </p>
            <div className="flex items-center gap-2">
              <code className="min-w-0 flex-1 truncate rounded border border-emerald-200 bg-white px-2 py-1.5 font-mono text-xs text-slate-900">
                {revealed.key}
              </code>
              <CopyButton value={revealed.key} />
            </div>
            <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
              {`curl ${apiBaseUrl}/api/v1/track \\\n  -H "Authorization: Bearer ${revealed.key}" \\\n  -H "Content-Type: application/json" \\\n  -d '{"userId":"cus_1","event":"Signed Up"}'`}
            </pre>
            <div>
              <Button type="button" size="sm" variant="ghost" onClick={() => setRevealed(null)}>
                I have copied it
              </Button>
            </div>
          </div>
        )}

        {keys.length === 0 ? (
          <div className="flex flex-col items-center rounded-md border border-dashed border-slate-300 px-6 py-8 text-center">
            <KeyRound className="mb-2 size-6 text-indigo-500" aria-hidden />
            <p className="text-sm text-slate-600">
              No API keys yet. Create one to start sending your shop’s data.
            </p>
          </div>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="text-left text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th className="py-2 pr-3 font-medium">Name</th>
                  <th className="py-2 pr-3 font-medium">Key</th>
                  <th className="py-2 pr-3 font-medium">Kind</th>
                  <th className="py-2 pr-3 font-medium">Created</th>
                  <th className="py-2 pr-3 font-medium">Last used</th>
                  <th className="py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <Fragment key={k.id}>
                    <tr
                      className={
                        k.revokedAt ? "border-t border-slate-100 text-slate-500" : "border-t border-slate-100"
                      }
                      data-testid="api-key-row"
                    >
                      <td className="py-2 pr-3 font-medium">{k.name}</td>
                      <td className="py-2 pr-3 font-mono text-xs">{k.prefix}…</td>
                      <td className="py-2 pr-3">
                        <Badge tone={k.kind === "secret" ? "paused" : "neutral"}>{k.kind}</Badge>
                      </td>
                      <td className="py-2 pr-3 whitespace-nowrap" title={timeFormat.format(k.createdAt)}>
                        {dateFormat.format(k.createdAt)}
                      </td>
                      <td
                        className="py-2 pr-3 whitespace-nowrap"
                        title={k.lastUsedAt ? timeFormat.format(k.lastUsedAt) : undefined}
                      >
                        {k.lastUsedAt ? dateFormat.format(k.lastUsedAt) : "Never"}
                      </td>
                      <td className="py-2 text-right">
                        {k.revokedAt ? (
                          <Badge
                            tone="danger"
                            className="whitespace-nowrap"
                            title={`Revoked ${timeFormat.format(k.revokedAt)}`}
                          >
                            Revoked
                          </Badge>
                        ) : (
                          <Button
                            size="sm"
                            variant="ghost"
                            onClick={() => setConfirming(k.id)}
                            disabled={confirming === k.id}
                            aria-label={`Revoke ${k.name}`}
                          >
                            Revoke
                          </Button>
                        )}
                      </td>
                    </tr>
                    {confirming === k.id && !k.revokedAt && (
                      <tr>
                        <td colSpan={6} className="pb-3">
                          <div
                            role="group"
                            aria-label={`Revoke ${k.name}`}
                            className="flex items-center justify-between gap-3 rounded-md border border-red-200 bg-red-50 px-3 py-2"
                          >
                            <span className="text-sm text-red-900">
                              Revoke “{k.name}”? Requests with this key are refused from now on.
                            </span>
                            <span className="flex shrink-0 gap-2">
                              <Button
                                size="sm"
                                variant="destructive"
                                disabled={revoke.isPending}
                                onClick={() => revoke.mutate({ id: k.id })}
                              >
                                Revoke key
                              </Button>
                              <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>
                                Cancel
                              </Button>
                            </span>
                          </div>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {revoke.error && (
          <p role="alert" className="text-sm text-red-700">
            {revoke.error.message}
          </p>
        )}
      </CardContent>
    </Card>
  );
}
