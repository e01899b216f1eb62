import { getDb } from "@/server/db";
import { getOrCreateSecret } from "@/server/db/settings";
import { handleClick } from "@/server/analytics/tracking";
import { appUrl } from "@/server/env";

export async function GET(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = await getDb();
  const outcome = await handleClick(db, {
    token,
    key: await getOrCreateSecret(db, "link_signing_key"),
    appUrl: appUrl(),
    now: new Date(),
    userAgent: req.headers.get("user-agent"),
  });
  if (outcome.status === 302)
    return new Response(null, {
      status: 302,
      headers: { location: outcome.location, "cache-control": "no-store" },
    });
  return new Response(
    `<!doctype html><meta charset="utf-8"><title>Link not recognised</title><body style="font-family:system-ui;padding:3rem;text-align:center"><h1>We couldn’t open this link</h1><p>${outcome.reason}</p></body>`,
    {
      status: 400,
      headers: { "content-type": "text/html; charset=utf-8" },
    },
  );
}
