/**
 * `npm run bench:executor` — executor figures on local Postgres (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; a scratch database is created and dropped):
 *  1. node-steps per second with 1 and 2 worker processes, and graphile-worker processing the
 *     same number of no-op jobs on the same server, as a ratio;
 *  2. trigger-to-send latency: POST /api/v1/track → the email reaches a local Resend-protocol
 *     server, p50/p99 over 1,000 events, with the executor in the web server process and out
 *     of it (TIDINGS_EXECUTOR=off: the server announces events with NOTIFY, 2 worker processes);
 *  3. claim time with 10k vs 1M waiting (not due) enrollments;
 *  4. a burst: 2,000 order confirmations due at once, sent to the local Resend-protocol server
 *     in batch calls and, for contrast, one call per email: time, calls, and what the calls
 *     cost at Resend's default rate limit (5 requests per second per team).
 *  5. Black Friday: BENCH_BLACK_FRIDAY (20,000) offer emails due at once (one marketing email step,
 *     one design, each customer's name and unsubscribe link filled in), sent by two worker
 *     processes to the local Resend-protocol server, without a rate limit and then with
 *     RESEND_REQUESTS_PER_SECOND (BENCH_RATE, default 5): emails/s, provider calls and their
 *     rate, and the bytes the database grew by per email (pg_total_relation_size of the
 *     message tables, before and after).
 * Sizes: BENCH_ENROLLMENTS (default 10000), BENCH_EVENTS (1000), BENCH_WAITING (1000000),
 * BENCH_BURST (2000). BENCH_ONLY (comma-separated: steps, latency, burst, claim, black-friday)
 * runs only those parts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { and, count, eq, sql } from "drizzle-orm";
import { run as runGraphile, makeWorkerUtils, Logger } from "graphile-worker";
import { openDb } from "@/server/db/client";
import { contacts, enrollments, enrollmentSteps, flows, messages, users } from "@/server/db/schema";
import { withEmailBodies } from "@/server/channels/email-bodies";
import { createWorkspace } from "@/server/workspaces/workspaces";
import { publishFlow } from "@/server/flows/publish";
import { emptyState } from "@/server/engine/facts";
import { getFlowTemplate } from "@/server/engine";
import type { FlowGraph } from "@/server/engine/graph";
import { runDueEnrollments } from "@/server/executor/runner";
import { ExecutorCaches } from "@/server/executor/caches";
import { announceStoredEvents, createExecutor } from "@/server/executor/instance";
import { startFakeResend } from "@/server/testing/fake-resend-server";
import { createResendEmailProvider } from "@/server/channels/email-resend";
import { createChannels } from "@/server/channels";
import { createApiKey } from "@/server/api-keys/api-keys";
import { handleTrack } from "@/server/ingest/handlers";
import { emailCatalog } from "@/emails/catalog";
import { rowsOf } from "@/server/db/rows";
import { onEventsStored } from "@/server/ingest/hooks";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ENROLLMENTS = Number(process.env.BENCH_ENROLLMENTS ?? 10_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000);
const WAITING = Number(process.env.BENCH_WAITING ?? 1_000_000);
const BURST = Number(process.env.BENCH_BURST ?? 2_000);
const BLACK_FRIDAY = Number(process.env.BENCH_BLACK_FRIDAY ?? 20_000);
const BENCH_RATE = Number(process.env.BENCH_RATE ?? 5);
/** Which Black Friday runs: `none`, `limit` or both (default). */
const BLACK_FRIDAY_LIMITS = (process.env.BENCH_BLACK_FRIDAY_RUNS ?? "none,limit")
  .split(",")
  .map((s) => (s.trim() === "limit" ? BENCH_RATE : 0));
const RESEND_REQUESTS_PER_SECOND = 5;
const FIRST_NAMES = ["Maya", "Luca", "Zoë", "O'Brien", "Ana María", "Jean-Luc", "Sam", "Priya"];
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);
const part = (name: string) => ONLY.size === 0 || ONLY.has(name);
const dbName = process.env.BENCH_DB_NAME ?? `tidings_bench_${process.pid}`;
if (!/^[a-z_][a-z0-9_]*$/.test(dbName))
  throw new Error("BENCH_DB_NAME: lower-case letters, digits and _ only");
