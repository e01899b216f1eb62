"use client";
/**
 * “Unique coupon code” for an email or SMS step: pick the workspace's coupon pool each message
 * draws one code from, and see how many codes it has left. The message prints the code with
 * `{{ coupon.code }}` (and its expiry with `{{ coupon.expires_at }}`).
 */
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { CheckboxField, SelectField } from "../ui/form";

export function CouponPoolField({
  value,
  onChange,
  error,
}: {
  /** The pool's id; undefined: the step draws no code. */
  value: string | undefined;
  onChange: (poolId: string | undefined) => void;
  error?: string | undefined;
}) {
  const trpc = useTRPC();
  const pools = useQuery(trpc.coupons.list.queryOptions());
  const list = pools.data ?? [];
  const chosen = value ? list.find((p) => p.id === value) : undefined;
  const hint = chosen
    ? chosen.remaining > 0
      ? `${chosen.remaining} ${chosen.remaining === 1 ? "code" : "codes"} left. Each message draws its own, once; print it with {{ coupon.code }} and its expiry with {{ coupon.expires_at }}.`
      : `Coupon pool “${chosen.name}” is empty: add codes in Settings → Coupon codes, or its messages are skipped.`
    : undefined;
  return (
    <div className="flex flex-col gap-2" data-testid="coupon-pool-field">
      <CheckboxField
        label="Give each message a unique coupon code"
        checked={value !== undefined}
        onChange={(on) => onChange(on ? (list[0]?.id ?? "") : undefined)}
      />
      {value !== undefined && (
        <>
          <SelectField
            label="Coupon pool"
            value={chosen ? chosen.id : ""}
            placeholder={pools.isPending ? "Loading pools…" : list.length ? "Choose a pool…" : "No pools yet"}
            options={list.map((p) => ({ value: p.id, label: `${p.name} (${p.remaining} left)` }))}
            onChange={(poolId) => onChange(poolId)}
            error={error}
            hint={hint}
          />
          {chosen && (
            <p className="text-xs text-slate-600" data-testid="coupon-pool-remaining-hint">
              Remaining in “{chosen.name}”: <strong>{chosen.remaining}</strong>
            </p>
          )}
          <Link href="/settings#coupons" className="text-xs font-medium text-indigo-700 hover:underline">
            Manage coupon pools
          </Link>
        </>
      )}
    </div>
  );
}
