/**
 * Several worker processes against one real Postgres: every enrollment finishes, no step
 * runs twice, no message is sent twice — and a worker killed mid-send loses nothing.
 * (PGlite is one process by nature; these run when TEST_DRIVER=postgres.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, max, sql } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { publishGraph } from "@/server/testing/flows";
import { contacts, enrollments, enrollmentSteps, events, messages } from "@/server/db/schema";
import postgresJs from "postgres";
import { EVENTS_CHANNEL } from "./executor";
import { sweepUntriggeredEvents } from "./enroll";
import { ExecutorCaches } from "./caches";
import { emptyState } from "@/server/engine/facts";
import { getFlowTemplate } from "@/server/engine";
import type { FlowGraph } from "@/server/engine/graph";
import { startFakeResend, type FakeResend } from "@/server/testing/fake-resend-server";

const postgres = testDriver() === "postgres";

let t: TestDb;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  if (postgres) t = await createTestDb();
});
afterAll(async () => {
  await stopAll();
  if (postgres) await t.close();
});

/** SIGTERM first (a supervisor passes it on to its worker), SIGKILL what is left. */
async function stopAll() {
  const running = workers.splice(0).filter((w) => w.exitCode === null && w.signalCode === null);
  await Promise.all(
    running.map(
      (w) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => w.kill("SIGKILL"), 10_000);
          w.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          w.kill("SIGTERM");
        }),
    ),
  );
}

