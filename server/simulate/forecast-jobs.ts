/**
 * Forecasts as jobs. The web server only records a request (`startForecast`); an executor
 * process (the web server's own on the embedded default, or `npm run worker`) claims it with
 * FOR UPDATE SKIP LOCKED, replays the draft over the window — and the live version over the
 * same window when the flow has one — writing its progress about every 5 %, and stops as soon
 * as the row says cancelled. A run keeps the draft revision and the hash of the draft's steps,
 * edges and settings it was computed for: once the draft changes, its result is stale.
 *
 * The replay itself is a parameter (`ForecastRunnerOptions.backtest`), so the job layer can
 * be driven by a controllable replay in tests; the shipped runner uses `backtest`.
 */
import { createHash } from "node:crypto";
import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "@/server/db/client";
import { forecastRuns, flowVersions } from "@/server/db/schema";
import { getFlow } from "@/server/db/queries/flows";
import { validateGraph } from "@/server/engine";
import { behaviourJson } from "@/server/engine/graph-compare";
import { FlowGraph, parseGraph } from "@/server/engine/graph";
import type { Issue } from "@/server/engine/issues";
import { notFound } from "@/server/errors";
import { workspaceCatalog } from "@/server/flows/publish";
import { observedRates, backtest as realBacktest } from "./backtest";
import type { BacktestInput } from "./backtest";
import type { BacktestOptions, BacktestResult, NodeForecast } from "./types";

const DAY = 86_400_000;
export const FORECAST_MAX_DAYS = 90;
export const FORECAST_DEFAULT_DAYS = 30;

export type BacktestFn = (
  db: DbOrTx,
  input: BacktestInput,
  options?: BacktestOptions,
) => Promise<BacktestResult>;

/**
 * What decides a forecast's outcome: the steps, how they are wired, and the flow's settings.
 * Positions on the canvas are left out, so tidying the layout does not make a forecast stale.
 */
export function draftHash(graph: FlowGraph): string {
  return createHash("sha256").update(behaviourJson(graph)).digest("hex").slice(0, 32);
}

// ---------------------------------------------------------------- the stored result

const Counts = z.record(z.string(), z.number());
const StoredNodeForecast = z.looseObject({
  entered: z.number(),
  waiting: z.number(),
  passedOn: z.number(),
  outcomes: Counts.default({}),
  exited: Counts,
  sent: z.number(),
  skipped: Counts,
  conversions: z.number(),
  revenueCents: z.number(),
  estimated: z.boolean(),
});
const StoredBacktest = z.object({
  from: z.number(),
  to: z.number(),
  contacts: z.number(),
  events: z.number(),
  ms: z.number(),
  nodes: z.record(z.string(), StoredNodeForecast),
});
const Rates = z.record(z.string(), z.object({ opened: z.number(), clicked: z.number() }));
const StoredResult = z.object({
  draft: StoredBacktest,
  live: StoredBacktest.nullable(),
  rates: Rates.nullable().default(null),
});

export type ForecastCounts = Omit<BacktestResult, "paths" | "nodes"> & {
  nodes: Record<string, NodeForecast>;
};
/** Per channel, the workspace's observed open and click rates the replay drew engagement from. */
export type ForecastRates = Record<string, { opened: number; clicked: number }>;
export type ForecastResult = {
  draft: ForecastCounts;
  live: ForecastCounts | null;
  rates: ForecastRates | null;
};

function storable(result: BacktestResult): ForecastCounts {
  const { paths: _paths, ...counts } = result;
  return counts;
}

export type ForecastRun = {
  id: string;
  flowId: string;
  status: (typeof forecastRuns.$inferSelect)["status"];
  /** 0..1 */
  progress: number;
  days: number;
  from: number;
  to: number;
  draftRevision: number;
  liveVersionId: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  result: ForecastResult | null;
};

function toRun(row: typeof forecastRuns.$inferSelect): ForecastRun {
  const parsed = row.result ? StoredResult.safeParse(row.result) : null;
  return {
    id: row.id,
    flowId: row.flowId,
    status: row.status,
    progress: row.progress / 1000,
    days: row.days,
    from: row.windowFrom.getTime(),
    to: row.windowTo.getTime(),
    draftRevision: row.draftRevision,
    liveVersionId: row.liveVersionId,
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    result: parsed?.success ? parsed.data : null,
  };
}

// ---------------------------------------------------------------- what the web server does

export type StartForecastResult = { ok: true; run: ForecastRun } | { ok: false; problems: Issue[] };

/**
 * Records a forecast of the flow's current draft over the last `days` days, to be computed
 * by an executor process; a forecast of this flow still queued or running is cancelled (the
 * newest request wins). A draft with problems is not replayed: its problems come back.
 */
