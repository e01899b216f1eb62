import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { emptyGraph } from "@/server/engine/graph";
import { DEFAULT_NODE_SIZE, overlaps } from "./layout";
import { dropAnchor, findFreeSpot, isFree, PLACEMENT_MARGIN, type AnchorCard, type Box } from "./placement";
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

  describe("a step dropped on the canvas", () => {
    const wait: AnchorCard = { id: "wait_1", ...box(0, 0), outputs: ["next"], free: ["next"] };
    const check: AnchorCard = {
      id: "condition_1",
      ...box(600, 0, SIZE.width, 110),
      outputs: ["yes", "no"],
      free: ["yes", "no"],
    };

    it("goes after the step it is dropped right below, when that step has a free output", () => {
      expect(dropAnchor({ x: 20, y: 150 }, SIZE, [wait, check])).toEqual({
        nodeId: "wait_1",
        handle: "next",
      });
      // Overlapping the step's bottom a little still counts.
      expect(dropAnchor({ x: -60, y: 60 }, SIZE, [wait])).toEqual({ nodeId: "wait_1", handle: "next" });
    });

    it("stays unconnected when dropped beside, above, or far below the step", () => {
      expect(dropAnchor({ x: 200, y: 150 }, SIZE, [wait])).toBeNull();
      expect(dropAnchor({ x: 0, y: -150 }, SIZE, [wait])).toBeNull();
      expect(dropAnchor({ x: 0, y: 500 }, SIZE, [wait])).toBeNull();
    });

    it("stays unconnected when the step's outputs are all taken", () => {
      expect(dropAnchor({ x: 0, y: 150 }, SIZE, [{ ...wait, free: [] }])).toBeNull();
    });

    it("takes a condition's free output nearest across: No under its right half", () => {
      expect(dropAnchor({ x: 560, y: 180 }, SIZE, [check])).toEqual({ nodeId: "condition_1", handle: "yes" });
      expect(dropAnchor({ x: 720, y: 180 }, SIZE, [check])).toEqual({ nodeId: "condition_1", handle: "no" });
      expect(dropAnchor({ x: 560, y: 180 }, SIZE, [{ ...check, free: ["no"] }])).toEqual({
        nodeId: "condition_1",
        handle: "no",
      });
    });

    it("goes after the nearer of two steps one above the other", () => {
      const lower = { ...wait, id: "email_1", ...box(0, 168) };
      expect(dropAnchor({ x: 0, y: 300 }, SIZE, [wait, lower])).toEqual({
        nodeId: "email_1",
        handle: "next",
      });
    });

    it("in the builder: connected below the step and aligned under it, never on another card", () => {
      const store = createBuilderStore(emptyGraph());
      const s = () => store.getState();
      s().appendNode("trigger");
      const trigger = s().nodes[0]!;
      s().selectNode(null);
      const id = s().dropNode("email", { x: trigger.position.x + 40, y: trigger.position.y + 140 })!;
      expect(s().edges.some((e) => e.source === "trigger" && e.target === id)).toBe(true);
      const added = s().nodes.find((n) => n.id === id)!;
      expect(added.position.x).toBe(trigger.position.x);
      // The trigger's output is taken now: a second drop there is placed free, unconnected.
      const other = s().dropNode("sms", { x: trigger.position.x, y: trigger.position.y + 140 })!;
      expect(s().edges.some((e) => e.target === other)).toBe(false);
      const boxes = s().nodes.map((n) => box(n.position.x, n.position.y));
      expect(
        overlaps(boxes[0]!, boxes[1]!) || overlaps(boxes[1]!, boxes[2]!) || overlaps(boxes[0]!, boxes[2]!),
      ).toBe(false);
      // Far from any step: placed where dropped, unconnected.
      const loose = s().dropNode("wait", { x: 2000, y: 2000 })!;
      expect(s().nodes.find((n) => n.id === loose)!.position).toEqual({ x: 2000, y: 2000 });
      expect(s().edges.some((e) => e.target === loose)).toBe(false);
    });
  });
});
