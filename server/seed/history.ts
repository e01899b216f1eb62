/**
 * Runs the demo shop's flows over its 60 days of seeded history, so the canvas shows real
 * numbers on first start: a few seed flows are published at the start of the window, then
 * the seeded events are replayed in time order through the real runner (enrollment, waits,
 * conditions, goals) with the clock moving forward. History is not dispatched: its messages
 * are marked sent, and a share of the emails are opened and clicked, so orders that follow
 * a touch are credited by the real attribution code.
 */
import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { enrollments, events, messageEvents, messages } from "@/server/db/schema";
import { createFlowFromTemplate } from "@/server/flows/flows";
import { publishFlow } from "@/server/flows/publish";
import { ExecutorCaches } from "@/server/executor/caches";
import { enrollFromEvents } from "@/server/executor/enroll";
import { runDueEnrollments, runEnrollmentsNow } from "@/server/executor/runner";
import { createRandom } from "./random";

export const HISTORY_FLOWS = [
  "abandoned_cart",
  "welcome_series",
  "order_confirmation",
  "review_request",
  "post_purchase",
  "browse_abandonment",
] as const;

const HOUR = 3_600_000;
/**
 * The replay's clock moves on a 30-minute grid, and jumps straight to the next step where
 * something happens (an event, or a wait that ends). Each event is seen at most one step
 * after it happened and each wait ends within a step of its live time, and 30 minutes is
 * the longest step that keeps the flows' outcomes as they are live: an order comes 3 to 25
 * minutes after its checkout, so even seen a step late (by t + 55 min) it arrives before
 * the cart's 1-hour wait ends (at t + 60 min or later) and stops the reminder; a second
 * view comes minutes after the first, against browse abandonment's 2 hours. (The old
 * 6-hour steps woke the cart wait before the order of the same step was seen, and sent a
 * reminder to a buyer.) Skipping quiet stretches keeps the cost to the steps where
 * something happens; a 5-minute grid measured about three times slower than 15, and the
 * first start with 15 took minutes on a busy 2-core machine.
 */
export const HISTORY_STEP_MS = 30 * 60_000;

export interface HistoryResult {
  flows: number;
  enrollments: number;
  messages: number;
}

export async function replayHistory(
  db: Db,
  input: { workspaceId: string; userId: string; now: number; days: number; seed?: number },
): Promise<HistoryResult> {
  const rng = createRandom(input.seed ?? 7);
  const start = input.now - input.days * 24 * HOUR - HOUR;
  for (const key of HISTORY_FLOWS) {
    const flow = await createFlowFromTemplate(db, {
      workspaceId: input.workspaceId,
      userId: input.userId,
      templateKey: key,
    });
    await publishFlow(db, {
      workspaceId: input.workspaceId,
      flowId: flow.id,
      userId: input.userId,
      moveInFlight: false,
      now: new Date(start),
    });
  }
  // The replay's own caches, read after the flows above are live.
  const caches = new ExecutorCaches();

  const all = await db
    .select({
      id: events.id,
      workspaceId: events.workspaceId,
      contactId: events.contactId,
      name: events.name,
      properties: events.properties,
      occurredAt: events.occurredAt,
    })
    .from(events)
    .where(and(eq(events.workspaceId, input.workspaceId), gte(events.occurredAt, new Date(start))))
    .orderBy(asc(events.occurredAt));

  let enrolled = 0;
  let sent = 0;
  let cursor = 0;
  let clock = start;
  let settledAt = start;
  for (;;) {
    const nextEvent = cursor < all.length ? all[cursor]!.occurredAt.getTime() : Infinity;
    // Nothing is due before the next step (the last step ran everything due), so an event
    // within it decides the step without asking when the next wait ends.
    const next =
      nextEvent <= Math.min(clock + HISTORY_STEP_MS, input.now)
        ? nextEvent
        : Math.min(nextEvent, await nextWakeAt(db, input.workspaceId));
    if (next > input.now) break;
    const onGrid = start + Math.ceil((next - start) / HISTORY_STEP_MS) * HISTORY_STEP_MS;
    clock = Math.max(clock + HISTORY_STEP_MS, onGrid);
    const now = Math.min(clock, input.now);
    // Run what fell due before these events, then the events themselves.
    while ((await runDueEnrollments(db, { now, limit: 500, caches })).enrollments > 0);
    const batch: typeof all = [];
    while (cursor < all.length && all[cursor]!.occurredAt.getTime() <= now) batch.push(all[cursor++]!);
    if (batch.length) {
      const { enrolled: entered, woken } = await enrollFromEvents(db, batch, now, caches);
      enrolled += entered.length;
      await runEnrollmentsNow(db, [...entered, ...woken], now, caches);
    }
    // Messages are settled hourly (as sent at their own time), which saves a query per step.
    if (now - settledAt >= HOUR) {
      sent += await settleSends(db, input.workspaceId, now, rng);
      settledAt = now;
    }
  }
  sent += await settleSends(db, input.workspaceId, input.now, rng);
  return { flows: HISTORY_FLOWS.length, enrollments: enrolled, messages: sent };
}

/** When the next active journey of the workspace wakes (Infinity if none waits on time). */
async function nextWakeAt(db: Db, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ at: sql<string | Date | null>`min(${enrollments.nextRunAt})` })
    .from(enrollments)
    .where(and(eq(enrollments.workspaceId, workspaceId), eq(enrollments.status, "active")));
  return row?.at == null ? Infinity : new Date(row.at).getTime();
}

/** History's messages count as sent at once; some emails are opened, some of those clicked. */
async function settleSends(
  db: Db,
  workspaceId: string,
  now: number,
  rng: ReturnType<typeof createRandom>,
): Promise<number> {
  const queued = await db
    .select({ id: messages.id, channel: messages.channel, createdAt: messages.createdAt })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, workspaceId),
        eq(messages.status, "queued"),
        lte(messages.createdAt, new Date(now)),
      ),
    );
  if (queued.length === 0) return 0;
  await db
    .update(messages)
    .set({ status: "sent", provider: "history", lockedUntil: null, sentAt: sql`${messages.createdAt}` })
    .where(
      inArray(
        messages.id,
        queued.map((m) => m.id),
      ),
    );
  const engagement: Array<typeof messageEvents.$inferInsert> = [];
  for (const m of queued) {
    const at = m.createdAt.getTime();
    engagement.push({ workspaceId, messageId: m.id, type: "delivered", occurredAt: new Date(at + 60_000) });
    if (m.channel === "email" && rng.chance(0.46)) {
      const opened = at + rng.int(5, 600) * 60_000;
      engagement.push({ workspaceId, messageId: m.id, type: "opened", occurredAt: new Date(opened) });
      if (rng.chance(0.22))
        engagement.push({
          workspaceId,
          messageId: m.id,
          type: "clicked",
          url: "https://juniper-roasters.example/",
          occurredAt: new Date(opened + rng.int(1, 30) * 60_000),
        });
    } else if (m.channel !== "email" && rng.chance(0.08)) {
      engagement.push({
        workspaceId,
        messageId: m.id,
        type: "clicked",
        url: "https://juniper-roasters.example/",
        occurredAt: new Date(at + rng.int(1, 120) * 60_000),
      });
    }
  }
  for (let i = 0; i < engagement.length; i += 1000)
    await db.insert(messageEvents).values(engagement.slice(i, i + 1000));
  return queued.length;
}
