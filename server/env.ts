/**
 * Environment, read once and validated. Everything is optional: without configuration
 * the app runs on its embedded default (PGlite, Outbox, in-process executor).
 */
import { z } from "zod";
import { parseTrustedProxies } from "@/server/http/client-address";

const Env = z.object({
  DATABASE_URL: z.string().url().optional(),
  APP_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().positive().optional(),
  AUTH_SECRET: z.string().min(16).optional(),
  RESEND_API_KEY: z.string().optional(),
  RESEND_BASE_URL: z.string().url().optional(),
  RESEND_WEBHOOK_SECRET: z.string().optional(),
  /** Requests a second to Resend for the API key, shared by every worker (default 5; 0: no limit). */
  RESEND_REQUESTS_PER_SECOND: z.coerce.number().min(0).max(10_000).optional(),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  TIDINGS_DATA_DIR: z.string().optional(),
  TIDINGS_EXECUTOR: z.enum(["in-process", "off"]).optional(),
  TIDINGS_SEED: z.enum(["auto", "off"]).optional(),
  /** `off` seeds the demo shop without running its flows over the history (faster first start). */
  TIDINGS_SEED_HISTORY: z.enum(["on", "off"]).optional(),
  TWILIO_STATUS_CALLBACK_URL: z.string().url().optional(),
  /** Web Push: a key pair from `npx web-push generate-vapid-keys`; without it one is generated and stored on first start. */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{80,100}$/, "Must be a base64url P-256 public key")
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{40,50}$/, "Must be a base64url P-256 private key")
    .optional(),
  /** Who push services may contact (`mailto:` or `https:`); setting it (or the key pair) switches push from the Outbox to Web Push. */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, "Must be a mailto: or https: URL")
    .optional(),
  /** Sign-in attempts allowed per 10 s per client address (default 3). */
  TIDINGS_SIGN_IN_LIMIT: z.coerce.number().int().positive().optional(),
  /**
   * Reverse proxies whose `X-Forwarded-For` hops are believed (comma-separated addresses or
   * CIDR ranges). Unset: rate limits key on the socket's peer address and ignore the header.
   */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        parseTrustedProxies(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
      }
    }),
  /** `npm run worker`: enrollments per claim, idle poll, message lease, pool size. */
  WORKER_BATCH: z.coerce.number().int().positive().default(100),
  WORKER_POLL_MS: z.coerce.number().int().positive().default(1000),
  WORKER_LEASE_MS: z.coerce.number().int().positive().optional(),
  WORKER_CONNECTIONS: z.coerce.number().int().positive().default(4),
});
export type Env = z.infer<typeof Env>;

let cached: Env | undefined;
export function env(): Env {
  if (!cached) {
    const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")) as Record<
      string,
      string
    >;
    const parsed = Env.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function appUrl(): string {
  const e = env();
  return (e.APP_URL ?? `http://localhost:${e.PORT ?? 3000}`).replace(/\/$/, "");
}
