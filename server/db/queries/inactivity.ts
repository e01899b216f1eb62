/**
 * Inactivity ("no Placed Order for 30 days"), as set-based queries shared by the sweep that
 * enrolls and the publish dialog that counts. They read `contact_event_last` (each contact's
 * last time of each event, kept by the database on ingest) through its
 * `(workspace_id, event_name, last_at)` index, so a sweep costs what is due in its window, not
 * the workspace's whole history.
 */
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { contactEventLast, contacts, enrollments, events } from "@/server/db/schema";
import { rowsOf } from "@/server/db/rows";
import type { InactivityTrigger } from "@/server/engine/nodes/trigger";

const iso = (at: number) => new Date(at).toISOString();

/**
 * The contacts an inactivity trigger falls due for in (`from`, `to`] (`from` null: no lower
 * bound, for catch-up and counts; `to` null: no upper bound), not yet enrolled for that lapse:
 * each contact's last such event (or, with `includeNeverDone`, the day a contact with an email
 * and no such event joined) plus `days`. The lapse is the occurrence key, so a contact enters
 * once per lapse and again only after doing it anew. Rows: `contact_id`, `due`, `key`.
 */
export function inactivityDueSql(
  flow: { flowId: string; workspaceId: string },
  config: InactivityTrigger,
  window: { from: number | null; to: number | null },
): SQL {
  const days = sql`make_interval(days => ${config.days})`;
  const bounds = (column: SQL) =>
    sql.join(
      [
        window.from === null ? sql`true` : sql`${column} > ${iso(window.from)}::timestamptz - ${days}`,
        window.to === null ? sql`true` : sql`${column} <= ${iso(window.to)}::timestamptz - ${days}`,
      ],
      sql` and `,
    );
  return sql`
    with lapses as (
      select l.contact_id, l.last_at as since, 'inactive:' as prefix from ${contactEventLast} l
      where l.workspace_id = ${flow.workspaceId} and l.event_name = ${config.event}
        and ${bounds(sql`l.last_at`)}
      ${
        config.includeNeverDone
          ? sql`union all
      select c.id, c.created_at, 'inactive:joined:' from ${contacts} c
      where c.workspace_id = ${flow.workspaceId} and c.email is not null
        and ${bounds(sql`c.created_at`)}
        and not exists (select 1 from ${contactEventLast} l
          where l.contact_id = c.id and l.event_name = ${config.event})`
          : sql``
      }
    ),
    keyed as (
      select contact_id, since + ${days} as due,
        prefix || to_char(since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as key
      from lapses
    )
    select k.contact_id, k.due, k.key from keyed k
    where not exists (
      select 1 from ${enrollments} x
      where x.flow_id = ${flow.flowId} and x.contact_id = k.contact_id and x.occurrence_key = k.key
    )`;
}

/**
 * The same contacts computed from the whole event history (max(occurred_at) per contact on
 * every call). Kept as the reference the index-driven query is measured and checked against.
 */
export function inactivityScanSql(flow: { flowId: string; workspaceId: string }, config: InactivityTrigger) {
  return sql`
    with last_done as (
      select e.contact_id, max(e.occurred_at) as at
      from ${events} e
      where e.workspace_id = ${flow.workspaceId} and e.name = ${config.event} and e.contact_id is not null
      group by e.contact_id
    ),
    lapses as (
      select l.contact_id, l.at as since, 'inactive:' as prefix from last_done l
      ${
        config.includeNeverDone
          ? sql`union all
      select c.id, c.created_at, 'inactive:joined:' from ${contacts} c
      where c.workspace_id = ${flow.workspaceId} and c.email is not null
        and not exists (select 1 from last_done l where l.contact_id = c.id)`
          : sql``
      }
    ),
    keyed as (
      select contact_id, since + make_interval(days => ${config.days}) as due,
        prefix || to_char(since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as key
      from lapses
    )
    select k.contact_id, k.due, k.key from keyed k
    where not exists (
      select 1 from ${enrollments} x
      where x.flow_id = ${flow.flowId} and x.contact_id = k.contact_id and x.occurrence_key = k.key
    )`;
}

/** How many contacts an inactivity trigger would enroll at once if it went live now with catch-up. */
export async function countInactiveNow(
  db: DbOrTx,
  input: { workspaceId: string; flowId: string; config: InactivityTrigger; now: number },
): Promise<number> {
  const result = await db.execute(sql`
    select count(*)::int as n from (${inactivityDueSql(input, input.config, { from: null, to: input.now })}) d`);
  return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
}
