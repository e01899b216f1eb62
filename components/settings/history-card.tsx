"use client";

import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** How many months of history the shop keeps; orders and the flows' numbers are kept whatever it says. */
export function HistoryCard({ months }: { months: number }) {
  const trpc = useTRPC();
  const [saved, setSaved] = useState(months);
  const save = useMutation(
    trpc.workspace.setHistoryMonths.mutationOptions({ onSuccess: (next) => setSaved(next.historyMonths) }),
  );
  const fieldError = save.error?.data?.fieldErrors?.historyMonths;

  function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get("historyMonths");
    save.mutate({
      historyMonths: typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN,
    });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>History</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm text-slate-700">
        <p>
          Events older than this are deleted a month at a time. Orders are kept forever, and every flow&apos;s
          numbers (sent, opened, clicked, conversions, revenue) stay as they were. Messages and journey steps
          are not deleted.
        </p>
        <form onSubmit={onSave} aria-label="History kept" className="flex items-end gap-2">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="history-months">Months of history kept</Label>
            <Input
              id="history-months"
              name="historyMonths"
              type="number"
              inputMode="numeric"
              defaultValue={saved}
              className="w-32"
              aria-invalid={fieldError ? true : undefined}
            />
          </div>
          <Button type="submit" size="sm" disabled={save.isPending}>
            Save
          </Button>
          {save.isSuccess && <span className="text-slate-600">Saved: {saved} months.</span>}
        </form>
        {(fieldError ?? (save.error ? [save.error.message] : null)) && (
          <p role="alert" className="text-sm text-red-700">
            {(fieldError ?? [save.error?.message]).join(" ")}
          </p>
        )}
      </CardContent>
    </Card>
  );
}
