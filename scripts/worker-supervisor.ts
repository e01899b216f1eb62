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
import { fileURLToPath } from "node:url";
import { supervise } from "./supervise";

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));
supervise("worker", process.execPath, ["--import", "tsx", WORKER]);
