import { z } from "zod";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { apiKeyKind } from "@/server/db/schema";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/api-keys/api-keys";
import { getShopifySettings, setShopifyWebhookSecret } from "@/server/ingest/shopify";

const KeyName = z.string().trim().min(1, "Give the key a name").max(80, "Keep the name under 80 characters");
const KeyKind = z.enum(apiKeyKind.enumValues, { error: 'Either "secret" or "publishable"' });
const KeyId = z.uuid("Not an API key id");
const ShopifySecret = z
  .string()
  .trim()
  .min(8, "Paste the whole signing secret from Shopify")
  .max(200, "That is longer than a Shopify signing secret")
  .regex(/^[\x21-\x7e]+$/, "The secret has no spaces or special characters");

/** Ingest credentials of the member's workspace: API keys and the Shopify webhook secret. */
export const apiKeysRouter = router({
  list: workspaceProcedure.query(({ ctx }) => listApiKeys(ctx.db, { workspaceId: ctx.workspaceId })),
  /** Returns the full key: the only time it is ever shown. */
  create: workspaceProcedure
    .input(z.object({ name: KeyName, kind: KeyKind }))
    .mutation(({ ctx, input }) =>
      createApiKey(ctx.db, { workspaceId: ctx.workspaceId, name: input.name, kind: input.kind }),
    ),
  revoke: workspaceProcedure
    .input(z.object({ id: KeyId }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, { workspaceId: ctx.workspaceId, id: input.id })),
  shopify: workspaceProcedure.query(({ ctx }) =>
    getShopifySettings(ctx.db, { workspaceId: ctx.workspaceId }),
  ),
  setShopifySecret: workspaceProcedure
    .input(z.object({ secret: ShopifySecret.nullable() }))
    .mutation(({ ctx, input }) =>
      setShopifyWebhookSecret(ctx.db, { workspaceId: ctx.workspaceId, secret: input.secret }),
    ),
});
