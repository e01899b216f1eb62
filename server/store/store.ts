/**
 * The demo storefront: a public shop page per workspace (by slug) built from its catalog.
 * It sends events through the public ingest API with a publishable key created for it.
 */
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { appSettings, products, workspaces } from "@/server/db/schema";
import { authenticateApiKey, createApiKey } from "@/server/api-keys/api-keys";
import { ProductId } from "@/server/ingest/schemas";

export interface StoreProduct {
  id: string;
  title: string;
  priceCents: number;
  currency: string;
  category: string | null;
  inventory: number;
  url: string;
  imageUrl: string;
}

export interface Storefront {
  workspaceId: string;
  name: string;
  slug: string;
  brandColor: string;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export async function getStorefront(db: DbOrTx, slug: string): Promise<Storefront | null> {
  if (!SLUG.test(slug)) return null;
  const [row] = await db
    .select({
      workspaceId: workspaces.id,
      name: workspaces.name,
      slug: workspaces.slug,
      brandColor: workspaces.brandColor,
    })
    .from(workspaces)
    .where(eq(workspaces.slug, slug));
  return row ?? null;
}

function toStoreProduct(slug: string, p: typeof products.$inferSelect): StoreProduct {
  return {
    id: p.id,
    title: p.title,
    priceCents: p.priceCents,
    currency: p.currency,
    category: p.category,
    inventory: p.inventory,
    url: `/store/${slug}/products/${encodeURIComponent(p.id)}`,
    imageUrl: `/store/${slug}/images/${encodeURIComponent(p.id)}.svg`,
  };
}

export async function listStoreProducts(db: DbOrTx, store: Storefront): Promise<StoreProduct[]> {
  const rows = await db
    .select()
    .from(products)
    .where(eq(products.workspaceId, store.workspaceId))
    .orderBy(asc(products.category), asc(products.title));
  return rows.map((p) => toStoreProduct(store.slug, p));
}

export async function getStoreProduct(
  db: DbOrTx,
  store: Storefront,
  productId: string,
): Promise<StoreProduct | null> {
  if (!ProductId.safeParse(productId).success) return null;
  const [row] = await db
    .select()
    .from(products)
    .where(and(eq(products.workspaceId, store.workspaceId), eq(products.id, productId)));
  return row ? toStoreProduct(store.slug, row) : null;
}

const keySetting = (workspaceId: string) => `store.publishable-key.${workspaceId}`;

/**
 * The publishable key the storefront sends events with. Keys are stored hashed, so the
 * store keeps its own key in the installation settings; a revoked or missing key is
 * replaced by a new one named "Demo storefront".
 */
export async function storePublishableKey(db: DbOrTx, workspaceId: string): Promise<string> {
  const [saved] = await db
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, keySetting(workspaceId)));
  if (saved) {
    const principal = await authenticateApiKey(db, saved.value);
    if (principal?.workspaceId === workspaceId && principal.kind === "publishable") return saved.value;
  }
  const { key } = await createApiKey(db, { workspaceId, name: "Demo storefront", kind: "publishable" });
  await db
    .insert(appSettings)
    .values({ key: keySetting(workspaceId), value: key })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: key } });
  return key;
}

/** A simple generated product picture: a tinted card with the product's initials. */
export function productImageSvg(product: { id: string; title: string; category: string | null }): string {
  let hash = 0;
  for (const ch of product.id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  const initials = product.title
    .replace(/[^\p{L}\p{N} ]/gu, "")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? "")
    .join("");
  const escape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img" aria-label="${escape(product.title)}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 60% 88%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360} 55% 72%)"/></linearGradient></defs>
<rect width="400" height="400" fill="url(#g)"/>
<circle cx="200" cy="170" r="90" fill="hsl(${hue} 45% 35%)" opacity="0.85"/>
<text x="200" y="198" text-anchor="middle" font-family="system-ui, sans-serif" font-size="80" font-weight="700" fill="#fff">${escape(initials)}</text>
<text x="200" y="320" text-anchor="middle" font-family="system-ui, sans-serif" font-size="22" fill="hsl(${hue} 40% 20%)">${escape(product.category ?? "")}</text>
</svg>`;
}
