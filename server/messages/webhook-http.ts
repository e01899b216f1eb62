/** Small helpers shared by the provider webhook handlers. */

/** Webhook bodies are small; anything bigger is refused before it is read. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

export function json(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}

/** The raw body as text, or null when it is larger than `max` bytes. */
export async function readRawBody(req: Request, max = MAX_WEBHOOK_BYTES): Promise<string | null> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > max) return null;
  const buffer = await req.arrayBuffer();
  if (buffer.byteLength > max) return null;
  return new TextDecoder().decode(buffer);
}
