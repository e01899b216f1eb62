import { getDb } from "@/server/db";
import { handleResendWebhook } from "@/server/messages/resend-webhook";
import { resendWebhookSecret } from "@/server/messages/webhook-config";

export async function POST(req: Request) {
  return handleResendWebhook(await getDb(), req, { secret: resendWebhookSecret() });
}
