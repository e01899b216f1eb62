/**
 * Events-stored hook: after ingest commits new event rows (never duplicates), the HTTP
 * handlers call `notifyEventsStored`, and every listener registered with `onEventsStored`
 * gets them — the executor subscribes here to enroll contacts into flows and wake the
 * ones waiting for an event.
 *
 * - Rows are the committed `events` rows; `contactId` is null for anonymous events.
 *   Anonymous events later merged into a contact by identify are not announced again.
 * - Listeners run one after another and are awaited; a listener that throws or rejects is
 *   logged and skipped, so it can never make the HTTP request fail.
 * - The registry lives on `globalThis`, so a listener registered at start-up
 *   (instrumentation) sees events stored by route handlers in other bundles.
 */
import type { StoredEvent } from "@/server/db/schema";

export type { StoredEvent };
export type EventsStoredListener = (
  workspaceId: string,
  rows: readonly StoredEvent[],
) => void | Promise<void>;

const KEY = Symbol.for("tidings.ingest.events-stored");
type Holder = { [KEY]?: Set<EventsStoredListener> };

function listeners(): Set<EventsStoredListener> {
  const g = globalThis as Holder;
  return (g[KEY] ??= new Set());
}

/** Registers a listener; returns the function that removes it. */
export function onEventsStored(listener: EventsStoredListener): () => void {
  listeners().add(listener);
  return () => {
    listeners().delete(listener);
  };
}

/** Tells every listener about newly stored events. Never throws. */
export async function notifyEventsStored(workspaceId: string, rows: readonly StoredEvent[]): Promise<void> {
  if (rows.length === 0) return;
  for (const listener of [...listeners()]) {
    try {
      await listener(workspaceId, rows);
    } catch (error) {
      console.error(`[ingest] an events-stored listener failed for workspace ${workspaceId}:`, error);
    }
  }
}
