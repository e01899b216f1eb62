import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "server/testing/server-only-stub.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["**/*.test.ts", "**/*.test.tsx"],
          exclude: ["**/*.int.test.ts", "node_modules/**", "e2e/**", ".next/**"],
          environment: "node",
          // Property tests run hundreds of cases: room for a busy 2-core machine.
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "int",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", ".next/**"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ["server/testing/global-setup.ts"],
          // PGlite instances weigh ~320 MB each; keep parallelism modest on 2 cores.
          maxWorkers: 2,
        },
      },
    ],
  },
});
