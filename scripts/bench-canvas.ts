/**
 * `npm run bench:canvas` — opens a generated 500-step flow in the real builder in Chromium and
 * prints how long it takes to render and fit, and the frame times while panning.
 *
 * Builds the app into its own dist dir (BENCH_DIST_DIR, default .next-bench; reused when
 * present, BENCH_BUILD=1 rebuilds), starts `next start` on BENCH_PORT (3210) with a fresh
 * embedded database and no demo seed, signs up a marketer, saves the flow through the API,
 * then measures in the page:
 *   - first render: navigation start → all cards in the DOM; ready: → measured and placed;
 *   - fit view: clicking "Fit view" → the whole flow on screen;
 *   - panning: mouse-drag pans at the fitted zoom (all 500 cards visible) and at 100 %,
 *     frame intervals from requestAnimationFrame (mean, p95, max) and frames over 50 ms.
 * Sizes: BENCH_NODES (500). Chromium: CHROMIUM_PATH or /usr/bin/chromium. BENCH_WEBPACK=1 builds
 * with webpack (a git worktree whose node_modules is a link to another checkout).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { chromium, type CDPSession, type Page } from "@playwright/test";
import { layoutGraph } from "@/components/builder/layout";
import { validateGraph, type FlowGraph } from "@/server/engine";
import { defaultSettings } from "@/server/engine/settings";

const ROOT = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.BENCH_PORT ?? 3210);
const DIST = process.env.BENCH_DIST_DIR ?? ".next-bench";
const NODES = Number(process.env.BENCH_NODES ?? 500);
const BASE = `http://127.0.0.1:${PORT}`;
const DATA = path.join(ROOT, ".data", `bench-canvas-${PORT}`);
const CHROMIUM =
  process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

type Node = FlowGraph["nodes"][number];

const BRANCHES = 10;

/**
 * trigger → split into 10 paths (10 % each) → on each path, repeated
 * (wait → email → condition[yes → go on | no → sms → exit]) → exit; `count` steps in all.
 */
export function generateFlow(count: number): FlowGraph {
  const nodes: Node[] = [
    {
      id: "trigger",
      kind: "trigger",
      position: { x: 0, y: 0 },
      config: { type: "event", event: "Started Checkout", filter: null },
    },
    {
      id: "split",
      kind: "split",
      position: { x: 0, y: 0 },
      config: {
        branches: Array.from({ length: BRANCHES }, (_, b) => ({
          id: `p${b}`,
          label: String.fromCharCode(65 + b),
          percent: 100 / BRANCHES,
        })),
      },
    },
  ];
  const edges: FlowGraph["edges"] = [];
  const link = (source: string, sourceHandle: string, target: string) =>
    edges.push({ id: `e_${source}_${sourceHandle}`, source, sourceHandle, target });
  link("trigger", "next", "split");
  const tails = Array.from({ length: BRANCHES }, (_, b) => ({ id: "split", handle: `p${b}` }));
  // Room for one closing exit per path.
  for (let i = 1, b = 0; nodes.length + 5 <= count - BRANCHES; i++, b = (b + 1) % BRANCHES) {
    const tail = tails[b]!;
    const [wait, email, check, sms, exit] = ["wait", "email", "condition", "sms", "exit"].map(
      (k) => `${k}_${i}`,
    ) as [string, string, string, string, string];
    nodes.push(
      {
        id: wait,
        kind: "wait",
        position: { x: 0, y: 0 },
        config: { mode: "duration", amount: i, unit: "hours" },
      },
      {
        id: email,
        kind: "email",
        position: { x: 0, y: 0 },
        config: {
          template: "abandoned_cart_1",
          subject: `Reminder ${i}: your cart is waiting`,
          preheader: "",
          heading: "Still thinking it over?",
          body: "We saved your cart.",
          buttonText: "Return to your cart",
          buttonUrl: "{{ cart.checkout_url }}",
          productSource: "cart",
          category: "marketing",
        },
      },
      {
        id: check,
        kind: "condition",
        position: { x: 0, y: 0 },
        config: {
          mode: "if",
          predicate: { type: "has_done", event: "Placed Order", since: "flow_start", where: null },
        },
      },
      {
        id: sms,
        kind: "sms",
        position: { x: 0, y: 0 },
        config: { body: `Reminder ${i}: your cart is saved. Reply STOP to opt out.`, category: "marketing" },
      },
      { id: exit, kind: "exit", position: { x: 0, y: 0 }, config: {} },
    );
    link(tail.id, tail.handle, wait);
    link(wait, "next", email);
    link(email, "next", check);
    link(check, "no", sms);
    link(sms, "next", exit);
    tails[b] = { id: check, handle: "yes" };
  }
  for (let b = 0; nodes.length < count - BRANCHES; b = (b + 1) % BRANCHES) {
    const id = `wait_extra_${nodes.length}`;
    nodes.push({
      id,
      kind: "wait",
      position: { x: 0, y: 0 },
      config: { mode: "duration", amount: 1, unit: "days" },
    });
    link(tails[b]!.id, tails[b]!.handle, id);
    tails[b] = { id, handle: "next" };
  }
  tails.forEach((tail, b) => {
    nodes.push({ id: `exit_end_${b}`, kind: "exit", position: { x: 0, y: 0 }, config: {} });
    link(tail.id, tail.handle, `exit_end_${b}`);
  });
  const graph: FlowGraph = { schema: 1, nodes, edges, settings: defaultSettings() };
  const positions = layoutGraph(graph, (id) =>
    id.startsWith("condition") || id === "split" ? { width: 264, height: 110 } : { width: 264, height: 80 },
  );
  return { ...graph, nodes: nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })) };
}

