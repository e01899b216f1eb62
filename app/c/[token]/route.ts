import { getDb } from "@/server/db";
import { handleOptInGet, handleOptInPost } from "@/server/messages/opt-in";

type Params = { params: Promise<{ token: string }> };

export async function GET(_req: Request, { params }: Params) {
  return handleOptInGet(await getDb(), (await params).token);
}

export async function POST(req: Request, { params }: Params) {
  return handleOptInPost(await getDb(), (await params).token, new Date(), req);
}
