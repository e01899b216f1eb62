/**
 * With analytics on, every card grows a stats block, so the rows of the published layout
 * move apart to make room: same columns, same order, only more space between rows. Pure.
 */
import type { FlowGraph } from "@/server/engine/graph";
import { MESSAGE_KINDS } from "@/server/engine/nodes";

/** Space kept between the bottom of one row and the top of the next. */
export const ROW_SPACE = 96;

/** Roughly how tall a card is with its stats block (the browser measures the real one). */
export function estimatedHeight(kind: string, outputs: number): number {
  const card = 76 + (outputs > 1 ? 28 : 0);
  const stats = (MESSAGE_KINDS as ReadonlySet<string>).has(kind) ? 228 : 48;
  return card + stats;
}

/** Nodes whose tops are this close share a row. */
const SAME_ROW = 8;

export function spreadRows(
  graph: Pick<FlowGraph, "nodes">,
  heightOf: (node: FlowGraph["nodes"][number]) => number,
): Map<string, { x: number; y: number }> {
  const sorted = [...graph.nodes].sort((a, b) => a.position.y - b.position.y);
  const out = new Map<string, { x: number; y: number }>();
  let rowTop = Number.NEGATIVE_INFINITY; // original top of the current row
  let rowNewTop = 0;
  let rowHeight = 0;
  let shift = 0;
  for (const node of sorted) {
    const y = node.position.y;
    if (y - rowTop > SAME_ROW) {
      // A new row: at least its original distance below the last row, and clear of it.
      const wanted =
        rowTop === Number.NEGATIVE_INFINITY ? y : Math.max(y + shift, rowNewTop + rowHeight + ROW_SPACE);
      shift = wanted - y;
      rowTop = y;
      rowNewTop = wanted;
      rowHeight = 0;
    }
    rowHeight = Math.max(rowHeight, heightOf(node));
    out.set(node.id, { x: node.position.x, y: y + shift });
  }
  return out;
}
