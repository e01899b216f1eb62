"use client";

import { useEffect, useState } from "react";
import Link from "next/link";
import { Bell, Check, ShoppingCart } from "lucide-react";
import type { StoreProduct } from "@/server/store/store";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import {
  getCart,
  getShopper,
  saveCart,
  identifyShopper,
  track,
  useShopper,
  useStore,
  type CartItem,
} from "./shopper";

export function lineItem(product: StoreProduct, quantity: number): CartItem {
  return {
    product_id: product.id,
    title: product.title,
    price: product.priceCents / 100,
    quantity,
    ...(product.category && { category: product.category }),
    url: product.url,
    image_url: product.imageUrl,
  };
}

/** A view is sent at the latest after this long on the page. */
const VIEW_CAP_MS = 5 * 60_000;
/** Shorter than this, a view is no view (also what React's development double mount leaves). */
const GLANCE_MS = 300;

/**
 * Sends one Viewed Product per visit of a product page, stamped when the page opened, with
 * `time_on_page`: the whole seconds the page was visible. It goes when the shopper leaves
 * (another page, the tab hidden or closed) or after five minutes on the page, whichever
 * comes first. The browse-abandonment template's "a minute on the page" rule reads it.
 */
export function ViewTracker({ product }: { product: StoreProduct }) {
  const store = useStore();
  useEffect(() => {
    const openedAt = new Date();
    const started = performance.now();
    let visibleMs = 0;
    let visibleSince: number | null = document.visibilityState === "visible" ? started : null;
    let sent = false;
    const send = () => {
      if (sent) return;
      sent = true;
      if (visibleSince !== null) visibleMs += performance.now() - visibleSince;
      visibleSince = null;
      const { quantity: _quantity, ...item } = lineItem(product, 1);
      void track(
        store,
        "Viewed Product",
        { ...item, currency: product.currency, time_on_page: Math.round(visibleMs / 1000) },
        { timestamp: openedAt },
      ).catch(() => undefined);
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") send();
    };
    const cap = window.setTimeout(send, VIEW_CAP_MS);
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", send);
    return () => {
      window.clearTimeout(cap);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", send);
      if (performance.now() - started >= GLANCE_MS) send();
    };
  }, [store, product]);
  return null;
}

export function AddToCart({ product }: { product: StoreProduct }) {
  const store = useStore();
  const [quantity, setQuantity] = useState(1);
  const [state, setState] = useState<"idle" | "busy" | "added" | "error">("idle");

  async function add() {
    setState("busy");
    const cart = getCart(store.slug);
    const item = lineItem(product, quantity);
    const existing = cart.items.find((i) => i.product_id === product.id);
    const items = existing
      ? cart.items.map((i) => (i === existing ? { ...i, quantity: i.quantity + quantity } : i))
      : [...cart.items, item];
    saveCart(store.slug, { ...cart, items });
    try {
      await track(store, "Added to Cart", { cart_id: cart.cartId, ...item, currency: product.currency });
      setState("added");
    } catch {
      setState("error");
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-2">
        <label className="text-sm text-stone-600" htmlFor="qty">
          Quantity
        </label>
        <Input
          id="qty"
          type="number"
          min={1}
          max={20}
          value={quantity}
          onChange={(e) => setQuantity(Math.max(1, Math.min(20, Number(e.target.value) || 1)))}
          className="w-20"
        />
      </div>
      <div className="flex items-center gap-3">
        <Button onClick={() => void add()} disabled={state === "busy"}>
          <ShoppingCart aria-hidden /> Add to cart
        </Button>
        {state === "added" && (
          <span className="flex items-center gap-1 text-sm text-emerald-700" role="status">
            <Check className="size-4" aria-hidden /> Added.{" "}
            <Link href={`/store/${store.slug}/cart`} className="underline">
              View cart
            </Link>
          </span>
        )}
        {state === "error" && (
          <span className="text-sm text-red-700" role="alert">
            Added, but the shop could not record it.
          </span>
        )}
      </div>
    </div>
  );
}

/** For a sold-out product: asks for an email (if the shopper has none) and subscribes. */
export function NotifyMe({ product }: { product: StoreProduct }) {
  const store = useStore();
  const shopper = useShopper(store.slug);
  const [email, setEmail] = useState("");
  const [state, setState] = useState<"idle" | "busy" | "done" | "error">("idle");

  async function subscribe(e: React.FormEvent) {
    e.preventDefault();
    setState("busy");
    try {
      if (!getShopper(store.slug).email) await identifyShopper(store, { email: email.trim() });
      const { quantity: _quantity, ...item } = lineItem(product, 1);
      await track(store, "Subscribed to Back in Stock", { ...item, currency: product.currency });
      setState("done");
    } catch {
      setState("error");
    }
  }

  if (state === "done")
    return (
      <p className="flex items-center gap-1 text-sm text-emerald-700" role="status">
        <Check className="size-4" aria-hidden /> We will email you when it is back.
      </p>
    );
  return (
    <form onSubmit={(e) => void subscribe(e)} className="flex flex-col gap-2">
      <p className="text-sm font-medium text-red-700">Sold out</p>
      {!shopper?.email && (
        <Input
          type="email"
          required
          placeholder="you@example.com"
          aria-label="Email for restock notice"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      )}
      <Button type="submit" variant="secondary" disabled={state === "busy"}>
        <Bell aria-hidden /> Notify me when back in stock
      </Button>
      {state === "error" && (
        <p className="text-sm text-red-700" role="alert">
          That did not work; check the email and try again.
        </p>
      )}
    </form>
  );
}
