/**
 * Catalog upserts. When a product's inventory goes from 0 (or less) to more, every pending
 * back-in-stock subscriber gets one `Back in Stock` event, in the same transaction that
 * marks the subscription notified (idempotency key `bis-<subscriptionId>`).
 */
import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { backInStockSubscriptions, events, products } from "@/server/db/schema";
import { badRequest } from "@/server/errors";
import { BACK_IN_STOCK } from "./events";
import type { StoredEvent } from "./hooks";
import type { ProductInput } from "./schemas";

export type Product = typeof products.$inferSelect;

export interface UpsertProductResult {
  product: Product;
  created: boolean;
  /** The Back in Stock events emitted by this change (empty unless it restocked the product). */
  backInStock: StoredEvent[];
}

/** The product as flows and emails see it (the properties of Back in Stock). */
export function productProperties(p: Product): Record<string, unknown> {
  return {
    product_id: p.id,
    title: p.title,
    price: p.priceCents / 100,
    currency: p.currency,
    ...(p.url && { url: p.url }),
    ...(p.imageUrl && { image_url: p.imageUrl }),
    ...(p.category && { category: p.category }),
    inventory: p.inventory,
  };
}

function changesOf(input: ProductInput) {
  const set: Partial<typeof products.$inferInsert> = {};
  if (input.title !== undefined) set.title = input.title;
  if (input.url !== undefined) set.url = input.url;
  if (input.image !== undefined) set.imageUrl = input.image;
  if (input.price !== undefined) set.priceCents = Math.round(input.price * 100);
  if (input.currency !== undefined) set.currency = input.currency;
  if (input.category !== undefined) set.category = input.category;
  if (input.inventory !== undefined) set.inventory = input.inventory;
  if (input.daysPerUnit !== undefined) set.daysPerUnit = input.daysPerUnit;
  if (input.properties !== undefined) set.properties = input.properties;
  return set;
}

/** Creates the product or updates the fields given; emits Back in Stock on a restock. */
export async function upsertProduct(
  db: DbOrTx,
  input: { workspaceId: string; productId: string; product: ProductInput; now?: Date },
): Promise<UpsertProductResult> {
  const now = input.now ?? new Date();
  const set = changesOf(input.product);
  return db.transaction(async (tx) => {
    const where = and(eq(products.workspaceId, input.workspaceId), eq(products.id, input.productId));
    const lockCurrent = async () => (await tx.select().from(products).where(where).for("update"))[0];

    let before = await lockCurrent();
    let product: Product | undefined;
    if (!before) {
      if (set.title === undefined) throw badRequest("Give the product a title: it is new", "title");
      [product] = await tx
        .insert(products)
        .values({
          ...set,
          title: set.title,
          workspaceId: input.workspaceId,
          id: input.productId,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (!product) before = await lockCurrent();
    }
    if (before)
      [product] = await tx
        .update(products)
        .set({ ...set, updatedAt: now })
        .where(where)
        .returning();
    if (!product) throw new Error("product upsert returned no row");

    const restocked = (before?.inventory ?? 0) <= 0 && product.inventory > 0;
    const backInStock = restocked
      ? await emitBackInStock(tx, { workspaceId: input.workspaceId, product, now })
      : [];
    return { product, created: !before, backInStock };
  });
}

async function emitBackInStock(
  tx: DbOrTx,
  input: { workspaceId: string; product: Product; now: Date },
): Promise<StoredEvent[]> {
  const due = await tx
    .update(backInStockSubscriptions)
    .set({ notifiedAt: input.now })
    .where(
      and(
        eq(backInStockSubscriptions.workspaceId, input.workspaceId),
        eq(backInStockSubscriptions.productId, input.product.id),
        isNull(backInStockSubscriptions.notifiedAt),
      ),
    )
    .returning({ id: backInStockSubscriptions.id, contactId: backInStockSubscriptions.contactId });
  if (due.length === 0) return [];
  const properties = productProperties(input.product);
  const stored: StoredEvent[] = [];
  for (let i = 0; i < due.length; i += 500) {
    const rows = due.slice(i, i + 500).map((s) => ({
      workspaceId: input.workspaceId,
      contactId: s.contactId,
      name: BACK_IN_STOCK,
      properties,
      occurredAt: input.now,
      receivedAt: input.now,
      idempotencyKey: `bis-${s.id}`,
    }));
    stored.push(
      // Each key names a fresh notification of one subscription, so none was stored before.
      ...(await tx.insert(events).values(rows).returning()),
    );
  }
  return stored;
}