/** The local Resend-protocol server's port for the Black Friday line (default: any free port). */
const FAKE_PORT = process.env.BENCH_FAKE_PORT ? Number(process.env.BENCH_FAKE_PORT) : undefined;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists ${dbName} with (force)`);
await admin.unsafe(`create database ${dbName}`);
const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).toString();
const handle = await openDb({ url, maxConnections: 8 });
const { db } = handle;
const log = (line: string) => console.log(line);
const children: ChildProcess[] = [];

try {
  const userId = randomUUID();
  await db.insert(users).values({ id: userId, name: "Bench", email: `bench-${userId}@example.com` });
  const workspace = await createWorkspace(db, { name: "Bench shop", ownerUserId: userId });
  log(
    `Tidings executor benchmark — Postgres ${(await admin`show server_version`)[0]?.server_version}, ${process.env.BENCH_NOTE ?? "2 cores"}`,
  );

  // ------------------------------------------------------------------ 1. steps per second
  const stepsFlow = await publish(workspace.id, userId, branchingFlow());
  if (part("steps")) {
    const contactIds = await insertContacts(workspace.id, ENROLLMENTS);
    const results: Record<string, number> = {};
    for (const workers of [1, 2]) {
      const r = await runOurs(workspace.id, stepsFlow, contactIds, workers);
      results[`ours${workers}`] = r.stepsPerSecond;
      log(
        `  executor, ${workers} worker process${workers > 1 ? "es" : ""}: ${r.steps} node-steps in ${r.seconds.toFixed(2)} s = ${Math.round(r.stepsPerSecond)} steps/s`,
      );
    }
    const jobs = ENROLLMENTS * 4;
    const graphile = await runGraphileNoop(jobs);
    log(
      `  graphile-worker 0.16 (1 process, concurrency 8): ${jobs} no-op jobs in ${graphile.seconds.toFixed(2)} s = ${Math.round(graphile.jobsPerSecond)} jobs/s`,
    );
    log(
      `  ratio: 1 worker ${(results.ours1! / graphile.jobsPerSecond).toFixed(2)}× graphile-worker, 2 workers ${(results.ours2! / graphile.jobsPerSecond).toFixed(2)}× (target ≥ 1.0×)`,
    );
  }

  // ------------------------------------------------------------------ 2. trigger-to-send latency
  if (part("latency")) {
    const template = getFlowTemplate("order_confirmation");
    if (!template) throw new Error("order confirmation template missing");
    await publish(workspace.id, userId, template.graph);
    const latency = await measureLatency(workspace.id, "in-process");
    log(
      `  trigger-to-send over ${latency.n} events (POST /api/v1/track → local Resend server): p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms (target p99 ≤ 1000 ms)`,
    );
    const outside = await measureLatency(workspace.id, "workers");
    log(
      `  trigger-to-send, executor out of process (web server NOTIFY + 2 workers) over ${outside.n} events: p50 ${outside.p50.toFixed(1)} ms, p99 ${outside.p99.toFixed(1)} ms, max ${outside.max.toFixed(1)} ms ` +
        `= ${(outside.p99 / latency.p99).toFixed(2)}× the in-process p99 (target ≤ 2×)`,
    );
  }

  // ------------------------------------------------------------------ 5. Black Friday
  if (part("black-friday")) {
    for (const perSecond of BLACK_FRIDAY_LIMITS) {
      const r = await measureBlackFriday(workspace.id, userId, perSecond);
      log(
        `  ${r.emails.toLocaleString("en")} emails due at once with two worker processes, ${perSecond > 0 ? `limit ${perSecond} requests/s` : "no rate limit"}: ` +
          `all sent in ${r.seconds.toFixed(2)} s = ${Math.round(r.emails / r.seconds)} emails/s${perSecond > 0 ? "" : " (target ≥ 1,000)"}, ` +
          `${r.calls.toLocaleString("en")} provider calls at ${r.callsPerSecond.toFixed(2)} requests/s` +
          `${perSecond > 0 ? ` (limit ${perSecond})` : ""}, ` +
          `${Math.round(r.bytesPerEmail).toLocaleString("en")} bytes stored per email (messages, their indexes and rendered_designs); ` +
          `a sent email's columns ${Math.round(r.columns.stored).toLocaleString("en")} bytes vs ${Math.round(r.columns.whole).toLocaleString("en")} bytes stored whole; ` +
          `CPU per email: workers ${r.workerCpuMsPerEmail.toFixed(2)} ms + Postgres ${r.postgresCpuMsPerEmail.toFixed(2)} ms ` +
          `(≈ ${Math.round(1000 / ((r.workerCpuMsPerEmail + r.postgresCpuMsPerEmail) / 2))} emails/s on 2 idle cores)`,
      );
    }
  }

  // ------------------------------------------------------------------ 4. a burst of emails due at once
  // (before the claim runs, which leave a million waiting enrollments behind)
  for (const batched of part("burst") ? [true, false] : []) {
    const burst = await measureBurst(workspace.id, userId, batched);
    const atLimit = burst.calls / RESEND_REQUESTS_PER_SECOND;
    log(
      `  burst of ${burst.emails.toLocaleString("en")} emails due at once, ${batched ? "batch calls" : "one call per email"}: all sent in ${burst.seconds.toFixed(2)} s ` +
        `(${Math.round(burst.emails / burst.seconds)} emails/s), ${burst.calls.toLocaleString("en")} provider calls ` +
        `→ at Resend's default ${RESEND_REQUESTS_PER_SECOND} requests/s the calls alone need ≥ ${atLimit.toFixed(1)} s`,
    );
  }

  // ------------------------------------------------------------------ 3. claim time vs waiting rows
  if (part("claim")) {
    const claim10k = await claimTime(workspace.id, stepsFlow, 10_000);
    log(
      `  claim with ${claim10k.waiting.toLocaleString("en")} waiting: nothing due ${claim10k.idleMs.toFixed(2)} ms, 100 due ${claim10k.dueMs.toFixed(2)} ms (median of 20)`,
    );
    const claim1m = await claimTime(workspace.id, stepsFlow, WAITING);
    log(
      `  claim with ${claim1m.waiting.toLocaleString("en")} waiting: nothing due ${claim1m.idleMs.toFixed(2)} ms, 100 due ${claim1m.dueMs.toFixed(2)} ms (median of 20)`,
    );
  }
} finally {
  for (const c of children) c.kill("SIGKILL");
  await handle.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}

