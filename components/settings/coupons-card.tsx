"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Plus, TicketPercent } from "lucide-react";
import { useTRPC } from "@/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

function FieldError({ errors }: { errors: string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <p role="alert" className="text-sm text-red-700">
      {errors.join(" ")}
    </p>
  );
}

function formText(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** Upload a CSV or generate codes into one pool. */
function AddCodes({ poolId, poolName, onDone }: { poolId: string; poolName: string; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.coupons.list.queryKey() });
  const upload = useMutation(
    trpc.coupons.importCsv.mutationOptions({
      onSuccess: async ({ imported }) => {
        setNotice(`Added ${imported} codes to “${poolName}”.`);
        await refresh();
      },
    }),
  );
  const generate = useMutation(
    trpc.coupons.generate.mutationOptions({
      onSuccess: async ({ generated }) => {
        setNotice(`Generated ${generated} codes in “${poolName}”.`);
        await refresh();
      },
    }),
  );
  const uploadErrors = upload.error?.data?.fieldErrors ?? null;
  const generateErrors = generate.error?.data?.fieldErrors ?? null;

  async function onUpload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    const form = event.currentTarget;
    const file = (form.elements.namedItem("file") as HTMLInputElement | null)?.files?.[0];
    const csv = file ? await file.text() : "";
    const expiresOn = formText(form, "expiresOn");
    upload.mutate({ poolId, csv, expiresOn: expiresOn === "" ? null : expiresOn });
  }

  function onGenerate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    const form = event.currentTarget;
    const expiresOn = formText(form, "expiresOn");
    generate.mutate({
      poolId,
      count: Number(formText(form, "count")),
      prefix: formText(form, "prefix"),
      expiresOn: expiresOn === "" ? null : expiresOn,
    });
  }

  return (
    <div className="flex flex-col gap-4 rounded-md border border-slate-200 bg-slate-50 p-4">
      <form onSubmit={onUpload} aria-label={`Upload codes to ${poolName}`} className="flex flex-col gap-2">
        <p className="text-sm font-medium text-slate-800">Upload a CSV</p>
        <p className="text-xs text-slate-600">
          One code per line in the first column; an optional header <code>code</code> and a second column{" "}
          <code>expires_at</code> (e.g. 2027-01-31). A blank line, a repeated code or a code already in the
          pool refuses the whole file, with the lines to fix.
        </p>
        <div className="grid grid-cols-2 gap-3">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`csv-${poolId}`}>CSV file</Label>
            <Input id={`csv-${poolId}`} name="file" type="file" accept=".csv,text/csv,text/plain" />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`csv-expiry-${poolId}`}>Expires on (optional)</Label>
            <Input id={`csv-expiry-${poolId}`} name="expiresOn" type="date" />
          </div>
        </div>
        <FieldError errors={uploadErrors?.csv} />
        <FieldError errors={uploadErrors?.expiresOn} />
        {upload.error && !uploadErrors && <FieldError errors={[upload.error.message]} />}
        <div>
          <Button type="submit" size="sm" disabled={upload.isPending}>
            Upload codes
          </Button>
        </div>
      </form>
      <form
        onSubmit={onGenerate}
        aria-label={`Generate codes in ${poolName}`}
        className="flex flex-col gap-2 border-t border-slate-200 pt-4"
      >
        <p className="text-sm font-medium text-slate-800">Or generate codes</p>
        <div className="grid grid-cols-3 gap-3">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`count-${poolId}`}>How many</Label>
            <Input id={`count-${poolId}`} name="count" type="number" min={1} defaultValue={100} />
            <FieldError errors={generateErrors?.count} />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`prefix-${poolId}`}>Prefix</Label>
            <Input id={`prefix-${poolId}`} name="prefix" placeholder="e.g. BDAY-" />
            <FieldError errors={generateErrors?.prefix} />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`gen-expiry-${poolId}`}>Expires on (optional)</Label>
            <Input id={`gen-expiry-${poolId}`} name="expiresOn" type="date" />
            <FieldError errors={generateErrors?.expiresOn} />
          </div>
        </div>
        {generate.error && !generateErrors && <FieldError errors={[generate.error.message]} />}
        <p className="text-xs text-slate-600">
          Generated codes exist only in Tidings: create the same codes as discounts in your shop platform, or
          upload the platform’s codes instead.
        </p>
        <div className="flex gap-2">
          <Button type="submit" size="sm" disabled={generate.isPending}>
            Generate codes
          </Button>
          <Button type="button" size="sm" variant="ghost" onClick={onDone}>
            Done
          </Button>
        </div>
      </form>
      {notice && (
        <p role="status" className="text-sm text-emerald-800">
          {notice}
        </p>
      )}
    </div>
  );
}

