/**
 * Conversion attribution. A flow's goal event (default `Placed Order`) is credited, once
 * per flow, to the last message of that flow the contact opened or clicked within the
 * flow's window: `attributionDays` (default 5) after an email open or click, 24 hours after
 * an SMS or push click. Revenue is the event's value. An order nobody touched is not
 * credited to any message (a goal exit still records it, unattributed).
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { conversions, messageEvents, messages } from "@/server/db/schema";
import type { Channel } from "@/server/engine/facts";
import type { FlowGraph } from "@/server/engine/graph";
import { eventValueCents } from "@/server/engine";
import { rowsOf } from "@/server/db/rows";

export const DEFAULT_CONVERSION_EVENT = "Placed Order";
export const CLICK_WINDOW_SMS_PUSH_MS = 24 * 3_600_000;
const DAY = 86_400_000;

export function conversionEventOf(graph: FlowGraph): string {
  return graph.settings.goal?.event ?? DEFAULT_CONVERSION_EVENT;
}

export interface Touch {
  messageId: string;
  nodeId: string | null;
  channel: Channel;
  type: "opened" | "clicked";
  at: number;
}

/** Pure: which touch (if any) gets the credit for a conversion at `at`. */
export function creditedTouch(touches: readonly Touch[], at: number, attributionDays: number): Touch | null {
  let best: Touch | null = null;
  for (const t of touches) {
    if (t.at > at) continue;
    const window = t.channel === "email" ? attributionDays * DAY : CLICK_WINDOW_SMS_PUSH_MS;
    if (t.channel !== "email" && t.type !== "clicked") continue;
    if (at - t.at > window) continue;
    if (!best || t.at > best.at) best = t;
  }
  return best;
}

export interface ConversionInput {
  workspaceId: string;
  flowId: string;
  graph: FlowGraph;
  contactId: string;
  enrollmentId: string | null;
  event: { id: string; properties: Record<string, unknown>; occurredAt: number };
}

/** Records the conversion (once per flow and event), credited to the touch that earned it. Returns whether a row was written. */
export async function recordConversion(db: DbOrTx, input: ConversionInput): Promise<boolean> {
  return (await recordConversions(db, [input])) > 0;
}

/**
 * The flows whose messages reached each contact in the `lookbackDays` before its event, for a
 * whole batch of events in one query. Keyed by the caller's `key`.
 */
export async function flowsTouchingContacts(
  db: DbOrTx,
  workspaceId: string,
  items: ReadonlyArray<{ key: string; contactId: string; at: number }>,
  lookbackDays: number,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (items.length === 0) return out;
  const payload = items.map((i) => ({
    k: i.key,
    contact_id: i.contactId,
    since: new Date(i.at - lookbackDays * DAY).toISOString(),
    at: new Date(i.at).toISOString(),
  }));
  const result = await db.execute(sql`
    select distinct x.k, m.flow_id
    from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(k text, contact_id uuid, since timestamptz, at timestamptz)
    join ${messages} m on m.workspace_id = ${workspaceId} and m.contact_id = x.contact_id
      and m.created_at >= x.since and m.created_at <= x.at
    where m.flow_id is not null`);
  for (const r of rowsOf<{ k: string; flow_id: string }>(result))
    out.set(r.k, [...(out.get(r.k) ?? []), String(r.flow_id)]);
  return out;
}

/**
 * Records many conversions at once (once per flow and event, each credited to the touch that
 * earned it): the touches of every (flow, contact, event)
 * read in one query, the conversions written in one insert. Returns how many rows were written.
 */
export async function recordConversions(db: DbOrTx, inputs: readonly ConversionInput[]): Promise<number> {
  const unique = [...new Map(inputs.map((i) => [`${i.flowId}:${i.event.id}`, i])).values()];
  if (unique.length === 0) return 0;
  const payload = unique.map((input, i) => ({
    i,
    workspace_id: input.workspaceId,
    flow_id: input.flowId,
    contact_id: input.contactId,
    since: new Date(
      input.event.occurredAt - Math.max(input.graph.settings.attributionDays * DAY, CLICK_WINDOW_SMS_PUSH_MS),
    ).toISOString(),
    at: new Date(input.event.occurredAt).toISOString(),
  }));
  const result = await db.execute(sql`
    select x.i, t.message_id, t.node_id, t.channel, t.type, t.at
    from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
      as x(i int, workspace_id uuid, flow_id uuid, contact_id uuid, since timestamptz, at timestamptz)
    cross join lateral (
      select m.id as message_id, m.node_id, m.channel, me.type, me.occurred_at as at
      from ${messageEvents} me join ${messages} m on m.id = me.message_id
      where me.workspace_id = x.workspace_id and m.flow_id = x.flow_id and m.contact_id = x.contact_id
        and me.type in ('opened', 'clicked') and me.occurred_at >= x.since and me.occurred_at <= x.at
      order by me.occurred_at desc
      limit 50
    ) t`);
  const touches = new Map<number, Touch[]>();
  for (const r of rowsOf<{
    i: number;
    message_id: string;
    node_id: string | null;
    channel: Channel;
    type: Touch["type"];
    at: string | Date;
  }>(result))
    touches.set(Number(r.i), [
      ...(touches.get(Number(r.i)) ?? []),
      {
        messageId: String(r.message_id),
        nodeId: r.node_id,
        channel: r.channel,
        type: r.type,
        at: new Date(r.at).getTime(),
      },
    ]);
  const rows = unique.flatMap((input, i) => {
    const touch = creditedTouch(
      touches.get(i) ?? [],
      input.event.occurredAt,
      input.graph.settings.attributionDays,
    );
    if (!touch && !input.enrollmentId) return [];
    const currency =
      typeof input.event.properties.currency === "string"
        ? input.event.properties.currency.slice(0, 3).toUpperCase()
        : "USD";
    return [
      {
        workspaceId: input.workspaceId,
        flowId: input.flowId,
        enrollmentId: input.enrollmentId,
        contactId: input.contactId,
        eventId: input.event.id,
        messageId: touch?.messageId ?? null,
        nodeId: touch?.nodeId ?? null,
        valueCents: eventValueCents(input.event.properties),
        currency,
        occurredAt: new Date(input.event.occurredAt),
      },
    ];
  });
  if (rows.length === 0) return 0;
  const inserted = await db
    .insert(conversions)
    .values(rows)
    .onConflictDoUpdate({
      target: [conversions.flowId, conversions.eventId],
      // A goal exit and the event path may both see the order: keep one row, credited if either found the touch.
      set: {
        messageId: sql`coalesce(${conversions.messageId}, excluded.message_id)`,
        nodeId: sql`coalesce(${conversions.nodeId}, excluded.node_id)`,
        enrollmentId: sql`coalesce(${conversions.enrollmentId}, excluded.enrollment_id)`,
      },
    })
    .returning({ id: conversions.id });
  return inserted.length;
}
