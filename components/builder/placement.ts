/**
 * Where a new step goes on the canvas, as pure functions of the cards already there: never on
 * top of another card (with a margin around each), as near as possible to where it was
 * wanted, preferring straight below, then the columns either side.
 */
import type { Position } from "@/server/engine/graph";
import { DEFAULT_NODE_SIZE, overlaps, type Size } from "./layout";

export type Box = Position & Size;

/** Clear space kept around every card. */
export const PLACEMENT_MARGIN = 32;

function inflate(box: Box, by: number): Box {
  return { x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by };
}

/** True when a card of `size` at `at` keeps the margin to every card in `occupied`. */
export function isFree(
  at: Position,
  size: Size,
  occupied: readonly Box[],
  margin = PLACEMENT_MARGIN,
): boolean {
  const box = inflate({ ...at, ...size }, margin / 2);
  return occupied.every((o) => !overlaps(box, inflate(o, margin / 2)));
}

/**
 * The nearest free spot for a card of `size` wanted at `want`: the spot itself when free,
 * else on a grid of card-sized steps around it, nearest first, below before beside before
 * above, right before left. Always returns (the search widens until it leaves the occupied area).
 */
const MAX_RINGS = 16;

export function findFreeSpot(
  want: Position,
  size: Size,
  occupied: readonly Box[],
  options: { margin?: number; rowStep?: number; columnStep?: number } = {},
): Position {
  const margin = options.margin ?? PLACEMENT_MARGIN;
  const rowStep = options.rowStep ?? size.height + margin;
  const columnStep = options.columnStep ?? size.width + margin;
  if (isFree(want, size, occupied, margin)) return want;
  // Near spots only; past them, below everything is always free.
  for (let ring = 1; ring <= MAX_RINGS; ring++) {
    for (const [column, row] of ringOffsets(ring)) {
      const at = { x: Math.round(want.x + column * columnStep), y: Math.round(want.y + row * rowStep) };
      if (isFree(at, size, occupied, margin)) return at;
    }
  }
  const bottom = Math.max(...occupied.map((o) => o.y + o.height));
  return { x: want.x, y: Math.round(bottom + margin) };
}

/**
 * Grid offsets (column, row) at Manhattan distance `ring`, in order of preference: rows below
 * first (nearest row first), then the same row, then rows above; right before left.
 */
function ringOffsets(ring: number): [number, number][] {
  const out: [number, number][] = [];
  for (let row = ring; row >= -ring; row--) {
    const c = ring - Math.abs(row);
    out.push([c, row]);
    if (c !== 0) out.push([-c, row]);
  }
  // Below (row > 0) before the same row before above; within those, the straighter the better.
  return out.sort((a, b) => rank(a) - rank(b));
}

function rank([column, row]: [number, number]): number {
  const band = row > 0 ? 0 : row === 0 ? 1 : 2;
  return band * 1000 + Math.abs(column) * 2 + (column < 0 ? 1 : 0);
}

export type PlacedCard = {
  id: string;
  position: Position;
  width?: number | undefined;
  height?: number | undefined;
};

export function boxOf(card: PlacedCard): Box {
  return {
    x: card.position.x,
    y: card.position.y,
    width: card.width ?? DEFAULT_NODE_SIZE.width,
    height: card.height ?? DEFAULT_NODE_SIZE.height,
  };
}

/** A card on the canvas with its outputs, in order, and which of them are still free. */
export type AnchorCard = Box & { id: string; outputs: readonly string[]; free: readonly string[] };

/** How far below a card a drop still counts as "right below it": about one row. */
export const DROP_REACH = 200;

/**
 * The step a card dropped with its top-left at `at` goes after: the card it lands right below
 * (its column overlaps the drop's by half a card or more, its bottom is at most `DROP_REACH`
 * above the drop's top and not below the drop's middle), nearest first, when that card has a
 * free output; the free output nearest the drop across (a condition's "No" when dropped under
 * its right half). Null when the drop is not right below a card, or that card's outputs are
 * all taken (it is then placed where dropped, unconnected).
 */
export function dropAnchor(
  at: Position,
  size: Size,
  cards: readonly AnchorCard[],
): { nodeId: string; handle: string } | null {
  const dropMiddle = at.x + size.width / 2;
  let best: { card: AnchorCard; distance: number } | null = null;
  for (const card of cards) {
    const bottom = card.y + card.height;
    const below = at.y - bottom;
    if (below > DROP_REACH || at.y + size.height / 2 < bottom) continue;
    const across = Math.min(at.x + size.width, card.x + card.width) - Math.max(at.x, card.x);
    if (across < Math.min(size.width, card.width) / 2) continue;
    const distance = Math.abs(below) + Math.abs(dropMiddle - (card.x + card.width / 2)) / 4;
    if (!best || distance < best.distance) best = { card, distance };
  }
  if (!best || best.card.free.length === 0) return null;
  const { card } = best;
  const handleX = (handle: string) =>
    card.x + ((card.outputs.indexOf(handle) + 0.5) / Math.max(1, card.outputs.length)) * card.width;
  const handle = [...card.free].sort(
    (a, b) => Math.abs(handleX(a) - dropMiddle) - Math.abs(handleX(b) - dropMiddle),
  )[0]!;
  return { nodeId: card.id, handle };
}