/** Settings → Coupons: the workspace's pools of unique codes, with what each has left. */
export function CouponsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: pools } = useSuspenseQuery(trpc.coupons.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const create = useMutation(
    trpc.coupons.create.mutationOptions({
      onSuccess: async (pool) => {
        setCreating(false);
        setOpen(pool.id);
        await queryClient.invalidateQueries({ queryKey: trpc.coupons.list.queryKey() });
      },
    }),
  );
  const fieldErrors = create.error?.data?.fieldErrors ?? null;

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ name: formText(event.currentTarget, "name") });
  }

  return (
    <Card id="coupons">
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div>
          <CardTitle>Coupon codes</CardTitle>
          <p className="mt-1 text-sm text-slate-600">
            Pools of unique codes. An email or SMS step that uses a pool gives every message its own code (
            <code>{"{{ coupon.code }}"}</code>, <code>{"{{ coupon.expires_at }}"}</code>); a retry or resend
            keeps the same code. When a pool runs out, its messages are skipped.
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
            <Plus aria-hidden /> New pool
          </Button>
        )}
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {creating && (
          <form
            onSubmit={onCreate}
            aria-label="New coupon pool"
            className="flex flex-col gap-3 rounded-md border border-slate-200 bg-slate-50 p-4"
          >
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="coupon-pool-name">Pool name</Label>
              <Input id="coupon-pool-name" name="name" placeholder="e.g. Birthday 20%" autoFocus />
              <FieldError errors={fieldErrors?.name} />
              {create.error && !fieldErrors && <FieldError errors={[create.error.message]} />}
            </div>
            <div className="flex gap-2">
              <Button type="submit" size="sm" disabled={create.isPending}>
                Create pool
              </Button>
              <Button type="button" size="sm" variant="ghost" onClick={() => setCreating(false)}>
                Cancel
              </Button>
            </div>
          </form>
        )}
        {pools.length === 0 ? (
          <div className="flex flex-col items-center rounded-md border border-dashed border-slate-300 px-6 py-8 text-center">
            <TicketPercent className="mb-2 size-6 text-indigo-500" aria-hidden />
            <p className="text-sm text-slate-600">
              No coupon pools yet. Create one, then upload your shop’s codes or generate them.
            </p>
          </div>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-100" aria-label="Coupon pools">
            {pools.map((pool) => (
              <li key={pool.id} className="flex flex-col gap-3 py-3" data-testid="coupon-pool">
                <div className="flex items-center justify-between gap-4">
                  <div className="min-w-0">
                    <p className="font-medium text-slate-900">{pool.name}</p>
                    <p className="text-xs text-slate-600">
                      {pool.used} used · {pool.expired} expired unused · {pool.total} in all
                      {pool.nextExpiry
                        ? ` · next expiry ${dateFormat.format(new Date(pool.nextExpiry))}`
                        : ""}
                    </p>
                  </div>
                  <div className="flex items-center gap-2">
                    <Badge tone={pool.remaining > 0 ? "live" : "danger"} data-testid="coupon-pool-remaining">
                      {pool.remaining} left
                    </Badge>
                    {open !== pool.id && (
                      <Button size="sm" variant="secondary" onClick={() => setOpen(pool.id)}>
                        Add codes
                      </Button>
                    )}
                  </div>
                </div>
                {open === pool.id && (
                  <AddCodes poolId={pool.id} poolName={pool.name} onDone={() => setOpen(null)} />
                )}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