function ms(n: number): string {
  return `${n.toFixed(n < 10 ? 1 : 0)} ms`;
}

function stats(intervals: number[]) {
  const sorted = [...intervals].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = intervals.reduce((s, x) => s + x, 0) / Math.max(1, intervals.length);
  return {
    frames: intervals.length,
    mean,
    p50: at(0.5),
    p95: at(0.95),
    max: sorted[sorted.length - 1] ?? 0,
    slow: intervals.filter((x) => x > 50).length,
  };
}

async function waitForServer(server: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      const res = await fetch(`${BASE}/sign-in`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server did not answer on ${BASE} within ${timeoutMs / 1000} s`);
}

async function trpc(page: Page, procedure: string, input: unknown) {
  const res = await page.request.post(`${BASE}/api/trpc/${procedure}`, {
    data: { json: input },
    headers: { "content-type": "application/json" },
  });
  const body = (await res.json()) as {
    result?: { data: { json: unknown } };
    error?: { json: { message: string } };
  };
  if (!res.ok() || !body.result) throw new Error(`${procedure}: ${body.error?.json.message ?? res.status()}`);
  return body.result.data.json;
}

/** Pans by dragging on empty canvas; returns the rAF frame intervals recorded meanwhile. */
async function pan(page: Page, strokes: number): Promise<number[]> {
  const box = await page.locator(".react-flow__pane").boundingBox();
  if (!box) throw new Error("no canvas");
  // A start point on the pane itself, not on a card.
  const start = await page.evaluate(
    ({ x, y, w, h }) => {
      for (let gy = 0.1; gy < 0.95; gy += 0.05) {
        for (let gx = 0.05; gx < 0.95; gx += 0.05) {
          const px = x + w * gx;
          const py = y + h * gy;
          const el = document.elementFromPoint(px, py);
          if (el?.classList.contains("react-flow__pane")) return { x: px, y: py };
        }
      }
      return null;
    },
    { x: box.x, y: box.y, w: box.width, h: box.height },
  );
  if (!start) throw new Error("no empty spot on the canvas to pan from");
  // A string, so the bundler's helpers stay out of the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  for (let i = 0; i < strokes; i++) {
    const dx = i % 2 === 0 ? 260 : -260;
    const dy = i % 4 < 2 ? 140 : -140;
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + dx, start.y + dy, { steps: 40 });
    await page.mouse.up();
  }
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames.slice(1);
  });
  return frames;
}

function report(label: string, frames: number[]) {
  const s = stats(frames);
  console.log(
    `  ${label.padEnd(34)} ${String(s.frames).padStart(4)} frames · mean ${ms(s.mean)} (${(1000 / s.mean).toFixed(0)} fps) · p50 ${ms(s.p50)} · p95 ${ms(s.p95)} · max ${ms(s.max)} · >50 ms: ${s.slow}`,
  );
}

/** BENCH_PROFILE: a comma list of `load`, `fit`, `pan` (or 1: pan) — where to take a CPU profile. */
function profiling(part: "load" | "fit" | "pan"): boolean {
  const parts = (process.env.BENCH_PROFILE ?? "").split(",");
  return parts.includes(part) || (part === "pan" && parts.includes("1"));
}

async function startProfile(cdp: CDPSession) {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
}

/** Stops the CPU profile and prints the 15 functions with the most self time. */
async function printProfile(cdp: CDPSession, what: string) {
  const { profile } = (await cdp.send("Profiler.stop")) as {
    profile: {
      nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
      samples: number[];
      timeDeltas: number[];
    };
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byName = new Map<string, number>();
  for (const n of profile.nodes) {
    const key = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").pop() ?? ""}:${n.callFrame.lineNumber}`;
    byName.set(key, (byName.get(key) ?? 0) + (self.get(n.id) ?? 0) / 1000);
  }
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  console.log(`  CPU profile ${what} (self time, ${ms(total)} sampled):`);
  for (const [name, t] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`    ${ms(t).padStart(9)}  ${name}`);
}

