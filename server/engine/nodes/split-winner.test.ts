import { describe, expect, it } from "vitest";
import { FlowGraph } from "../graph";
import { advance } from "../step";
import { edge, graph, node } from "../templates/build";
import { at, enrollment, event, facts, triggerData } from "../testing/fixtures";
import { validateGraph } from "../validate";
import { pickBranch, SplitConfig } from "./split";

const withWinner: SplitConfig = {
  branches: [
    { id: "a", label: "A", percent: 50 },
    { id: "b", label: "B", percent: 50 },
  ],
  autoWinner: { after: { contacts: 200 }, metric: "conversion_rate" },
};

function flow(config: SplitConfig) {
  return graph(
    [
      node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
      node("s", "split", 0, 1, config),
      node("xa", "exit", -1, 2, {}),
      node("xb", "exit", 1, 2, {}),
    ],
    [edge("t", "next", "s"), edge("s", "a", "xa"), edge("s", "b", "xb")],
  );
}

const now = at("2025-06-10T16:00:00Z");
const run = (config: SplitConfig, id: string, winners?: Record<string, string>) =>
  advance(
    flow(config),
    enrollment(flow(config), triggerData(event("Signed Up", now, {}, `e_${id}`)), now, id),
    facts(winners ? { splitWinners: winners } : {}),
    now,
  );

describe("split with an automatic winner", () => {
  it("sends everyone down the decided winner", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `enr_${i}`);
    // Without the fact these would spread over both branches…
    expect(new Set(ids.map((id) => pickBranch(withWinner, id, "s", 1))).size).toBe(2);
    // …with it every one of them takes B, and the path log says so.
    for (const id of ids) {
      const result = run(withWinner, id, { s: "b" });
      expect(result.currentNodeId).toBe("xb");
      expect(result.effects).toContainEqual({ type: "step", nodeId: "s", visit: 1, outcome: "b" });
    }
  });

  it("splits at random as before when no winner is decided, or the fact names no branch of this split", () => {
    const cases: Array<Record<string, string> | undefined> = [
      undefined,
      {},
      { s: "gone" },
      { other_split: "b" },
    ];
    for (const winners of cases) {
      const taken = new Set<string>();
      for (let i = 0; i < 100; i++) {
        const id = `enr_${i}`;
        const result = run(withWinner, id, winners);
        expect(result.currentNodeId).toBe(pickBranch(withWinner, id, "s", 1) === "a" ? "xa" : "xb");
        taken.add(result.currentNodeId);
      }
      expect(taken).toEqual(new Set(["xa", "xb"]));
    }
  });

  it("keeps old graphs valid and checks the new field", () => {
    const old = { branches: withWinner.branches };
    expect(SplitConfig.safeParse(old).success).toBe(true);
    expect(FlowGraph.safeParse(flow(old)).success).toBe(true);
    expect(SplitConfig.safeParse(withWinner).success).toBe(true);
    expect(
      SplitConfig.safeParse({ ...old, autoWinner: { after: { days: 0 }, metric: "conversion_rate" } })
        .success,
    ).toBe(false);
    expect(
      SplitConfig.safeParse({ ...old, autoWinner: { after: { days: 7 }, metric: "revenue" } }).success,
    ).toBe(false);
    const vague = validateGraph(flow({ ...old, autoWinner: { after: {}, metric: "conversion_rate" } }));
    expect(vague.map((i) => i.message)).toContain(
      "Automatic winner: say after how many days or contacts to pick it.",
    );
    expect(validateGraph(flow(withWinner))).toEqual([]);
  });
});
