/**
 * `npm run bench:scale` — what a shop with a million customers costs, on local Postgres.
 *
 * Generates (or reuses) shops with `scripts/bench-scale/data.ts` in `DATABASE_URL` (default
 * the `tidings_scale` database), then runs each section below and prints its figures:
 *   - time triggers: a birthday sweep and an inactivity sweep with 100 contacts due, before
 *     (the whole-workspace computation, `strategy: "scan"`) and after (due-driven), and a
 *     sweep with nothing due; target after ≤ 50 ms, the same at every shop size;
 *   - ingest through the batch path with the events table empty vs holding the shop's events;
 *   - publish moving 100,000 in-flight enrollments (target ≤ 5 s);
 *   - contact search (one word, two words, email prefix) and a contact's page data, p50/p99 over
 *     200 each, on the largest shop (given messages and journeys first);
 *   - the database size on disk.
 *
 * Options (env): DATABASE_URL; BENCH_SCALE_SHOPS = "contacts:events,…" (default
 * "100000:1000000,1000000:10000000"; BENCH_SCALE_QUICK=1 for "10000:100000,50000:500000"); BENCH_SCALE_ONLY = comma-separated section names;
 * BENCH_SCALE_TRIGGERS = "birthday,inactivity" (which sweeps); BENCH_SCALE_RUNS = sweeps measured per figure (default 3); BENCH_SCALE_BEFORE_MAX = skip the
 * "before" sweeps on shops with more contacts than this; BENCH_SCALE_EMPTY_DB = database for the empty-table ingest run (default `<db>_empty`, created
 * and dropped by the run).
 *
 * A shop is found again by its sizes (its workspace id is derived from them), so a second run
 * skips the load, and a run stopped while loading events resumes after them
 * (BENCH_SCALE_LOAD=off: measure the shop with the events it has). Other sections plug in through `SECTIONS` below.
 */
import { createHash, randomUUID } from "node:crypto";
import os from "node:os";
import postgres, { type Sql } from "postgres";
import { generateShop, contactIdSql } from "./bench-scale/data";
import { addContactHistory, benchContactPage, benchSearch, type Percentiles } from "./bench-scale/search";
import type { DbHandle } from "@/server/db/client";

export const BENCH_NOW = new Date(process.env.BENCH_SCALE_NOW ?? "2026-12-03T12:00:00Z");
const DAY = 86_400_000;

export interface Shop {
  workspaceId: string;
  contacts: number;
  events: number;
}

export interface SectionContext {
  sql: Sql;
  handle: DbHandle;
  url: string;
  shops: Shop[];
  userId: string;
}

