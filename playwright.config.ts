import { defineConfig, devices } from "@playwright/test";
import { existsSync } from "node:fs";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const chromium =
  process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
// The e2e server's PGlite folder (scripts/test.ts seeds the same one).
const dataDir = `.data/e2e-${port}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  outputDir: "test-results/playwright",
  reporter: [
    ["list"],
    ["json", { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? "test-results/e2e.json" }],
  ],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    // A fresh embedded database per run: the server seeds the demo shop on start, unless
    // E2E_SEEDED=1 says the folder was just seeded (`npm test` does it while `next build` runs).
    command: `${process.env.E2E_SEEDED === "1" ? "" : `rm -rf ${dataDir} && `}npx next start -p ${port} -H 127.0.0.1`,
    url: `${baseURL}/sign-in`,
    timeout: 420_000,
    reuseExistingServer: false,
    stdout: "pipe",
    // The demo shop is seeded with its 60-day history replayed (e2e/analytics.spec.ts reads the
    // seeded flows' numbers): the start takes ~50 s instead of ~11 s, more on a busy machine.
    // E2E_SEED_HISTORY=off leaves it out for runs without the analytics specs.
    env: {
      TIDINGS_DATA_DIR: dataDir,
      APP_URL: baseURL,
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      TIDINGS_SIGN_IN_LIMIT: "100",
      TIDINGS_SEED_HISTORY: process.env.E2E_SEED_HISTORY ?? "on",
    },
  },
});
