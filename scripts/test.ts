/**
 * `npm test`: every check — type-check, lint and format (side by side: each is one
 * single-threaded process), then unit tests, integration tests on PGlite and (when
 * TEST_DATABASE_URL is set) on real Postgres, then Playwright e2e in Chromium against a
 * production build. Prints one closing line: "N passed, N failed".
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";

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

/**
 * Starts a step that runs while the next ones do, its output kept in a log file (a pipe would
 * not be read while a blocking step runs) and printed, each line marked, once it ends.
 * Resolves to whether it passed; whether that fails the run is the caller's to decide.
 */
function runInBackground(label: string, cmd: string, args: string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const log = `test-results/${label.replaceAll(/\W+/g, "-")}.log`;
  const fd = openSync(log, "w");
  console.log(`\n── ${label}: started in the background (${log}) ──`);
  const child = spawn(cmd, args, { stdio: ["ignore", fd, fd], env: { ...process.env, ...env } });
  closeSync(fd);
  return new Promise<boolean>((resolve) => {
    let ended = false;
    const done = (ok: boolean) => {
      if (ended) return;
      ended = true;
      const lines = readFileSync(log, "utf8").split("\n").filter(Boolean);
      console.log(`\n── ${label} ──\n${lines.map((line) => `[${label}] ${line}`).join("\n")}`);
      console.log(`── ${label}: ${ok ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve(ok);
    };
    child.on("error", () => done(false));
    child.on("close", (code) => done(code === 0));
  });
}

/**
 * Runs single-threaded steps side by side, each with its output held back and printed whole,
 * in the order given, once it ends. Returns whether each step passed.
 */
async function runTogether(steps: Array<{ label: string; cmd: string; args: string[] }>): Promise<boolean[]> {
  const started = Date.now();
  console.log(`\n── ${steps.map((s) => s.label).join(" · ")}: side by side ──`);
  const running = steps.map(
    ({ label, cmd, args }) =>
      new Promise<{ ok: boolean; output: Buffer[]; seconds: number }>((resolve) => {
        const output: Buffer[] = [];
        const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
        child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
        // A child that cannot start reports "error" and may report "close" after it: the first one counts.
        const done = (ok: boolean) => resolve({ ok, output, seconds: (Date.now() - started) / 1000 });
        child.on("error", (error) => {
          output.push(Buffer.from(`${label}: ${error.message}\n`));
          done(false);
        });
        child.on("close", (code) => done(code === 0));
      }),
  );
  const results: boolean[] = [];
  for (const [i, step] of steps.entries()) {
    const { ok, output, seconds } = await running[i]!;
    console.log(`\n── ${step.label} ──`);
    process.stdout.write(Buffer.concat(output));
    console.log(`── ${step.label}: ${ok ? "ok" : "FAILED"} in ${seconds.toFixed(1)} s`);
    if (!ok) failures.push(step.label);
    results.push(ok);
  }
  console.log(`── side by side: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return results;
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

const checks = [
  { step: "typecheck", label: "type-check", cmd: "npx", args: ["tsc", "--noEmit"] },
  { step: "lint", label: "lint", cmd: "npx", args: ["eslint", "--max-warnings=0", "."] },
  { step: "format", label: "format", cmd: "npx", args: ["prettier", "--check", "."] },
].filter((c) => want(c.step));
if (checks.length) for (const ok of await runTogether(checks)) if (!ok) failed++;

let prepared: Promise<{ built: boolean; seeded: boolean }> | undefined;
/**
 * One production build per run, with the e2e server's database (playwright.config.ts's folder
 * for E2E_PORT) seeded beside it: the seed, its history replay most of all, is one thread of
 * work beside a build that leaves a core idle for much of its run. e2e serves the build, and so
 * does the cluster test on Postgres. Should seeding fail, the e2e server seeds on start.
 */
function prepareE2e() {
  prepared ??= (async () => {
    const port = process.env.E2E_PORT ?? "3100";
    const dataDir = `.data/e2e-${port}`;
    rmSync(dataDir, { recursive: true, force: true });
    const seeding = runInBackground("seed the e2e database", "npx", ["tsx", "scripts/seed.ts"], {
      TIDINGS_DATA_DIR: dataDir,
      TIDINGS_SEED_HISTORY: process.env.E2E_SEED_HISTORY ?? "on",
    });
    const built = run("production build", "npx", ["next", "build"]);
    const seeded = await seeding;
    if (!seeded) rmSync(dataDir, { recursive: true, force: true });
    return { built, seeded };
  })();
  return prepared;
}

if (want("unit")) vitest("unit tests", "unit", "test-results/unit.json");
if (want("int")) {
  vitest("integration tests · PGlite", "int", "test-results/int-pglite.json", { TEST_DRIVER: "pglite" });
  if (process.env.TEST_DATABASE_URL) {
    // scripts/cluster.int.test.ts starts `npm run cluster`, which serves the production build:
    // build it from these sources first (run alone, the test builds one only when there is none).
    if (want("e2e")) await prepareE2e();
    vitest("integration tests · Postgres", "int", "test-results/int-postgres.json", {
      TEST_DRIVER: "postgres",
    });
  } else {
    console.log("\n(TEST_DATABASE_URL is not set: integration tests ran on PGlite only)");
  }
}
if (want("e2e")) {
  const { built, seeded } = await prepareE2e();
  if (built) {
    const out = "test-results/e2e.json";
    rmSync(out, { force: true });
    run("e2e · Chromium", "npx", ["playwright", "test"], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: out,
      E2E_SEEDED: seeded ? "1" : "0",
    });
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
