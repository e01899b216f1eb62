import { getDb } from "@/server/db";
import { handleBatch, handlePreflight } from "@/server/ingest/handlers";

export async function POST(req: Request) {
  return handleBatch(await getDb(), req);
}

export function OPTIONS() {
  return handlePreflight();
}