// ====================================================================== helpers

function branchingFlow(): FlowGraph {
  return {
    schema: 1,
    nodes: [
      {
        id: "trigger",
        kind: "trigger",
        position: { x: 0, y: 0 },
        config: { type: "event", event: "Placed Order", filter: null },
      },
      {
        id: "big",
        kind: "condition",
        position: { x: 0, y: 200 },
        config: {
          mode: "if",
          predicate: { type: "property", source: "trigger", path: "value", op: "gt", value: 50 },
        },
      },
      {
        id: "ab",
        kind: "split",
        position: { x: 0, y: 400 },
        config: {
          branches: [
            { id: "a", label: "A", percent: 50 },
            { id: "b", label: "B", percent: 50 },
          ],
        },
      },
      { id: "exit_big", kind: "exit", position: { x: -200, y: 400 }, config: {} },
      { id: "exit_a", kind: "exit", position: { x: -100, y: 600 }, config: {} },
      { id: "exit_b", kind: "exit", position: { x: 100, y: 600 }, config: {} },
    ],
    edges: [
      { id: "e1", source: "trigger", sourceHandle: "next", target: "big" },
      { id: "e2", source: "big", sourceHandle: "yes", target: "exit_big" },
      { id: "e3", source: "big", sourceHandle: "no", target: "ab" },
      { id: "e4", source: "ab", sourceHandle: "a", target: "exit_a" },
      { id: "e5", source: "ab", sourceHandle: "b", target: "exit_b" },
    ],
    settings: {
      goal: null,
      filter: null,
      reentry: { mode: "every_time" },
      entryKey: null,
      smartSendingHours: 0,
      quietHours: { enabled: false, start: "21:00", end: "08:00" },
      attributionDays: 5,
    },
  };
}

async function publish(workspaceId: string, userId: string, graph: FlowGraph) {
  const [flow] = await db
    .insert(flows)
    .values({ workspaceId, name: "Bench", draftGraph: graph, updatedBy: userId })
    .returning();
  const published = await publishFlow(db, { workspaceId, flowId: flow!.id, userId, moveInFlight: false });
  return { flowId: flow!.id, versionId: published.versionId };
}

