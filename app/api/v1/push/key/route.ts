import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { handlePushKey, handlePushPreflight } from "@/server/ingest/push-handlers";

export async function GET(req: Request) {
  return handlePushKey(await getDb(), req, env());
}

export function OPTIONS() {
  return handlePushPreflight();
}
