/**
 * Forecasts as jobs, against a real database: the builder asks for a forecast, an executor
 * process computes it with progress and can be stopped by Cancel, the result is kept with
 * the draft it was computed for and marked stale once the draft changes. The replay here is
 * a controllable stand-in, so progress and cancel are checked step by step.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import { createContact, storeEvent } from "@/server/testing/flows";
import { forecastRuns } from "@/server/db/schema";
import type { FlowGraph } from "@/server/engine/graph";
import { runNextForecast, type BacktestFn } from "./forecast-jobs";
import type { BacktestResult, NodeForecast } from "./types";

let t: TestDb;
let a: Awaited<ReturnType<typeof createMember>>;
let b: Awaited<ReturnType<typeof createMember>>;

const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDb();
  a = await createMember(t.db, "Alice");
  b = await createMember(t.db, "Bob");
});
afterAll(async () => {
  await t?.close();
});

function node(over: Partial<NodeForecast> = {}): NodeForecast {
  return {
    entered: 0,
    waiting: 0,
    passedOn: 0,
    outcomes: {},
    exited: {},
    sent: 0,
    skipped: {},
    conversions: 0,
    revenueCents: 0,
    estimated: false,
    ...over,
  };
}

/** A replay that reports the graph's steps with `sent` = its number of steps, and records what it was asked. */
function countingReplay(calls: { graph: FlowGraph; from: number; to: number }[]): BacktestFn {
  return async (_db, input, options) => {
    calls.push({ graph: input.graph, from: input.from, to: input.to });
    await new Promise((r) => setImmediate(r));
    for (let i = 1; i <= 10; i++) options?.onProgress?.(i / 10);
    const nodes: Record<string, NodeForecast> = {};
    for (const n of input.graph.nodes) nodes[n.id] = node({ entered: 12, sent: input.graph.nodes.length });
    return {
      from: input.from,
      to: input.to,
      contacts: 12,
      events: 340,
      ms: 5,
      nodes,
    } satisfies BacktestResult;
  };
}

/** A replay that stops at `holdAt` until released, so a test can look at (and cancel) it mid-way. */
function heldReplay(holdAt: number) {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const atHold = new Promise<void>((r) => (reached = r));
  const seen = { aborted: false, lastFraction: 0 };
  const replay: BacktestFn = async (_db, input, options) => {
    for (let i = 1; i <= 100; i++) {
      if (options?.signal?.aborted) {
        seen.aborted = true;
        throw new Error("aborted");
      }
      options?.onProgress?.(i / 100);
      seen.lastFraction = i / 100;
      // Let the progress writes go through, as a replay reading events in chunks does.
      await new Promise((r) => setTimeout(r, 2));
      if (i === holdAt) {
        reached();
        await gate;
      }
    }
    return { from: input.from, to: input.to, contacts: 1, events: 1, ms: 1, nodes: {} };
  };
  return { replay, release, atHold, seen };
}

async function browseFlow(member = a) {
  const flow = await member.caller.flows.createFromTemplate({ templateKey: "browse_abandonment" });
  return (await member.caller.flows.get({ id: flow.id })).id;
}

async function fieldErrors(path: string, input: unknown) {
  const res = await callHttp(t.db, a.user, path, input);
  expect(res.status).toBe(400);
  return res.body.error?.json.data.fieldErrors ?? {};
}

async function expectCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === code);
}

async function progressOf(runId: string) {
  const [row] = await t.db
    .select({ p: forecastRuns.progress })
    .from(forecastRuns)
    .where(eq(forecastRuns.id, runId));
  return row?.p;
}

