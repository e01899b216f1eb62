import { getDb } from "@/server/db";
import { getOrCreateSecret } from "@/server/db/settings";
import { handleOpen, PIXEL_GIF } from "@/server/analytics/tracking";

export async function GET(_req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = await getDb();
  await handleOpen(db, {
    token,
    key: await getOrCreateSecret(db, "link_signing_key"),
    now: new Date(),
  }).catch(() => false);
  return new Response(new Uint8Array(PIXEL_GIF), {
    status: 200,
    headers: { "content-type": "image/gif", "cache-control": "no-store, max-age=0" },
  });
}
