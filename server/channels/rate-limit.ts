/**
 * A provider's rate limit, kept by every sender together: one token bucket per API key in
 * Postgres (`provider_rate_limits`). Taking a slot is one atomic statement: the bucket
 * refills by the time passed since its last refill (the database's clock, the same for every
 * worker), at most to its size, and gives one token. When none is left the token is taken
 * all the same and the bucket goes below zero: the caller waits until its slot comes, so
 * senders queue in the order they asked and the provider sees at most `perSecond` requests
 * a second, however many workers send — a burst never turns into a run of 429s. A slot
 * taken by a sender that dies is simply not used.
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { rowsOf } from "@/server/db/rows";

export interface RateLimiter {
  /** Resolves when this caller may make one request. */
  take(): Promise<void>;
}

export const RESEND_REQUESTS_PER_SECOND = 5;

export type TokenBucketOptions = {
  /** Requests a second. */
  perSecond: number;
  /** Requests that may go at once after a quiet spell (default 1: evenly spaced). */
  burst?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
};

/** The bucket's row key: the provider and a hash of its API key (the key itself is never stored). */
export function rateLimitKey(provider: string, apiKey: string): string {
  return `${provider}:${createHash("sha256").update(apiKey).digest("base64url").slice(0, 22)}`;
}

export function postgresTokenBucket(db: DbOrTx, key: string, options: TokenBucketOptions): RateLimiter {
  const rate = options.perSecond;
  if (!(rate > 0)) throw new Error("A rate limit needs a positive number of requests a second.");
  const burst = Math.max(1, options.burst ?? 1);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    async take() {
      const rows = await db.execute(sql`
        insert into provider_rate_limits as b (key, tokens, refilled_at)
        values (${key}, ${burst - 1}, clock_timestamp())
        on conflict (key) do update set
          tokens = least(${burst}::float8,
            b.tokens + extract(epoch from (clock_timestamp() - b.refilled_at)) * ${rate}::float8) - 1,
          refilled_at = clock_timestamp()
        returning tokens`);
      const tokens = Number(rowsOf<{ tokens: number | string }>(rows)[0]?.tokens ?? 0);
      // Below zero: this many requests are ahead of this one; its slot comes when the bucket is back at zero.
      if (tokens < 0) await sleep((-tokens / rate) * 1000);
    },
  };
}
