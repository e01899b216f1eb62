/**
 * The demo shop: a small coffee roaster with ~30 products, ~500 contacts across time
 * zones with birthdays and consent states, and ~60 days of realistic shop events.
 * Deterministic for a given seed and `now`.
 */
import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { replayHistory } from "./history";
import type { Db } from "@/server/db/client";
import { contacts, events, products, users, workspaces } from "@/server/db/schema";
import { createAuth } from "@/server/auth/auth";
import { getWorkspaceForUser } from "@/server/workspaces/workspaces";
import { createRandom, type Random } from "./random";
import { DEMO_PRODUCTS, FIRST_NAMES, LAST_NAMES, ZONES, type SeedProduct } from "./catalog";

export const DEMO_LOGIN = { email: "demo@tidings.dev", password: "tidings-demo", name: "Dana Demo" } as const;
export const DEMO_SLUG = "demo";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SeedOptions {
  now?: Date;
  contacts?: number;
  days?: number;
  seed?: number;
  /** Run the demo flows over the seeded history (default true). */
  history?: boolean;
}

export interface SeedResult {
  workspaceId: string;
  created: boolean;
  counts: {
    products: number;
    contacts: number;
    events: number;
    flows: number;
    enrollments: number;
    messages: number;
  };
}

type EventRow = typeof events.$inferInsert;

