/**
 * Builds an executor from the environment: the database, the channels picked by env
 * (Outbox by default), the link-signing key. The web server runs one in-process on the
 * embedded default; `npm run worker` runs one per process against Postgres.
 */
import type { DbHandle } from "@/server/db/client";
import { getOrCreateSecret } from "@/server/db/settings";
import type { Channels } from "@/server/channels";
import { createAppChannels } from "@/server/channels/app-channels";
import { appUrl, env } from "@/server/env";
import { onEventsStored } from "@/server/ingest/hooks";
import { EVENTS_CHANNEL, Executor, type Clock } from "./executor";

/** The history sweep (partitions ahead, expired months) runs hourly in every executor process. */
export const HISTORY_SWEEP_EVERY_MS = 3_600_000;

export async function createExecutor(
  handle: DbHandle,
  overrides: {
    channels?: Channels;
    clock?: Clock;
    pollMs?: number;
    batchSize?: number;
    sweepEveryMs?: number;
    historyEveryMs?: number;
    leaseMs?: number;
    minEmailBatch?: number;
  } = {},
) {
  const e = env();
  const linkSigningKey = await getOrCreateSecret(handle.db, "link_signing_key");
  return new Executor({
    handle,
    channels: overrides.channels ?? (await createAppChannels(handle.db, e)),
    appUrl: appUrl(),
    linkSigningKey,
    clock: overrides.clock,
    pollMs: overrides.pollMs,
    batchSize: overrides.batchSize,
    sweepEveryMs: overrides.sweepEveryMs,
    historyEveryMs: overrides.historyEveryMs ?? HISTORY_SWEEP_EVERY_MS,
    leaseMs: overrides.leaseMs,
    minEmailBatch: overrides.minEmailBatch,
    log: (message, error) =>
      error === undefined
        ? console.log(`[executor] ${message}`)
        : console.error(`[executor] ${message}:`, error),
  });
}

const KEY = Symbol.for("tidings.executor");
type Holder = { [KEY]?: Promise<Executor> };

/** The web server's own executor (one per process). */
export function getProcessExecutor(handle: DbHandle): Promise<Executor> {
  const g = globalThis as Holder;
  g[KEY] ??= createExecutor(handle);
  return g[KEY];
}

/**
 * With the executor out of process (`TIDINGS_EXECUTOR=off`): right after ingest commits new
 * events, NOTIFY the workers, which LISTEN and enroll them at once (their sweep remains the
 * fallback should a notification be lost). Returns the function that stops announcing.
 */
export function announceStoredEvents(handle: DbHandle): () => void {
  return onEventsStored(() => {
    void handle.notify(EVENTS_CHANNEL).catch((error: unknown) => {
      console.error("[ingest] could not notify the workers of new events:", error);
    });
  });
}
