import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { emptyGraph } from "@/server/engine/graph";
import { DEFAULT_NODE_SIZE, overlaps } from "./layout";
import { findFreeSpot, isFree, PLACEMENT_MARGIN, type Box } from "./placement";
import { createBuilderStore } from "./store";

const SIZE = DEFAULT_NODE_SIZE;
const box = (x: number, y: number, width = SIZE.width, height = SIZE.height): Box => ({
  x,
  y,
  width,
  height,
});

describe("placement", () => {
  it("keeps the wanted spot when it is free, and moves below an occupied one", () => {
    expect(findFreeSpot({ x: 0, y: 0 }, SIZE, [box(600, 0)])).toEqual({ x: 0, y: 0 });
    const at = findFreeSpot({ x: 0, y: 0 }, SIZE, [box(0, 0)]);
    expect(at.x).toBe(0);
    expect(at.y).toBeGreaterThanOrEqual(SIZE.height + PLACEMENT_MARGIN);
  });

  it("goes beside a column that is full below", () => {
    const column = Array.from({ length: 40 }, (_, i) => box(0, i * 150, SIZE.width, 140));
    const at = findFreeSpot({ x: 0, y: 300 }, SIZE, column);
    expect(isFree(at, SIZE, column)).toBe(true);
    expect(Math.abs(at.x)).toBeGreaterThanOrEqual(SIZE.width);
    expect(at.y).toBe(300);
  });

  it("property: the spot found never overlaps any card, whatever the cards and sizes", () => {
    const card = fc.record({
      x: fc.integer({ min: -2000, max: 2000 }),
      y: fc.integer({ min: -2000, max: 2000 }),
      width: fc.integer({ min: 40, max: 600 }),
      height: fc.integer({ min: 40, max: 600 }),
    });
    fc.assert(
      fc.property(
        fc.array(card, { maxLength: 60 }),
        fc.record({ x: fc.integer({ min: -2000, max: 2000 }), y: fc.integer({ min: -2000, max: 2000 }) }),
        (cards, want) => {
          const at = findFreeSpot(want, SIZE, cards);
          for (const c of cards) expect(overlaps({ ...at, ...SIZE }, c)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: steps added from the palette never overlap, and connect to the selected step's free output", () => {
    const kinds = ["wait", "email", "condition", "split", "sms", "exit", "action"] as const;
    const op = fc.oneof(
      fc.record({ type: fc.constant("add" as const), kind: fc.constantFrom(...kinds) }),
      fc.record({ type: fc.constant("select" as const), pick: fc.nat() }),
      fc.record({ type: fc.constant("deselect" as const) }),
      fc.record({
        type: fc.constant("drop" as const),
        kind: fc.constantFrom(...kinds),
        x: fc.integer({ min: -400, max: 800 }),
        y: fc.integer({ min: -400, max: 1600 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        const store = createBuilderStore(emptyGraph());
        const s = () => store.getState();
        s().appendNode("trigger");
        for (const o of ops) {
          if (o.type === "select") {
            const nodes = s().nodes;
            s().selectNode(nodes[o.pick % nodes.length]!.id);
          } else if (o.type === "deselect") s().selectNode(null);
          else if (o.type === "drop") s().dropNode(o.kind, { x: o.x, y: o.y });
          else {
            const anchor = s().selectedNodeId;
            const freeBefore =
              anchor !== null && s().edges.filter((e) => e.source === anchor).length < outputsCount(anchor);
            const id = s().appendNode(o.kind)!;
            const linked = s().edges.some((e) => e.source === anchor && e.target === id);
            if (anchor && freeBefore) expect(linked).toBe(true);
            if (anchor && !freeBefore) expect(linked).toBe(false);
          }
          const boxes = s().nodes.map((n) => box(n.position.x, n.position.y));
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!)).toBe(false);
        }

        function outputsCount(id: string): number {
          const n = s().nodes.find((x) => x.id === id)!;
          if (n.type === "exit") return 0;
          if (n.type === "condition") return 2;
          if (n.type === "split") return (n.data as { branches: unknown[] }).branches.length;
          return 1;
        }
      }),
      { numRuns: 150 },
    );
  });
});
