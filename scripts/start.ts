/**
 * `npm start`: builds the app when the build is missing or stale, then starts it on the
 * embedded default (PGlite in .data/, Outbox, in-process executor, demo shop seeded).
 */
import { ensureBuild } from "./ensure-build";

ensureBuild();
// The server is started again if it dies (see instrumentation.ts: a database driver left in an
// unknown state ends the process with code 70).
await import("./serve");
