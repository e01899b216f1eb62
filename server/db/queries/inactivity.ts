/**
 * Inactivity ("no Placed Order for 30 days"), as one set-based query shared by the sweep
 * that enrolls and the publish dialog that counts.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { contacts, enrollments, events } from "@/server/db/schema";
import { rowsOf } from "@/server/db/rows";
import type { InactivityTrigger } from "@/server/engine/nodes/trigger";

/**
 * The contacts an inactivity trigger is due for, in one statement: each contact's last such
 * event (or, with `includeNeverDone`, the day a contact with an email and no such event
 * joined) plus `days`, due in (from, now], not yet enrolled for that lapse. The lapse is the
 * occurrence key, so a contact enters once per lapse and again only after doing it anew.
 */
export function inactivitySql(flow: { flowId: string; workspaceId: string }, config: InactivityTrigger) {
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
    select count(*)::int as n from (${inactivitySql(input, input.config)}) d
    where due <= ${new Date(input.now).toISOString()}::timestamptz`);
  return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
}
