/**
 * `npm run worker`: runs one executor process (`scripts/worker.ts`) and starts it again when
 * it dies — a worker exits non-zero when the database driver throws outside any query (a
 * Postgres restart can do that) or when it cannot reach the database at start. Restarts back
 * off from 1 s up to 30 s, and the backoff resets once a worker has run for a minute.
 * SIGINT/SIGTERM go to the worker, which finishes its tick and exits; then this exits too.
 *
 * Under systemd or another process manager you may run `scripts/worker.ts` directly with the
 * manager's restart policy instead (see the README).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));
const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const HEALTHY_AFTER_MS = 60_000;

let child: ChildProcess | null = null;
let stopping = false;
let backoff = MIN_BACKOFF_MS;

function start() {
  const startedAt = Date.now();
  const worker = spawn(process.execPath, ["--import", "tsx", WORKER], { stdio: "inherit", env: process.env });
  child = worker;
  worker.on("exit", (code, signal) => {
    child = null;
    if (stopping) process.exit(code ?? 0);
    if (Date.now() - startedAt >= HEALTHY_AFTER_MS) backoff = MIN_BACKOFF_MS;
    console.error(
      `[supervisor] worker ${worker.pid} exited (${signal ?? `code ${code}`}); starting another in ${backoff / 1000} s`,
    );
    setTimeout(start, backoff);
    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
  });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopping = true;
    if (child) child.kill(signal);
    else process.exit(0);
  });
}

console.log(`[supervisor ${process.pid}] supervising ${path.relative(process.cwd(), WORKER)}`);
start();
