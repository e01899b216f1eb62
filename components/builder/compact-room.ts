/**
 * How far a zoomed-out card's compact face may spread sideways (semantic zoom, see
 * builder.css): into the empty space beside the card, half way to the nearest card on the
 * same rows (whose face spreads towards it too), at most `cap` per side. Pure, for the tests.
 */
import type { Box } from "./placement";

export type Room = { left: number; right: number };

/** Cards whose boxes come within this distance above or below count as on the same rows. */
const ROW_SLACK = 24;
/** Kept clear between two faces that spread towards each other. */
const FACE_GAP = 16;

export function sideRoom(cards: readonly (Box & { id: string })[], cap: number): Map<string, Room> {
  const sorted = [...cards].sort((a, b) => a.y - b.y);
  const room = new Map<string, Room>(cards.map((c) => [c.id, { left: cap, right: cap }]));
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    const mine = room.get(a.id)!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      // Sorted by top: once b starts below a's rows, so do all after it.
      if (b.y > a.y + a.height + ROW_SLACK) break;
      const theirs = room.get(b.id)!;
      if (b.x >= a.x + a.width) {
        const half = Math.max(0, (b.x - a.x - a.width - FACE_GAP) / 2);
        mine.right = Math.min(mine.right, half);
        theirs.left = Math.min(theirs.left, half);
      } else if (a.x >= b.x + b.width) {
        const half = Math.max(0, (a.x - b.x - b.width - FACE_GAP) / 2);
        mine.left = Math.min(mine.left, half);
        theirs.right = Math.min(theirs.right, half);
      }
      // Cards on top of each other (same column, or overlapping): no sideways limit from them.
    }
  }
  return room;
}
