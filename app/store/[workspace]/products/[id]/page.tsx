import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/server/db";
import { getStorefront, getStoreProduct } from "@/server/store/store";
import { formatMoney } from "@/components/store/format";
import { AddToCart, NotifyMe, ViewTracker } from "@/components/store/product-actions";
import { segmentValue } from "@/server/http/path-guard";

export const metadata: Metadata = { title: "Product" };

export default async function ProductPage({
  params,
}: {
  params: Promise<{ workspace: string; id: string }>;
}) {
  const { workspace: slug, id } = await params;
  const db = await getDb();
  const store = await getStorefront(db, slug);
  if (!store) notFound();
  const product = await getStoreProduct(db, store, segmentValue(id));
  if (!product) notFound();
  return (
    <div className="grid gap-8 md:grid-cols-2">
      <ViewTracker product={product} />
      <img
        src={product.imageUrl}
        alt={product.title}
        className="aspect-square w-full rounded-lg border border-stone-200"
      />
      <div className="flex flex-col gap-4">
        <Link href={`/store/${store.slug}`} className="text-sm text-stone-600 hover:underline">
          ← All products
        </Link>
        {product.category && (
          <p className="text-xs uppercase tracking-wide text-stone-500">{product.category}</p>
        )}
        <h1 className="text-2xl font-semibold">{product.title}</h1>
        <p className="text-xl">{formatMoney(product.priceCents, product.currency)}</p>
        {product.inventory > 0 ? <AddToCart product={product} /> : <NotifyMe product={product} />}
      </div>
    </div>
  );
}
