"use client";

import type { ReactNode } from "react";
import Link from "next/link";
import { ShoppingCart, UserRound } from "lucide-react";
import { StoreContext, useCart, useShopper, type StoreContextValue } from "./shopper";

export function StoreProvider({ value, children }: { value: StoreContextValue; children: ReactNode }) {
  return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>;
}

export function StoreNav({ slug }: { slug: string }) {
  const cart = useCart(slug);
  const shopper = useShopper(slug);
  const count = cart?.items.reduce((n, i) => n + i.quantity, 0) ?? 0;
  return (
    <nav className="flex items-center gap-4 text-sm">
      {shopper?.email ? (
        <span className="flex items-center gap-1 text-stone-600" data-testid="store-shopper">
          <UserRound className="size-4" aria-hidden /> {shopper.firstName ?? shopper.email}
        </span>
      ) : (
        <Link href={`/store/${slug}/sign-up`} className="flex items-center gap-1 hover:underline">
          <UserRound className="size-4" aria-hidden /> Sign up
        </Link>
      )}
      <Link
        href={`/store/${slug}/cart`}
        className="flex items-center gap-1 font-medium hover:underline"
        aria-label={`Cart, ${count} items`}
      >
        <ShoppingCart className="size-4" aria-hidden /> Cart <span data-testid="cart-count">{count}</span>
      </Link>
    </nav>
  );
}
