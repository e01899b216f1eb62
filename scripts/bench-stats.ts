/**
 * `npm run bench:stats` — canvas statistics for one flow with 1M message rows and 5M message
 * events on local Postgres (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres;
 * a scratch database is created and dropped). The data goes in through the same triggers
 * that keep the rollups in production. Prints the stats query's p50/p95 (target < 200 ms) and,
 * for contrast, the same numbers computed directly from messages and message_events.
 * Sizes: BENCH_MESSAGES (1,000,000), BENCH_EVENTS (5,000,000).
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { openDb } from "@/server/db/client";
import { flows, users } from "@/server/db/schema";
import { createWorkspace } from "@/server/workspaces/workspaces";
import { publishFlow } from "@/server/flows/publish";
import { getFlowTemplate } from "@/server/engine";
import { flowStats } from "@/server/analytics/stats";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const PER_ENROLLMENT = 4;
const dbName = `tidings_bench_stats_${process.pid}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${dbName}`);
const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).toString();
const handle = await openDb({ url, maxConnections: 4 });
const sql = postgres(url, { max: 1, onnotice: () => {} });
const t = () => performance.now();

try {
  const userId = randomUUID();
  await handle.db.insert(users).values({ id: userId, name: "Bench", email: `bench-${userId}@example.com` });
  const ws = await createWorkspace(handle.db, { name: "Bench shop", ownerUserId: userId });
  const graph = getFlowTemplate("abandoned_cart")!.graph;
  const [flow] = await handle.db
    .insert(flows)
    .values({ workspaceId: ws.id, name: "Abandoned cart", draftGraph: graph, updatedBy: userId })
    .returning();
  const { versionId } = await publishFlow(handle.db, {
    workspaceId: ws.id,
    flowId: flow!.id,
    userId,
    moveInFlight: false,
  });
  const enrollmentsN = Math.ceil(MESSAGES / PER_ENROLLMENT);
  console.log(
    `Tidings stats benchmark — ${MESSAGES.toLocaleString("en")} messages, ${EVENTS.toLocaleString("en")} message events, one flow`,
  );

  let started = t();
  await sql`insert into contacts (workspace_id, external_id) select ${ws.id}, 'c' || g from generate_series(1, ${enrollmentsN}) g`;
  await sql`
    insert into enrollments (workspace_id, flow_id, version_id, contact_id, current_node_id, status, trigger_data, occurrence_key, state, entered_at)
    select ${ws.id}, ${flow!.id}, ${versionId}, c.id, 'trigger', 'active', '{}'::jsonb, 'bench:' || c.external_id, '{}'::jsonb,
           now() - (random() * interval '60 days')
    from contacts c where c.workspace_id = ${ws.id}`;
  const nodes = ["email_1", "email_2", "sms_reminder", "email_3"];
  for (const [i, node] of nodes.entries()) {
    await sql`
      insert into messages (workspace_id, enrollment_id, flow_id, node_id, visit, contact_id, channel, category, status, created_at)
      select e.workspace_id, e.id, e.flow_id, ${node}, 1, e.contact_id, ${node.startsWith("sms") ? "sms" : "email"}::channel, 'marketing', 'queued',
             e.entered_at + ${i} * interval '1 day'
      from enrollments e where e.flow_id = ${flow!.id}`;
    await sql`update messages set status = 'sent', sent_at = created_at where flow_id = ${flow!.id} and node_id = ${node}`;
  }
  // The path log and the ends, as the executor would have written them.
  await sql`
    insert into enrollment_steps (workspace_id, enrollment_id, flow_id, version_id, node_id, visit, outcome, at)
    select e.workspace_id, e.id, e.flow_id, e.version_id, n.node, 1, 'next', e.entered_at
    from enrollments e cross join unnest(array['trigger','wait_1h','email_1','wait_1d','email_2','sms_reminder','wait_2d','email_3']) as n(node)
    where e.flow_id = ${flow!.id}`;
  await sql`update enrollments set status = 'completed', current_node_id = 'exit', ended_at = entered_at + interval '3 days' where flow_id = ${flow!.id}`;
  console.log(
    `  loaded contacts, enrollments, messages and steps in ${((t() - started) / 1000).toFixed(1)} s`,
  );

  started = t();
  const chunk = Math.min(1_000_000, MESSAGES);
  const types = ["delivered", "opened", "opened", "clicked", "opened"] as const;
  for (let done = 0; done < EVENTS; done += chunk) {
    const n = Math.min(chunk, EVENTS - done);
    const type = types[(done / chunk) % types.length]!;
    await sql`
      insert into message_events (workspace_id, message_id, type, occurred_at, provider_event_id)
      select m.workspace_id, m.id, ${type}::message_event_type, m.created_at + (random() * interval '2 days'), null
      from (select id, workspace_id, created_at from messages where flow_id = ${flow!.id} order by random() limit ${n}) m`;
  }
  await sql`analyze`;
  console.log(
    `  loaded ${EVENTS.toLocaleString("en")} message events in ${((t() - started) / 1000).toFixed(1)} s`,
  );
  const [{ messages: mCount, events: eCount, rollups } = { messages: 0, events: 0, rollups: 0 }] = await sql<
    Array<{ messages: number; events: number; rollups: number }>
  >`
    select (select count(*) from messages)::int as messages, (select count(*) from message_events)::int as events, (select count(*) from flow_stats_daily)::int as rollups`;
  console.log(
    `  rows: ${mCount.toLocaleString("en")} messages, ${eCount.toLocaleString("en")} message events, ${rollups.toLocaleString("en")} rollup rows`,
  );

  const times: number[] = [];
  let stats: Awaited<ReturnType<typeof flowStats>> | null = null;
  for (let i = 0; i < 25; i++) {
    const s = t();
    stats = await flowStats(handle.db, { workspaceId: ws.id, flowId: flow!.id });
    if (i >= 5) times.push(t() - s);
  }
  times.sort((a, b) => a - b);
  const e1 = stats!.nodes.email_1!;
  console.log(
    `  canvas stats (all nodes, all time): p50 ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, p95 ${times[Math.floor(times.length * 0.95)]!.toFixed(1)} ms (target < 200 ms)`,
  );
  console.log(
    `    email_1: sent ${e1.sent}, delivered ${e1.delivered}, opened ${e1.opened}, clicked ${e1.clicked}`,
  );
  const range = t();
  await flowStats(handle.db, {
    workspaceId: ws.id,
    flowId: flow!.id,
    from: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10),
  });
  console.log(`  canvas stats (last 7 days): ${(t() - range).toFixed(1)} ms`);

  const direct = t();
  const [naive] = await sql<Array<{ opened: number }>>`
    select count(distinct e.message_id)::int as opened from message_events e join messages m on m.id = e.message_id
    where m.flow_id = ${flow!.id} and m.node_id = 'email_1' and e.type = 'opened'`;
  console.log(
    `  for contrast, one number computed directly (unique opens of email_1 = ${naive?.opened}): ${(t() - direct).toFixed(0)} ms`,
  );
  if (naive?.opened !== e1.opened)
    throw new Error(`rollup (${e1.opened}) and direct count (${naive?.opened}) disagree`);
} finally {
  await sql.end();
  await handle.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
