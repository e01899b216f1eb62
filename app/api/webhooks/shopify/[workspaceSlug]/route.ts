import { getDb } from "@/server/db";
import { handleShopifyWebhook } from "@/server/ingest/handlers";

export async function POST(req: Request, { params }: { params: Promise<{ workspaceSlug: string }> }) {
  const { workspaceSlug } = await params;
  return handleShopifyWebhook(await getDb(), req, workspaceSlug);
}
