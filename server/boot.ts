/**
 * Start-up for the web server process: open (and migrate) the database, seed the demo
 * shop on a fresh embedded start, and print how to sign in.
 */
import { count } from "drizzle-orm";
import { getDbHandle } from "@/server/db";
import { users } from "@/server/db/schema";
import { DEMO_LOGIN, seedDemoShop } from "@/server/seed/demo-shop";
import { appUrl, env } from "@/server/env";
import { announceStoredEvents, getProcessExecutor } from "@/server/executor/instance";
import { isTransientConflict } from "@/server/executor/executor";
import { onEventsStored } from "@/server/ingest/hooks";
import { webPushConfigured } from "@/server/channels";
import { getVapidKeys } from "@/server/channels/vapid";
import { ForecastRunner } from "@/server/simulate/forecast-jobs";

export async function boot(): Promise<void> {
  const started = Date.now();
  const handle = await getDbHandle();
  const e = env();
  const [row] = await handle.db.select({ n: count() }).from(users);
  const fresh = (row?.n ?? 0) === 0;
  const shouldSeed =
    e.TIDINGS_SEED !== "off" && fresh && (handle.driver === "pglite" || e.TIDINGS_SEED === "auto");
  if (shouldSeed) {
    const result = await seedDemoShop(handle.db, { history: e.TIDINGS_SEED_HISTORY !== "off" });
    const c = result.counts;
    console.log(
      `[tidings] seeded the demo shop: ${c.products} products, ${c.contacts} contacts, ${c.events} events; ${c.flows} flows ran over the history: ${c.enrollments} entries, ${c.messages} messages`,
    );
  }
  // The browser-facing push key exists from the first start, so storefront subscriptions outlive restarts.
  await getVapidKeys(handle.db, e);
  if (e.TIDINGS_EXECUTOR !== "off") {
    const executor = await getProcessExecutor(handle);
    await executor.start();
    // Forecasts of drafts are replayed here too, one at a time, beside the executor.
    new ForecastRunner(handle.db, {
      log: (message, error) => console.error(`[forecast] ${message}:`, error),
    }).start();
    // The request that stored the events returns at once; enrolling and sending happen
    // right after. Should the process die in between, the executor's sweep of
    // un-triggered events picks them up.
    onEventsStored((_workspaceId, rows) => {
      void executor.handleEvents(rows).catch((error: unknown) => {
        // What was enrolled is due now: the loop takes it from here (a deadlock is not worth a log line).
        executor.kick();
        if (!isTransientConflict(error)) console.error("[executor] handling new events failed:", error);
      });
    });
  } else if (handle.driver === "postgres") announceStoredEvents(handle);
  const db =
    handle.driver === "pglite"
      ? `PGlite (embedded, ${env().TIDINGS_DATA_DIR ?? ".data"})`
      : "Postgres (DATABASE_URL)";
  console.log(
    [
      "",
      `  Tidings is ready in ${((Date.now() - started) / 1000).toFixed(1)} s — ${appUrl()}`,
      `  Database: ${db}`,
      `  Executor: ${e.TIDINGS_EXECUTOR === "off" ? "off (run npm run worker)" : "in this process"}; email: ${e.RESEND_API_KEY ? "Resend" : "Outbox"}, push: ${webPushConfigured(e) ? "Web Push" : "Outbox"}`,
      `  Sign in:  ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`,
      "",
    ].join("\n"),
  );
}
