/**
 * `npm run cluster`: several web servers and several executor workers against one Postgres,
 * on this machine — the shape Tidings runs in on many machines (stateless web servers and
 * workers around one database), small enough to try locally:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tidings npm run cluster
 *
 * - builds the app when the build is missing or stale (as `npm start` does; `CLUSTER_BUILD=missing`
 *   uses any build there is), applies the migrations once, and seeds a fresh database when
 *   `TIDINGS_SEED=auto`;
 * - starts one supervised `next start` per port in `CLUSTER_PORTS` (default `3000,3001`), each
 *   with `TIDINGS_EXECUTOR=off`: a web server stores events and announces them with NOTIFY, it
 *   runs no executor of its own;
 * - starts `CLUSTER_WORKERS` (default 3) `npm run worker` processes (each a supervised
 *   `scripts/worker.ts`), which enroll, run steps and send, splitting the work through
 *   `FOR UPDATE SKIP LOCKED` claims;
 * - prefixes every line of their output with the process it came from, prints the URLs once
 *   every server answers and every worker runs, and stops them all on Ctrl-C or SIGTERM.
 *
 * Each process connects with its own `application_name` (`tidings-web-3000`, `tidings-worker-2`),
 * so `pg_stat_activity` shows who holds what. `APP_URL`, when set, is the public address every
 * web server puts in links (a load balancer in front of them); otherwise each uses its own port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { openDb } from "@/server/db/client";
import { ensureBuild } from "./ensure-build";

const DEFAULT_PORTS = "3000,3001";
const DEFAULT_WORKERS = 3;
/** How long a stopping process gets to finish its work before it is killed. */
const STOP_GRACE_MS = 20_000;
const READY_TIMEOUT_MS = 300_000;

function fail(message: string): never {
  console.error(`npm run cluster: ${message}`);
  process.exit(1);
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl))
  fail(
    "needs DATABASE_URL set to a Postgres database (postgres://…): several processes cannot share the " +
      "embedded PGlite database. Example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/tidings npm run cluster",
  );
const ports = (process.env.CLUSTER_PORTS ?? DEFAULT_PORTS).split(",").map((p) => p.trim());
if (ports.length === 0 || ports.some((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 65_535))
  fail(`CLUSTER_PORTS: comma-separated port numbers, e.g. ${DEFAULT_PORTS}`);
if (new Set(ports).size !== ports.length) fail("CLUSTER_PORTS: each web server needs a port of its own");
const workerCount = Number(process.env.CLUSTER_WORKERS ?? DEFAULT_WORKERS);
if (!Number.isInteger(workerCount) || workerCount < 0 || workerCount > 64)
  fail("CLUSTER_WORKERS: a whole number from 0 to 64");
const buildWhen = process.env.CLUSTER_BUILD ?? "stale";
if (buildWhen !== "stale" && buildWhen !== "missing") fail('CLUSTER_BUILD: "stale" or "missing"');

const shownUrl = (() => {
  const u = new URL(databaseUrl);
  if (u.password) u.password = "***";
  return u.toString();
})();

ensureBuild({ when: buildWhen });

// Migrations (and the seed, when asked) once, before any server or worker starts.
{
  const handle = await openDb({ url: databaseUrl, maxConnections: 2 });
  try {
    if (process.env.TIDINGS_SEED === "auto") {
      const { seedDemoShop } = await import("@/server/seed/demo-shop");
      const result = await seedDemoShop(handle.db, { history: process.env.TIDINGS_SEED_HISTORY !== "off" });
      if (result.created) console.log("[cluster] seeded the demo shop");
    }
  } finally {
    await handle.close();
  }
}

interface Member {
  label: string;
  child: ChildProcess;
  ready: Promise<void>;
}

const members: Member[] = [];
let stopping = false;

function start(label: string, args: string[], env: Record<string, string>, readyLine?: RegExp): Member {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, TIDINGS_SEED: "off" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let heard: () => void = () => {};
  const ready = new Promise<void>((resolve) => (heard = resolve));
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    createInterface({ input: stream }).on("line", (line) => {
      out.write(`[${label}] ${line}\n`);
      if (readyLine?.test(line)) heard();
    });
  }
  child.on("exit", (code, signal) => {
    if (stopping) return;
    // A supervisor restarts its own server or worker: one that ends has been told to, or failed.
    console.error(`[cluster] ${label} exited (${signal ?? `code ${code}`}): stopping the cluster`);
    void stopAll(code === 0 || signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1);
  });
  const member = { label, child, ready };
  members.push(member);
  return member;
}

async function answers(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log("[cluster] stopping every process…");
    await Promise.all(
      members.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill("SIGTERM");
          }),
      ),
    );
    console.log("[cluster] stopped");
  }
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stopAll(0));

const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
const webUrls = ports.map((port) => `http://localhost:${port}`);
const web = ports.map((port) =>
  start(`web ${port}`, ["--import", "tsx", script("serve.ts")], {
    PORT: port,
    APP_URL: process.env.APP_URL ?? `http://localhost:${port}`,
    TIDINGS_EXECUTOR: "off",
    PGAPPNAME: `tidings-web-${port}`,
  }),
);
const workers = Array.from({ length: workerCount }, (_, i) =>
  start(
    `worker ${i + 1}`,
    ["--import", "tsx", script("worker-supervisor.ts")],
    { PGAPPNAME: `tidings-worker-${i + 1}` },
    /\] running$/,
  ),
);

try {
  await Promise.all([
    ...ports.map((port) => answers(`http://127.0.0.1:${port}/api/v1/openapi.json`, READY_TIMEOUT_MS)),
    ...workers.map((w) => w.ready),
  ]);
} catch (error) {
  console.error(`[cluster] ${(error as Error).message}`);
  await stopAll(1);
}
console.log(
  [
    "",
    `  Tidings cluster is up: ${web.length} web server${web.length === 1 ? "" : "s"}, ${workers.length} worker${workers.length === 1 ? "" : "s"}, one Postgres`,
    ...webUrls.map((u, i) => `  Web ${i + 1}:    ${u}  (pid ${web[i]?.child.pid})`),
    `  Workers:  ${workers.map((w) => w.child.pid).join(", ") || "none"} (npm run worker, supervised)`,
    `  Database: ${shownUrl}`,
    `  Executor: in the workers (web servers run with TIDINGS_EXECUTOR=off and announce events with NOTIFY)`,
    "  Ctrl-C stops them all.",
    "",
  ].join("\n"),
);
