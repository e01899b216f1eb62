"use client";

/**
 * The shopper's side of the demo storefront: identity and cart in localStorage, and the
 * events sent to the public ingest API with the store's publishable key.
 */
import { createContext, useContext, useSyncExternalStore } from "react";

export interface StoreContextValue {
  slug: string;
  apiKey: string;
}

export const StoreContext = createContext<StoreContextValue | null>(null);

export function useStore(): StoreContextValue {
  const value = useContext(StoreContext);
  if (!value) throw new Error("useStore outside the storefront");
  return value;
}

export interface Shopper {
  anonymousId: string;
  userId?: string;
  email?: string;
  firstName?: string;
}

export interface CartItem {
  product_id: string;
  title: string;
  price: number;
  quantity: number;
  category?: string;
  url: string;
  image_url: string;
}

export interface Cart {
  cartId: string;
  items: CartItem[];
}

const CHANGE = "tidings-store-change";
const shopperKey = (slug: string) => `tidings.store.${slug}.shopper`;
const cartKey = (slug: string) => `tidings.store.${slug}.cart`;

function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

function write(key: string, value: unknown) {
  if (value === null) window.localStorage.removeItem(key);
  else window.localStorage.setItem(key, JSON.stringify(value));
  window.dispatchEvent(new Event(CHANGE));
}

function parse<T>(raw: string | null): T | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

export function getShopper(slug: string): Shopper {
  const saved = parse<Shopper>(window.localStorage.getItem(shopperKey(slug)));
  if (saved?.anonymousId) return saved;
  const fresh: Shopper = { anonymousId: `anon_${crypto.randomUUID()}` };
  write(shopperKey(slug), fresh);
  return fresh;
}

export function saveShopper(slug: string, shopper: Shopper) {
  write(shopperKey(slug), shopper);
}

export function getCart(slug: string): Cart {
  return (
    parse<Cart>(window.localStorage.getItem(cartKey(slug))) ?? {
      cartId: `cart_${crypto.randomUUID().slice(0, 12)}`,
      items: [],
    }
  );
}

export function saveCart(slug: string, cart: Cart | null) {
  write(cartKey(slug), cart);
}

/** The raw stored value, re-read on every change; components parse it. */
function useStored(key: string): string | null {
  return useSyncExternalStore(
    subscribe,
    () => window.localStorage.getItem(key),
    () => null,
  );
}

export function useCart(slug: string): Cart | null {
  const raw = useStored(cartKey(slug));
  return parse<Cart>(raw);
}

export function useShopper(slug: string): Shopper | null {
  return parse<Shopper>(useStored(shopperKey(slug)));
}

export const cartValue = (items: CartItem[]) =>
  Math.round(items.reduce((sum, i) => sum + i.price * i.quantity, 0) * 100) / 100;

export function formatPrice(amount: number, currency = "USD") {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(amount);
}

async function send(apiKey: string, path: "track" | "identify", body: Record<string, unknown>) {
  const res = await fetch(`/api/v1/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({
      ...body,
      messageId: crypto.randomUUID(),
      context: { timezone: Intl.DateTimeFormat().resolvedOptions().timeZone },
    }),
    keepalive: true,
  });
  if (!res.ok) throw new Error(`The shop could not record that (${res.status})`);
}

function identity(shopper: Shopper) {
  return { anonymousId: shopper.anonymousId, ...(shopper.userId && { userId: shopper.userId }) };
}

/** Sends an event; `timestamp` is when it happened (default: now). */
export async function track(
  store: StoreContextValue,
  event: string,
  properties: Record<string, unknown>,
  options: { timestamp?: Date } = {},
) {
  const shopper = getShopper(store.slug);
  await send(store.apiKey, "track", {
    event,
    properties,
    ...identity(shopper),
    ...(options.timestamp && { timestamp: options.timestamp.toISOString() }),
  });
}

/**
 * Tells the shop who this browser's shopper is (checkout, back-in-stock, sign-up): identify
 * the session's anonymous id with the email. The email is the identity — the store invents
 * no userId — so two browsers that give one email are one contact, and the session's
 * earlier events join it.
 */
export async function identifyShopper(
  store: StoreContextValue,
  input: { email: string; firstName?: string; lastName?: string },
) {
  const shopper = getShopper(store.slug);
  await send(store.apiKey, "identify", {
    ...identity(shopper),
    traits: {
      email: input.email,
      ...(input.firstName && { first_name: input.firstName }),
      ...(input.lastName && { last_name: input.lastName }),
      email_consent: "subscribed",
      source: "storefront",
    },
  });
  saveShopper(store.slug, {
    ...shopper,
    email: input.email,
    ...(input.firstName && { firstName: input.firstName }),
  });
}

/** The sign-up form: identify, then `Signed Up` (what starts the welcome series). */
export async function signUp(
  store: StoreContextValue,
  input: { email: string; firstName?: string; lastName?: string },
) {
  await identifyShopper(store, input);
  await track(store, "Signed Up", { source: "storefront" });
}
