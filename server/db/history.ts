/**
 * History that stays affordable. The history tables are partitioned by UTC month of their
 * time column (`server/db/sql/history.sql` holds the database functions); this sweep, run by
 * the executor's periodic maintenance, creates the coming months' partitions ahead of time
 * and expires whole months once every workspace's history setting (`workspaces.history_months`,
 * 25 by default) has passed them:
 * - a month is expired when its end is older than the longest history any workspace keeps;
 *   its partition is dropped, except the rows kept forever (orders, `Placed Order` events),
 *   which are copied into a rebuilt month (`<partition>_kept`) first, so "has ordered",
 *   revenue and conversions never lose an order;
 * - a workspace that keeps fewer months than the longest has its older rows deleted in
 *   bounded batches (a shop alone on its database only ever drops whole months);
 * - the idempotency keys of expired events go with them (a message repeated years later is
 *   a new event), the keys of kept orders stay.
 * Analytics read daily rollups (`flow_stats_daily`) and conversions, which are not history
 * tables, so totals stay when a month goes.
 */
import { sql } from "drizzle-orm";
import { ORDER_EVENT } from "@/server/engine";
import type { DbOrTx } from "./client";
import { rowsOf } from "./rows";

/** A partitioned history table, its time column, and the rows kept whatever the history setting. */
export interface HistoryTable {
  table: string;
  column: string;
  /** SQL condition on the table's columns for rows kept forever; null when none are. */
  keep: string | null;
}

export const HISTORY_TABLES: readonly HistoryTable[] = [
  { table: "events", column: "occurred_at", keep: `name = '${ORDER_EVENT.replaceAll("'", "''")}'` },
];

/** Months of history a workspace keeps unless it says otherwise. */
export const DEFAULT_HISTORY_MONTHS = 25;
/** The fewest months a workspace may keep (a year of history for "last year" comparisons). */
export const MIN_HISTORY_MONTHS = 1;
export const MAX_HISTORY_MONTHS = 120;
/** Months created ahead of the current one. */
export const MONTHS_AHEAD = 3;
/** Rows deleted per table and workspace in one pass, for workspaces keeping fewer months than others. */
const DELETE_BATCH = 5_000;
/** One sweeper at a time across processes. */
const HISTORY_LOCK_ID = 7_401_224;

export interface HistoryPartition {
  table: string;
  name: string;
  /** First day of the month, `YYYY-MM-01`. */
  month: string;
  /** Rebuilt with only the rows kept forever. */
  kept: boolean;
}

export interface HistorySweep {
  created: string[];
  expired: string[];
  /** Rows removed, per table (whole months and per-workspace deletes). */
  removed: Record<string, number>;
  keysRemoved: number;
}

/** First day (UTC) of the month `offset` months from `at`'s month. */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The month partitions of a history table, oldest first (not the default partition). */
export async function listHistoryPartitions(db: DbOrTx, table: string): Promise<HistoryPartition[]> {
  const result = await db.execute(sql`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = to_regclass(${table}) order by c.relname`);
  const pattern = new RegExp(`^${table}_p(\\d{4})_(\\d{2})(_kept)?$`);
  return rowsOf(result).flatMap((row) => {
    const name = String(row.name);
    const match = pattern.exec(name);
    return match ? [{ table, name, month: `${match[1]}-${match[2]}-01`, kept: match[3] !== undefined }] : [];
  });
}

/** Creates the partitions of the current month and the `ahead` next ones where missing. */
export async function createHistoryPartitions(
  db: DbOrTx,
  now: Date,
  ahead = MONTHS_AHEAD,
): Promise<string[]> {
  const created: string[] = [];
  for (const { table } of HISTORY_TABLES) {
    const existing = new Set((await listHistoryPartitions(db, table)).map((p) => p.month));
    for (let offset = 0; offset <= ahead; offset++) {
      const month = day(monthStart(now, offset));
      if (existing.has(month)) continue;
      const result = await db.execute(
        sql`select tidings_history_partition(${table}, ${month}::date) as name`,
      );
      created.push(String(rowsOf(result)[0]?.name));
    }
  }
  return created;
}

/**
 * The sweep: creates months ahead, expires months no workspace keeps any more, trims
 * workspaces that keep fewer months than others, and removes the keys of expired events.
 * Runs in one transaction under an advisory lock; another process already sweeping is skipped.
 */