const layoutStarted = performance.now();
const graph = generateFlow(NODES);
const layoutMs = performance.now() - layoutStarted;
const problems = validateGraph(graph);
if (problems.length)
  throw new Error(
    `generated flow is invalid: ${problems
      .slice(0, 3)
      .map((p) => p.message)
      .join("; ")}`,
  );

const env = { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: "1" };
if (process.env.BENCH_BUILD === "1" || !existsSync(path.join(ROOT, DIST, "BUILD_ID"))) {
  console.log(`building into ${DIST} …`);
  const build = spawnSync(
    "npx",
    ["next", "build", ...(process.env.BENCH_WEBPACK === "1" ? ["--webpack"] : [])],
    { cwd: ROOT, env, stdio: "inherit" },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}

rmSync(DATA, { recursive: true, force: true });
const server = spawn("npx", ["next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
  cwd: ROOT,
  env: { ...env, PORT: String(PORT), APP_URL: BASE, TIDINGS_DATA_DIR: DATA, TIDINGS_SEED: "off" },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
const stopServer = () => {
  if (server.pid && server.exitCode === null) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
};
process.on("exit", stopServer);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
try {
  await waitForServer(server, 300_000);
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${BASE}/sign-up`);
  await page.getByLabel("Your name").fill("Bench Marketer");
  await page.getByLabel("Email").fill(`bench-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("bench-canvas-password");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL(/\/flows$/, { timeout: 60_000 });

  const flow = (await trpc(page, "flows.create", {
    name: `Canvas benchmark (${graph.nodes.length} steps)`,
  })) as { id: string };
  await trpc(page, "flows.saveDraft", { id: flow.id, graph, baseRevision: 1 });

  // Warm the route once (server compile caches, fonts), then measure a clean load.
  await page.goto(`${BASE}/flows/${flow.id}`);
  await page.locator('[data-testid="canvas"][data-ready="true"]').waitFor({ timeout: 120_000 });
  await page.goto(`${BASE}/flows`);

  console.log(
    `Tidings canvas benchmark — ${graph.nodes.length} steps, ${graph.edges.length} connections, Chromium ${browser.version()}`,
  );
  console.log(`  generate + auto-layout (dagre, in Node)           ${ms(layoutMs)}`);
  // Timestamps taken in the page as it happens: when the cards are all in the DOM, and when
  // the canvas has measured them and set the opening view.
  await page.addInitScript((n: number) => {
    const w = window as unknown as { __bench: { rendered?: number; ready?: number } };
    w.__bench = {};
    const observer = new MutationObserver(() => {
      if (!w.__bench.rendered && document.querySelectorAll(".react-flow__node").length >= n)
        w.__bench.rendered = performance.now();
      if (!w.__bench.ready && document.querySelector('[data-testid="canvas"][data-ready="true"]')) {
        w.__bench.ready = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["data-ready"],
    });
  }, graph.nodes.length);
  const loads: { rendered: number; ready: number }[] = [];
  const loadCdp = profiling("load") ? await page.context().newCDPSession(page) : null;
  for (let run = 0; run < 3; run++) {
    if (loadCdp && run === 2) await startProfile(loadCdp);
    await page.goto(`${BASE}/flows/${flow.id}`);
    await page.waitForFunction(
      () => Boolean((window as unknown as { __bench: { ready?: number } }).__bench.ready),
      null,
      { timeout: 120_000 },
    );
    loads.push(
      await page.evaluate(
        () => (window as unknown as { __bench: { rendered: number; ready: number } }).__bench,
      ),
    );
  }
  if (loadCdp) await printProfile(loadCdp, "over the third load");
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(
    `  first render: all ${graph.nodes.length} cards in the DOM     ${ms(median(loads.map((l) => l.rendered)))} after navigation start (median of 3: ${loads.map((l) => ms(l.rendered)).join(", ")})`,
  );
  console.log(
    `  ready: measured, placed, opening view set         ${ms(median(loads.map((l) => l.ready)))} after navigation start`,
  );

  const viewport = page.locator(".react-flow__viewport");
  const before = await viewport.getAttribute("style");
  const fitCdp = profiling("fit") ? await page.context().newCDPSession(page) : null;
  if (fitCdp) await startProfile(fitCdp);
  const fitStarted = await page.evaluate(() => performance.now());
  await page.getByRole("button", { name: "Fit View" }).click();
  const fitted = await page.waitForFunction(
    (prev) =>
      document.querySelector(".react-flow__viewport")?.getAttribute("style") !== prev ? performance.now() : 0,
    before,
    { polling: "raf" },
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  if (fitCdp) await printProfile(fitCdp, "over fit view");
  const zoom = await viewport.evaluate((el) =>
    Number(/scale\(([\d.]+)\)/.exec((el as HTMLElement).style.transform)?.[1] ?? 1),
  );
  const onScreen = await page.evaluate(() => {
    const pane = document.querySelector(".react-flow__pane")!.getBoundingClientRect();
    return [...document.querySelectorAll(".react-flow__node")].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.right > pane.left && r.left < pane.right && r.bottom > pane.top && r.top < pane.bottom;
    }).length;
  });
  console.log(
    `  fit view: whole flow on screen                    ${ms((await fitted.jsonValue()) - fitStarted)} (zoom ${(zoom * 100).toFixed(0)} %, ${onScreen}/${graph.nodes.length} cards in view)`,
  );

  console.log("  panning (mouse drag on the canvas, 6 strokes of 40 moves):");
  const cdp = profiling("pan") ? await page.context().newCDPSession(page) : null;
  if (cdp) await startProfile(cdp);
  report(`at fit view (${(zoom * 100).toFixed(0)} %, all cards visible)`, await pan(page, 6));
  if (cdp) await printProfile(cdp, "while panning at fit view");
  // Back to 100 %, around the middle of the flow.
  for (
    let i = 0;
    i < 12 &&
    (await viewport.evaluate((el) =>
      Number(/scale\(([\d.]+)\)/.exec((el as HTMLElement).style.transform)?.[1] ?? 1),
    )) < 0.99;
    i++
  ) {
    await page.getByRole("button", { name: "Zoom In" }).click();
  }
  report("at 100 %", await pan(page, 6));
  const heap = await page.evaluate(
    () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
  );
  if (heap)
    console.log(`  JS heap after the run                             ${(heap / 1024 / 1024).toFixed(0)} MB`);
} finally {
  await browser.close();
  stopServer();
}
