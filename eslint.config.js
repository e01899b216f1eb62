import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import drizzle from "eslint-plugin-drizzle";
import globals from "globals";
import prettier from "eslint-config-prettier";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

/**
 * The server's parts in dependency order: each may import only the parts listed before it,
 * so no two parts import each other in a circle (shared reads go to `server/db/queries`,
 * cross-part signals through the database, e.g. `server/db/flow-changes.ts`). `engine`,
 * `errors` and `env` are single files or pure code at the bottom; `api` sits on top.
 * Composition roots (`server/boot.ts`, `scripts/`, `app/`) and tests may import any part.
 */
const SERVER_LAYERS = [
  "engine",
  "errors",
  "http",
  "env",
  "db",
  "workspaces",
  "api-keys",
  "coupons",
  "channels",
  "flows",
  "analytics",
  "messages",
  "auth",
  "ingest",
  "contacts",
  "outbox",
  "executor",
  "simulate",
  "store",
  "seed",
  "api",
];
const TESTS = ["**/*.test.ts", "**/*.test.tsx"];

/** What a file `depth` folders below server/engine may import: its own files and pure libraries (zod, luxon, rrule). */
function engineImports({ depth }) {
  const message =
    "server/engine is pure: it imports only its own files and pure libraries (zod, luxon, rrule).";
  const own = depth === 0 ? String.raw`\./` : String.raw`\.\.?/(?!\.\./)`;
  return [
    {
      regex: String.raw`^(?!(zod|luxon|rrule|vitest|fast-check)(/|$)|@/server/engine(/|$)|${own})`,
      message,
    },
  ];
}

function layerRule(part, index) {
  const above = SERVER_LAYERS.slice(index + 1);
  return {
    files: [`server/${part}/**/*.ts`, `server/${part}/**/*.tsx`, `server/${part}.ts`],
    ignores: TESTS,
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: above.flatMap((other) => [`@/server/${other}`, `@/server/${other}/**`]),
              message: `server/${part} may import only the parts below it (${SERVER_LAYERS.slice(0, index).join(", ") || "none"}); read shared data through server/db/queries and signal through the database instead. See SERVER_LAYERS in eslint.config.js.`,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      ".next-*/**",
      "node_modules/**",
      ".data/**",
      "drizzle/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    plugins: { "react-hooks": reactHooks, drizzle },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/only-throw-error": "off",
    },
  },
  {
    // No import cycles between files (type-only imports are erased and do not count).
    files: ["**/*.ts", "**/*.tsx"],
    ignores: TESTS,
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  // (the top layer, `api`, has nothing above it to forbid)
  ...SERVER_LAYERS.slice(1, -1).map((part, i) => layerRule(part, i + 1)),
  {
    // The UI imports from the server only types, and the pure engine it shares (validator, node kinds).
    files: ["components/**/*.ts", "components/**/*.tsx", "emails/**/*.ts", "emails/**/*.tsx"],
    ignores: TESTS,
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@/server/(?!engine(/|$))",
              allowTypeImports: true,
              message:
                "The UI imports only types from the server (`import type`), apart from the pure server/engine; data comes through tRPC.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
  {
    // The engine is pure: it imports its own files, zod and luxon (vitest and fast-check in its tests).
    files: ["server/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: engineImports({ depth: 1 }) }],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "Inject the clock." },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Inject the clock." },
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: "Randomness comes in as a seed.",
        },
      ],
    },
  },
  {
    // Its top-level files: "../" already leaves the engine.
    files: ["server/engine/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: engineImports({ depth: 0 }) }] },
  },
);
