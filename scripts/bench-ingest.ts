/**
 * `npm run bench:ingest` — throughput and latency of the ingest API.
 *
 * Self-contained: opens a fresh database (PGlite in a temp folder, or `DATABASE_URL`),
 * creates a workspace with an API key, starts an in-process Node HTTP server that routes to
 * the same handler functions as the Next.js route files, and drives it over real HTTP from a
 * child process (so the load generator's CPU is not the server's). It measures
 *   - events per second through POST /api/v1/batch (100 batches × 100 events, concurrency 8)
 *   - p50 / p99 latency of 1,000 single POST /api/v1/track calls (concurrency 4).
 * Targets: ≥ 5,000 events/s and p99 < 50 ms.
 *
 * Options (env): BENCH_BATCHES, BENCH_BATCH_SIZE, BENCH_BATCH_CONCURRENCY, BENCH_TRACKS, BENCH_TRACK_CONCURRENCY,
 * BENCH_PGLITE=memory (PGlite in memory instead of a folder on disk).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Db } from "@/server/db/client";

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const BATCHES = num("BENCH_BATCHES", 100);
const BATCH_SIZE = num("BENCH_BATCH_SIZE", 100);
const BATCH_CONCURRENCY = num("BENCH_BATCH_CONCURRENCY", 8);
const TRACKS = num("BENCH_TRACKS", 1000);
const TRACK_CONCURRENCY = num("BENCH_TRACK_CONCURRENCY", 4);
const CUSTOMERS = 2000;

type Handler = (db: Db, req: Request) => Promise<Response>;

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  });
}

async function send(res: ServerResponse, response: Response) {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

function startServer(
  db: Db,
  routes: Record<string, Handler>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      const route = routes[new URL(req.url ?? "/", "http://x").pathname];
      if (!route || req.method !== "POST") return send(res, new Response("not found", { status: 404 }));
      await send(res, await route(db, await toRequest(req, "http://bench.local")));
    })().catch((error: unknown) => {
      console.error(error);
      res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    }),
  );
}

// ---------------------------------------------------------------- traffic

const PRODUCTS = ["cof-ethiopia", "cof-kenya", "tea-chai", "gear-kettle", "mug-travel", "acc-filters"];
let seq = 0;
function shopEvent(): Record<string, unknown> {
  const n = seq++;
  const userId = `cus_${n % CUSTOMERS}`;
  const product_id = PRODUCTS[n % PRODUCTS.length]!;
  const item = {
    product_id,
    title: `Product ${product_id}`,
    price: 18.9,
    quantity: 1 + (n % 3),
    category: "Coffee",
    url: `/products/${product_id}`,
  };
  const kind = n % 10;
  const base = {
    type: "track",
    userId,
    messageId: `bench-${n}-${randomUUID()}`,
    timestamp: new Date(Date.now() - (n % 1000) * 1000).toISOString(),
    context: { timezone: "America/New_York" },
  };
  if (kind < 6) return { ...base, event: "Viewed Product", properties: { ...item, quantity: undefined } };
  if (kind < 8)
    return { ...base, event: "Added to Cart", properties: { cart_id: `cart_${n % 500}`, ...item } };
  if (kind < 9)
    return {
      ...base,
      event: "Started Checkout",
      properties: {
        cart_id: `cart_${n % 500}`,
        items: [item, item],
        value: 56.7,
        currency: "USD",
        checkout_url: "/checkout/x",
      },
    };
  return {
    ...base,
    event: "Placed Order",
    properties: {
      order_id: `ord_${n}`,
      cart_id: `cart_${n % 500}`,
      items: [item],
      value: 18.9,
      currency: "USD",
    },
  };
}

async function post(url: string, key: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

// ---------------------------------------------------------------- load generator (child process)

interface Job {
  url: string;
  key: string;
  phase: "warm-up" | "batch" | "track";
}

interface JobResult {
  seconds: number;
  refused: number;
  latencies: number[];
}

async function runJob({ url, key, phase }: Job): Promise<JobResult> {
  if (phase === "warm-up") {
    await pool(20, 4, () =>
      post(`${url}/api/v1/batch`, key, { batch: Array.from({ length: 20 }, shopEvent) }),
    );
    await pool(50, 4, () => post(`${url}/api/v1/track`, key, shopEvent()));
    return { seconds: 0, refused: 0, latencies: [] };
  }
  if (phase === "batch") {
    const bodies = Array.from({ length: BATCHES }, () => ({
      batch: Array.from({ length: BATCH_SIZE }, shopEvent),
    }));
    let refused = 0;
    const started = performance.now();
    await pool(BATCHES, BATCH_CONCURRENCY, async (i) => {
      const res = await post(`${url}/api/v1/batch`, key, bodies[i]);
      if (res.status !== 200) refused += BATCH_SIZE;
      else
        refused += (JSON.parse(res.text) as { results: Array<{ ok: boolean }> }).results.filter(
          (r) => !r.ok,
        ).length;
    });
    return { seconds: (performance.now() - started) / 1000, refused, latencies: [] };
  }
  const tracks = Array.from({ length: TRACKS }, shopEvent);
  const latencies: number[] = [];
  let refused = 0;
  const started = performance.now();
  await pool(TRACKS, TRACK_CONCURRENCY, async (i) => {
    const t0 = performance.now();
    const res = await post(`${url}/api/v1/track`, key, tracks[i]);
    latencies.push(performance.now() - t0);
    if (res.status !== 200) refused++;
  });
  return { seconds: (performance.now() - started) / 1000, refused, latencies };
}

function inClient(client: ChildProcess, job: Job): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    client.once("message", (result) => resolve(result as JobResult));
    client.once("exit", (code) => reject(new Error(`load generator exited with ${code}`)));
    client.send(job);
  });
}

/** CPU time this process used while `run` ran, in ms (PGlite's engine included); `system` is kernel time (sockets, files). */
async function cpuMs<T>(run: () => Promise<T>): Promise<{ result: T; cpu: number; system: number }> {
  const before = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(before);
  return { result, cpu: (used.user + used.system) / 1000, system: used.system / 1000 };
}

