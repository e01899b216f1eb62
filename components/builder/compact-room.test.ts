import { describe, expect, it } from "vitest";
import { MAX_SPREAD, sideRoom, spreadFactor, spreadX, unspreadX } from "./compact-room";
import { zoomStep } from "./viewport";

const card = (id: string, x: number, y: number) => ({ id, x, y, width: 264, height: 72 });

describe("zoomed-out card faces", () => {
  it("spread into empty space beside a lone column, up to the cap", () => {
    const room = sideRoom([card("trigger", 0, 0), card("wait", 0, 144), card("email", 0, 288)], 200);
    expect(room.get("wait")).toMatchObject({ left: 200, right: 200 });
  });

  it("share the gap between two branches side by side, keeping a margin", () => {
    const room = sideRoom([card("yes", 0, 300), card("no", 320, 300), card("below", 0, 600)], 200);
    // Gap 56, margin 12: 22 each.
    expect(room.get("yes")).toMatchObject({ left: 200, right: 22 });
    expect(room.get("no")).toMatchObject({ left: 22, right: 200 });
    expect(room.get("below")).toMatchObject({ left: 200, right: 200 });
  });

  it("count a card a little higher or lower as on the same rows, and take the nearest", () => {
    const room = sideRoom(
      [card("mid", 400, 100), card("far-left", 0, 90), card("near-left", 100, 130), card("right", 700, 180)],
      500,
    );
    expect(room.get("mid")).toMatchObject({ left: 12, right: 12 });
    // far-left overlaps near-left across (a stacked card), so only mid limits it.
    expect(room.get("far-left")!.right).toBe(62);
  });

  it("leave a short neighbour's unused share of the gap to a long title", () => {
    const room = sideRoom(
      [
        { ...card("sms", 0, 0), want: 900 },
        { ...card("exit", 320, 0), want: 200 },
      ],
      300,
    );
    // Gap 56, margin 12: the exit's face fits its card, so the SMS may take all 44.
    expect(room.get("sms")!.right).toBe(44);
    expect(room.get("exit")!.left).toBe(0);
  });

  it("take the height between the cards above and below, up to the smaller gap", () => {
    const room = sideRoom([card("a", 0, 0), card("b", 0, 144), card("c", 0, 400)], 100);
    expect(room.get("a")!.height).toBe(72 + 72);
    expect(room.get("b")!.height).toBe(72 + 72);
    expect(room.get("c")!.height).toBe(72 + 184);
  });

  it("rounds the zoom down to 10 % steps, so words stay 12 to 13.2 px on screen", () => {
    for (const zoom of [0.49, 0.4, 0.33, 0.25, 0.2, 0.17]) {
      const step = zoomStep(zoom);
      expect(step).toBeLessThanOrEqual(zoom);
      expect(zoom / step).toBeLessThan(1.1 + 1e-6);
      expect(zoomStep(zoom * 1.001)).toBeGreaterThanOrEqual(step);
    }
    expect(zoomStep(0.3)).toBe(zoomStep(0.31));
  });
});

describe("the compact layout", () => {
  it("keeps a flow whose faces fit as it is", () => {
    expect(spreadFactor([card("a", 0, 0), card("b", 0, 144), { ...card("c", 320, 144), want: 300 }])).toBe(1);
  });

  it("spreads cards side by side until both faces fit with a margin, columns kept", () => {
    const row = [
      { ...card("exit", 0, 0), want: 264 },
      { ...card("sms", 320, 0), want: 700 },
      { ...card("below", 320, 144), want: 1000 },
    ];
    const factor = spreadFactor(row);
    // Centres 320 apart must become (264 + 700) / 2 + 12 = 494.
    expect(factor).toBeCloseTo(494 / 320);
    const anchor = 292;
    const sms = spreadX(320, 264, anchor, factor);
    expect(sms + 132 - (spreadX(0, 264, anchor, factor) + 132)).toBeCloseTo(494);
    // The card below keeps its column.
    expect(spreadX(320, 264, anchor, factor)).toBe(sms);
    expect(unspreadX(sms, 264, anchor, factor)).toBeCloseTo(320);
  });

  it("never spreads more than its cap", () => {
    expect(spreadFactor([{ ...card("a", 0, 0), want: 9000 }, card("b", 320, 0)])).toBe(MAX_SPREAD);
  });
});
