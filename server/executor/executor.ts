/**
 * The executor loop. It runs due enrollments, sends queued messages and webhook calls, and sweeps events
 * the fast path missed, until there is nothing due; then it sleeps until the next poll,
 * an in-process kick, or a Postgres NOTIFY from another process. Any number of these
 * may run against one Postgres: claims use FOR UPDATE SKIP LOCKED.
 */
import type { DbHandle } from "@/server/db/client";
import type { Channels } from "@/server/channels";
import { listenForFlowChanges } from "@/server/db/flow-changes";
import { sweepHistory } from "@/server/db/history";
import { ExecutorCaches } from "./caches";
import { dispatchMessages } from "./dispatch";
import { enrollFromEvents, sweepUntriggeredEvents, type EnrollEvent } from "./enroll";
import { runDueEnrollments, runEnrollmentsNow } from "./runner";
import { sweepTimeTriggers } from "./scheduler";
import { dispatchWebhooks } from "./webhooks";

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

export const WORK_CHANNEL = "tidings_work";
/** The web server announces stored events here when the executor runs out of process. */
export const EVENTS_CHANNEL = "tidings_events";
/** Waits between failed ticks (the database gone, say) grow from the poll interval up to this. */
const MAX_ERROR_BACKOFF_MS = 30_000;

/** While it listens for flow changes, an executor re-reads a workspace's live flows at least this often anyway. */
export const LISTENING_LIVE_TTL_MS = 60_000;

export interface ExecutorOptions {
  handle: DbHandle;
  channels: Channels;
  appUrl: string;
  linkSigningKey: string;
  clock?: Clock;
  pollMs?: number;
  batchSize?: number;
  /** How long a claimed message belongs to this process before another may resend it. */
  leaseMs?: number;
  /** Emails due together that go out in one batch call (default 2); `Infinity` sends each alone. */
  minEmailBatch?: number;
  /** How often time-based triggers are swept (default every 30 s; 0 = every tick). */
  sweepEveryMs?: number;
  /**
   * How often the history sweep runs (months created ahead, expired months dropped); off when
   * left out. The processes built by `createExecutor` run it hourly; one runs at a time.
   */
  historyEveryMs?: number;
  log?: (message: string, error?: unknown) => void;
  /** The HTTP client for flows' webhook calls (default: the global fetch). */
  webhookFetch?: typeof fetch;
}

export interface TickResult {
  steps: number;
  enrollments: number;
  sent: number;
  failedSends: number;
  swept: number;
  /** Webhook call attempts made (sent, retried or failed). */
  webhooks: number;
}

export class Executor {
  private running = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private readonly clock: Clock;
  private lastSweep = Number.NEGATIVE_INFINITY;
  private lastHistorySweep = Number.NEGATIVE_INFINITY;
  /** Another process stored events: enroll them on the next tick instead of after the sweep's grace. */
  private eventsAnnounced = false;
  private heardAt = 0;
  private pingedAt = 0;
  /** Graphs, live flows and split winners this executor keeps between batches. */
  readonly caches = new ExecutorCaches();
  private flowChanges: Promise<(() => Promise<void>) | null> | null = null;

