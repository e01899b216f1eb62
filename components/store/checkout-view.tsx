"use client";

import { useState } from "react";
import Link from "next/link";
import { CheckCircle2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  cartValue,
  formatPrice,
  getCart,
  getShopper,
  saveCart,
  identifyShopper,
  track,
  useCart,
  useShopper,
  useStore,
} from "./shopper";

export function CheckoutView({ cartId }: { cartId: string }) {
  const store = useStore();
  const cart = useCart(store.slug);
  const shopper = useShopper(store.slug);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [orderId, setOrderId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (orderId)
    return (
      <div className="flex flex-col items-start gap-3" role="status">
        <p className="flex items-center gap-2 text-lg font-medium text-emerald-700">
          <CheckCircle2 aria-hidden /> Thank you! Order <span data-testid="order-id">{orderId}</span> is
          placed.
        </p>
        <Link href={`/store/${store.slug}`} className="underline">
          Back to the shop
        </Link>
      </div>
    );

  const items = cart?.cartId === cartId ? cart.items : [];
  if (items.length === 0)
    return (
      <p className="text-stone-600">
        This checkout is empty or already complete.{" "}
        <Link href={`/store/${store.slug}`} className="underline">
          Back to the shop
        </Link>
      </p>
    );

  async function placeOrder(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (!getShopper(store.slug).email) {
        const [firstName, ...rest] = name.trim().split(/\s+/);
        await identifyShopper(store, {
          email: email.trim(),
          ...(firstName && { firstName }),
          ...(rest.length > 0 && { lastName: rest.join(" ") }),
        });
      }
      const current = getCart(store.slug);
      const id = `ord_${crypto.randomUUID().slice(0, 10)}`;
      await track(store, "Placed Order", {
        order_id: id,
        cart_id: current.cartId,
        items: current.items,
        value: cartValue(current.items),
        currency: "USD",
      });
      saveCart(store.slug, null);
      setOrderId(id);
    } catch (err) {
      setError(err instanceof Error ? err.message : "The order did not go through");
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void placeOrder(e)} className="grid gap-6 md:grid-cols-2">
      <div className="flex flex-col gap-3">
        <h2 className="font-semibold">Your details</h2>
        {shopper?.email ? (
          <p className="text-sm text-stone-600">Ordering as {shopper.email}</p>
        ) : (
          <>
            <div className="flex flex-col gap-1">
              <Label htmlFor="checkout-email">Email</Label>
              <Input
                id="checkout-email"
                type="email"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor="checkout-name">Name</Label>
              <Input id="checkout-name" required value={name} onChange={(e) => setName(e.target.value)} />
            </div>
          </>
        )}
        <p className="text-xs text-stone-500">This is a demo shop: no payment is taken.</p>
      </div>
      <div className="flex flex-col gap-3">
        <h2 className="font-semibold">Order summary</h2>
        <ul className="text-sm">
          {items.map((i) => (
            <li key={i.product_id} className="flex justify-between py-1">
              <span>
                {i.quantity} × {i.title}
              </span>
              <span>{formatPrice(i.price * i.quantity)}</span>
            </li>
          ))}
        </ul>
        <p className="flex justify-between border-t border-stone-200 pt-2 font-semibold">
          <span>Total</span>
          <span>{formatPrice(cartValue(items))}</span>
        </p>
        <Button type="submit" disabled={busy}>
          Place order
        </Button>
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
      </div>
    </form>
  );
}
