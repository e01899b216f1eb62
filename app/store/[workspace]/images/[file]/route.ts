import { getDb } from "@/server/db";
import { getStorefront, getStoreProduct, productImageSvg } from "@/server/store/store";
import { segmentValue } from "@/server/http/path-guard";

export async function GET(
  _req: Request,
  { params }: { params: Promise<{ workspace: string; file: string }> },
) {
  const { workspace, file } = await params;
  const match = /^(.+)\.svg$/.exec(segmentValue(file));
  if (!match?.[1]) return new Response("Not found", { status: 404 });
  const db = await getDb();
  const store = await getStorefront(db, workspace);
  const product = store ? await getStoreProduct(db, store, match[1]) : null;
  if (!product) return new Response("Not found", { status: 404 });
  return new Response(productImageSvg(product), {
    headers: {
      "content-type": "image/svg+xml; charset=utf-8",
      "cache-control": "public, max-age=3600",
      "x-content-type-options": "nosniff",
    },
  });
}
