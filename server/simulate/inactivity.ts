/**
 * When an inactivity trigger ("no Placed Order for 30 days") fires for one contact inside a
 * forecast's window, as the live sweep would have fired it: each time the contact went
 * `days` without the event, at the moment the gap reached `days` (the last event's time plus
 * `days`, `inactivityDueAt`). With `includeNeverDone`, a contact with an email who never did
 * it counts from when they joined. Pure.
 */
import type { InactivityTrigger } from "@/server/engine/nodes/trigger";
import { inactivityDueAt } from "@/server/engine/nodes/trigger";

export function inactivityOccurrences(
  trigger: InactivityTrigger,
  contact: {
    /** The last such event before the window, if any. */
    lastBefore: number | null;
    /** The window's events of that name, any order. */
    times: readonly number[];
    joinedAt: number;
    hasEmail: boolean;
  },
  from: number,
  to: number,
): number[] {
  const times = [...contact.times].sort((a, b) => a - b);
  const out: number[] = [];
  // The gap before the first event of the window: from the last one before it, or from joining.
  const firstGapFrom =
    contact.lastBefore ?? (trigger.includeNeverDone && contact.hasEmail ? contact.joinedAt : null);
  const starts: Array<number | null> = [firstGapFrom, ...times];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    if (start === null || start === undefined) continue;
    const due = inactivityDueAt(trigger, start, start);
    const next = i + 1 < starts.length ? starts[i + 1]! : Infinity;
    if (due < next && due >= from && due < to) out.push(due);
  }
  return out;
}