  constructor(private readonly options: ExecutorOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * LISTENs for publishes, pauses and resumes (from any process) before the first cached
   * read, so the live-flow cache is dropped the moment a change commits; then the TTL is
   * only a backstop. Without LISTEN the short TTL stays the only way a change is seen.
   */
  private listenForFlowChanges() {
    this.flowChanges ??= listenForFlowChanges(this.options.handle, (workspaceId) =>
      this.caches.invalidateLiveFlows(workspaceId || undefined),
    ).then(
      (unlisten) => {
        if (this.options.handle.listen) this.caches.liveTtlMs = LISTENING_LIVE_TTL_MS;
        return unlisten;
      },
      (error: unknown) => {
        this.options.log?.("listening for flow changes failed", error);
        return null;
      },
    );
    return this.flowChanges;
  }

  /** Events just stored: enroll, run the first steps and send, without waiting for a poll. */
  async handleEvents(stored: readonly EnrollEvent[]): Promise<TickResult> {
    const { db } = this.options.handle;
    await this.listenForFlowChanges();
    const now = this.clock.now();
    const { enrolled, woken } = await enrollFromEvents(db, stored, now, this.caches);
    const total = emptyTick();
    const ids = [...enrolled, ...woken];
    if (ids.length === 0) return total;
    const run = await runEnrollmentsNow(db, ids, now, this.caches);
    total.steps += run.steps;
    total.enrollments += run.enrollments;
    if (run.queuedMessageIds.length) {
      const sent = await this.dispatch();
      total.sent += sent.sent;
      total.failedSends += sent.failed;
    }
    if (run.queuedWebhookIds.length) total.webhooks += await this.callWebhooks();
    // Other workers may own what follows (e.g. a zero-length wait); let them know.
    await this.options.handle.notify(WORK_CHANNEL).catch(() => {});
    return total;
  }

  /** One pass: due enrollments, then queued messages, then missed events. */
  async tick(): Promise<TickResult> {
    const { db } = this.options.handle;
    await this.listenForFlowChanges();
    const total = emptyTick();
    const now = this.clock.now();
    if (this.eventsAnnounced) {
      this.eventsAnnounced = false;
      // No grace: nobody else handles them. SKIP LOCKED splits them between workers.
      const announced = await sweepUntriggeredEvents(db, now, this.caches, -60_000);
      total.swept += announced.enrolled.length + announced.woken.length;
    }
    const run = await runDueEnrollments(db, {
      now,
      limit: this.options.batchSize ?? 100,
      caches: this.caches,
    });
    total.steps += run.steps;
    total.enrollments += run.enrollments;
    const sent = await this.dispatch();
    total.sent += sent.sent;
    total.failedSends += sent.failed;
    total.webhooks += await this.callWebhooks();
    const swept = await sweepUntriggeredEvents(db, now, this.caches);
    total.swept += swept.enrolled.length + swept.woken.length;
    if (now - this.lastSweep >= (this.options.sweepEveryMs ?? 30_000)) {
      this.lastSweep = now;
      const timed = await sweepTimeTriggers(db, now);
      total.swept += timed.enrolled;
    }
    const historyEvery = this.options.historyEveryMs;
    if (historyEvery !== undefined && now - this.lastHistorySweep >= historyEvery) {
      this.lastHistorySweep = now;
      try {
        await sweepHistory(db, new Date(now));
      } catch (error) {
        this.options.log?.("history sweep failed", error);
      }
    }
    return total;
  }

  /** Ticks until nothing is due (for tests with a fake clock, and for catching up). */
  async drain(maxTicks = 10_000): Promise<TickResult> {
    const total = emptyTick();
    for (let i = 0; i < maxTicks; i++) {
      const t = await this.tick();
      total.steps += t.steps;
      total.enrollments += t.enrollments;
      total.sent += t.sent;
      total.failedSends += t.failedSends;
      total.swept += t.swept;
      total.webhooks += t.webhooks;
      if (t.enrollments === 0 && t.sent === 0 && t.failedSends === 0 && t.swept === 0 && t.webhooks === 0)
        break;
    }
    return total;
  }

  private dispatch() {
    return dispatchMessages(this.options.handle.db, this.options.channels, {
      now: this.clock.now(),
      clock: () => this.clock.now(),
      appUrl: this.options.appUrl,
      linkSigningKey: this.options.linkSigningKey,
      leaseMs: this.options.leaseMs,
      minBatch: this.options.minEmailBatch,
      designs: this.caches.emailDesigns,
      bodyBases: this.caches.emailBodyBases,
      // As many messages per pass as enrollments per claim (WORKER_BATCH): a burst of due
      // emails goes out in several batch calls at once rather than 100 per pass.
      limit: Math.max(100, this.options.batchSize ?? 100),
    });
  }

  /** Sends the webhook calls that are due; answers how many attempts were made. */
  private async callWebhooks(): Promise<number> {
    const r = await dispatchWebhooks(this.options.handle.db, {
      now: this.clock.now(),
      leaseMs: this.options.leaseMs,
      ...(this.options.webhookFetch ? { fetch: this.options.webhookFetch } : {}),
    });
    return r.sent + r.retried + r.failed;
  }

  kick() {
    this.wake?.();
  }

  async start() {
    if (this.running) return;
    this.running = true;
    await this.listenForFlowChanges();
    await this.subscribe();
    this.loop = this.run();
  }

  /** LISTEN on the work and events channels (real Postgres only: on PGlite everything is this process). */
  private async subscribe() {
    const { listen, driver } = this.options.handle;
    if (!listen || driver === "pglite") return;
    const heard = () => {
      this.heardAt = Date.now();
      this.kick();
    };
    const work = await listen(WORK_CHANNEL, heard);
    const events = await listen(EVENTS_CHANNEL, () => {
      this.eventsAnnounced = true;
      heard();
    });
    this.heardAt = Date.now();
    this.unlisten = async () => {
      await work();
      await events();
    };
  }

  /**
   * The driver re-listens after a lost connection, but gives up silently if the database is
   * still down at that moment. So after an outage, and whenever nothing was heard for a while
   * and a ping to ourselves does not come back, listen again.
   */
  private async keepListening(recovered: boolean) {
    // PGlite is in this process: no connection to lose, and its NOTIFY is this process's own.
    if (!this.options.handle.listen || this.options.handle.driver === "pglite") return;
    const t = Date.now();
    const pingLost = this.pingedAt > this.heardAt && t - this.pingedAt > 5_000;
    if (recovered || pingLost) {
      await this.unlisten?.().catch(() => {});
      this.unlisten = null;
      this.pingedAt = 0;
      await this.subscribe();
      // Flow changes come over the same connection: listen again, and read live flows afresh.
      const unlistenFlows = await this.flowChanges;
      this.flowChanges = null;
      await unlistenFlows?.().catch(() => {});
      this.caches.invalidateLiveFlows();
      await this.listenForFlowChanges();
    } else if (t - this.heardAt > 30_000 && this.pingedAt <= this.heardAt) {
      this.pingedAt = t;
      await this.options.handle.notify(WORK_CHANNEL, "ping");
    }
  }

  async stop() {
    this.running = false;
    this.kick();
    await this.loop;
    await this.unlisten?.();
    const unlistenFlows = await this.flowChanges;
    this.flowChanges = null;
    await unlistenFlows?.();
  }

  private async run() {
    const pollMs = this.options.pollMs ?? 1_000;
    let failures = 0;
    while (this.running) {
      let busy = false;
      let wait = pollMs;
      try {
        const t = await this.tick();
        busy = t.enrollments > 0 || t.sent > 0 || t.failedSends > 0 || t.swept > 0 || t.webhooks > 0;
        if (failures > 0) {
          this.options.log?.(`executor back after ${failures} failed tick(s)`);
          await this.keepListening(true);
        } else await this.keepListening(false);
        failures = 0;
      } catch (error) {
        // A deadlock or serialization failure rolled the tick back whole: go again at once.
        if (isTransientConflict(error)) busy = true;
        else {
          // The database restarting or unreachable: the driver reconnects on the next query;
          // wait longer after each failure so a long outage is not a busy loop.
          failures++;
          wait = Math.min(MAX_ERROR_BACKOFF_MS, pollMs * 2 ** Math.min(failures, 10));
          if (failures <= 3 || failures % 10 === 0) this.options.log?.("executor tick failed", error);
          // Announcements may have been lost with the connection: sweep everything when back.
          this.eventsAnnounced = true;
        }
      }
      if (!busy && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }
}

/** Postgres's "try again" errors (deadlock detected, serialization failure), however the driver wraps them. */
export function isTransientConflict(error: unknown): boolean {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === "object" && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (code === "40P01" || code === "40001") return true;
  }
  return false;
}

function emptyTick(): TickResult {
  return { steps: 0, enrollments: 0, sent: 0, failedSends: 0, swept: 0, webhooks: 0 };
}