export interface Section {
  name: string;
  run: (ctx: SectionContext) => Promise<void>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const fmt = (n: number) => n.toLocaleString("en");
const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

export function shopId(contacts: number, events: number): string {
  const h = createHash("md5").update(`scale-${contacts}-${events}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

async function ensureShop(sql: Sql, contacts: number, events: number): Promise<Shop> {
  const workspaceId = shopId(contacts, events);
  const [have] = await sql<{ contacts: number; events: number }[]>`
    select (select count(*)::int from contacts where workspace_id = ${workspaceId}) as contacts,
      (select count(*)::int from events where workspace_id = ${workspaceId}) as events`;
  const haveContacts = (have?.contacts ?? 0) >= contacts;
  // BENCH_SCALE_LOAD=off: measure the shop as it is (e.g. a load stopped part way).
  const asIs = process.env.BENCH_SCALE_LOAD === "off" && haveContacts;
  if (asIs || (haveContacts && (have?.events ?? 0) >= events)) {
    console.log(`shop ${fmt(contacts)} contacts: reused (${fmt(have?.events ?? 0)} events)`);
    return { workspaceId, contacts, events: have?.events ?? 0 };
  }
  const start = performance.now();
  const shop = await generateShop(sql, {
    contacts,
    events,
    workspaceId,
    now: BENCH_NOW,
    // A run stopped while loading events resumes after the events already there.
    skipContacts: haveContacts,
    eventsFrom: haveContacts ? (have?.events ?? 0) + 1 : 1,
    onProgress: (what, done, total) =>
      console.log(
        `  ${what} ${fmt(done)} / ${fmt(total)} (${((performance.now() - start) / 1000).toFixed(0)} s)`,
      ),
  });
  console.log(
    `shop ${fmt(contacts)} contacts, ${fmt(events)} events: loaded in ${((performance.now() - start) / 1000).toFixed(1)} s ` +
      `(contacts ${(shop.contactsMs / 1000).toFixed(1)} s, events ${(shop.eventsMs / 1000).toFixed(1)} s, ` +
      `of which indexes and each contact's last events built after the load ${(shop.indexMs / 1000).toFixed(1)} s)`,
  );
  return { workspaceId, contacts, events };
}

// ---------------------------------------------------------------- helpers

async function createBenchFlow(ctx: SectionContext, shop: Shop, name: string, graph: unknown, now: Date) {
  const { flows } = await import("@/server/db/schema");
  const { publishFlow } = await import("@/server/flows/publish");
  const [flow] = await ctx.handle.db
    .insert(flows)
    .values({ workspaceId: shop.workspaceId, name, draftGraph: graph as never, updatedBy: ctx.userId })
    .returning();
  const published = await publishFlow(ctx.handle.db, {
    workspaceId: shop.workspaceId,
    flowId: flow!.id,
    userId: ctx.userId,
    moveInFlight: false,
    now,
  });
  return { flowId: flow!.id, versionId: published.versionId };
}

async function quietShop(sql: Sql, shop: Shop) {
  await sql`update flows set status = 'archived' where workspace_id = ${shop.workspaceId} and status = 'live'`;
}

// ---------------------------------------------------------------- time triggers

const timeTriggers: Section = {
  name: "time-triggers",
  async run(ctx) {
    const { sweepTimeTriggers } = await import("@/server/executor/scheduler");
    const { edge, graph, node } = await import("@/server/engine/templates/build");
    const flowOf = (trigger: unknown) =>
      graph(
        [node("trigger", "trigger", 0, 0, trigger as never), node("exit", "exit", 0, 1, {})],
        [edge("trigger", "next", "exit")],
      );
    const { sql } = ctx;
    const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 3);
    const beforeMax = Number(process.env.BENCH_SCALE_BEFORE_MAX ?? Infinity);
    for (const shop of ctx.shops) {
      await quietShop(sql, shop);
      const label = `${fmt(shop.contacts)} contacts / ${fmt(shop.events)} events`;

      const triggers = (process.env.BENCH_SCALE_TRIGGERS ?? "birthday,inactivity").split(",");
      if (triggers.includes("birthday")) await birthdaySweeps(shop, label);
      if (triggers.includes("inactivity")) await inactivitySweeps(shop, label);
    }

    async function birthdaySweeps(shop: Shop, label: string) {
      // Birthday: 100 contacts have one on 3 December; nobody else within days of it.
      const now = Date.UTC(2026, 11, 3, 23, 0);
      await sql`update contacts set birthday = birthday + 10 where workspace_id = ${shop.workspaceId}
        and to_char(birthday, 'MM-DD') between '11-26' and '12-06'`;
      const stride = Math.floor(shop.contacts / 100);
      const due = await sql<{ id: string }[]>`
        update contacts set birthday = date '1990-12-03'
        where id in (select ${sql.unsafe(contactIdSql(`'${shop.workspaceId}'`, "k * " + stride))} from generate_series(1, 100) k)
        returning id`;
      const birthday = await createBenchFlow(
        ctx,
        shop,
        "Bench birthday",
        flowOf({ type: "date_property", property: "birthday", daysBefore: 0, time: "10:00", yearly: true }),
        new Date(now - 10 * DAY),
      );
      const reset = () => sql`delete from enrollments where flow_id = ${birthday.flowId}`;
      const before: number[] = [];
      let enrolledBefore = 0;
      for (let i = 0; i < (shop.contacts > beforeMax ? 0 : RUNS); i++) {
        await reset();
        const r = await timed(() =>
          sweepTimeTriggers(ctx.handle.db, now, { workspaceId: shop.workspaceId, strategy: "scan" }),
        );
        before.push(r.ms);
        enrolledBefore = r.result.enrolled;
      }
      await reset();
      const build = await timed(() =>
        sweepTimeTriggers(ctx.handle.db, now, { workspaceId: shop.workspaceId }),
      );
      const after: number[] = [];
      let enrolledAfter = 0;
      for (let i = 0; i < RUNS; i++) {
        await reset();
        await sql`update contact_trigger_due set due_at = ${new Date(now - 3_600_000)}
          where flow_id = ${birthday.flowId} and contact_id in ${sql(due.map((d) => d.id))}`;
        const r = await timed(() => sweepTimeTriggers(ctx.handle.db, now, { workspaceId: shop.workspaceId }));
        after.push(r.ms);
        enrolledAfter = r.result.enrolled;
      }
      const idle = await timed(() =>
        sweepTimeTriggers(ctx.handle.db, now, { workspaceId: shop.workspaceId }),
      );
      const [stored] = await sql<{ n: number }[]>`
        select count(*)::int as n from contact_trigger_due where flow_id = ${birthday.flowId}`;
      console.log(`birthday sweep, ${label}, 100 due:`);
      console.log(
        `  before ${before.length ? ms(median(before)) : "not measured (BENCH_SCALE_BEFORE_MAX)"} per sweep (median of ${RUNS}, ${enrolledBefore} entered); ` +
          `after ${ms(median(after))} (${enrolledAfter} entered; target ≤ 50 ms: ${verdict(median(after) <= 50)}); ` +
          `nothing due ${ms(idle.ms)}`,
      );
      console.log(
        `  occurrences built once when the version went live: ${fmt(stored?.n ?? 0)} rows in ${(build.ms / 1000).toFixed(1)} s`,
      );
      await quietShop(sql, shop);
    }

    async function inactivitySweeps(shop: Shop, label: string) {
      // Inactivity: no Placed Order for 30 days; the version went live so that 100 lapse in its window.
      const nowI = BENCH_NOW.getTime();
      const [edge101] = await sql<{ at: Date }[]>`
        select last_at as at from contact_event_last
        where workspace_id = ${shop.workspaceId} and event_name = 'Placed Order'
          and last_at <= ${new Date(nowI - 30 * DAY)}
        order by last_at desc offset 100 limit 1`;
      if (!edge101) {
        console.log("inactivity: the shop has fewer than 101 lapsed customers; skipped");
        return;
      }
      const publishedAt = new Date(edge101.at.getTime() + 30 * DAY);
      const winBack = await createBenchFlow(
        ctx,
        shop,
        "Bench win-back",
        flowOf({ type: "inactivity", event: "Placed Order", days: 30, segment: null }),
        publishedAt,
      );
      const resetI = () => sql`delete from enrollments where flow_id = ${winBack.flowId}`;
      const beforeI: number[] = [];
      const afterI: number[] = [];
      let inBefore = 0;
      let inAfter = 0;
      for (let i = 0; i < (shop.contacts > beforeMax ? 0 : RUNS); i++) {
        await resetI();
        const r = await timed(() =>
          sweepTimeTriggers(ctx.handle.db, nowI, { workspaceId: shop.workspaceId, strategy: "scan" }),
        );
        beforeI.push(r.ms);
        inBefore = r.result.enrolled;
      }
      for (let i = 0; i < RUNS; i++) {
        await resetI();
        const r = await timed(() =>
          sweepTimeTriggers(ctx.handle.db, nowI, { workspaceId: shop.workspaceId }),
        );
        afterI.push(r.ms);
        inAfter = r.result.enrolled;
      }
      const idleI = await timed(() =>
        sweepTimeTriggers(ctx.handle.db, nowI, { workspaceId: shop.workspaceId }),
      );
      console.log(`inactivity sweep, ${label}, 100 due:`);
      console.log(
        `  before ${beforeI.length ? ms(median(beforeI)) : "not measured (BENCH_SCALE_BEFORE_MAX)"} per sweep (median of ${RUNS}, ${inBefore} entered); ` +
          `after ${ms(median(afterI))} (${inAfter} entered; target ≤ 50 ms: ${verdict(median(afterI) <= 50)}); ` +
          `nothing due ${ms(idleI.ms)}`,
      );
      await quietShop(sql, shop);
    }
  },
};

// ---------------------------------------------------------------- ingest

/** `BENCH_SCALE_QUICK=1`: shops small enough for a run of a few minutes. */
const QUICK_SHOPS = "10000:100000,50000:500000";

const BATCHES = Number(process.env.BENCH_SCALE_BATCHES ?? 40);
const BATCH_SIZE = 100;
const CONCURRENCY = 4;

async function ingestRate(handle: DbHandle, workspaceId: string): Promise<number> {
  const { createApiKey } = await import("@/server/api-keys/api-keys");
  const { handleBatch } = await import("@/server/ingest/handlers");
  const { key } = await createApiKey(handle.db, { workspaceId, name: "bench", kind: "secret" });
  const run = randomUUID().slice(0, 8);
  const body = (b: number) =>
    JSON.stringify({
      batch: Array.from({ length: BATCH_SIZE }, (_, i) => {
        const n = b * BATCH_SIZE + i;
        return {
          type: "track",
          userId: `cust-${1 + (n % 5000)}`,
          messageId: `bench-${run}-${n}`,
          event: n % 10 === 0 ? "Placed Order" : "Viewed Product",
          timestamp: new Date(Date.now() - (n % 1000) * 1000).toISOString(),
          properties:
            n % 10 === 0 ? { order_id: `o-${run}-${n}`, value: 20, currency: "USD" } : { product_id: "p-1" },
        };
      }),
    });
  const post = async (b: number) => {
    const res = await handleBatch(
      handle.db,
      new Request("http://bench.local/api/v1/batch", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: body(b),
      }),
    );
    if (res.status >= 300) throw new Error(`batch refused: ${res.status} ${await res.text()}`);
  };
  await post(-1); // warm-up
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < BATCHES) await post(next++);
    }),
  );
  return (BATCHES * BATCH_SIZE) / ((performance.now() - start) / 1000);
}

