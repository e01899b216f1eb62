/**
 * Sign-in with better-auth (email + password) on the product's own Drizzle tables.
 * Sign-up creates the member's workspace.
 *
 * Guessing is kept slow: better-auth's per-address limit keys on the address resolved in
 * `./http.ts` (the socket, or what trusted proxies say), `./throttle.ts` adds a per-account
 * limit with backoff, and new passwords must pass `./passwords.ts`. Sign-up with an email
 * that is taken answers exactly as a new sign-up does (no session is created by sign-up; the
 * form signs in next) and emails the owner a notice instead.
 */
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import type { Db } from "@/server/db/client";
import * as schema from "@/server/db/schema";
import { getOrCreateSecret } from "@/server/db/settings";
import { createWorkspace, getWorkspaceForUser } from "@/server/workspaces/workspaces";
import { appUrl, env } from "@/server/env";
import { processChannels } from "@/server/messages/send-test";
import { sendSystemEmail, simpleEmailHtml } from "@/server/messages/system-email";
import { CLIENT_IP_HEADER } from "@/server/http/client-address";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "./passwords";

/** Paths whose body carries a new password. */
const NEW_PASSWORD_FIELDS: Record<string, string> = {
  "/sign-up/email": "password",
  "/reset-password": "newPassword",
  "/change-password": "newPassword",
};

/** Tells the owner of an existing account that someone tried to sign up with their email. */
async function sendAccountExistsNotice(db: Db, user: { id: string; email: string; name: string }) {
  const membership = await getWorkspaceForUser(db, user.id);
  if (!membership) return;
  const signIn = `${appUrl()}/sign-in`;
  await sendSystemEmail(db, processChannels(), {
    workspaceId: membership.workspace.id,
    from: `Tidings <${membership.workspace.senderEmail}>`,
    to: user.email,
    subject: "You already have a Tidings account",
    html: simpleEmailHtml({
      heading: "You already have an account",
      paragraphs: [
        `Someone tried to create a Tidings workspace with ${user.email}, which already has an account.`,
        "If it was you, sign in instead. If it wasn't, you can ignore this email: nothing changed.",
      ],
      button: { label: "Sign in", url: signIn },
    }),
    text: `Someone tried to create a Tidings workspace with ${user.email}, which already has an account.\n\nIf it was you, sign in instead: ${signIn}\nIf it wasn't, you can ignore this email: nothing changed.`,
    kind: "account-exists",
  });
}

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
    emailAndPassword: {
      enabled: true,
      // Without auto sign-in, a taken email gets the same answer as a new one (the form signs in next).
      autoSignIn: false,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      onExistingUserSignUp: async ({ user }) => {
        await sendAccountExistsNotice(db, user).catch((error: unknown) =>
          console.error("[auth] could not send the account-exists notice:", error),
        );
      },
    },
    hooks: {
      before: createAuthMiddleware((ctx) => {
        const field = NEW_PASSWORD_FIELDS[ctx.path];
        const body = ctx.body as Record<string, unknown> | undefined;
        const password = field ? body?.[field] : undefined;
        const problem = typeof password === "string" ? passwordProblem(password) : null;
        return problem
          ? Promise.reject(new APIError("BAD_REQUEST", { message: problem, code: "PASSWORD_REFUSED" }))
          : Promise.resolve();
      }),
    },
    advanced: {
      // The address `./http.ts` resolved from the socket (and trusted proxies only).
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
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
    // 3 sign-ins per 10 s per address (the e2e suite signs in once per test and raises it).
    rateLimit: {
      enabled: true,
      customRules: { "/sign-in/email": { window: 10, max: env().TIDINGS_SIGN_IN_LIMIT ?? 3 } },
    },
    plugins: [nextCookies()],
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;