export async function seedDemoShop(db: Db, options: SeedOptions = {}): Promise<SeedResult> {
  const now = options.now ?? new Date();
  const rng = createRandom(options.seed ?? 42);
  const contactCount = options.contacts ?? 500;
  const days = options.days ?? 60;

  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_LOGIN.email));
  if (existing) {
    const membership = await getWorkspaceForUser(db, existing.id);
    if (!membership) throw new Error("demo user has no workspace");
    return {
      workspaceId: membership.workspace.id,
      created: false,
      counts: { products: 0, contacts: 0, events: 0, flows: 0, enrollments: 0, messages: 0 },
    };
  }

  const auth = await createAuth(db);
  const signUp = await auth.api.signUpEmail({
    body: { email: DEMO_LOGIN.email, password: DEMO_LOGIN.password, name: DEMO_LOGIN.name },
  });
  const membership = await getWorkspaceForUser(db, signUp.user.id);
  if (!membership) throw new Error("sign-up did not create a workspace");
  const workspaceId = membership.workspace.id;
  await db
    .update(workspaces)
    .set({
      name: "Juniper Roasters",
      slug: DEMO_SLUG,
      timezone: "America/New_York",
      brandColor: "#7c3aed",
      postalAddress: "Juniper Roasters, 221 Harbor Street, Portland, ME 04101, USA",
      senderEmail: "hello@juniper-roasters.example",
    })
    .where(eq(workspaces.id, workspaceId));

  await db.insert(products).values(
    DEMO_PRODUCTS.map((p) => ({
      workspaceId,
      id: p.id,
      title: p.title,
      category: p.category,
      priceCents: p.priceCents,
      inventory: p.inventory,
      daysPerUnit: p.daysPerUnit ?? null,
      url: `/store/${DEMO_SLUG}/products/${p.id}`,
      imageUrl: `/store/${DEMO_SLUG}/images/${p.id}.svg`,
    })),
  );

  const contactRows: Array<typeof contacts.$inferInsert> = [];
  const eventRows: EventRow[] = [];
  const windowStart = now.getTime() - days * DAY;
  const zoneBag = ZONES.flatMap((z) => Array.from({ length: z.weight }, () => z));

  for (let i = 0; i < contactCount; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const zone = rng.pick(zoneBag);
    const createdAt = now.getTime() - rng.int(1, days * 2) * DAY + rng.int(0, 23) * HOUR;
    const id = randomUUID();
    const email =
      `${first}.${last}.${i + 1}`
        .toLowerCase()
        .normalize("NFKD")
        .replace(/[^a-z0-9.]/g, "") + "@example.com";
    const emailConsent = rng.chance(0.76) ? "subscribed" : rng.chance(0.4) ? "unsubscribed" : "none";
    const smsConsent = rng.chance(0.35) ? "subscribed" : rng.chance(0.2) ? "unsubscribed" : "none";
    const birthYear = rng.int(1958, 2004);
    const birthday = `${birthYear}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
    contactRows.push({
      id,
      workspaceId,
      externalId: `cus_${String(i + 1).padStart(5, "0")}`,
      email,
      phone: rng.chance(0.6) ? `+1555${String(1_000_000 + i).slice(-7)}` : null,
      firstName: first,
      lastName: last,
      timezone: rng.chance(0.92) ? zone.zone : null,
      country: zone.country,
      birthday: rng.chance(0.7) ? birthday : null,
      emailConsent,
      smsConsent,
      pushConsent: rng.chance(0.2) ? "subscribed" : "none",
      tags: rng.chance(0.08) ? ["vip"] : [],
      properties: {
        favorite_category: rng.pick(["Coffee", "Tea", "Brewing gear", "Mugs"]),
        source: rng.pick(["instagram", "google", "referral", "newsletter"]),
      },
      createdAt: new Date(createdAt),
      updatedAt: new Date(createdAt),
    });
    simulateCustomer(rng, eventRows, {
      workspaceId,
      contactId: id,
      createdAt,
      windowStart,
      now: now.getTime(),
      index: i,
    });
  }

  for (let i = 0; i < contactRows.length; i += 500)
    await db.insert(contacts).values(contactRows.slice(i, i + 500));
  for (let i = 0; i < eventRows.length; i += 1000)
    await db.insert(events).values(eventRows.slice(i, i + 1000));

  const history =
    options.history === false
      ? { flows: 0, enrollments: 0, messages: 0 }
      : await replayHistory(db, { workspaceId, userId: signUp.user.id, now: now.getTime(), days });
  // Whatever the replay did not look at (anonymous or too old to start a flow) is history too.
  await db
    .update(events)
    .set({ triggeredAt: now })
    .where(and(eq(events.workspaceId, workspaceId), isNull(events.triggeredAt)));
  return {
    workspaceId,
    created: true,
    counts: {
      products: DEMO_PRODUCTS.length,
      contacts: contactRows.length,
      events: eventRows.length,
      ...history,
    },
  };
}

function lineItem(p: SeedProduct, quantity: number) {
  return {
    product_id: p.id,
    title: p.title,
    price: p.priceCents / 100,
    quantity,
    category: p.category,
    url: `/store/${DEMO_SLUG}/products/${p.id}`,
    image_url: `/store/${DEMO_SLUG}/images/${p.id}.svg`,
  };
}

function simulateCustomer(
  rng: Random,
  out: EventRow[],
  c: {
    workspaceId: string;
    contactId: string;
    createdAt: number;
    windowStart: number;
    now: number;
    index: number;
  },
) {
  let seq = 0;
  const push = (name: string, at: number, properties: Record<string, unknown>) => {
    if (at > c.now || at < c.windowStart) return;
    seq++;
    out.push({
      workspaceId: c.workspaceId,
      contactId: c.contactId,
      name,
      properties,
      occurredAt: new Date(at),
      receivedAt: new Date(at),
      idempotencyKey: `seed-${c.index}-${seq}`,
    });
  };

  push("Signed Up", c.createdAt, { source: rng.pick(["popup", "checkout", "footer"]) });
  const start = Math.max(c.createdAt, c.windowStart);
  const sessions = rng.int(0, 6);
  const inStock = DEMO_PRODUCTS.filter((p) => p.inventory > 0);
  for (let s = 0; s < sessions; s++) {
    let t = start + rng.next() * (c.now - start);
    const viewed: SeedProduct[] = [];
    for (let v = rng.int(1, 4); v > 0; v--) {
      const p = rng.pick(DEMO_PRODUCTS);
      viewed.push(p);
      push("Viewed Product", t, { ...lineItem(p, 1), quantity: undefined });
      t += rng.int(1, 6) * 60_000;
    }
    if (!rng.chance(0.4)) continue;
    const cartId = `cart_${c.index}_${s}`;
    const items = [] as ReturnType<typeof lineItem>[];
    for (let a = rng.int(1, 3); a > 0; a--) {
      const p = rng.chance(0.6)
        ? rng.pick(viewed.filter((x) => x.inventory > 0).concat(inStock.slice(0, 1)))
        : rng.pick(inStock);
      const item = lineItem(p, rng.int(1, 2));
      items.push(item);
      push("Added to Cart", t, { cart_id: cartId, ...item });
      t += rng.int(1, 4) * 60_000;
    }
    const value = Math.round(items.reduce((sum, it) => sum + it.price * it.quantity, 0) * 100) / 100;
    if (!rng.chance(0.6)) continue;
    push("Started Checkout", t, {
      cart_id: cartId,
      items,
      value,
      currency: "USD",
      checkout_url: `/store/${DEMO_SLUG}/checkout/${cartId}`,
    });
    t += rng.int(3, 25) * 60_000;
    if (!rng.chance(0.55)) continue;
    const orderId = `ord_${c.index}_${s}`;
    push("Placed Order", t, { order_id: orderId, cart_id: cartId, items, value, currency: "USD" });
    t += rng.int(20, 50) * HOUR;
    push("Order Shipped", t, {
      order_id: orderId,
      carrier: "UPS",
      tracking_url: `https://tracking.example.com/${orderId}`,
    });
    t += rng.int(2, 5) * DAY;
    push("Order Delivered", t, { order_id: orderId });
    if (rng.chance(0.3)) {
      const item = rng.pick(items);
      push("Review Submitted", t + rng.int(1, 7) * DAY, {
        order_id: orderId,
        product_id: item.product_id,
        rating: rng.pick([5, 5, 5, 4, 4, 3, 2, 1]),
      });
    }
  }
}