const ingest: Section = {
  name: "ingest",
  async run(ctx) {
    const { openDb } = await import("@/server/db/client");
    const { users } = await import("@/server/db/schema");
    const { createWorkspace } = await import("@/server/workspaces/workspaces");
    const dbName = new URL(ctx.url).pathname.slice(1);
    const emptyName = process.env.BENCH_SCALE_EMPTY_DB ?? `${dbName}_empty`;
    const emptyUrl = Object.assign(new URL(ctx.url), { pathname: `/${emptyName}` }).toString();
    await ctx.sql.unsafe(`drop database if exists ${emptyName}`);
    await ctx.sql.unsafe(`create database ${emptyName}`);
    const empty = await openDb({ url: emptyUrl });
    let emptyRate: number;
    try {
      const userId = randomUUID();
      await empty.db
        .insert(users)
        .values({ id: userId, name: "Bench", email: `bench-${userId}@example.com` });
      const ws = await createWorkspace(empty.db, { name: "Empty shop", ownerUserId: userId });
      emptyRate = await ingestRate(empty, ws.id);
    } finally {
      await empty.close();
      await ctx.sql.unsafe(`drop database if exists ${emptyName}`);
    }
    const full = ctx.shops.at(-1)!;
    await quietShop(ctx.sql, full);
    const [{ n } = { n: 0 }] = await ctx.sql<{ n: number }[]>`select count(*)::int as n from events`;
    const fullRate = await ingestRate(ctx.handle, full.workspaceId);
    const drop = 100 * (1 - fullRate / emptyRate);
    console.log(
      `ingest /api/v1/batch (${BATCHES} × ${BATCH_SIZE} events, concurrency ${CONCURRENCY}): ` +
        `events table empty ${fmt(Math.round(emptyRate))} events/s; holding ${fmt(n)} events ${fmt(Math.round(fullRate))} events/s ` +
        `(${drop >= 0 ? "−" : "+"}${Math.abs(drop).toFixed(0)} %, target ≤ 20 % slower: ${verdict(drop <= 20)})`,
    );
  },
};

