/**
 * `npm start`: builds the app when the build is missing or stale, then starts it on the
 * embedded default (PGlite in .data/, Outbox, in-process executor, demo shop seeded).
 */
import { spawnSync, execSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { supervise } from "./supervise";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const port = process.env.PORT ?? "3000";
const stampFile = ".next/tidings-build-stamp";

function sourceStamp(): string {
  try {
    const head = execSync("git rev-parse HEAD", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
    const dirty = execSync("git status --porcelain -- app components server emails package.json", {
      stdio: ["ignore", "pipe", "ignore"],
    }).toString();
    return `${head}:${dirty.length === 0 ? "clean" : Date.now()}`;
  } catch {
    return "no-git";
  }
}

const stamp = sourceStamp();
const built =
  existsSync(".next/BUILD_ID") &&
  existsSync(stampFile) &&
  readFileSync(stampFile, "utf8") === stamp &&
  !stamp.includes(":1");
if (!built) {
  console.log("Building Tidings (first start or changed sources)…");
  const result = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stampFile, stamp);
}

// The server is started again if it dies (see instrumentation.ts: a database driver left in an
// unknown state ends the process with code 70).
supervise("web server", process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port]);
