import { describe, expect, it } from "vitest";
import { estimatedHeight, ROW_SPACE, spreadRows } from "./spread";

const n = (id: string, x: number, y: number) =>
  ({ id, kind: "wait", position: { x, y }, config: {} }) as never;

describe("spreading the rows for the stats blocks", () => {
  it("keeps columns and order, and moves each row clear of the one above", () => {
    const graph = { nodes: [n("c", 0, 336), n("a", 0, 0), n("b1", -160, 168), n("b2", 160, 170)] };
    const out = spreadRows(graph, (node) => ((node as { id: string }).id === "b2" ? 300 : 100));
    expect(out.get("a")).toEqual({ x: 0, y: 0 });
    // Row 2 (b1 and b2 are one row) moves just below a's card, and keeps its small offset.
    expect(out.get("b1")).toEqual({ x: -160, y: 100 + ROW_SPACE });
    expect(out.get("b2")).toEqual({ x: 160, y: 100 + ROW_SPACE + 2 });
    // Row 3 moves below the tallest card of row 2.
    expect(out.get("c")).toEqual({ x: 0, y: 100 + ROW_SPACE + 300 + ROW_SPACE });
  });

  it("leaves rows already far apart where they are (shifted with those above)", () => {
    const out = spreadRows({ nodes: [n("a", 0, 0), n("b", 0, 100), n("c", 0, 2000)] }, () => 150);
    expect(out.get("b")!.y).toBe(150 + ROW_SPACE);
    expect(out.get("c")!.y).toBe(2000 + (150 + ROW_SPACE - 100));
  });

  it("allows for the taller blocks of message steps and the output labels of branches", () => {
    expect(estimatedHeight("email", 1)).toBeGreaterThan(estimatedHeight("wait", 1));
    expect(estimatedHeight("condition", 2)).toBeGreaterThan(estimatedHeight("wait", 1));
  });
});
