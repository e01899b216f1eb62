import { describe, expect, it } from "vitest";
import { orderPropertiesFor, parseProperties, relativeTime } from "./format";

const H = 3_600_000;

describe("the Test panel's timeline times", () => {
  it("reads minutes, hours and days after the trigger as a marketer does", () => {
    expect(relativeTime(0, 0)).toBe("+0 min");
    expect(relativeTime(45 * 60_000, 0)).toBe("+45 min");
    expect(relativeTime(1 * H, 0)).toBe("+1 h");
    expect(relativeTime(25.5 * H, 0)).toBe("+25 h 30 min");
    expect(relativeTime(73 * H, 0)).toBe("+73 h");
    expect(relativeTime(9 * 24 * H + 2 * H, 0)).toBe("+9 d 2 h");
  });
});

describe("editing a copy of the trigger", () => {
  it("takes a JSON object and says what is wrong with anything else", () => {
    expect(parseProperties('{"value": 120}')).toEqual({ ok: true, value: { value: 120 } });
    expect(parseProperties("")).toEqual({ ok: true, value: {} });
    expect(parseProperties("[1]")).toMatchObject({ ok: false });
    expect(parseProperties("{value")).toMatchObject({ ok: false, error: "Properties are not valid JSON" });
  });

  it("starts an injected order from this cart, so the goal counts it", () => {
    expect(orderPropertiesFor({ cart_id: "c1", value: 80, items: [] }, "cart_id")).toEqual({
      cart_id: "c1",
      value: 80,
    });
  });
});

describe("the path on the canvas", () => {
  it("lights the connections between consecutive steps of the run, not the branches it skipped", async () => {
    const { pathHighlight } = await import("./path");
    const edges = [
      { id: "e1", source: "t", target: "w" },
      { id: "e2", source: "w", target: "c" },
      { id: "e3", source: "c", target: "yes" },
      { id: "e4", source: "c", target: "no" },
    ];
    const lit = pathHighlight(["t", "w", "c", "no"], edges);
    expect([...lit.edges]).toEqual(["e1", "e2", "e4"]);
    expect(lit.nodes.has("yes")).toBe(false);
  });
});
