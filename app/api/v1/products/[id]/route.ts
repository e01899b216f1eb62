import { getDb } from "@/server/db";
import { handleProductPut } from "@/server/ingest/handlers";

export async function PUT(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleProductPut(await getDb(), req, id);
}
