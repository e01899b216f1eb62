/**
 * `npm run cluster` as a whole: two web servers (`next start` on the production build) and
 * three `npm run worker` processes against one Postgres. A marketer signs up and publishes
 * through server A's tRPC; a shop posts orders alternately to A and B through the public API.
 * Every order's journey runs each of its steps exactly once and every email reaches the
 * provider (a local Resend-protocol server) exactly once, whichever process took it. Then a new
 * version is published on A: orders posted through B within the following second are enrolled
 * on it by every one of the three workers.
 *
 * Which worker enrolled what is read from Postgres itself: the cluster gives each process its own
 * `application_name`, and a trigger of this test's database records it beside each enrollment.
 * (PGlite is one process by nature; this runs when TEST_DRIVER=postgres. It serves the production
 * build there is — `npm test` builds it first — and builds one only when there is none.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { startFakeResend, type FakeResend } from "@/server/testing/fake-resend-server";
import { getFlowTemplate } from "@/server/engine";
import type { FlowGraph } from "@/server/engine/graph";
import type { EmailConfig } from "@/server/engine/nodes/email";
import { chain, edge, graph, node } from "@/server/engine/templates/build";
import { rowsOf } from "@/server/db/rows";

const postgres = testDriver() === "postgres";
const WORKERS = 3;
const PASSWORD = "cluster-proof-Kettle-93";

let t: TestDb;
let fake: FakeResend;
let cluster: ChildProcess | null = null;
let output = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function until<T>(check: () => Promise<T | null | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => null);
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  if (!postgres) return;
  t = await createTestDb();
  fake = await startFakeResend();
  // Who inserted each enrollment: the cluster names every process's connections.
  await t.db.execute(sql`
    create table cluster_enrolled_by (
      enrollment_id uuid primary key,
      app text not null,
      at timestamptz not null default clock_timestamp()
    )`);
  await t.db.execute(sql`
    create function cluster_record_enrollment() returns trigger language plpgsql as $$
    begin
      insert into cluster_enrolled_by (enrollment_id, app) values (new.id, current_setting('application_name'));
      return null;
    end $$`);
  await t.db.execute(sql`
    create trigger cluster_record_enrollment after insert on enrollments
    for each row execute function cluster_record_enrollment()`);
}, 120_000);

afterAll(async () => {
  if (cluster?.pid && cluster.exitCode === null && cluster.signalCode === null) {
    const child = cluster;
    await new Promise<void>((resolve) => {
      // The cluster stops its servers and workers on SIGTERM; whatever is left is killed with its group.
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* already gone */
        }
        resolve();
      }, 30_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }
  if (postgres) {
    await fake.close();
    await t.close();
  }
}, 60_000);

type Json = Record<string, unknown>;

