/**
 * Sign-in with better-auth (email + password) on the product's own Drizzle tables.
 * Sign-up creates the member's workspace.
 */
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import type { Db } from "@/server/db/client";
import * as schema from "@/server/db/schema";
import { getOrCreateSecret } from "@/server/db/settings";
import { createWorkspace } from "@/server/workspaces/workspaces";
import { appUrl, env } from "@/server/env";

export async function createAuth(db: Db) {
  const secret = env().AUTH_SECRET || (await getOrCreateSecret(db, "auth_secret"));
  const base = appUrl();
  const port = new URL(base).port;
  const trustedOrigins = [base, ...(port ? [`http://localhost:${port}`, `http://127.0.0.1:${port}`] : [])];
  return betterAuth({
    appName: "Tidings",
    baseURL: base,
    secret,
    trustedOrigins,
    telemetry: { enabled: false },
    database: drizzleAdapter(db, {
      provider: "pg",
      usePlural: true,
      schema: {
        users: schema.users,
        sessions: schema.sessions,
        accounts: schema.accounts,
        verifications: schema.verifications,
      },
    }),
    emailAndPassword: { enabled: true, autoSignIn: true, minPasswordLength: 8 },
    session: { expiresIn: 60 * 60 * 24 * 30, cookieCache: { enabled: false } },
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await createWorkspace(db, { name: `${user.name}'s shop`, ownerUserId: user.id });
          },
        },
      },
    },
    // better-auth allows 3 sign-ins per 10 s per address; the e2e suite signs in once per test.
    rateLimit: { customRules: { "/sign-in/email": { window: 10, max: env().TIDINGS_SIGN_IN_LIMIT ?? 3 } } },
    plugins: [nextCookies()],
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;
