/**
 * The production build `npm start` and `npm run cluster` serve: built when it is missing or
 * when the sources changed since it was made (a stamp of the commit and the working tree's
 * changes is kept beside it); `when: "missing"` builds only when there is none at all.
 */
import { spawnSync, execSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

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

export function ensureBuild(options: { when?: "stale" | "missing" } = {}) {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  const stampFile = path.join(distDir, "tidings-build-stamp");
  const present = existsSync(path.join(distDir, "BUILD_ID"));
  if (options.when === "missing" && present) return;
  const stamp = sourceStamp();
  const built =
    present && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp && !stamp.includes(":1");
  if (built) return;
  console.log("Building Tidings (first start or changed sources)…");
  const result = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stampFile, stamp);
}
