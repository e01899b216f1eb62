import { describe, expect, it } from "vitest";
import { FACE_MAX_CHARS, faceTitle, twoLineWidth } from "./compact-face";

describe("a zoomed-out card's title", () => {
  it("is whole when short", () => {
    expect(faceTitle("Wait 1 hour")).toEqual({ head: "Wait 1 hour", tail: "" });
    expect(faceTitle("If Placed Order since")).toEqual({ head: "If Placed Order since", tail: "" });
  });

  it("reads at least its first ~20 characters on one line, cut at a word", () => {
    const { head, tail } = faceTitle("A little something to help you decide");
    expect(head).toBe("A little something");
    expect(tail).toBe(" to help you decide");
    expect(faceTitle("Your cart is saved: {cart.checkout_url}…").head).toBe("Your cart is saved:");
    // A word ending just past the most is kept whole rather than cut.
    expect(faceTitle("If Placed Order since start")).toEqual({
      head: "If Placed Order since",
      tail: " start",
    });
  });

  it("is cut at the most characters when no word ends in reach", () => {
    const { head } = faceTitle("Supercalifragilisticexpialidocious-and-more");
    expect(head).toHaveLength(20);
  });

  it("ends in … past the longest a face shows", () => {
    const long = "Thanks for your order — here is everything you need to know about your delivery";
    const { head, tail } = faceTitle(long);
    expect((head + tail).length).toBeLessThanOrEqual(FACE_MAX_CHARS);
    expect(tail.endsWith("…")).toBe(true);
    expect(long.startsWith((head + tail).slice(0, -1))).toBe(true);
  });
});

describe("the width of two lines", () => {
  const measure = (text: string) => text.length;
  it("breaks where the longer line is shortest", () => {
    expect(twoLineWidth("aaaa bb cccc", measure)).toBe(7);
    expect(twoLineWidth("one", measure)).toBe(3);
  });
});
