import { getDb } from "@/server/db";
import { handleIdentify, handlePreflight } from "@/server/ingest/handlers";

export async function POST(req: Request) {
  return handleIdentify(await getDb(), req);
}

export function OPTIONS() {
  return handlePreflight();
}