describe(`the forecast of a draft (${testDriver()})`, () => {
  it("is computed by the executor over the last 30 days by default, and kept with its draft", async () => {
    const flowId = await browseFlow();
    const started = await a.caller.simulate.backtest.start({ flowId });
    if (!started.ok) throw new Error(`problems: ${JSON.stringify(started.problems)}`);
    expect(started.run.status).toBe("queued");
    expect(started.run.days).toBe(30);
    expect(started.run.to - started.run.from).toBe(30 * DAY);

    const calls: { graph: FlowGraph; from: number; to: number }[] = [];
    expect(await runNextForecast(t.db, { backtest: countingReplay(calls) })).toBe(started.run.id);
    expect(calls).toHaveLength(1); // not published: no live version to compare with
    expect(calls[0]).toMatchObject({ from: started.run.from, to: started.run.to });

    const done = await a.caller.simulate.backtest.status({ runId: started.run.id });
    expect(done.status).toBe("done");
    expect(done.progress).toBe(1);
    const draft = done.result?.draft;
    expect(draft?.events).toBe(340);
    const graph = (await a.caller.flows.get({ id: flowId })).draftGraph;
    for (const n of graph.nodes) expect(draft?.nodes[n.id]?.entered).toBe(12);
    expect(done.result?.live).toBeNull();

    const latest = await a.caller.simulate.backtest.latest({ flowId });
    expect(latest.run?.id).toBe(started.run.id);
    expect(latest.stale).toBe(false);
    // Nothing waits any more.
    expect(await runNextForecast(t.db, { backtest: countingReplay([]) })).toBeNull();
  });

  it("writes its progress about every 5 % while it runs", async () => {
    const flowId = await browseFlow();
    const started = await a.caller.simulate.backtest.start({ flowId, days: 7 });
    if (!started.ok) throw new Error("problems");
    const held = heldReplay(43);
    const running = runNextForecast(t.db, { backtest: held.replay });
    await held.atHold;
    // Written at 5 % steps: 40 % by now (43 % is not a step yet).
    await expect.poll(() => progressOf(started.run.id)).toBe(400);
    const mid = await a.caller.simulate.backtest.status({ runId: started.run.id });
    expect(mid.status).toBe("running");
    expect(mid.progress).toBe(0.4);
    held.release();
    await running;
    expect((await a.caller.simulate.backtest.status({ runId: started.run.id })).status).toBe("done");
  });

  it("stops when the marketer cancels it, and keeps no result", async () => {
    const flowId = await browseFlow();
    const started = await a.caller.simulate.backtest.start({ flowId });
    if (!started.ok) throw new Error("problems");
    const held = heldReplay(30);
    const running = runNextForecast(t.db, { backtest: held.replay });
    await held.atHold;
    const cancelled = await a.caller.simulate.backtest.cancel({ runId: started.run.id });
    expect(cancelled.status).toBe("cancelled");
    held.release();
    await running;
    // The replay saw the cancel at its next progress mark and stopped there.
    expect(held.seen.aborted).toBe(true);
    expect(held.seen.lastFraction).toBeLessThan(0.5);
    const after = await a.caller.simulate.backtest.status({ runId: started.run.id });
    expect(after.status).toBe("cancelled");
    expect(after.result).toBeNull();
    // Cancelling again, or a finished run, changes nothing.
    expect((await a.caller.simulate.backtest.cancel({ runId: started.run.id })).status).toBe("cancelled");
  });

  it("a cancelled forecast that was still queued is never run", async () => {
    const flowId = await browseFlow();
    const started = await a.caller.simulate.backtest.start({ flowId });
    if (!started.ok) throw new Error("problems");
    await a.caller.simulate.backtest.cancel({ runId: started.run.id });
    const calls: { graph: FlowGraph; from: number; to: number }[] = [];
    expect(await runNextForecast(t.db, { backtest: countingReplay(calls) })).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it("a new request replaces the one still waiting for the same flow", async () => {
    const flowId = await browseFlow();
    const first = await a.caller.simulate.backtest.start({ flowId, days: 7 });
    const second = await a.caller.simulate.backtest.start({ flowId, days: 60 });
    if (!first.ok || !second.ok) throw new Error("problems");
    expect((await a.caller.simulate.backtest.status({ runId: first.run.id })).status).toBe("cancelled");
    const calls: { graph: FlowGraph; from: number; to: number }[] = [];
    expect(await runNextForecast(t.db, { backtest: countingReplay(calls) })).toBe(second.run.id);
    expect(calls[0]!.to - calls[0]!.from).toBe(60 * DAY);
  });

  it("is marked stale once a wait of the draft changes, not when a step is only moved", async () => {
    const flowId = await browseFlow();
    const started = await a.caller.simulate.backtest.start({ flowId });
    if (!started.ok) throw new Error("problems");
    await runNextForecast(t.db, { backtest: countingReplay([]) });
    const flow = await a.caller.flows.get({ id: flowId });
    const moved = {
      ...flow.draftGraph,
      nodes: flow.draftGraph.nodes.map((n) => ({
        ...n,
        position: { x: n.position.x + 40, y: n.position.y },
      })),
    };
    const saved = await a.caller.flows.saveDraft({
      id: flowId,
      graph: moved,
      baseRevision: flow.draftRevision,
    });
    expect((await a.caller.simulate.backtest.latest({ flowId })).stale).toBe(false);

    const wait = moved.nodes.find((n) => n.kind === "wait");
    const config = wait?.kind === "wait" ? wait.config : null;
    if (!wait || config?.mode !== "duration") throw new Error("the template has a duration wait");
    const longer = {
      ...moved,
      nodes: moved.nodes.map((n) =>
        n.id === wait.id ? { ...n, config: { ...config, amount: config.amount + 1 } } : n,
      ),
    };
    await a.caller.flows.saveDraft({ id: flowId, graph: longer, baseRevision: saved.draftRevision });
    const latest = await a.caller.simulate.backtest.latest({ flowId });
    expect(latest.stale).toBe(true);
    expect(latest.staleBecause).toBe("draft");
    expect(latest.run?.id).toBe(started.run.id);
  });

  it("also replays the live version over the same window, to show the difference", async () => {
    const flowId = await browseFlow();
    await a.caller.flows.publish({ id: flowId });
    const started = await a.caller.simulate.backtest.start({ flowId, days: 14 });
    if (!started.ok) throw new Error("problems");
    expect(started.run.liveVersionId).not.toBeNull();
    const calls: { graph: FlowGraph; from: number; to: number }[] = [];
    await runNextForecast(t.db, { backtest: countingReplay(calls) });
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ from: calls[0]!.from, to: calls[0]!.to });
    const done = await a.caller.simulate.backtest.status({ runId: started.run.id });
    expect(done.result?.live).not.toBeNull();
    expect(Object.keys(done.result?.live?.nodes ?? {})).toEqual(Object.keys(done.result?.draft.nodes ?? {}));
  });

  it("with the shop's real events: shoppers who browsed would get the email, the one checking out exits", async () => {
    const c = await createMember(t.db, "Carla");
    const now = Date.now();
    const shoppers = await Promise.all(
      ["Ana", "Ben", "Cy"].map((firstName) => createContact(t.db, c.workspace.id, { firstName })),
    );
    for (const [i, s] of shoppers.entries())
      await storeEvent(t.db, {
        workspaceId: c.workspace.id,
        contactId: s.id,
        name: "Viewed Product",
        properties: { product_id: `p${i}`, title: "Ethiopia Guji", time_on_page: 90 },
        at: now - 5 * DAY + i * 60_000,
      });
    await storeEvent(t.db, {
      workspaceId: c.workspace.id,
      contactId: shoppers[2]!.id,
      name: "Started Checkout",
      properties: { cart_id: "c1", value: 18 },
      at: now - 5 * DAY + 30 * 60_000,
    });
    const flowId = await browseFlow(c);
    const started = await c.caller.simulate.backtest.start({ flowId, days: 7 });
    if (!started.ok) throw new Error(`problems: ${JSON.stringify(started.problems)}`);
    // The shipped runner replays with the real backtest.
    expect(await runNextForecast(t.db)).toBe(started.run.id);
    const done = await c.caller.simulate.backtest.status({ runId: started.run.id });
    expect(done.status).toBe("done");
    const nodes = done.result!.draft.nodes;
    expect(nodes.trigger?.entered).toBe(3);
    expect(nodes.checking_out?.outcomes).toMatchObject({ yes: 1, no: 2 });
    expect(nodes.browse_email?.sent).toBe(2);
    expect(nodes.exit_checkout?.entered).toBe(1);
    expect(done.result!.draft.events).toBeGreaterThanOrEqual(4);
  });

  it("records a failed replay with its reason", async () => {
    const flowId = await browseFlow();
    const started = await a.caller.simulate.backtest.start({ flowId });
    if (!started.ok) throw new Error("problems");
    await runNextForecast(t.db, {
      backtest: () => Promise.reject(new Error("the events could not be read")),
    });
    const failed = await a.caller.simulate.backtest.status({ runId: started.run.id });
    expect(failed.status).toBe("failed");
    expect(failed.error).toBe("the events could not be read");
  });

  it("lists a draft's problems instead of starting a forecast", async () => {
    const flow = await a.caller.flows.create({ name: "Half-built" });
    const result = await a.caller.simulate.backtest.start({ flowId: flow.id });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.code)).toContain("no_trigger");
    const [row] = await t.db.select().from(forecastRuns).where(eq(forecastRuns.flowId, flow.id));
    expect(row).toBeUndefined();
  });

  it("refuses a window over 90 days or under 1, naming days, and ids that are not ids", async () => {
    const flowId = await browseFlow();
    expect(Object.keys(await fieldErrors("simulate.backtest.start", { flowId, days: 91 }))).toEqual(["days"]);
    expect(Object.keys(await fieldErrors("simulate.backtest.start", { flowId, days: 0 }))).toEqual(["days"]);
    expect(Object.keys(await fieldErrors("simulate.backtest.start", { flowId, days: 2.5 }))).toEqual([
      "days",
    ]);
    expect(Object.keys(await fieldErrors("simulate.backtest.start", { flowId: "cart" }))).toEqual(["flowId"]);
    expect(Object.keys(await fieldErrors("simulate.backtest.cancel", { runId: "r1" }))).toEqual(["runId"]);
  });

  it("is scoped to the workspace: another shop's flow and forecasts are not found", async () => {
    const flowId = await browseFlow();
    const started = await a.caller.simulate.backtest.start({ flowId });
    if (!started.ok) throw new Error("problems");
    await expectCode(b.caller.simulate.backtest.start({ flowId }), "NOT_FOUND");
    await expectCode(b.caller.simulate.backtest.status({ runId: started.run.id }), "NOT_FOUND");
    await expectCode(b.caller.simulate.backtest.cancel({ runId: started.run.id }), "NOT_FOUND");
    await expectCode(b.caller.simulate.backtest.latest({ flowId }), "NOT_FOUND");
    expect((await a.caller.simulate.backtest.status({ runId: started.run.id })).status).toBe("queued");
    await a.caller.simulate.backtest.cancel({ runId: started.run.id });
  });
});
