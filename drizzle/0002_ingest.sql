ALTER TABLE "workspaces" ADD COLUMN "shopify_webhook_secret" text;--> statement-breakpoint
CREATE INDEX "contacts_anonymous_ids_idx" ON "contacts" USING gin ("anonymous_ids");