export async function sweepHistory(db: DbOrTx, now: Date): Promise<HistorySweep | null> {
  return db.transaction(async (tx) => {
    const locked = rowsOf(
      await tx.execute(sql`select pg_try_advisory_xact_lock(${HISTORY_LOCK_ID}) as ok`),
    )[0];
    if (!locked?.ok) return null;
    const sweep: HistorySweep = { created: [], expired: [], removed: {}, keysRemoved: 0 };
    sweep.created = await createHistoryPartitions(tx, now);

    const settings = rowsOf(await tx.execute(sql`select id, history_months from workspaces`)).map((row) => ({
      workspaceId: String(row.id),
      months: Number(row.history_months),
    }));
    const longest = Math.max(DEFAULT_HISTORY_MONTHS, ...settings.map((s) => s.months));
    // Rows before this instant are older than every workspace's history.
    const everyoneBefore = new Date(now);
    everyoneBefore.setUTCMonth(everyoneBefore.getUTCMonth() - longest);

    for (const spec of HISTORY_TABLES) {
      let removed = 0;
      for (const partition of await listHistoryPartitions(tx, spec.table)) {
        if (partition.kept) continue;
        const end = monthStart(new Date(`${partition.month}T00:00:00Z`), 1);
        if (end > everyoneBefore) continue;
        const result = await tx.execute(
          sql`select tidings_history_expire(${spec.table}, ${partition.month}::date, ${spec.keep}) as n`,
        );
        removed += Number(rowsOf(result)[0]?.n ?? 0);
        sweep.expired.push(partition.name);
      }
      // Rows no month partition holds (older than the months made when the table was
      // partitioned) are in the default partition, expired row by row.
      removed += await deleteOlder(tx, spec, `${spec.table}_default`, null, everyoneBefore);
      // Workspaces keeping fewer months than the longest: their older rows, a batch per pass.
      for (const { workspaceId, months } of settings) {
        if (months >= longest) continue;
        const before = new Date(now);
        before.setUTCMonth(before.getUTCMonth() - months);
        removed += await deleteOlder(tx, spec, spec.table, workspaceId, before);
      }
      sweep.removed[spec.table] = removed;
    }

    // Keys of events that are gone (expired with their month or trimmed), a batch per pass.
    for (const { workspaceId, months } of settings) {
      const before = new Date(now);
      before.setUTCMonth(before.getUTCMonth() - months);
      const keys = await tx.execute(sql`
        with doomed as (
          select k.workspace_id, k.idempotency_key from event_keys k
          where k.workspace_id = ${workspaceId}::uuid and k.occurred_at < ${before.toISOString()}::timestamptz
            and not exists (select 1 from events e where e.id = k.event_id and e.occurred_at = k.occurred_at)
          limit ${DELETE_BATCH}
        ), gone as (
          delete from event_keys k using doomed d
          where k.workspace_id = d.workspace_id and k.idempotency_key = d.idempotency_key
          returning 1
        )
        select count(*)::int as n from gone`);
      sweep.keysRemoved += Number(rowsOf(keys)[0]?.n ?? 0);
    }
    return sweep;
  });
}

/** Deletes up to a batch of `from`'s rows older than `before` (of one workspace, or all), except the kept ones. */
async function deleteOlder(
  db: DbOrTx,
  spec: HistoryTable,
  from: string,
  workspaceId: string | null,
  before: Date,
): Promise<number> {
  const at = sql.identifier(spec.column);
  const conditions = [sql`${at} < ${before.toISOString()}::timestamptz`];
  if (workspaceId) conditions.push(sql`workspace_id = ${workspaceId}::uuid`);
  if (spec.keep) conditions.push(sql`not (${sql.raw(spec.keep)})`);
  const result = await db.execute(sql`
    with doomed as (
      select id, ${at} as at from ${sql.identifier(from)} where ${sql.join(conditions, sql` and `)}
      limit ${DELETE_BATCH}
    ), gone as (
      delete from ${sql.identifier(from)} t using doomed d
      where t.id = d.id and t.${at} = d.at
      returning 1
    )
    select count(*)::int as n from gone`);
  return Number(rowsOf(result)[0]?.n ?? 0);
}
