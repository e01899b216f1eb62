/**
 * Keeps one child process running: when it exits other than by our own stop, it is started
 * again, backing off from 1 s up to 30 s; the backoff resets once a child has run for a
 * minute. SIGINT/SIGTERM go to the child, which finishes its work and exits; then this exits
 * too. Used by `npm run worker` (an executor process) and `npm start` (the web server, whose
 * in-process executor exits it when the database driver is left in an unknown state).
 */
import { spawn, type ChildProcess } from "node:child_process";

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const HEALTHY_AFTER_MS = 60_000;

export function supervise(label: string, command: string, args: string[]) {
  let child: ChildProcess | null = null;
  let stopping = false;
  let backoff = MIN_BACKOFF_MS;

  function start() {
    const startedAt = Date.now();
    const proc = spawn(command, args, { stdio: "inherit", env: process.env });
    child = proc;
    proc.on("exit", (code, signal) => {
      child = null;
      if (stopping) process.exit(code ?? 0);
      if (Date.now() - startedAt >= HEALTHY_AFTER_MS) backoff = MIN_BACKOFF_MS;
      console.error(
        `[supervisor] ${label} ${proc.pid} exited (${signal ?? `code ${code}`}); starting another in ${backoff / 1000} s`,
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

  console.log(`[supervisor ${process.pid}] supervising the ${label}`);
  start();
}
