import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/server/db";
import { getStorefront, storePublishableKey } from "@/server/store/store";
import { StoreNav, StoreProvider } from "@/components/store/store-provider";
import { GetNotified } from "@/components/store/get-notified";

export const dynamic = "force-dynamic";

export default async function StoreLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ workspace: string }>;
}) {
  const { workspace: slug } = await params;
  const db = await getDb();
  const store = await getStorefront(db, slug);
  if (!store) notFound();
  const apiKey = await storePublishableKey(db, store.workspaceId);
  return (
    <StoreProvider value={{ slug: store.slug, apiKey }}>
      <div className="min-h-full bg-stone-50 text-stone-900">
        <header
          className="border-b border-stone-200 bg-white"
          style={{ borderTopColor: store.brandColor, borderTopWidth: 4 }}
        >
          <div className="mx-auto flex max-w-5xl items-center justify-between px-6 py-4">
            <Link
              href={`/store/${store.slug}`}
              className="text-xl font-semibold tracking-tight"
              style={{ color: store.brandColor }}
            >
              {store.name}
            </Link>
            <div className="flex items-center gap-4">
              <GetNotified />
              <StoreNav slug={store.slug} />
            </div>
          </div>
        </header>
        <main className="mx-auto max-w-5xl px-6 py-8">{children}</main>
        <footer className="mx-auto max-w-5xl px-6 pb-8 text-xs text-stone-500">
          A demo storefront: every click here is sent to Tidings as a shop event.
        </footer>
      </div>
    </StoreProvider>
  );
}