/** A client of one web server: the public API with a key, tRPC with a session cookie. */
function client(base: string) {
  let cookie = "";
  let apiKey = "";
  const send = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base, ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path} on ${base}: ${res.status} ${text}`);
    return { res, body: (text ? JSON.parse(text) : null) as Json };
  };
  return {
    base,
    useSession(value: string) {
      cookie = value;
    },
    useKey(value: string) {
      apiKey = value;
    },
    auth: (path: string, body: unknown) => send(`/api/auth${path}`, body),
    async trpc<T>(procedure: string, input: unknown): Promise<T> {
      const { body } = await send(`/api/trpc/${procedure}`, { json: input }, { cookie });
      return (body as { result: { data: { json: T } } }).result.data.json;
    },
    api: (path: string, body: unknown) =>
      send(`/api/v1/${path}`, body, { authorization: `Bearer ${apiKey}` }).then((r) => r.body),
  };
}

function orderFlow(receipt: EmailConfig, withSurvey: boolean): FlowGraph {
  const afterThanks = withSurvey ? "survey_email" : "exit";
  return graph(
    [
      node("trigger", "trigger", 0, 0, { type: "event", event: "Placed Order", filter: null }),
      node("receipt_email", "email", 0, 1, receipt),
      node("big_order", "condition", 0, 2, {
        mode: "if",
        predicate: { type: "property", source: "trigger", path: "value", op: "gt", value: 50 },
      }),
      node("thanks_big", "email", -1, 3, {
        ...receipt,
        subject: "A big thank-you for order #{{ order.order_id }}",
      }),
      node("thanks_small", "email", 1, 3, { ...receipt, subject: "Thanks for order #{{ order.order_id }}" }),
      ...(withSurvey
        ? [
            node("survey_email", "email", 0, 4, {
              ...receipt,
              subject: "How did we do with order #{{ order.order_id }}?",
            }),
          ]
        : []),
      node("exit", "exit", 0, 5, {}),
    ],
    [
      ...chain("trigger", "receipt_email", "big_order"),
      edge("big_order", "yes", "thanks_big"),
      edge("big_order", "no", "thanks_small"),
      edge("thanks_big", "next", afterThanks),
      edge("thanks_small", "next", afterThanks),
      ...(withSurvey ? [edge("survey_email", "next", "exit")] : []),
    ],
    { entryKey: "order_id", reentry: { mode: "every_time" } },
  );
}

/** One order from a new customer: identify, then Placed Order (through /batch or /identify + /track). */
async function placeOrder(server: ReturnType<typeof client>, i: number, via: "batch" | "track") {
  const userId = `cust_${i}`;
  const identify = { userId, traits: { email: `customer${i}@example.com`, first_name: `Ana ${i}` } };
  const track = {
    userId,
    event: "Placed Order",
    properties: {
      order_id: `ord_${i}`,
      value: i % 2 === 0 ? 80 : 20,
      currency: "usd",
      items: [{ product_id: "cof-kenya", title: "Kenya Nyeri AA", price: 20, quantity: 1 }],
    },
  };
  if (via === "batch")
    await server.api("batch", {
      batch: [
        { type: "identify", ...identify },
        { type: "track", ...track },
      ],
    });
  else {
    await server.api("identify", identify);
    await server.api("track", track);
  }
}

describe.runIf(postgres)("npm run cluster: 2 web servers, 3 workers, one Postgres", () => {
  it("every step once, every email once, and a publish on A reaches all three workers within a second", async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: t.url!,
      CLUSTER_PORTS: `${portA},${portB}`,
      CLUSTER_WORKERS: String(WORKERS),
      CLUSTER_BUILD: "missing",
      RESEND_API_KEY: "re_test_key",
      RESEND_BASE_URL: fake.url,
      RESEND_REQUESTS_PER_SECOND: "0",
      WORKER_POLL_MS: "200",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    delete env.APP_URL;
    delete env.PORT;
    cluster = spawn(process.execPath, ["--import", "tsx", "scripts/cluster.ts"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so a cluster that will not stop is killed whole
    });
    cluster.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    cluster.stderr?.on("data", (d: Buffer) => process.stderr.write(d.toString()));
    const started = Date.now();
    await until(
      () => Promise.resolve(output.includes("Tidings cluster is up") || (cluster?.exitCode ?? null) !== null),
      600_000,
      "the cluster to start",
    );
    expect(output).toContain("Tidings cluster is up");
    console.log(`[cluster test] 2 web servers and ${WORKERS} workers up in ${Date.now() - started} ms`);

    const a = client(`http://127.0.0.1:${portA}`);
    const b = client(`http://127.0.0.1:${portB}`);
    // A marketer signs up and signs in on A; the session is good on B too (one database).
    const email = `owner.${Date.now()}@example.com`;
    await a.auth("/sign-up/email", { name: "Cluster Owner", email, password: PASSWORD });
    const signIn = await a.auth("/sign-in/email", { email, password: PASSWORD });
    const session = signIn.res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    a.useSession(session);
    b.useSession(session);
    const { key } = await b.trpc<{ key: string }>("apiKeys.create", { name: "Shop server", kind: "secret" });
    a.useKey(key);
    b.useKey(key);

    const receipt = getFlowTemplate("order_confirmation")?.graph.nodes.find((n) => n.id === "receipt_email")
      ?.config as EmailConfig | undefined;
    if (!receipt) throw new Error("the order confirmation template has no receipt email");
    const flow = await a.trpc<{ id: string; draftRevision: number }>("flows.create", { name: "Orders" });
    const saved = await a.trpc<{ draftRevision: number }>("flows.saveDraft", {
      id: flow.id,
      graph: orderFlow(receipt, false),
      baseRevision: flow.draftRevision,
    });
    const v1 = await a.trpc<{ versionId: string }>("flows.publish", { id: flow.id });

    // Orders alternately through A (/batch) and B (/identify + /track), four in flight at a time.
    const N = 40;
    for (let i = 0; i < N; i += 4)
      await Promise.all(
        [i, i + 1, i + 2, i + 3].map((k) =>
          k % 2 === 0 ? placeOrder(a, k, "batch") : placeOrder(b, k, "track"),
        ),
      );

    const journeys = () =>
      t.db
        .execute(
          sql`
        select e.id, e.version_id as "versionId", e.status, e.trigger_data->'properties'->>'order_id' as "orderId",
               w.app, w.at,
               (select string_agg(s.node_id, ',' order by s.id) from enrollment_steps s where s.enrollment_id = e.id) as path,
               (select count(*)::int from enrollment_steps s where s.enrollment_id = e.id) as steps,
               (select count(distinct (s.node_id, s.visit))::int from enrollment_steps s where s.enrollment_id = e.id) as "distinctSteps"
        from enrollments e left join cluster_enrolled_by w on w.enrollment_id = e.id
        where e.flow_id = ${flow.id}`,
        )
        .then((r) =>
          rowsOf<{
            id: string;
            versionId: string;
            status: string;
            orderId: string;
            app: string | null;
            at: Date | string;
            path: string | null;
            steps: number;
            distinctSteps: number;
          }>(r),
        );
    const unsent = async () => {
      const [row] = rowsOf<{ n: number }>(
        await t.db.execute(
          sql`select count(*)::int as n from messages where flow_id = ${flow.id} and status <> 'sent'`,
        ),
      );
      return row?.n ?? -1;
    };
    const settled = async (expected: number) => {
      const rows = await journeys();
      return rows.length === expected && rows.every((r) => r.status === "completed") && (await unsent()) === 0
        ? rows
        : null;
    };
    const first = await until(() => settled(N), 60_000, `${N} journeys to complete`);

    const pathOf = (order: number, survey: boolean) =>
      ["trigger", "receipt_email", "big_order", order % 2 === 0 ? "thanks_big" : "thanks_small"]
        .concat(survey ? ["survey_email"] : [], ["exit"])
        .join(",");
    for (const j of first) {
      expect(j.versionId).toBe(v1.versionId);
      expect(j.path).toBe(pathOf(Number(j.orderId.slice(4)), false));
      expect(j.steps).toBe(j.distinctSteps); // no step logged twice
    }
    // The three workers shared the work.
    expect(new Set(first.map((j) => j.app))).toEqual(
      new Set(Array.from({ length: WORKERS }, (_, i) => `tidings-worker-${i + 1}`)),
    );

    // A new version, published on A; orders through B in the second that follows.
    await a.trpc("flows.saveDraft", {
      id: flow.id,
      graph: orderFlow(receipt, true),
      baseRevision: saved.draftRevision,
    });
    const v2 = await a.trpc<{ versionId: string }>("flows.publish", { id: flow.id });
    const publishedAt = Date.now();
    const posted = new Map<string, number>();
    let next = N;
    // Waves of six orders through B until 0.8 s after the publish (at least three waves).
    for (let wave = 0; wave < 3 || Date.now() - publishedAt < 800; wave++) {
      const orders = Array.from({ length: 6 }, () => next++);
      await Promise.all(
        orders.map(async (k) => {
          posted.set(`ord_${k}`, Date.now() - publishedAt);
          await placeOrder(b, k, k % 2 === 0 ? "batch" : "track");
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
    const total = next;
    const all = await until(() => settled(total), 60_000, "the orders after the publish to complete");
    expect(new Set(all.map((j) => j.orderId)).size).toBe(total); // one journey per order
    const after = all.filter((j) => posted.has(j.orderId));
    expect(after).toHaveLength(total - N);
    const firstAt = Math.min(...after.map((j) => new Date(j.at).getTime())) - publishedAt;
    const byWorker = new Map<string, number[]>();
    for (const j of after) {
      expect({ order: j.orderId, version: j.versionId }).toEqual({ order: j.orderId, version: v2.versionId });
      expect(j.path).toBe(pathOf(Number(j.orderId.slice(4)), true));
      expect(j.steps).toBe(j.distinctSteps);
      byWorker.set(j.app ?? "?", [...(byWorker.get(j.app ?? "?") ?? []), posted.get(j.orderId) ?? Infinity]);
    }
    console.log(
      `[cluster test] after the publish: first order posted to B enrolled on the new version ${firstAt} ms later; ` +
        [...byWorker]
          .map(([app, at]) => `${app}: ${at.length} orders, first posted at +${Math.min(...at)} ms`)
          .join("; "),
    );
    // Every worker enrolled orders posted within a second of the publish, on the new version only.
    expect([...byWorker.keys()].sort()).toEqual(
      Array.from({ length: WORKERS }, (_, i) => `tidings-worker-${i + 1}`),
    );
    for (const at of byWorker.values()) expect(Math.min(...at)).toBeLessThan(1_000);

    // Every email reached the provider exactly once.
    const messageIds = rowsOf<{ id: string }>(
      await t.db.execute(sql`select id from messages where flow_id = ${flow.id}`),
    ).map((m) => m.id);
    expect(messageIds).toHaveLength(N * 2 + (total - N) * 3);
    const counts = fake.countsByTag("message_id");
    expect(messageIds.filter((id) => counts[id] !== 1)).toEqual([]);
    expect(fake.received()).toHaveLength(messageIds.length);
    console.log(
      `[cluster test] ${total} orders, ${messageIds.length} emails in ${fake.requests().length} provider calls, ${Date.now() - started} ms in all`,
    );
  }, 600_000);
});
