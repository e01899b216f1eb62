/**
 * One executor process against Postgres (`DATABASE_URL`); `npm run worker` runs it under a
 * small supervisor that restarts it. Start as many as you like, on one machine or several:
 * they share the work through SKIP LOCKED claims and wake each other with NOTIFY.
 *
 * A lost database connection is retried by the executor with backoff. An error thrown by the
 * driver outside any query (postgres.js can throw one from a timer after a Postgres restart)
 * leaves the process in an unknown state: the worker logs it and exits with code 70, and
 * its supervisor starts a fresh one. Nothing is lost: claims are leases.
 */
import { openDb } from "@/server/db/client";
import { env } from "@/server/env";
import { createExecutor } from "@/server/executor/instance";
import { ForecastRunner } from "@/server/simulate/forecast-jobs";

const config = env();
const url = config.DATABASE_URL;
if (!url) {
  console.error(
    "npm run worker needs DATABASE_URL (on the embedded default the executor runs inside the web server).",
  );
  process.exit(1);
}
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (error: unknown) => {
    console.error(`[worker ${process.pid}] fatal ${event}, exiting for a restart:`, error);
    process.exit(70);
  });
}

const handle = await openDb({ url, maxConnections: config.WORKER_CONNECTIONS });
const executor = await createExecutor(handle, {
  pollMs: config.WORKER_POLL_MS,
  batchSize: config.WORKER_BATCH,
  leaseMs: config.WORKER_LEASE_MS,
});
await executor.start();
// Forecasts of drafts (read-only replays of past events) are computed by the workers too.
const forecasts = new ForecastRunner(handle.db, {
  log: (message, error) => console.error(`[worker ${process.pid}] ${message}:`, error),
});
forecasts.start();
console.log(`[worker ${process.pid}] running`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void Promise.all([executor.stop(), forecasts.stop()])
      .then(() => handle.close())
      .then(() => process.exit(0));
  });
}