function startWorker(env: Record<string, string>, script = "scripts/worker.ts"): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: {
      ...process.env,
      DATABASE_URL: t.url!,
      WORKER_POLL_MS: "200",
      APP_URL: "https://shop.example.com",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d.toString()}`));
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  Object.assign(child, { output: () => out });
  workers.push(child);
  return child;
}

const outputOf = (child: ChildProcess) => (child as ChildProcess & { output: () => string }).output();

/** Resolves once the worker (or the worker under a supervisor) says it is running. */
async function running(child: ChildProcess, times = 1) {
  await until(
    () => Promise.resolve((outputOf(child).match(/\] running/g)?.length ?? 0) >= times),
    60_000,
    "a worker to start",
  );
}

/** Events stored now (as ingest stores them), one per contact. */
async function storeOrders(
  workspaceId: string,
  contactIds: string[],
  prefix: string,
  receivedAt = new Date(),
) {
  const now = new Date();
  const rows = await t.db
    .insert(events)
    .values(
      contactIds.map((contactId, i) => ({
        workspaceId,
        contactId,
        name: "Placed Order",
        properties: { order_id: `${prefix}_${i}`, value: 10 },
        occurredAt: now,
        receivedAt,
        idempotencyKey: `${prefix}-${i}`,
      })),
    )
    .returning();
  return rows;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A query of ours may meet a connection the database just dropped: ask again.
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function insertContacts(
  workspaceId: string,
  n: number,
  contact: (i: number) => Partial<typeof contacts.$inferInsert>,
) {
  const rows = await t.db
    .insert(contacts)
    .values(
      Array.from({ length: n }, (_, i) => ({
        workspaceId,
        emailConsent: "subscribed" as const,
        smsConsent: "subscribed" as const,
        ...contact(i),
      })),
    )
    .returning({ id: contacts.id });
  return rows.map((r) => r.id);
}

async function enrollMany(
  workspaceId: string,
  flow: { flowId: string; versionId: string },
  n: number,
  contact: (i: number) => Partial<typeof contacts.$inferInsert>,
) {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1000) {
    const rows = await t.db
      .insert(contacts)
      .values(
        Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
          workspaceId,
          smsConsent: "subscribed" as const,
          emailConsent: "subscribed" as const,
          ...contact(i + k),
        })),
      )
      .returning({ id: contacts.id });
    ids.push(...rows.map((r) => r.id));
  }
  const now = new Date();
  for (let i = 0; i < ids.length; i += 1000) {
    await t.db.insert(enrollments).values(
      ids.slice(i, i + 1000).map((contactId, k) => ({
        workspaceId,
        flowId: flow.flowId,
        versionId: flow.versionId,
        contactId,
        currentNodeId: "trigger",
        nextRunAt: now,
        triggerData: {
          eventId: null,
          name: "Placed Order",
          properties: { order_id: `ord_${i + k}`, value: 10 },
          occurredAt: now.getTime(),
        },
        occurrenceKey: `test:${i + k}`,
        state: emptyState(),
      })),
    );
  }
}

const smsFlow: FlowGraph = {
  schema: 1,
  nodes: [
    {
      id: "trigger",
      kind: "trigger",
      position: { x: 0, y: 0 },
      config: { type: "event", event: "Placed Order", filter: null },
    },
    {
      id: "sms_1",
      kind: "sms",
      position: { x: 0, y: 200 },
      config: { body: "Order {{ order.order_id }} received.", category: "transactional" },
    },
    {
      id: "big",
      kind: "condition",
      position: { x: 0, y: 400 },
      config: {
        mode: "if",
        predicate: { type: "property", source: "trigger", path: "value", op: "gt", value: 50 },
      },
    },
    {
      id: "sms_big",
      kind: "sms",
      position: { x: -200, y: 600 },
      config: { body: "Thanks for a big order!", category: "transactional" },
    },
    {
      id: "sms_small",
      kind: "sms",
      position: { x: 200, y: 600 },
      config: { body: "Thanks for your order!", category: "transactional" },
    },
    { id: "exit_big", kind: "exit", position: { x: -200, y: 800 }, config: {} },
    { id: "exit_small", kind: "exit", position: { x: 200, y: 800 }, config: {} },
  ],
  edges: [
    { id: "e1", source: "trigger", sourceHandle: "next", target: "sms_1" },
    { id: "e2", source: "sms_1", sourceHandle: "next", target: "big" },
    { id: "e3", source: "big", sourceHandle: "yes", target: "sms_big" },
    { id: "e4", source: "big", sourceHandle: "no", target: "sms_small" },
    { id: "e5", source: "sms_big", sourceHandle: "next", target: "exit_big" },
    { id: "e6", source: "sms_small", sourceHandle: "next", target: "exit_small" },
  ],
  settings: {
    goal: null,
    filter: null,
    reentry: { mode: "every_time" },
    entryKey: null,
    smartSendingHours: 0,
    quietHours: { enabled: false, start: "21:00", end: "08:00" },
    attributionDays: 5,
  },
};

describe.runIf(postgres)("worker processes on Postgres", () => {
  it("4 workers, 5,000 enrollments: every one finishes, no step twice, no message twice", async () => {
    const member = await createMember(t.db, "Scale");
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: smsFlow,
      now: Date.now(),
    });
    await enrollMany(member.workspace.id, flow, 5000, (i) => ({
      phone: `+1555${String(i).padStart(7, "0")}`,
    }));
    for (let i = 0; i < 4; i++) startWorker({ WORKER_BATCH: "50" });
    await until(
      async () => {
        const [row] = await t.db
          .select({ n: count() })
          .from(enrollments)
          .where(and(eq(enrollments.flowId, flow.flowId), eq(enrollments.status, "active")));
        const [queued] = await t.db
          .select({ n: count() })
          .from(messages)
          .where(and(eq(messages.flowId, flow.flowId), sql`${messages.status} in ('queued','sending')`));
        return row?.n === 0 && queued?.n === 0;
      },
      240_000,
      "5,000 enrollments to finish",
    );
    for (const w of workers.splice(0)) w.kill("SIGTERM");

    const byStatus = await t.db
      .select({ status: enrollments.status, n: count() })
      .from(enrollments)
      .where(eq(enrollments.flowId, flow.flowId))
      .groupBy(enrollments.status);
    expect(byStatus).toEqual([{ status: "completed", n: 5000 }]);
    const [sent] = await t.db
      .select({ n: count(), attempts: max(messages.attempts) })
      .from(messages)
      .where(and(eq(messages.flowId, flow.flowId), eq(messages.status, "sent")));
    expect(sent).toEqual({ n: 10_000, attempts: 0 }); // no provider failure
    const [steps] = await t.db
      .select({ n: count() })
      .from(enrollmentSteps)
      .where(eq(enrollmentSteps.flowId, flow.flowId));
    // trigger, sms_1, big, sms_small, exit_small: five steps each, none logged twice.
    expect(steps?.n).toBe(25_000);
  }, 300_000);

  it("a worker killed mid-send: the next one finishes; 0 lost, 0 duplicates at the provider", async () => {
    const fake: FakeResend = await startFakeResend();
    try {
      const member = await createMember(t.db, "Crash");
      const template = getFlowTemplate("order_confirmation");
      if (!template) throw new Error("template");
      const flow = await publishGraph(t.db, {
        workspaceId: member.workspace.id,
        userId: member.user.id,
        graph: template.graph,
        now: Date.now(),
      });
      const N = 240;
      await enrollMany(member.workspace.id, flow, N, (i) => ({ email: `buyer${i}@example.com` }));
      const env = {
        RESEND_API_KEY: "re_test_key",
        RESEND_BASE_URL: fake.url,
        WORKER_LEASE_MS: "3000",
        WORKER_BATCH: "40",
      };
      // The orders are due together, so their confirmations go out in batch calls. The second
      // call reaches the provider and is accepted, but its answer never comes back: the worker
      // is killed while it is in flight.
      fake.stallAfter(1, 1);
      const first = startWorker(env);
      await until(() => Promise.resolve((fake.requests()[1]?.status ?? 0) !== 0), 60_000, "a stalled send");
      first.kill("SIGKILL");
      await new Promise((r) => first.once("exit", r));
      const [inFlight] = await t.db
        .select({ n: count() })
        .from(messages)
        .where(and(eq(messages.flowId, flow.flowId), eq(messages.status, "sending")));
      expect(inFlight?.n).toBeGreaterThan(0);

      startWorker(env);
      await until(
        async () => {
          const [done] = await t.db
            .select({ n: count() })
            .from(messages)
            .where(and(eq(messages.flowId, flow.flowId), eq(messages.status, "sent")));
          return done?.n === N;
        },
        180_000,
        "the second worker to finish",
      );
      for (const w of workers.splice(0)) w.kill("SIGTERM");

      const rows = await t.db
        .select({ id: messages.id })
        .from(messages)
        .where(eq(messages.flowId, flow.flowId));
      const counts = fake.countsByTag("message_id");
      expect(rows).toHaveLength(N);
      expect(rows.filter((r) => counts[r.id] !== 1)).toEqual([]); // every message reached the provider exactly once
      expect(fake.received()).toHaveLength(N);
      expect(fake.requests()[1]).toMatchObject({ path: "/emails/batch", status: 200 });
      // The resend after the crash repeated the stalled batch and was answered from its first send.
      expect(fake.requests().filter((r) => r.replayed)).toEqual([
        expect.objectContaining({
          path: "/emails/batch",
          idempotencyKey: fake.requests()[1]?.idempotencyKey,
        }),
      ]);
    } finally {
      await fake.close();
    }
  }, 300_000);

  it("two sweeps at once take different events (FOR UPDATE SKIP LOCKED)", async () => {
    const member = await createMember(t.db, "Sweep");
    await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: smsFlow,
      now: Date.now(),
    });
    const ids = await insertContacts(member.workspace.id, 150, (i) => ({
      phone: `+1556${String(i).padStart(7, "0")}`,
    }));
    await storeOrders(member.workspace.id, ids, "sweep");
    const now = Date.now();
    const [a, b] = await Promise.all([
      sweepUntriggeredEvents(t.db, now, new ExecutorCaches(), 0, 100),
      sweepUntriggeredEvents(t.db, now, new ExecutorCaches(), 0, 100),
    ]);
    expect(a.enrolled.length + b.enrolled.length).toBe(150);
    expect(a.enrolled.length).toBeGreaterThan(0);
    expect(b.enrolled.length).toBeGreaterThan(0);
  }, 60_000);

  it("executor out of process: events announced with NOTIFY are enrolled and sent by 2 workers at once", async () => {
    const member = await createMember(t.db, "Notify");
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: smsFlow,
      now: Date.now(),
    });
    const ids = await insertContacts(member.workspace.id, 300, (i) => ({
      phone: `+1557${String(i).padStart(7, "0")}`,
    }));
    // A slow poll: only the announcement can make them this quick (the sweep waits 5 s for the fast path).
    const procs = [startWorker({ WORKER_POLL_MS: "10000" }), startWorker({ WORKER_POLL_MS: "10000" })];
    await Promise.all(procs.map((p) => running(p)));
    await new Promise((r) => setTimeout(r, 500)); // past their first tick
    // Received "30 s from now": the workers' own sweep (5 s grace) cannot take them for 35 s,
    // so only the announcement can bring them in earlier, however busy the machine is.
    const stored = await storeOrders(member.workspace.id, ids, "notify", new Date(Date.now() + 30_000));
    const started = Date.now();
    await t.notify(EVENTS_CHANNEL);
    await until(
      async () => {
        const [row] = await t.db
          .select({ n: count() })
          .from(messages)
          .where(
            and(eq(messages.flowId, flow.flowId), eq(messages.nodeId, "sms_1"), eq(messages.status, "sent")),
          );
        return row?.n === stored.length;
      },
      30_000,
      "the announced events to be enrolled and their first SMS sent",
    );
    const elapsed = Date.now() - started;
    await stopAll();
    expect(elapsed).toBeLessThan(30_000);
    const [enrolled] = await t.db
      .select({ n: count() })
      .from(enrollments)
      .where(eq(enrollments.flowId, flow.flowId));
    expect(enrolled?.n).toBe(300);
  }, 120_000);

  it("Postgres drops every connection mid-run: both supervised workers carry on; 0 lost, 0 duplicates", async () => {
    const fake: FakeResend = await startFakeResend();
    const admin = postgresJs(t.url!.replace(/\/[^/]*$/, "/postgres"), { max: 1, onnotice: () => {} });
    try {
      const member = await createMember(t.db, "Restart");
      const template = getFlowTemplate("order_confirmation");
      if (!template) throw new Error("template");
      const flow = await publishGraph(t.db, {
        workspaceId: member.workspace.id,
        userId: member.user.id,
        graph: template.graph,
        now: Date.now(),
      });
      const env = {
        RESEND_API_KEY: "re_test_key",
        RESEND_BASE_URL: fake.url,
        WORKER_LEASE_MS: "3000",
        WORKER_BATCH: "20",
      };
      const procs = [
        startWorker(env, "scripts/worker-supervisor.ts"),
        startWorker(env, "scripts/worker-supervisor.ts"),
      ];
      await Promise.all(procs.map((p) => running(p)));
      const N = 400;
      const ids = await insertContacts(member.workspace.id, N, (i) => ({ email: `restart${i}@example.com` }));
      const sentCount = async () => {
        const [row] = await t.db
          .select({ n: count() })
          .from(messages)
          .where(and(eq(messages.flowId, flow.flowId), eq(messages.status, "sent")));
        return row?.n ?? 0;
      };
      const database = new URL(t.url!).pathname.slice(1);
      const dropAll = () =>
        admin`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
      // The first half arrives, work starts, and the database drops every connection — twice.
      await storeOrders(member.workspace.id, ids.slice(0, N / 2), "restart_a");
      await t.notify(EVENTS_CHANNEL);
      await until(async () => (await sentCount()) > 0, 60_000, "the first sends");
      const [first] = await dropAll();
      expect(first?.n).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1_000));
      await dropAll();
      // The second half arrives after the restarts: the workers must still hear and send it.
      await storeOrders(member.workspace.id, ids.slice(N / 2), "restart_b").catch(async () =>
        storeOrders(member.workspace.id, ids.slice(N / 2), "restart_b"),
      );
      await t.notify(EVENTS_CHANNEL).catch(() => t.notify(EVENTS_CHANNEL));
      await until(async () => (await sentCount()) === N, 180_000, "every confirmation to be sent");
      // Both supervisors still up, each with a worker running.
      expect(procs.map((p) => p.exitCode)).toEqual([null, null]);
      await stopAll();
      const rows = await t.db
        .select({ id: messages.id })
        .from(messages)
        .where(eq(messages.flowId, flow.flowId));
      const counts = fake.countsByTag("message_id");
      expect(rows).toHaveLength(N);
      expect(rows.filter((r) => counts[r.id] !== 1)).toEqual([]);
      expect(fake.received()).toHaveLength(N);
    } finally {
      await admin.end({ timeout: 5 });
      await fake.close();
    }
  }, 300_000);

  it("leases that run out mid-send under a shared rate limit: every email sent exactly once, none lost", async () => {
    // A lease of 1 ms: whatever one worker holds, the other may claim at any moment — before
    // the email is rendered, while its batch is written, while it waits for a slot, mid-call.
    const fake: FakeResend = await startFakeResend();
    try {
      const member = await createMember(t.db, "Races");
      const template = getFlowTemplate("order_confirmation");
      if (!template) throw new Error("template");
      const flow = await publishGraph(t.db, {
        workspaceId: member.workspace.id,
        userId: member.user.id,
        graph: template.graph,
        now: Date.now(),
      });
      const N = 300;
      await enrollMany(member.workspace.id, flow, N, (i) => ({ email: `race${i}@example.com` }));
      const env = {
        RESEND_API_KEY: "re_test_races",
        RESEND_BASE_URL: fake.url,
        RESEND_REQUESTS_PER_SECOND: "20",
        WORKER_LEASE_MS: "1",
        WORKER_BATCH: "40",
        WORKER_POLL_MS: "20",
      };
      startWorker(env);
      startWorker(env);
      await until(
        async () => {
          const [done] = await t.db
            .select({ n: count() })
            .from(messages)
            .where(and(eq(messages.flowId, flow.flowId), eq(messages.status, "sent")));
          return done?.n === N;
        },
        240_000,
        "every email to be sent",
      );
      await stopAll();
      const rows = await t.db.select().from(messages).where(eq(messages.flowId, flow.flowId));
      const counts = fake.countsByTag("message_id");
      expect(rows).toHaveLength(N);
      expect(rows.filter((r) => counts[r.id] !== 1).map((r) => [r.id, counts[r.id] ?? 0])).toEqual([]);
      // (Counted by flow: a worker left over from an earlier test may post to a reused port.)
      const ours = fake
        .received()
        .filter((e) => e.tags.some((tag) => tag.name === "flow_id" && tag.value === flow.flowId));
      expect(ours).toHaveLength(N);
      // Claimed again and again, and still each one delivered once.
      expect(Math.max(...rows.map((r) => r.claims))).toBeGreaterThan(1);
      // What the provider answered is what each row recorded.
      const ids = new Map(ours.map((e) => [e.id, e.tags.find((tag) => tag.name === "message_id")?.value]));
      expect(rows.filter((r) => ids.get(r.providerMessageId ?? "") !== r.id)).toEqual([]);
    } finally {
      await fake.close();
    }
  }, 300_000);

  it("a 429 storm longer than six claims: every email still sent once, no attempt counted", async () => {
    const fake: FakeResend = await startFakeResend();
    try {
      const member = await createMember(t.db, "Storm");
      const template = getFlowTemplate("order_confirmation");
      if (!template) throw new Error("template");
      const flow = await publishGraph(t.db, {
        workspaceId: member.workspace.id,
        userId: member.user.id,
        graph: template.graph,
        now: Date.now(),
      });
      const N = 60;
      await enrollMany(member.workspace.id, flow, N, (i) => ({ email: `storm${i}@example.com` }));
      fake.failNext(9, 429, 1);
      const env = { RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: fake.url, WORKER_BATCH: "100" };
      startWorker(env);
      startWorker(env);
      await until(
        async () => {
          const [done] = await t.db
            .select({ n: count() })
            .from(messages)
            .where(and(eq(messages.flowId, flow.flowId), eq(messages.status, "sent")));
          return done?.n === N;
        },
        120_000,
        "the storm to pass",
      );
      await stopAll();
      const rows = await t.db.select().from(messages).where(eq(messages.flowId, flow.flowId));
      const counts = fake.countsByTag("message_id");
      expect(rows.filter((r) => counts[r.id] !== 1)).toEqual([]);
      expect(fake.requests().filter((r) => r.status === 429).length).toBe(9);
      expect(Math.max(...rows.map((r) => r.attempts))).toBe(0);
      expect(Math.max(...rows.map((r) => r.claims))).toBeGreaterThan(6);
    } finally {
      await fake.close();
    }
  }, 180_000);
});
