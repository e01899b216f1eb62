/**
 * `npm run worker`: one executor process against Postgres (`DATABASE_URL`). Start as many
 * as you like, on one machine or several: they share the work through SKIP LOCKED claims
 * and wake each other with NOTIFY.
 */
import { openDb } from "@/server/db/client";
import { env } from "@/server/env";
import { createExecutor } from "@/server/executor/instance";

const config = env();
const url = config.DATABASE_URL;
if (!url) {
  console.error(
    "npm run worker needs DATABASE_URL (on the embedded default the executor runs inside the web server).",
  );
  process.exit(1);
}
const handle = await openDb({ url, maxConnections: config.WORKER_CONNECTIONS });
const executor = await createExecutor(handle, {
  pollMs: config.WORKER_POLL_MS,
  batchSize: config.WORKER_BATCH,
  leaseMs: config.WORKER_LEASE_MS,
});
await executor.start();
console.log(`[worker ${process.pid}] running`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void executor
      .stop()
      .then(() => handle.close())
      .then(() => process.exit(0));
  });
}
