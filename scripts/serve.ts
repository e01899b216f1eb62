/**
 * One production web server on `PORT` (default 3000), started again if it dies (see
 * `scripts/supervise.ts`). It serves the build there is: `npm start` and `npm run cluster`
 * make or refresh it first.
 */
import { supervise } from "./supervise";

const port = process.env.PORT ?? "3000";
supervise("web server", process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port]);
