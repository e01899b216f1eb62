/**
 * Steady demo-shop traffic through the public ingest API, so flows fire while you watch.
 *
 *   npm run simulate -- --key tid_pk_… [--rate 5] [--duration 60] [--url http://127.0.0.1:3000] [--slug demo]
 *
 * Shoppers browse, add to cart, start checkout, order, sign up and ask for restock notices,
 * with the property shapes the demo seed uses. Sends `rate` calls per second for `duration`
 * seconds, then stops. Only loopback URLs are accepted.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { DEMO_PRODUCTS, FIRST_NAMES, LAST_NAMES, type SeedProduct } from "@/server/seed/catalog";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "5" },
    duration: { type: "string", default: "60" },
    url: { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? 3000}` },
    key: { type: "string", default: process.env.TIDINGS_KEY },
    slug: { type: "string", default: "demo" },
    shoppers: { type: "string", default: "40" },
  },
});

function fail(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(1);
}

const rate = Number(values.rate);
const duration = Number(values.duration);
const shopperCount = Number(values.shoppers);
if (!Number.isFinite(rate) || rate <= 0 || rate > 500)
  fail("--rate must be between 0 and 500 events per second");
if (!Number.isFinite(duration) || duration <= 0 || duration > 24 * 3600)
  fail("--duration must be between 1 and 86400 seconds");
if (!Number.isInteger(shopperCount) || shopperCount < 1 || shopperCount > 10_000)
  fail("--shoppers must be between 1 and 10000");
if (!values.key) fail("pass a key: --key tid_pk_… (Settings → API keys) or TIDINGS_KEY");
const key = values.key;
const slug = values.slug;

let base: URL;
try {
  base = new URL(values.url);
} catch {
  fail(`not a URL: ${values.url}`);
}
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
if (!LOOPBACK.test(base.hostname))
  fail(`only loopback URLs (localhost, 127.x.x.x, [::1]); got ${base.hostname}`);

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const chance = (p: number) => Math.random() < p;

interface LineItem {
  product_id: string;
  title: string;
  price: number;
  quantity: number;
  category: string;
  url: string;
  image_url: string;
}

function lineItem(p: SeedProduct, quantity: number): LineItem {
  return {
    product_id: p.id,
    title: p.title,
    price: p.priceCents / 100,
    quantity,
    category: p.category,
    url: `/store/${slug}/products/${p.id}`,
    image_url: `/store/${slug}/images/${p.id}.svg`,
  };
}

interface Shopper {
  anonymousId: string;
  userId?: string;
  cartId: string;
  cart: LineItem[];
  stage: "browsing" | "checkout";
}

const runId = randomUUID().slice(0, 6);
const shoppers: Shopper[] = Array.from({ length: shopperCount }, () => ({
  anonymousId: `anon_${randomUUID()}`,
  cartId: `cart_${randomUUID().slice(0, 12)}`,
  cart: [],
  stage: "browsing",
}));
const inStock = DEMO_PRODUCTS.filter((p) => p.inventory > 0);
const soldOut = DEMO_PRODUCTS.filter((p) => p.inventory <= 0);
let signUps = 0;

type Call = { path: "track" | "identify"; body: Record<string, unknown>; label: string };

const value = (items: LineItem[]) =>
  Math.round(items.reduce((s, i) => s + i.price * i.quantity, 0) * 100) / 100;
const ids = (s: Shopper) => ({ anonymousId: s.anonymousId, ...(s.userId && { userId: s.userId }) });
const trackCall = (s: Shopper, event: string, properties: Record<string, unknown>): Call => ({
  path: "track",
  label: event,
  body: { event, properties, ...ids(s) },
});

/** The next thing one shopper does. */
function nextCall(s: Shopper): Call {
  if (s.stage === "checkout") {
    s.stage = "browsing";
    const items = s.cart;
    s.cart = [];
    const cartId = s.cartId;
    s.cartId = `cart_${randomUUID().slice(0, 12)}`;
    if (chance(0.5))
      return trackCall(s, "Placed Order", {
        order_id: `ord_${randomUUID().slice(0, 10)}`,
        cart_id: cartId,
        items,
        value: value(items),
        currency: "USD",
      });
    return trackCall(s, "Viewed Product", { ...lineItem(pick(DEMO_PRODUCTS), 1), quantity: undefined });
  }
  if (!s.userId && chance(0.08)) {
    signUps++;
    s.userId = `sim_${runId}_${signUps}`;
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const email =
      `${first}.${last}.sim${runId}${signUps}`
        .toLowerCase()
        .normalize("NFKD")
        .replace(/[^a-z0-9.]/g, "") + "@example.com";
    return {
      path: "identify",
      label: "identify",
      body: {
        ...ids(s),
        traits: {
          email,
          first_name: first,
          last_name: last,
          email_consent: "subscribed",
          source: "simulator",
        },
      },
    };
  }
  if (s.userId && soldOut.length && chance(0.03))
    return trackCall(s, "Subscribed to Back in Stock", {
      ...lineItem(pick(soldOut), 1),
      quantity: undefined,
      currency: "USD",
    });
  if (s.cart.length && chance(0.25)) {
    s.stage = "checkout";
    return trackCall(s, "Started Checkout", {
      cart_id: s.cartId,
      items: s.cart,
      value: value(s.cart),
      currency: "USD",
      checkout_url: `/store/${slug}/checkout/${s.cartId}`,
    });
  }
  if (chance(0.3)) {
    const item = lineItem(pick(inStock), chance(0.8) ? 1 : 2);
    s.cart.push(item);
    return trackCall(s, "Added to Cart", { cart_id: s.cartId, ...item, currency: "USD" });
  }
  return trackCall(s, "Viewed Product", {
    ...lineItem(pick(DEMO_PRODUCTS), 1),
    quantity: undefined,
    currency: "USD",
  });
}