// ---------------------------------------------------------------- publish

const publishMove: Section = {
  name: "publish",
  async run(ctx) {
    const { publishFlow } = await import("@/server/flows/publish");
    const { flows } = await import("@/server/db/schema");
    const { edge, graph, node } = await import("@/server/engine/templates/build");
    const { eq } = await import("drizzle-orm");
    const shop = ctx.shops.at(-1)!;
    const IN_FLIGHT = Math.min(100_000, shop.contacts);
    const v1 = graph(
      [
        node("trigger", "trigger", 0, 0, { type: "event", event: "Bench Signed Up", filter: null }),
        node("wait", "wait", 0, 1, { mode: "duration", amount: 5, unit: "days" }),
        node("exit", "exit", 0, 2, {}),
      ],
      [edge("trigger", "next", "wait"), edge("wait", "next", "exit")],
    );
    const flow = await createBenchFlow(ctx, shop, "Bench publish", v1, BENCH_NOW);
    const w = `'${shop.workspaceId}'`;
    const load = await timed(() =>
      ctx.sql.unsafe(`
        insert into enrollments (workspace_id, flow_id, version_id, contact_id, current_node_id, status,
          next_run_at, occurrence_key, entered_at)
        select ${w}::uuid, '${flow.flowId}'::uuid, '${flow.versionId}'::uuid, ${contactIdSql(w, "n")}, 'wait', 'active',
          timestamptz '${BENCH_NOW.toISOString()}' + interval '5 days', 'bench:' || n, timestamptz '${BENCH_NOW.toISOString()}'
        from generate_series(1, ${IN_FLIGHT}) n`),
    );
    // v2 moves the wait a little on the canvas: every journey moves to it.
    const v2 = {
      ...v1,
      nodes: v1.nodes.map((n) => (n.id === "wait" ? { ...n, position: { x: 40, y: 120 } } : n)),
    };
    await ctx.handle.db.update(flows).set({ draftGraph: v2 }).where(eq(flows.id, flow.flowId));
    const moved = await timed(() =>
      publishFlow(ctx.handle.db, {
        workspaceId: shop.workspaceId,
        flowId: flow.flowId,
        userId: ctx.userId,
        moveInFlight: true,
        now: BENCH_NOW,
      }),
    );
    // v3 removes the wait: every journey on it exits.
    const v3 = graph(
      [
        node("trigger", "trigger", 0, 0, { type: "event", event: "Bench Signed Up", filter: null }),
        node("exit", "exit", 0, 1, {}),
      ],
      [edge("trigger", "next", "exit")],
    );
    await ctx.handle.db.update(flows).set({ draftGraph: v3 }).where(eq(flows.id, flow.flowId));
    const exited = await timed(() =>
      publishFlow(ctx.handle.db, {
        workspaceId: shop.workspaceId,
        flowId: flow.flowId,
        userId: ctx.userId,
        moveInFlight: true,
        now: BENCH_NOW,
      }),
    );
    console.log(
      `publish with ${fmt(IN_FLIGHT)} in-flight journeys (loaded in ${(load.ms / 1000).toFixed(1)} s): ` +
        `moving them ${(moved.ms / 1000).toFixed(2)} s (${fmt(moved.result.moved)} moved; target ≤ 5 s: ${verdict(moved.ms <= 5000)}); ` +
        `removing their step ${(exited.ms / 1000).toFixed(2)} s (${fmt(exited.result.exited)} exited)`,
    );
    await quietShop(ctx.sql, shop);
    await ctx.sql`delete from enrollments where flow_id = ${flow.flowId}`;
  },
};