async function insertContacts(workspaceId: string, n: number, withEmail = false, prefix = "", named = false) {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 2000) {
    const rows = await db
      .insert(contacts)
      .values(
        Array.from({ length: Math.min(2000, n - i) }, (_, k) => ({
          workspaceId,
          externalId: `${prefix}${withEmail ? "lat" : "cus"}_${i + k}`,
          email: withEmail ? `${prefix}buyer${i + k}@example.com` : null,
          emailConsent: "subscribed" as const,
          firstName: named ? FIRST_NAMES[(i + k) % FIRST_NAMES.length]! : null,
        })),
      )
      .returning({ id: contacts.id });
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

async function enroll(
  workspaceId: string,
  flow: { flowId: string; versionId: string },
  contactIds: string[],
  nextRunAt: Date,
  keyPrefix: string,
  properties: (i: number) => Record<string, unknown> = () => ({ value: 20 }),
) {
  for (let i = 0; i < contactIds.length; i += 2000) {
    await db.insert(enrollments).values(
      contactIds.slice(i, i + 2000).map((contactId, k) => ({
        workspaceId,
        flowId: flow.flowId,
        versionId: flow.versionId,
        contactId,
        currentNodeId: "trigger",
        nextRunAt,
        triggerData: {
          eventId: null,
          name: "Placed Order",
          properties: properties(i + k),
          occurredAt: Date.now(),
        },
        occurrenceKey: `${keyPrefix}:${i + k}`,
        state: emptyState(),
      })),
    );
  }
}

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      WORKER_POLL_MS: "50",
      WORKER_BATCH: "200",
      WORKER_CONNECTIONS: "4",
      TIDINGS_EXECUTOR: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve) =>
    child.stdout?.on("data", (d: Buffer) => d.toString().includes("running") && resolve(child)),
  );
}

