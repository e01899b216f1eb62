import { getDb } from "@/server/db";
import { handleUnsubscribeGet, handleUnsubscribePost } from "@/server/messages/link-handlers";

type Params = { params: Promise<{ token: string }> };

/** The confirmation page: a GET never unsubscribes (link scanners follow GETs). */
export async function GET(_req: Request, { params }: Params) {
  return handleUnsubscribeGet(await getDb(), (await params).token);
}

/** RFC 8058 one-click unsubscribe, and the confirmation page's button. */
export async function POST(req: Request, { params }: Params) {
  return handleUnsubscribePost(await getDb(), req, (await params).token);
}
