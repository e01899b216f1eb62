/**
 * How far a zoomed-out card's compact face may spread (semantic zoom, see builder.css):
 * sideways into the empty space beside the card, sharing a gap with the card on the same rows
 * by what each face needs (a short "Exit" leaves its neighbour the rest), at most `cap` per
 * side; and the height it may take between the cards above and below it, so edges stay
 * visible. Pure, for the tests.
 */
import type { Box } from "./placement";

/** Sideways spread per side and the height free for the face, in canvas px. */
export type Room = { left: number; right: number; height: number };

/** A card, and how wide its face would like to be (canvas px; unknown: as wide as it may). */
export type FaceCard = Box & { id: string; want?: number };

/** Cards whose boxes come within this distance above or below count as on the same rows. */
const ROW_SLACK = 24;
/** Kept clear between two faces that spread towards each other. */
const FACE_GAP = 12;
/** Height free for a card with nothing above or below it. */
const OPEN_HEIGHT = 100_000;

export function sideRoom(cards: readonly FaceCard[], cap: number): Map<string, Room> {
  const sorted = [...cards].sort((a, b) => a.y - b.y);
  const room = new Map<string, Room>(
    cards.map((c) => [c.id, { left: cap, right: cap, height: OPEN_HEIGHT }]),
  );
  // What a face needs beyond its card on each side when centred on it.
  const extra = (c: FaceCard) => (c.want === undefined ? Infinity : Math.max(0, (c.want - c.width) / 2));
  const share = (gap: number, other: FaceCard) => {
    const free = Math.max(0, gap - FACE_GAP);
    return Math.max(free / 2, free - extra(other));
  };
  const gapAbove = new Map<string, number>();
  const gapBelow = new Map<string, number>();
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    const mine = room.get(a.id)!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      const theirs = room.get(b.id)!;
      const across = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      if (across > 0) {
        // Stacked: the gap between them is shared by both faces' heights.
        const gap = Math.max(0, b.y - a.y - a.height);
        gapBelow.set(a.id, Math.min(gapBelow.get(a.id) ?? OPEN_HEIGHT, gap));
        gapAbove.set(b.id, Math.min(gapAbove.get(b.id) ?? OPEN_HEIGHT, gap));
        continue;
      }
      if (b.y > a.y + a.height + ROW_SLACK) continue;
      if (b.x >= a.x + a.width) {
        const gap = b.x - a.x - a.width;
        mine.right = Math.min(mine.right, share(gap, b));
        theirs.left = Math.min(theirs.left, share(gap, a));
      } else {
        const gap = a.x - b.x - b.width;
        mine.left = Math.min(mine.left, share(gap, b));
        theirs.right = Math.min(theirs.right, share(gap, a));
      }
    }
  }
  for (const c of cards) {
    const r = room.get(c.id)!;
    // No wider than the face needs.
    r.left = Math.min(r.left, extra(c));
    r.right = Math.min(r.right, extra(c));
    // A face centred on its card may take half of the gap on each side, as far as the smaller one.
    const half = Math.min(gapAbove.get(c.id) ?? OPEN_HEIGHT, gapBelow.get(c.id) ?? OPEN_HEIGHT);
    r.height = Math.min(OPEN_HEIGHT, c.height + half);
  }
  return room;
}

/** A compact layout never spreads a flow wider than this many times its width. */
export const MAX_SPREAD = 3;

/**
 * The compact layout (semantic zoom): how many times wider than drawn a zoomed-out flow is laid
 * out so that every face on a row gets the width it wants beside its neighbours — cards side by
 * side whose titles would not fit move apart, columns stay columns. Each pair of cards on the
 * same rows needs its centres at least half of both faces plus a margin apart. 1 when all fit,
 * at most `cap`. Pure, for the tests.
 */
export function spreadFactor(cards: readonly FaceCard[], cap = MAX_SPREAD): number {
  const sorted = [...cards].sort((a, b) => a.y - b.y);
  const face = (c: FaceCard) => Math.max(c.width, c.want ?? c.width);
  let factor = 1;
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (b.y > a.y + a.height + ROW_SLACK) break;
      const across = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      if (across > 0) continue;
      const apart = Math.abs(b.x + b.width / 2 - (a.x + a.width / 2));
      if (apart === 0) continue;
      factor = Math.max(factor, ((face(a) + face(b)) / 2 + FACE_GAP) / apart);
    }
  }
  return Math.min(cap, factor);
}

/** A card's left edge in the compact layout: its centre moved `factor` times as far from `anchor`. */
export function spreadX(x: number, width: number, anchor: number, factor: number): number {
  return anchor + (x + width / 2 - anchor) * factor - width / 2;
}

/** The inverse of `spreadX`: where a card moved in the compact layout sits in the flow. */
export function unspreadX(x: number, width: number, anchor: number, factor: number): number {
  return anchor + (x + width / 2 - anchor) / factor - width / 2;
}