// ---------------------------------------------------------------- main

async function main() {
  const { openDb } = await import("@/server/db/client");
  const { users } = await import("@/server/db/schema");
  const { createWorkspace } = await import("@/server/workspaces/workspaces");
  const { createApiKey } = await import("@/server/api-keys/api-keys");
  const { handleBatch, handleIdentify, handleTrack } = await import("@/server/ingest/handlers");

  const url = process.env.DATABASE_URL || undefined;
  const dir = url ? null : mkdtempSync(path.join(os.tmpdir(), "tidings-bench-"));
  const opened = Date.now();
  const inMemory = process.env.BENCH_PGLITE === "memory";
  const handle = await openDb(
    url ? { url, maxConnections: 10 } : { dataDir: inMemory ? "memory://" : path.join(dir!, "pglite") },
  );
  const driver = url
    ? `Postgres (${new URL(url).pathname.slice(1)})`
    : inMemory
      ? "PGlite (in memory)"
      : "PGlite (fresh folder on disk)";
  console.log(
    `Database: ${driver}, ready in ${((Date.now() - opened) / 1000).toFixed(1)} s; Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}`,
  );

  const userId = randomUUID();
  await handle.db.insert(users).values({ id: userId, name: "Bench", email: `bench-${userId}@example.com` });
  const workspace = await createWorkspace(handle.db, { name: "Bench shop", ownerUserId: userId });
  const { key } = await createApiKey(handle.db, { workspaceId: workspace.id, name: "bench", kind: "secret" });
  const server = await startServer(handle.db, {
    "/api/v1/track": handleTrack,
    "/api/v1/identify": handleIdentify,
    "/api/v1/batch": handleBatch,
  });
  // The load generator is this same file in a child process.
  const client = fork(fileURLToPath(import.meta.url), ["--load-generator"], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });

  try {
    await inClient(client, { url: server.url, key, phase: "warm-up" });
    const {
      result: batch,
      cpu: batchCpuMs,
      system: batchSystemMs,
    } = await cpuMs(() => inClient(client, { url: server.url, key, phase: "batch" }));
    const {
      result: track,
      cpu: trackCpuMs,
      system: trackSystemMs,
    } = await cpuMs(() => inClient(client, { url: server.url, key, phase: "track" }));

    const eventsPerSecond = (BATCHES * BATCH_SIZE) / batch.seconds;
    const latencies = track.latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");
    console.log("");
    console.log(
      `batch   ${BATCHES} × ${BATCH_SIZE} events, concurrency ${BATCH_CONCURRENCY}: ${(BATCHES * BATCH_SIZE).toLocaleString("en")} events in ${batch.seconds.toFixed(2)} s`,
    );
    console.log(
      `        → ${Math.round(eventsPerSecond).toLocaleString("en")} events/s  (target ≥ 5,000: ${verdict(eventsPerSecond >= 5000)})${batch.refused ? `, ${batch.refused} refused` : ""}`,
    );
    console.log(
      `track   ${TRACKS} calls, concurrency ${TRACK_CONCURRENCY}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms (${Math.round(TRACKS / track.seconds)} req/s)`,
    );
    console.log(
      `        → p99 target < 50 ms: ${verdict(p99 < 50)}${track.refused ? `, ${track.refused} refused` : ""}`,
    );
    console.log(
      `server  CPU ${((batchCpuMs / (BATCHES * BATCH_SIZE)) * 1000).toFixed(0)} µs per batched event (${Math.round((100 * batchSystemMs) / batchCpuMs)}% kernel), ${(trackCpuMs / TRACKS).toFixed(2)} ms per /track call (${Math.round((100 * trackSystemMs) / trackCpuMs)}% kernel); ${url ? "Node process only, Postgres runs in its own" : "PGlite included"}; load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`,
    );
  } finally {
    client.kill();
    await server.close();
    await handle.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes("--load-generator")) {
  process.on("message", (job: Job) => {
    void runJob(job).then((result) => process.send?.(result));
  });
  process.on("disconnect", () => process.exit(0));
} else {
  await main();
}