const counts = new Map<string, number>();
let failed = 0;
let inFlight = 0;

async function send(call: Call) {
  inFlight++;
  try {
    const res = await fetch(new URL(`/api/v1/${call.path}`, base), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ ...call.body, messageId: randomUUID() }),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.ok) counts.set(call.label, (counts.get(call.label) ?? 0) + 1);
    else {
      failed++;
      if (failed <= 5)
        console.error(`simulate: ${call.label} → ${res.status} ${(await res.text()).slice(0, 300)}`);
      if (res.status === 401 || res.status === 403) stop("the key was refused");
    }
  } catch (error) {
    failed++;
    if (failed <= 5)
      console.error(`simulate: ${call.label} → ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    inFlight--;
  }
}

const started = Date.now();
const intervalMs = 1000 / rate;
let sent = 0;
let stopped = false;

function stop(reason: string) {
  if (stopped) return;
  stopped = true;
  clearInterval(timer);
  clearInterval(progress);
  const wait = setInterval(() => {
    if (inFlight > 0) return;
    clearInterval(wait);
    const ok = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(
      `simulate: stopped (${reason}) after ${((Date.now() - started) / 1000).toFixed(1)} s: ${ok} accepted, ${failed} failed`,
    );
    for (const [label, n] of [...counts].sort((a, b) => b[1] - a[1]))
      console.log(`  ${label.padEnd(28)} ${n}`);
    process.exit(failed > 0 && ok === 0 ? 1 : 0);
  }, 50);
}

console.log(
  `simulate: ${rate}/s for ${duration} s to ${base.origin} (${shopperCount} shoppers, store /store/${slug})`,
);
const timer = setInterval(
  () => {
    const due = Math.floor((Date.now() - started) / intervalMs) + 1;
    while (sent < due && !stopped) {
      sent++;
      void send(nextCall(pick(shoppers)));
    }
    if (Date.now() - started >= duration * 1000) stop("duration reached");
  },
  Math.max(10, Math.min(intervalMs, 200)),
);
const progress = setInterval(() => console.log(`simulate: ${sent} sent, ${failed} failed`), 10_000);
process.on("SIGINT", () => stop("interrupted"));
process.on("SIGTERM", () => stop("terminated"));
