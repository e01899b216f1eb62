/**
 * `npm run db:flow-stats`: after editing `server/db/sql/flow-stats.sql`, adds a drizzle-kit
 * custom migration whose SQL is that file, so the database picks up the new counting
 * (`server/db/flow-stats.int.test.ts` fails until it does).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const result = spawnSync("npx", ["drizzle-kit", "generate", "--custom", "--name", "flow_stats_source"], {
  cwd: root,
  encoding: "utf8",
});
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
const file = /drizzle\/\d+_flow_stats_source\.sql/.exec(result.stdout)?.[0];
if (result.status !== 0 || !file) {
  console.error("drizzle-kit did not create the migration.");
  process.exit(1);
}
copyFileSync(path.join(root, "server/db/sql/flow-stats.sql"), path.join(root, file));
console.log(`${file} now applies server/db/sql/flow-stats.sql.`);