// ---------------------------------------------------------------- search and the contact page

const searchAndPage: Section = {
  name: "search",
  async run(ctx) {
    const shop = ctx.shops.at(-1)!;
    const [had] = await ctx.sql<{ n: number }[]>`
      select count(*)::int as n from messages where workspace_id = ${shop.workspaceId}`;
    if (!had?.n) {
      // The contact page reads messages and journeys too: two messages and a fifth of a journey per contact.
      const messages = 2 * shop.contacts;
      const journeys = Math.ceil(shop.contacts / 5);
      const history = await addContactHistory(ctx.sql, {
        workspaceId: shop.workspaceId,
        contacts: shop.contacts,
        messages,
        journeys,
        now: BENCH_NOW,
      });
      // As autovacuum would have by the time anyone searches: hint bits set, visibility map built.
      await ctx.sql.unsafe(`vacuum analyze messages, enrollments, enrollment_steps`);
      console.log(
        `contact history: ${fmt(messages)} messages and ${fmt(journeys)} journeys loaded in ${(history.ms / 1000).toFixed(1)} s`,
      );
    }
    const line = (what: string, p: Percentiles, unit: string, target: number) =>
      console.log(
        `  ${what.padEnd(34)} p50 ${ms(p.p50).padStart(9)}  p99 ${ms(p.p99).padStart(9)}  ` +
          `(${fmt(Math.round(p.rows))} ${unit} on average; target p99 ≤ ${target} ms: ${verdict(p.p99 <= target)})`,
      );
    const search = await benchSearch(ctx.handle.db, ctx.sql, {
      workspaceId: shop.workspaceId,
      contacts: shop.contacts,
    });
    console.log(`contact search at ${fmt(shop.contacts)} contacts, 200 queries each:`);
    line("one word (a first or last name)", search.oneWord, "matches", 100);
    line("two words (first and last name)", search.twoWords, "matches", 100);
    line("email prefix", search.emailPrefix, "matches", 100);
    const page = await benchContactPage(ctx.handle.db, ctx.sql, {
      workspaceId: shop.workspaceId,
      contacts: shop.contacts,
    });
    console.log(`contact page data, 200 contacts:`);
    line("profile, journeys, messages, timeline", page, "messages and events shown", 200);
  },
};

