import { getDb } from "@/server/db";
import {
  handlePushPreflight,
  handlePushSubscribe,
  handlePushUnsubscribe,
} from "@/server/ingest/push-handlers";

export async function POST(req: Request) {
  return handlePushSubscribe(await getDb(), req);
}

export async function DELETE(req: Request) {
  return handlePushUnsubscribe(await getDb(), req);
}

export function OPTIONS() {
  return handlePushPreflight();
}
