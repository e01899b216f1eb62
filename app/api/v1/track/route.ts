import { getDb } from "@/server/db";
import { handleTrack, handlePreflight } from "@/server/ingest/handlers";

export async function POST(req: Request) {
  return handleTrack(await getDb(), req);
}

export function OPTIONS() {
  return handlePreflight();
}