async function runOurs(
  workspaceId: string,
  flow: { flowId: string; versionId: string },
  contactIds: string[],
  workers: number,
) {
  await db.delete(enrollments).where(eq(enrollments.flowId, flow.flowId));
  const far = new Date(Date.now() + 365 * 86_400_000);
  await enroll(workspaceId, flow, contactIds, far, `w${workers}`);
  const procs = await Promise.all(Array.from({ length: workers }, () => startWorker({})));
  const started = performance.now();
  await db.update(enrollments).set({ nextRunAt: new Date() }).where(eq(enrollments.flowId, flow.flowId));
  await handle.notify("tidings_work");
  for (;;) {
    const [row] = await db
      .select({ n: count() })
      .from(enrollments)
      .where(and(eq(enrollments.flowId, flow.flowId), eq(enrollments.status, "active")));
    if (row?.n === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  for (const p of procs) p.kill("SIGTERM");
  const [steps] = await db
    .select({ n: count() })
    .from(enrollmentSteps)
    .where(eq(enrollmentSteps.flowId, flow.flowId));
  await db.delete(enrollmentSteps).where(eq(enrollmentSteps.flowId, flow.flowId));
  return { steps: steps?.n ?? 0, seconds, stepsPerSecond: (steps?.n ?? 0) / seconds };
}

async function runGraphileNoop(n: number) {
  const utils = await makeWorkerUtils({ connectionString: url, logger: new Logger(() => () => {}) });
  await utils.migrate();
  await utils.release();
  const sqlClient = postgres(url, { max: 1, onnotice: () => {} });
  await sqlClient`select graphile_worker.add_job('noop', '{}'::json) from generate_series(1, ${n})`;
  await sqlClient.end();
  let done = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const started = performance.now();
  const runner = await runGraphile({
    connectionString: url,
    concurrency: 8,
    noHandleSignals: true,
    pollInterval: 50,
    logger: new Logger(() => () => {}),
    taskList: {
      noop: () => {
        if (++done === n) finish();
        return Promise.resolve();
      },
    },
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  return { seconds, jobsPerSecond: n / seconds };
}

/** The order-confirmation flow must be live. `workers`: the web server only announces events; two worker processes send. */
async function measureLatency(workspaceId: string, mode: "in-process" | "workers") {
  const fake = await startFakeResend();
  const prefix = mode === "workers" ? "w_" : "";
  await insertContacts(workspaceId, EVENTS, true, prefix);
  let stop: () => Promise<void>;
  if (mode === "in-process") {
    const channels = {
      ...createChannels({}),
      email: createResendEmailProvider({ apiKey: "re_bench", baseUrl: fake.url }),
    };
    const executor = await createExecutor(handle, { channels, pollMs: 1000 });
    await executor.start();
    const off = onEventsStored((_ws, rows) => {
      void executor.handleEvents(rows);
    });
    stop = async () => {
      off();
      await executor.stop();
    };
  } else {
    const off = announceStoredEvents(handle);
    const env = { RESEND_API_KEY: "re_bench", RESEND_BASE_URL: fake.url, WORKER_POLL_MS: "1000" };
    const procs = await Promise.all([startWorker(env), startWorker(env)]);
    stop = async () => {
      off();
      await Promise.all(
        procs.map((p) => new Promise((resolve) => (p.once("exit", resolve), p.kill("SIGTERM")))),
      );
    };
  }
  const { key } = await createApiKey(db, { workspaceId, name: "bench", kind: "secret" });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      void handleTrack(db, request).then(async (response) => {
        res.writeHead(response.status, { "content-type": "application/json" });
        res.end(await response.text());
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const order = (i: number) => ({
    order_id: `${prefix}ord_${i}`,
    value: 42.5,
    currency: "USD",
    items: [{ product_id: "p1", title: "Tea", price: 21.25, quantity: 2, url: "/p/p1" }],
  });
  const concurrency = 4;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < EVENTS; i = next++) {
        const to = `${prefix}buyer${i}@example.com`;
        sentAt.set(to, Date.now());
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/track`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({
            userId: `${prefix}lat_${i}`,
            event: "Placed Order",
            properties: order(i),
            messageId: `${prefix}lat-${i}`,
          }),
        });
        if (res.status !== 200) throw new Error(`track answered ${res.status}: ${await res.text()}`);
        // Pace like a shop: one event at a time per connection, the next when the email has gone out.
        for (let waited = 0; waited < 5000 && !fake.received().some((e) => e.to.includes(to)); waited += 2)
          await new Promise((r) => setTimeout(r, 2));
      }
    }),
  );
  for (const email of fake.received()) {
    const to = email.to[0] ?? "";
    const start = sentAt.get(to);
    if (start !== undefined) latencies.push(Date.parse(email.createdAt) - start);
  }
  await stop();
  server.close();
  await fake.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  if (latencies.length !== EVENTS) throw new Error(`only ${latencies.length} of ${EVENTS} emails arrived`);
  return { n: latencies.length, p50: pct(50), p99: pct(99), max: latencies[latencies.length - 1] ?? NaN };
}

async function measureBurst(workspaceId: string, userId: string, batched: boolean) {
  const fake = await startFakeResend();
  const template = getFlowTemplate("order_confirmation");
  if (!template) throw new Error("order confirmation template missing");
  const flow = await publish(workspaceId, userId, template.graph);
  const ids = await insertContacts(workspaceId, BURST, true, `burst_${batched ? "b" : "s"}_`);
  const channels = {
    ...createChannels({}),
    email: createResendEmailProvider({ apiKey: "re_bench", baseUrl: fake.url }),
  };
  const executor = await createExecutor(handle, {
    channels,
    minEmailBatch: batched ? undefined : Number.POSITIVE_INFINITY,
  });
  const far = new Date(Date.now() + 365 * 86_400_000);
  const order = (i: number) => ({
    order_id: `burst_${i}`,
    value: 42.5,
    currency: "USD",
    items: [{ product_id: "p1", title: "Tea", price: 21.25, quantity: 2, url: "/p/p1" }],
  });
  await enroll(workspaceId, flow, ids, far, `burst:${batched}`, order);
  const started = performance.now();
  await db.update(enrollments).set({ nextRunAt: new Date() }).where(eq(enrollments.flowId, flow.flowId));
  while (fake.received().length < BURST) {
    const tick = await executor.tick();
    if (tick.enrollments === 0 && tick.sent === 0 && tick.failedSends === 0 && fake.received().length < BURST)
      throw new Error(`only ${fake.received().length} of ${BURST} emails sent`);
  }
  const seconds = (performance.now() - started) / 1000;
  const calls = fake.requests().length;
  const counts = Object.values(fake.countsByTag("message_id"));
  if (counts.length !== BURST || counts.some((n) => n !== 1))
    throw new Error("an email was sent twice or not at all");
  await fake.close();
  return { emails: BURST, seconds, calls };
}

/** The offers flow's send: one marketing email step to every customer, all due in the same minute. */
function offerFlow(): FlowGraph {
  const template = getFlowTemplate("order_confirmation");
  if (!template) throw new Error("order confirmation template missing");
  const graph = structuredClone(template.graph);
  const email = graph.nodes.find((n) => n.kind === "email");
  if (!email) throw new Error("no email step");
  Object.assign(email.config, { ...emailCatalog.seasonal_offer.defaultContent, smartSending: false });
  graph.settings.quietHours = { enabled: false, start: "21:00", end: "08:00" };
  graph.settings.entryKey = null;
  return graph;
}

async function measureBlackFriday(workspaceId: string, userId: string, perSecond: number) {
  const fake = await startFakeResend(FAKE_PORT ? { port: FAKE_PORT } : {});
  const flow = await publish(workspaceId, userId, offerFlow());
  const ids = await insertContacts(workspaceId, BLACK_FRIDAY, true, `bf${perSecond}_`, true);
  const far = new Date(Date.now() + 365 * 86_400_000);
  await enroll(workspaceId, flow, ids, far, `bf:${perSecond}`, () => ({ campaign: "black-friday" }));
  const bytesBefore = await tableBytes();
  const env = {
    RESEND_API_KEY: "re_bench",
    RESEND_BASE_URL: fake.url,
    RESEND_REQUESTS_PER_SECOND: String(perSecond),
    WORKER_BATCH: "500",
  };
  const procs = await Promise.all([startWorker(env), startWorker(env)]);
  const cpuBefore = cpuSeconds(procs);
  const started = performance.now();
  await db.update(enrollments).set({ nextRunAt: new Date() }).where(eq(enrollments.flowId, flow.flowId));
  await handle.notify("tidings_work");
  let last = 0;
  let stalled = performance.now();
  while (fake.received().length < BLACK_FRIDAY) {
    await new Promise((r) => setTimeout(r, 20));
    const n = fake.received().length;
    if (n !== last) {
      last = n;
      stalled = performance.now();
    } else if (performance.now() - stalled > 60_000) {
      const unsent = await db.execute(sql`
        select status, last_error, attempts, next_attempt_at from messages
        where flow_id = ${flow.flowId} and status <> 'sent' limit 5`);
      throw new Error(`only ${n} of ${BLACK_FRIDAY} emails sent; unsent: ${JSON.stringify(rowsOf(unsent))}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds(procs);
  for (const p of procs) p.kill("SIGTERM");
  await Promise.all(procs.map((p) => new Promise((r) => p.once("exit", r))));
  const requests = fake.requests();
  const arrivals = requests.map((r) => r.at).sort((a, b) => a - b);
  const span = (arrivals.at(-1)! - arrivals[0]!) / 1000;
  const counts = Object.values(fake.countsByTag("message_id"));
  if (counts.length !== BLACK_FRIDAY || counts.some((n) => n !== 1))
    throw new Error("an email was sent twice or not at all");
  const bytesAfter = await tableBytes();
  const columns = await contentBytes(flow.flowId);
  await fake.close();
  return {
    columns,
    workerCpuMsPerEmail: ((cpuAfter.workers - cpuBefore.workers) * 1000) / BLACK_FRIDAY,
    postgresCpuMsPerEmail: ((cpuAfter.postgres - cpuBefore.postgres) * 1000) / BLACK_FRIDAY,
    emails: BLACK_FRIDAY,
    seconds,
    calls: requests.length,
    callsPerSecond: span > 0 ? (requests.length - 1) / span : requests.length,
    bytesPerEmail: (bytesAfter - bytesBefore) / BLACK_FRIDAY,
  };
}

/**
 * CPU seconds (user + system) used so far by the worker processes and by this database's
 * Postgres backends (their process title names the database), read from /proc.
 */
function cpuSeconds(workers: ChildProcess[]): { workers: number; postgres: number } {
  const ticks = (pid: number | string) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0;
    }
  };
  let postgresTicks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(` ${dbName} `)) postgresTicks += ticks(pid);
    } catch {
      // gone meanwhile
    }
  }
  const workerTicks = workers.reduce((n, p) => n + (p.pid ? ticks(p.pid) : 0), 0);
  return { workers: workerTicks / 100, postgres: postgresTicks / 100 };
}

/**
 * A sent email's stored columns against the whole email as it used to be stored (the HTML and
 * text in `content`), over a sample of the run's messages (pg_column_size: as stored, compressed).
 */
async function contentBytes(flowId: string) {
  const rows = await withEmailBodies(
    db,
    await db.select().from(messages).where(eq(messages.flowId, flowId)).limit(500),
  );
  const whole = JSON.stringify(rows.map((r) => r.content));
  const ids = JSON.stringify(rows.map((r) => r.id));
  const [sizes] = rowsOf<{ now: string | number; whole: string | number }>(
    await db.execute(sql`
      select
        (select avg(pg_column_size(m.content) + coalesce(pg_column_size(m.body), 0) + coalesce(pg_column_size(m.body_design), 0))
           from messages m where m.id in (select value::uuid from jsonb_array_elements_text(${ids}::jsonb))) as now,
        (select avg(pg_column_size(x.value)) from jsonb_array_elements(${whole}::jsonb) x) as whole`),
  );
  return { stored: Number(sizes?.now ?? 0), whole: Number(sizes?.whole ?? 0) };
}

/** What the message tables take on disk, with their indexes and TOAST. */
async function tableBytes(): Promise<number> {
  const rows = await db.execute(sql`
    select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.relname in ('messages', 'rendered_designs')`);
  const [row] = rowsOf<{ bytes: string | number }>(rows);
  return Number(row?.bytes ?? 0);
}

async function claimTime(workspaceId: string, flow: { flowId: string; versionId: string }, waiting: number) {
  const [existing] = await db
    .select({ n: count() })
    .from(enrollments)
    .where(and(eq(enrollments.status, "active")));
  const missing = waiting - (existing?.n ?? 0);
  if (missing > 0) {
    // One contact, many entries (distinct entry keys), all due in 30 days.
    const [c] = await db
      .insert(contacts)
      .values({ workspaceId, externalId: `waiting_${waiting}` })
      .returning({ id: contacts.id });
    await db.execute(sql`
      insert into enrollments (workspace_id, flow_id, version_id, contact_id, current_node_id, status, next_run_at, trigger_data, entry_key, occurrence_key, state)
      select ${workspaceId}, ${flow.flowId}, ${flow.versionId}, ${c!.id}, 'trigger', 'active', now() + interval '30 days', '{"name":"Placed Order","properties":{},"occurredAt":0,"eventId":null}'::jsonb,
             'k' || g, 'wait:' || ${waiting} || ':' || g, '{"visits":{},"waiting":null}'::jsonb
      from generate_series(1, ${missing}) g`);
    await db.execute(sql`analyze enrollments`);
  }
  const idle: number[] = [];
  const due: number[] = [];
  const caches = new ExecutorCaches();
  for (let i = 0; i < 20; i++) {
    let t0 = performance.now();
    await runDueEnrollments(db, { now: Date.now(), limit: 100, caches });
    idle.push(performance.now() - t0);
    // 100 due rows: time the claim plus their run.
    const ids = await db.execute(
      sql`select id from enrollments where flow_id = ${flow.flowId} and status = 'active' limit 100`,
    );
    const list = (Array.isArray(ids) ? ids : (ids as { rows: unknown[] }).rows) as Array<{ id: string }>;
    await db.execute(
      sql`update enrollments set next_run_at = now() - interval '1 second' where id in ${sql.raw(`(${list.map((r) => `'${r.id}'`).join(",")})`)}`,
    );
    t0 = performance.now();
    await runDueEnrollments(db, { now: Date.now(), limit: 100, caches });
    due.push(performance.now() - t0);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const [total] = await db.select({ n: count() }).from(enrollments).where(eq(enrollments.status, "active"));
  return { waiting: total?.n ?? 0, idleMs: median(idle), dueMs: median(due) };
}
