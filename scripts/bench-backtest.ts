/**
 * `npm run bench:backtest` — the forecast of a 12-step flow over 30 days of a shop's events on
 * local Postgres, at several sizes. Each size runs in its own process (so peak memory is its
 * own) against a fresh database (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/tidings_h2_bench; dropped and created again), filled with
 * SQL (generate_series, not row by row): contacts, then events (checkouts, product views,
 * orders of those carts) spread over the window. Prints load time, forecast time, events/s and
 * peak RSS / heap. Sizes: BENCH_SIZES, `contacts:events` pairs separated by commas
 * (default 10000:100000,100000:1000000).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import postgres from "postgres";
import { openDb } from "@/server/db/client";
import { users } from "@/server/db/schema";
import { FlowGraph } from "@/server/engine/graph";
import { abandonedCart } from "@/server/engine/templates/abandoned-cart";
import { createWorkspace } from "@/server/workspaces/workspaces";
import { backtest } from "@/server/simulate";

const URL_ = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/tidings_h2_bench";
const SIZES = (process.env.BENCH_SIZES ?? "10000:100000,100000:1000000")
  .split(",")
  .map((s) => s.split(":").map(Number) as [number, number]);
const DAY = 86_400_000;
const TO = Date.parse("2026-11-01T00:00:00Z");
const FROM = TO - 30 * DAY;

/**
 * Started Checkout → 1 h → email → 1 day → never ordered? → email + SMS → wait for a product
 * view (2 days) → email → A/B split → push | email → exit: 12 steps; the goal is this cart's order.
 */
export function benchFlow(): FlowGraph {
  const base = FlowGraph.parse(abandonedCart);
  const copy = (id: string) => base.nodes.find((n) => n.id === id)!;
  const at = (y: number) => ({ x: 0, y });
  const nodes = [
    copy("trigger"),
    copy("wait_1h"),
    copy("email_1"),
    copy("wait_1d"),
    { ...copy("never_ordered"), position: at(4) },
    { ...copy("email_2"), position: at(5) },
    { ...copy("sms_reminder"), position: at(6) },
    {
      id: "viewed",
      kind: "wait_for_event",
      position: at(7),
      config: { event: "Viewed Product", filter: null, matchTriggerProperty: null, timeout: { amount: 2, unit: "days" } },
    },
    { ...copy("email_3"), position: at(8) },
    { id: "ab", kind: "split", position: at(9), config: { branches: [{ id: "a", label: "A", percent: 50 }, { id: "b", label: "B", percent: 50 }] } },
    { id: "push", kind: "push", position: at(10), config: { title: "Still there?", body: "Your cart misses you", category: "marketing" } },
    { ...copy("email_1"), id: "email_4", position: at(10) },
    { ...copy("exit"), position: at(11) },
  ];
  const edge = (source: string, sourceHandle: string, target: string) => ({
    id: `${source}-${sourceHandle}-${target}`,
    source,
    sourceHandle,
    target,
  });
  return FlowGraph.parse({
    schema: 1,
    nodes,
    edges: [
      edge("trigger", "next", "wait_1h"),
      edge("wait_1h", "next", "email_1"),
      edge("email_1", "next", "wait_1d"),
      edge("wait_1d", "next", "never_ordered"),
      edge("never_ordered", "yes", "email_2"),
      edge("never_ordered", "no", "exit"),
      edge("email_2", "next", "sms_reminder"),
      edge("sms_reminder", "next", "viewed"),
      edge("viewed", "event", "email_3"),
      edge("viewed", "timeout", "ab"),
      edge("email_3", "next", "exit"),
      edge("ab", "a", "push"),
      edge("ab", "b", "email_4"),
      edge("push", "next", "exit"),
      edge("email_4", "next", "exit"),
    ],
    settings: base.settings,
  });
}

