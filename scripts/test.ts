/**
 * `npm test`: every check, in order — type-check, lint, unit tests, integration tests on
 * PGlite and (when TEST_DATABASE_URL is set) on real Postgres, then Playwright e2e in
 * Chromium against a production build. Prints one closing line: "N passed, N failed".
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, existsSync, rmSync } from "node:fs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const only = process.argv.slice(2);
const want = (step: string) => only.length === 0 || only.includes(step);

let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];
mkdirSync("test-results", { recursive: true });

function run(label: string, cmd: string, args: string[], env: Record<string, string> = {}): boolean {
  const started = Date.now();
  console.log(`\n── ${label} ──`);
  const result = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`── ${label}: ${ok ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!ok) failures.push(label);
  return ok;
}

function countVitest(file: string) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}

function vitest(label: string, project: string, out: string, env: Record<string, string> = {}) {
  rmSync(out, { force: true });
  const ok = run(
    label,
    "npx",
    [
      "vitest",
      "run",
      "--project",
      project,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${out}`,
    ],
    env,
  );
  countVitest(out);
  if (!ok && !existsSync(out)) failed++;
}

let built: boolean | undefined;
/** One production build per run: e2e serves it, and so does the cluster test on Postgres. */
function productionBuild(): boolean {
  built ??= run("production build", "npx", ["next", "build"]);
  return built;
}

if (want("typecheck") && !run("type-check", "npx", ["tsc", "--noEmit"])) failed++;
if (want("lint") && !run("lint", "npx", ["eslint", "--max-warnings=0", "."])) failed++;
if (want("format") && !run("format", "npx", ["prettier", "--check", "."])) failed++;
if (want("unit")) vitest("unit tests", "unit", "test-results/unit.json");
if (want("int")) {
  vitest("integration tests · PGlite", "int", "test-results/int-pglite.json", { TEST_DRIVER: "pglite" });
  if (process.env.TEST_DATABASE_URL) {
    // scripts/cluster.int.test.ts starts `npm run cluster`, which serves the production build:
    // build it from these sources first (run alone, the test builds one only when there is none).
    if (want("e2e")) productionBuild();
    vitest("integration tests · Postgres", "int", "test-results/int-postgres.json", {
      TEST_DRIVER: "postgres",
    });
  } else {
    console.log("\n(TEST_DATABASE_URL is not set: integration tests ran on PGlite only)");
  }
}
if (want("e2e")) {
  if (productionBuild()) {
    const out = "test-results/e2e.json";
    rmSync(out, { force: true });
    run("e2e · Chromium", "npx", ["playwright", "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
    if (existsSync(out)) {
      const report = JSON.parse(readFileSync(out, "utf8")) as {
        stats: { expected: number; unexpected: number; flaky: number; skipped: number };
      };
      passed += report.stats.expected + report.stats.flaky;
      failed += report.stats.unexpected;
      skipped += report.stats.skipped;
    } else failed++;
  } else failed++;
}

if (failures.length) console.log(`\nFailed steps: ${failures.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failures.length || failed ? 1 : 0);
