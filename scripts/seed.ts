/**
 * `npm run seed`: seeds the demo shop into the configured database (PGlite by default), with
 * its flows run over the history unless TIDINGS_SEED_HISTORY=off (as on a first start).
 */
import { openDb } from "@/server/db/client";
import { env } from "@/server/env";
import { DEMO_LOGIN, seedDemoShop } from "@/server/seed/demo-shop";

const started = Date.now();
const handle = await openDb({ url: process.env.DATABASE_URL || undefined });
try {
  const result = await seedDemoShop(handle.db, { history: env().TIDINGS_SEED_HISTORY !== "off" });
  if (result.created) {
    const c = result.counts;
    console.log(
      `Seeded in ${Date.now() - started} ms: ${c.products} products, ${c.contacts} contacts, ${c.events} events; ${c.flows} flows ran over the history (${c.enrollments} entries, ${c.messages} messages).`,
    );
  } else {
    console.log("The demo shop is already there.");
  }
  console.log(`Sign in: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
} finally {
  await handle.close();
}
