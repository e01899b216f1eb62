/**
 * Publishing or pausing a flow reaches every executor process within a second: the flows
 * service NOTIFYs in its transaction and each executor drops its cached live flows. Two
 * real executor processes each hold the workspace's (empty) live flows in their cache when
 * the flow is published; both must enroll on its trigger within a second, and both must
 * stop within a second of a pause — far sooner than their cache would expire on its own.
 * (PGlite is one process by nature; this runs when TEST_DRIVER=postgres.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { createContact, publishGraph, storeEvent } from "@/server/testing/flows";
import type { FlowGraph } from "@/server/engine/graph";
import { setFlowPaused } from "@/server/flows/publish";
import { LISTENING_LIVE_TTL_MS } from "./executor";

const postgres = testDriver() === "postgres";
const TRIGGER = "Browsed Catalog";

const graph: FlowGraph = {
  schema: 1,
  nodes: [
    {
      id: "trigger",
      kind: "trigger",
      position: { x: 0, y: 0 },
      config: { type: "event", event: TRIGGER, filter: null },
    },
    { id: "exit", kind: "exit", position: { x: 0, y: 200 }, config: {} },
  ],
  edges: [{ id: "e1", source: "trigger", sourceHandle: "next", target: "exit" }],
  settings: {},
} as unknown as FlowGraph;

interface Worker {
  child: ChildProcess;
  ask(events: unknown[]): Promise<number>;
}

let t: TestDb;
const workers: Worker[] = [];

function startWorker(): Promise<Worker> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/testing/event-worker.ts"], {
    env: { ...process.env, DATABASE_URL: t.url!, APP_URL: "https://shop.example.com" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d.toString()}`));
  const waiting = new Map<number, (entered: number) => void>();
  let next = 0;
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const message = JSON.parse(line) as { ready?: boolean; id?: number; entered?: number };
      if (message.ready)
        resolve({
          child,
          ask: (events) =>
            new Promise((done) => {
              const id = ++next;
              waiting.set(id, done);
              child.stdin.write(`${JSON.stringify({ id, events })}\n`);
            }),
        });
      else if (message.id !== undefined) waiting.get(message.id)?.(message.entered ?? 0);
    });
  });
}

beforeAll(async () => {
  if (!postgres) return;
  t = await createTestDb();
  workers.push(...(await Promise.all([startWorker(), startWorker()])));
}, 120_000);
afterAll(async () => {
  for (const w of workers) w.child.kill("SIGKILL");
  if (postgres) await t.close();
});

describe.skipIf(!postgres)("flow changes reach every executor process (postgres)", () => {
  it("a publish and a pause take effect in both worker processes within a second", async () => {
    expect(LISTENING_LIVE_TTL_MS).toBeGreaterThan(10_000);
    const member = await createMember(t.db, "Marketer");
    const workspaceId = member.workspace.id;
    const event = async () => {
      const contact = await createContact(t.db, workspaceId);
      const stored = await storeEvent(t.db, {
        workspaceId,
        contactId: contact.id,
        name: TRIGGER,
        at: Date.now(),
      });
      return [{ ...stored, occurredAt: stored.occurredAt.toISOString() }];
    };
    /** How long after `since` each worker first answers as `wanted` says (polling with fresh events). */
    const timeUntil = (since: number, wanted: (entered: number) => boolean) =>
      Promise.all(
        workers.map(async (w) => {
          while (Date.now() - since < 5_000) {
            if (wanted(await w.ask(await event()))) return Date.now() - since;
          }
          return Infinity;
        }),
      );

    // Both workers read and cache the workspace's live flows: none yet.
    for (const w of workers) expect(await w.ask(await event())).toBe(0);

    const published = await publishGraph(t.db, {
      workspaceId,
      userId: member.user.id,
      graph,
      now: Date.now(),
    });
    const afterPublish = await timeUntil(Date.now(), (n) => n > 0);
    for (const ms of afterPublish) expect(ms).toBeLessThan(1_000);

    await setFlowPaused(t.db, {
      workspaceId,
      flowId: published.flowId,
      userId: member.user.id,
      paused: true,
    });
    const afterPause = await timeUntil(Date.now(), (n) => n === 0);
    for (const ms of afterPause) expect(ms).toBeLessThan(1_000);
  });
});