async function one(contactsN: number, eventsN: number) {
  const target = new URL(URL_);
  const name = target.pathname.slice(1);
  const admin = postgres(Object.assign(new URL(URL_), { pathname: "/postgres" }).toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const handle = await openDb({ url: URL_, maxConnections: 4 });
  const sql = postgres(URL_, { max: 1, onnotice: () => {} });
  try {
    const userId = crypto.randomUUID();
    await handle.db.insert(users).values({ id: userId, name: "Bench", email: `bench-${userId}@example.com` });
    const ws = await createWorkspace(handle.db, { name: "Bench shop", ownerUserId: userId });

    let started = performance.now();
    await sql`
      insert into contacts (workspace_id, external_id, email, phone, first_name, timezone, email_consent, sms_consent, push_consent)
      select ${ws.id}, 'c' || g, 'shopper' || g || '@example.com', '+1555' || lpad(g::text, 7, '0'), 'Shopper',
             (array['America/New_York','Europe/Rome','Asia/Tokyo','UTC'])[1 + g % 4],
             'subscribed', (array['subscribed','unsubscribed','none'])[1 + g % 3]::consent_status, 'subscribed'
      from generate_series(1, ${contactsN}) g`;
    await sql`create temp table bench_contacts as
      select id, row_number() over (order by external_id) as rn from contacts where workspace_id = ${ws.id}`;
    await sql`create index on bench_contacts (rn)`;
    // Per contact, its events in order: checkouts (30 %), product views (50 %), orders (20 %) of
    // one of its four carts, at random times in the window.
    // Inserted in time order, as a shop's events arrive.
    await sql`
      insert into events (workspace_id, contact_id, name, properties, occurred_at, idempotency_key, triggered_at)
      select ${ws.id}, c.id,
             case when (g / ${contactsN}) % 10 < 3 then 'Started Checkout'
                  when (g / ${contactsN}) % 10 < 8 then 'Viewed Product' else 'Placed Order' end,
             jsonb_build_object('cart_id', 'cart-' || c.rn || '-' || ((g / ${contactsN}) % 4), 'value', 20 + g % 80, 'product_id', 'p' || g % 30),
             t.at, 'bench-' || g, now()
      from generate_series(1, ${eventsN}) g
      cross join lateral (select ${new Date(FROM).toISOString()}::timestamptz + random() * interval '30 days' + g * interval '0 s' as at) t
      join bench_contacts c on c.rn = 1 + (g % ${contactsN})
      order by t.at`;
    await sql`analyze events`;
    const loadS = (performance.now() - started) / 1000;

    const graph = benchFlow();
    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const timer = setInterval(sample, 50);
    started = performance.now();
    const result = await backtest(handle.db, { workspaceId: ws.id, graph, settings: graph.settings, from: FROM, to: TO });
    const s = (performance.now() - started) / 1000;
    clearInterval(timer);
    sample();
    peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
    const mb = (n: number) => `${Math.round(n / 1_048_576)} MB`;
    const sent = Object.values(result.nodes).reduce((n, f) => n + f.sent, 0);
    console.log(
      [
        `${contactsN.toLocaleString("en")} contacts, ${eventsN.toLocaleString("en")} events:`,
        `load ${loadS.toFixed(1)} s`,
        `forecast ${s.toFixed(2)} s`,
        `${Math.round(result.events / s).toLocaleString("en")} events/s`,
        `peak RSS ${mb(peakRss)}, heap ${mb(peakHeap)}`,
        `(${result.contacts.toLocaleString("en")} entered contacts, ${result.nodes.trigger!.entered.toLocaleString("en")} journeys, ${sent.toLocaleString("en")} messages)`,
      ].join(" · "),
    );
  } finally {
    await sql.end();
    await handle.close();
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename;
if (!isMain) {
  // Imported for its flow.
} else if (process.env.BENCH_ONE) {
  const [c, e] = process.env.BENCH_ONE.split(":").map(Number) as [number, number];
  await one(c, e);
} else {
  console.log(`Tidings forecast benchmark — 30 days, a 12-step flow, ${URL_}`);
  for (const [c, e] of SIZES) {
    const child = spawnSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "bench-backtest.ts")], {
      env: { ...process.env, BENCH_ONE: `${c}:${e}` },
      stdio: "inherit",
    });
    if (child.status !== 0) process.exitCode = child.status ?? 1;
  }
}
