import { getDb } from "@/server/db";
import { handleTwilioWebhook } from "@/server/messages/twilio-webhook";
import { twilioAuthToken, twilioSignedUrls } from "@/server/messages/webhook-config";

export async function POST(req: Request) {
  return handleTwilioWebhook(await getDb(), req, {
    authToken: twilioAuthToken(),
    urls: twilioSignedUrls(req),
  });
}