// ---------------------------------------------------------------- size on disk

const size: Section = {
  name: "size",
  async run(ctx) {
    const [db] = await ctx.sql<
      { size: string }[]
    >`select pg_size_pretty(pg_database_size(current_database())) as size`;
    const tables = await ctx.sql<{ name: string; size: string }[]>`
      select c.relname as name, pg_size_pretty(pg_total_relation_size(c.oid)) as size
      from pg_class c join pg_namespace s on s.oid = c.relnamespace
      where s.nspname = 'public' and c.relkind = 'r'
      order by pg_total_relation_size(c.oid) desc limit 6`;
    console.log(
      `database size on disk: ${db?.size} (largest with indexes: ${tables.map((t) => `${t.name} ${t.size}`).join(", ")})`,
    );
  },
};

/**
 * The sections, in order. Another part of the product adds its own by appending here (e.g. a
 * `scripts/bench-scale/search.ts` exporting a `Section`).
 */
export const SECTIONS: Section[] = [timeTriggers, ingest, publishMove, searchAndPage, size];

async function main() {
  const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/tidings_scale";
  const { openDb } = await import("@/server/db/client");
  const { users } = await import("@/server/db/schema");
  const handle = await openDb({ url, maxConnections: 4 });
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    const shops: Shop[] = [];
    const shopsSpec =
      process.env.BENCH_SCALE_SHOPS ??
      (process.env.BENCH_SCALE_QUICK === "1" ? QUICK_SHOPS : "100000:1000000,1000000:10000000");
    for (const spec of shopsSpec.split(",")) {
      const [contacts, events] = spec.split(":").map(Number);
      shops.push(await ensureShop(sql, contacts!, events!));
    }
    const userId = randomUUID();
    await handle.db.insert(users).values({ id: userId, name: "Bench", email: `bench-${userId}@example.com` });
    const only = process.env.BENCH_SCALE_ONLY?.split(",");
    console.log(`load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`);
    for (const section of SECTIONS) {
      if (only && !only.includes(section.name)) continue;
      await section.run({ sql, handle, url, shops, userId });
    }
  } finally {
    await sql.end();
    await handle.close();
  }
}

await main();
