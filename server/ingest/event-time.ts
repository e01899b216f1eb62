/**
 * When an event happened, as flows will reason about it. Flows run on event time (a goal
 * placed after the trigger counts even if it arrived first), so a clock running ahead on a
 * device or a shop server must not place an event in the future: an event timestamped more
 * than five minutes after it arrived is clamped to its arrival time, and the timestamp it
 * was sent with is kept in the `original_timestamp` property. (Timestamps more than a day
 * ahead are refused by the request schema with a 400 naming `timestamp`.)
 */

/** How far ahead of its arrival an event may be timestamped and still be taken as sent. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** The property that keeps a clamped event's own timestamp (ISO 8601). */
export const ORIGINAL_TIMESTAMP_PROPERTY = "original_timestamp";

export interface EventTime {
  occurredAt: Date;
  properties: Record<string, unknown>;
  clamped: boolean;
}

export function eventTime(
  timestamp: Date | undefined,
  properties: Record<string, unknown>,
  receivedAt: Date,
): EventTime {
  if (!timestamp) return { occurredAt: receivedAt, properties, clamped: false };
  if (timestamp.getTime() <= receivedAt.getTime() + FUTURE_TOLERANCE_MS)
    return { occurredAt: timestamp, properties, clamped: false };
  return {
    occurredAt: receivedAt,
    properties: { ...properties, [ORIGINAL_TIMESTAMP_PROPERTY]: timestamp.toISOString() },
    clamped: true,
  };
}