export async function startForecast(
  db: Db,
  input: { workspaceId: string; flowId: string; userId: string | null; days: number; now: number },
): Promise<StartForecastResult> {
  const flow = await getFlow(db, input);
  const problems = validateGraph(flow.draftGraph, await workspaceCatalog(db, input.workspaceId));
  const parsed = parseGraph(flow.draftGraph);
  if (problems.length > 0 || !parsed.ok) return { ok: false, problems: parsed.ok ? problems : parsed.issues };
  return db.transaction(async (tx) => {
    await tx
      .update(forecastRuns)
      .set({ status: "cancelled", finishedAt: new Date(input.now), leaseUntil: null })
      .where(
        and(
          eq(forecastRuns.workspaceId, input.workspaceId),
          eq(forecastRuns.flowId, input.flowId),
          inArray(forecastRuns.status, ["queued", "running"]),
        ),
      );
    const [row] = await tx
      .insert(forecastRuns)
      .values({
        workspaceId: input.workspaceId,
        flowId: input.flowId,
        draftRevision: flow.draftRevision,
        draftHash: draftHash(parsed.graph),
        graph: parsed.graph,
        liveVersionId: flow.liveVersionId,
        days: input.days,
        windowFrom: new Date(input.now - input.days * DAY),
        windowTo: new Date(input.now),
        requestedBy: input.userId,
        createdAt: new Date(input.now),
      })
      .returning();
    if (!row) throw new Error("the forecast was not recorded");
    return { ok: true as const, run: toRun(row) };
  });
}

async function getRun(db: DbOrTx, input: { workspaceId: string; runId: string }) {
  const [row] = await db
    .select()
    .from(forecastRuns)
    .where(and(eq(forecastRuns.workspaceId, input.workspaceId), eq(forecastRuns.id, input.runId)));
  if (!row) throw notFound("Forecast");
  return row;
}

export async function forecastStatus(db: DbOrTx, input: { workspaceId: string; runId: string }) {
  return toRun(await getRun(db, input));
}

/** Stops a queued or running forecast; the executor sees it at its next progress mark. */
export async function cancelForecast(
  db: DbOrTx,
  input: { workspaceId: string; runId: string; now: number },
): Promise<ForecastRun> {
  const [row] = await db
    .update(forecastRuns)
    .set({ status: "cancelled", finishedAt: new Date(input.now), leaseUntil: null })
    .where(
      and(
        eq(forecastRuns.workspaceId, input.workspaceId),
        eq(forecastRuns.id, input.runId),
        inArray(forecastRuns.status, ["queued", "running"]),
      ),
    )
    .returning();
  return row ? toRun(row) : forecastStatus(db, input);
}

/**
 * The flow's newest forecast (whatever its status, so a reload shows one still running),
 * with `stale` when the draft's steps, wiring or settings — or the live version it was
 * compared with — changed since it was computed.
 */
export async function latestForecast(db: DbOrTx, input: { workspaceId: string; flowId: string }) {
  const flow = await getFlow(db, input);
  const [row] = await db
    .select()
    .from(forecastRuns)
    .where(and(eq(forecastRuns.workspaceId, input.workspaceId), eq(forecastRuns.flowId, input.flowId)))
    .orderBy(desc(forecastRuns.createdAt), desc(forecastRuns.id))
    .limit(1);
  if (!row)
    return { run: null, graph: null, stale: false, staleBecause: null, draftRevision: flow.draftRevision };
  const parsed = parseGraph(flow.draftGraph);
  const draftChanged = !parsed.ok || draftHash(parsed.graph) !== row.draftHash;
  const liveChanged = (flow.liveVersionId ?? null) !== (row.liveVersionId ?? null);
  const graph = FlowGraph.safeParse(row.graph);
  return {
    run: toRun(row),
    /** The draft as it was replayed: the numbers belong to these steps. */
    graph: graph.success ? graph.data : null,
    stale: draftChanged || liveChanged,
    staleBecause: draftChanged ? ("draft" as const) : liveChanged ? ("live" as const) : null,
    draftRevision: flow.draftRevision,
  };
}

// ---------------------------------------------------------------- what the executor process does

export type ForecastRunnerOptions = {
  backtest?: BacktestFn;
  /** Epoch ms; injected so tests run on a fake clock. */
  now?: () => number;
  /** How long a claimed forecast is held before another process may take it over; renewed at every progress mark. */
  leaseMs?: number;
  log?: (message: string, error?: unknown) => void;
};

class Cancelled extends Error {}

/**
 * Claims the oldest queued forecast (or one whose process died, its lease run out), runs it
 * to the end and stores the result. Answers the run's id, or null when nothing was waiting.
 */
