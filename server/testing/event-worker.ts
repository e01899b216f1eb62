/**
 * An executor process for tests that must see what one worker process sees: it starts an
 * executor exactly as `npm run worker` does (`createExecutor` + `start`, so it LISTENs),
 * then reads JSON lines on stdin — `{ "id": n, "events": StoredEvent[] }` — hands each
 * batch to `executor.handleEvents` and answers `{ "id": n, "entered": n }` on stdout: how
 * many enrollments those events started.
 * Used by `server/executor/flow-changes.int.test.ts`.
 */
import { createInterface } from "node:readline";
import { inArray } from "drizzle-orm";
import { openDb } from "@/server/db/client";
import { enrollments } from "@/server/db/schema";
import { createExecutor } from "@/server/executor/instance";
import type { EnrollEvent as StoredEvent } from "@/server/executor/enroll";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
const handle = await openDb({ url, migrate: false, maxConnections: 2 });
const executor = await createExecutor(handle, { pollMs: 60_000 });
await executor.start();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

type Request = { id: number; events: Array<Omit<StoredEvent, "occurredAt"> & { occurredAt: string }> };

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const request = JSON.parse(line) as Request;
  const events = request.events.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) }));
  await executor.handleEvents(events);
  const entered = await handle.db
    .select({ id: enrollments.id })
    .from(enrollments)
    .where(
      inArray(
        enrollments.triggerEventId,
        events.map((e) => e.id),
      ),
    );
  process.stdout.write(`${JSON.stringify({ id: request.id, entered: entered.length })}\n`);
}
await executor.stop();
await handle.close();
