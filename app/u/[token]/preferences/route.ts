import { getDb } from "@/server/db";
import { handlePreferencesGet, handlePreferencesPost } from "@/server/messages/link-handlers";

type Params = { params: Promise<{ token: string }> };

export async function GET(_req: Request, { params }: Params) {
  return handlePreferencesGet(await getDb(), (await params).token);
}

export async function POST(req: Request, { params }: Params) {
  return handlePreferencesPost(await getDb(), req, (await params).token);
}
