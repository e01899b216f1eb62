import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/server/db";
import { getStorefront, listStoreProducts } from "@/server/store/store";
import { formatMoney } from "@/components/store/format";

export const metadata: Metadata = { title: "Shop" };

export default async function StorePage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const db = await getDb();
  const store = await getStorefront(db, slug);
  if (!store) notFound();
  const products = await listStoreProducts(db, store);
  const categories = [...new Set(products.map((p) => p.category ?? "Other"))];
  return (
    <div className="flex flex-col gap-10">
      {products.length === 0 && <p className="text-stone-600">This shop has no products yet.</p>}
      {categories.map((category) => (
        <section key={category} aria-labelledby={`cat-${category}`}>
          <h2 id={`cat-${category}`} className="mb-4 text-lg font-semibold">
            {category}
          </h2>
          <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
            {products
              .filter((p) => (p.category ?? "Other") === category)
              .map((p) => (
                <li key={p.id} data-testid="store-product">
                  <Link
                    href={p.url}
                    className="group block rounded-lg border border-stone-200 bg-white p-3 shadow-sm hover:shadow"
                  >
                    {/* Generated SVG placeholders need no image optimisation. */}
                    <img src={p.imageUrl} alt="" className="aspect-square w-full rounded" loading="lazy" />
                    <div className="mt-2 text-sm font-medium group-hover:underline">{p.title}</div>
                    <div className="flex items-center justify-between text-sm text-stone-600">
                      <span>{formatMoney(p.priceCents, p.currency)}</span>
                      {p.inventory <= 0 && <span className="text-xs font-medium text-red-700">Sold out</span>}
                    </div>
                  </Link>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
