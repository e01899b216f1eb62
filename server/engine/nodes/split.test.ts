import { describe, expect, it } from "vitest";
import { advance } from "../step";
import { edge, graph, node } from "../templates/build";
import { at, enrollment, event, facts, triggerData } from "../testing/fixtures";
import { pickBranch, split, type SplitConfig } from "./split";

const fiftyFifty: SplitConfig = {
  branches: [
    { id: "a", label: "A", percent: 50 },
    { id: "b", label: "B", percent: 50 },
  ],
};
const threeWay: SplitConfig = {
  branches: [
    { id: "control", label: "Control", percent: 20 },
    { id: "discount", label: "Discount", percent: 30 },
    { id: "free_ship", label: "Free shipping", percent: 50 },
  ],
};

function shares(config: SplitConfig, n: number, visit = 1): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const id = pickBranch(config, `enr_${i}`, "split_1", visit) ?? "none";
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, (v / n) * 100]));
}

describe("split", () => {
  it("is deterministic in (enrollment, node, visit), so a retried step takes the same branch", () => {
    for (let i = 0; i < 200; i++)
      expect(pickBranch(threeWay, `enr_${i}`, "split_1", 1)).toBe(
        pickBranch(threeWay, `enr_${i}`, "split_1", 1),
      );
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("s", "split", 0, 1, fiftyFifty),
        node("xa", "exit", -1, 2, {}),
        node("xb", "exit", 1, 2, {}),
      ],
      [edge("t", "next", "s"), edge("s", "a", "xa"), edge("s", "b", "xb")],
    );
    const now = at("2025-06-10T16:00:00Z");
    const start = enrollment(g, triggerData(event("Signed Up", now, {}, "e")), now, "enr_42");
    const first = advance(g, start, facts(), now);
    const retry = advance(g, start, facts(), now + 5_000);
    expect(first.currentNodeId).toBe(retry.currentNodeId);
    expect(first.currentNodeId).toBe(pickBranch(fiftyFifty, "enr_42", "s", 1) === "a" ? "xa" : "xb");
  });

  it("spreads 10,000 enrollments within ±2% of the percentages", () => {
    const even = shares(fiftyFifty, 10_000);
    expect(Math.abs((even.a ?? 0) - 50)).toBeLessThanOrEqual(2);
    expect(Math.abs((even.b ?? 0) - 50)).toBeLessThanOrEqual(2);
    const three = shares(threeWay, 10_000);
    expect(Math.abs((three.control ?? 0) - 20)).toBeLessThanOrEqual(2);
    expect(Math.abs((three.discount ?? 0) - 30)).toBeLessThanOrEqual(2);
    expect(Math.abs((three.free_ship ?? 0) - 50)).toBeLessThanOrEqual(2);
  });

  it("draws again on a later visit (a loop), independently", () => {
    let differs = 0;
    for (let i = 0; i < 1_000; i++)
      if (pickBranch(fiftyFifty, `enr_${i}`, "s", 1) !== pickBranch(fiftyFifty, `enr_${i}`, "s", 2))
        differs++;
    expect(differs).toBeGreaterThan(400);
    expect(differs).toBeLessThan(600);
  });

  it("never picks a 0% branch", () => {
    const none: SplitConfig = {
      branches: [
        { id: "a", label: "A", percent: 100 },
        { id: "b", label: "B", percent: 0 },
      ],
    };
    expect(shares(none, 2_000)).toEqual({ a: 100 });
  });

  it("reads as A 50% / B 50% and checks the total", () => {
    expect(split.summary(fiftyFifty)).toBe("A 50% / B 50%");
    expect(split.outputs(threeWay)).toEqual(["control", "discount", "free_ship"]);
    expect(split.outputLabel(threeWay, "discount")).toBe("Discount (30%)");
    const ctx = { nodeId: "s", trigger: null };
    expect(split.validate(fiftyFifty, ctx)).toEqual([]);
    expect(
      split
        .validate(
          {
            branches: [
              { id: "a", label: "A", percent: 60 },
              { id: "b", label: "B", percent: 50 },
            ],
          },
          ctx,
        )
        .map((i) => i.message),
    ).toEqual(["The split percentages add up to 110%; they must add up to 100%."]);
    expect(
      split.validate({ branches: [{ id: "a", label: "A", percent: 100 }] }, ctx).map((i) => i.code),
    ).toEqual(["missing_field"]);
  });
});
