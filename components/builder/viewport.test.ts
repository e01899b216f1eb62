import { describe, expect, it } from "vitest";
import { OPEN_MIN_ZOOM, openingViewport, zoomTier } from "./viewport";

const view = { width: 800, height: 900 };

describe("canvas viewport", () => {
  it("draws full cards from 50 % and compact faces below", () => {
    expect([1, 0.5, 0.49, 0.35, 0.3, 0.2, 0.1].map(zoomTier)).toEqual([
      "near",
      "near",
      "far",
      "far",
      "farther",
      "farthest",
      "tiny",
    ]);
  });

  it("opens a small flow whole, at most 100 %, centred across with its top step at the top", () => {
    const v = openingViewport({ x: 0, y: 0, width: 264, height: 400 }, { x: 0, width: 264 }, view);
    expect(v.zoom).toBe(1);
    expect(v.y).toBe(32);
    expect(v.x + 132 * v.zoom).toBe(400); // the flow's middle at the canvas's middle
  });

  it("fits a tall flow when it still reads, else opens at the readable zoom at the top", () => {
    const tall = openingViewport({ x: 0, y: 0, width: 264, height: 1500 }, { x: 0, width: 264 }, view);
    expect(tall.zoom).toBeCloseTo(836 / 1500, 3);
    expect(tall.y).toBe(32);
    const huge = openingViewport(
      { x: -3000, y: 100, width: 6000, height: 20000 },
      { x: -132, width: 264 },
      view,
    );
    expect(huge.zoom).toBe(OPEN_MIN_ZOOM);
    expect(huge.y).toBe(Math.round(32 - 100 * OPEN_MIN_ZOOM)); // the top row at the top
    expect(huge.x).toBe(400); // too wide: centred on the trigger
  });

  it("keeps clear of a right-hand inset (the overview map)", () => {
    const v = openingViewport(
      { x: 0, y: 0, width: 1000, height: 100 },
      { x: 0, width: 264 },
      { ...view, rightInset: 216 },
    );
    expect(v.x + 1000 * v.zoom).toBeLessThanOrEqual(800 - 216 - 32 + 1);
  });
});