export async function runNextForecast(db: Db, options: ForecastRunnerOptions = {}): Promise<string | null> {
  const now = options.now ?? Date.now;
  const leaseMs = options.leaseMs ?? 60_000;
  const replay = options.backtest ?? realBacktest;
  const claimed = await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(forecastRuns)
      .where(
        or(
          eq(forecastRuns.status, "queued"),
          and(eq(forecastRuns.status, "running"), lt(forecastRuns.leaseUntil, new Date(now()))),
        ),
      )
      .orderBy(forecastRuns.createdAt)
      .limit(1)
      .for("update", { skipLocked: true });
    if (!row) return null;
    await tx
      .update(forecastRuns)
      .set({
        status: "running",
        progress: 0,
        startedAt: new Date(now()),
        leaseUntil: new Date(now() + leaseMs),
      })
      .where(eq(forecastRuns.id, row.id));
    return row;
  });
  if (!claimed) return null;

  const runId = claimed.id;
  const controller = new AbortController();
  let marked = 0;
  let writing: Promise<void> = Promise.resolve();
  /** Writes the progress and renews the lease; a row that says cancelled stops the replay. */
  const mark = (fraction: number) => {
    const permille = Math.max(0, Math.min(1000, Math.floor(fraction * 1000)));
    if (permille < marked + 50 || controller.signal.aborted) return;
    marked = permille - (permille % 50);
    writing = writing.then(async () => {
      const [row] = await db
        .update(forecastRuns)
        .set({ progress: marked, leaseUntil: new Date(now() + leaseMs) })
        .where(and(eq(forecastRuns.id, runId), eq(forecastRuns.status, "running")))
        .returning({ id: forecastRuns.id });
      if (!row) controller.abort(new Cancelled("cancelled"));
    });
  };

  try {
    const graph = FlowGraph.parse(claimed.graph);
    const live = claimed.liveVersionId
      ? await liveGraph(db, claimed.workspaceId, claimed.liveVersionId)
      : null;
    const window = {
      workspaceId: claimed.workspaceId,
      flowId: claimed.flowId,
      from: claimed.windowFrom.getTime(),
      to: claimed.windowTo.getTime(),
    };
    // With a live version the draft is the first half of the work, the live graph the second.
    const share = live ? 0.5 : 1;
    const draft = await replay(
      db,
      { ...window, graph, settings: graph.settings },
      { signal: controller.signal, onProgress: (f) => mark(f * share) },
    );
    await writing;
    if (controller.signal.aborted) throw new Cancelled("cancelled");
    const liveResult = live
      ? await replay(
          db,
          { ...window, graph: live, settings: live.settings },
          { signal: controller.signal, onProgress: (f) => mark(share + f * share) },
        )
      : null;
    await writing;
    if (controller.signal.aborted) throw new Cancelled("cancelled");
    const result: ForecastResult = {
      draft: storable(draft),
      live: liveResult ? storable(liveResult) : null,
      // Steps whose way depends on opens or clicks say which observed rate they used.
      rates: Object.values(draft.nodes).some((n) => n.estimated)
        ? await observedRates(db, claimed.workspaceId, window.to)
        : null,
    };
    await db
      .update(forecastRuns)
      .set({
        status: "done",
        progress: 1000,
        result: result,
        finishedAt: new Date(now()),
        leaseUntil: null,
      })
      .where(and(eq(forecastRuns.id, runId), eq(forecastRuns.status, "running")));
  } catch (error) {
    await writing.catch(() => {});
    if (controller.signal.aborted || error instanceof Cancelled) return runId;
    options.log?.(`forecast ${runId} failed`, error);
    await db
      .update(forecastRuns)
      .set({
        status: "failed",
        error: error instanceof Error ? error.message : String(error),
        finishedAt: new Date(now()),
        leaseUntil: null,
      })
      .where(and(eq(forecastRuns.id, runId), eq(forecastRuns.status, "running")));
  }
  return runId;
}

async function liveGraph(db: DbOrTx, workspaceId: string, versionId: string): Promise<FlowGraph | null> {
  const [row] = await db
    .select({ graph: flowVersions.graph })
    .from(flowVersions)
    .where(and(eq(flowVersions.workspaceId, workspaceId), eq(flowVersions.id, versionId)));
  const parsed = row ? FlowGraph.safeParse(row.graph) : null;
  return parsed?.success ? parsed.data : null;
}

/**
 * The loop an executor process runs beside its executor: one forecast at a time, polling
 * when idle. Forecasts are read-only replays, so a slow one never holds up a send.
 */
export class ForecastRunner {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: ForecastRunnerOptions & { pollMs?: number } = {},
  ) {}

  start() {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  kick() {
    this.wake?.();
  }

  async stop() {
    this.running = false;
    this.kick();
    await this.loop;
  }

  private async run() {
    const pollMs = this.options.pollMs ?? 1_000;
    while (this.running) {
      let busy = false;
      try {
        busy = (await runNextForecast(this.db, this.options)) !== null;
      } catch (error) {
        this.options.log?.("forecast claim failed", error);
      }
      if (!busy && this.running)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      this.wake = null;
    }
  }
}
