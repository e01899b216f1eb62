"use client";

import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cartValue, formatPrice, getCart, saveCart, track, useCart, useStore } from "./shopper";

export function CartView() {
  const store = useStore();
  const router = useRouter();
  const cart = useCart(store.slug);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const items = cart?.items ?? [];

  if (items.length === 0)
    return (
      <p className="text-stone-600">
        Your cart is empty.{" "}
        <Link href={`/store/${store.slug}`} className="underline">
          Keep shopping
        </Link>
      </p>
    );

  async function checkout() {
    const current = getCart(store.slug);
    const checkoutUrl = `/store/${store.slug}/checkout/${current.cartId}`;
    setBusy(true);
    try {
      await track(store, "Started Checkout", {
        cart_id: current.cartId,
        items: current.items,
        value: cartValue(current.items),
        currency: "USD",
        checkout_url: checkoutUrl,
      });
      router.push(checkoutUrl);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Checkout failed");
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <ul
        className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white"
        data-testid="cart-items"
      >
        {items.map((item) => (
          <li key={item.product_id} className="flex items-center gap-4 p-3">
            <img src={item.image_url} alt="" className="size-14 rounded" />
            <div className="flex-1">
              <Link href={item.url} className="font-medium hover:underline">
                {item.title}
              </Link>
              <div className="text-sm text-stone-600">
                {item.quantity} × {formatPrice(item.price)}
              </div>
            </div>
            <div className="font-medium">{formatPrice(item.price * item.quantity)}</div>
            <Button
              variant="ghost"
              size="icon"
              aria-label={`Remove ${item.title}`}
              onClick={() => {
                const current = getCart(store.slug);
                saveCart(store.slug, {
                  ...current,
                  items: current.items.filter((i) => i.product_id !== item.product_id),
                });
              }}
            >
              <Trash2 aria-hidden />
            </Button>
          </li>
        ))}
      </ul>
      <div className="flex items-center justify-between">
        <span className="text-lg">
          Total <strong data-testid="cart-total">{formatPrice(cartValue(items))}</strong>
        </span>
        <Button onClick={() => void checkout()} disabled={busy}>
          Check out
        </Button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
