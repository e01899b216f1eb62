import { describe, expect, it } from "vitest";
import { getFlowTemplate } from "./templates";
import { endReasonOf, rangeBounds, rangeOfPreset, stepOutcomeWords, stepTitle } from "./metrics";

const cart = getFlowTemplate("abandoned_cart")!.graph;
const node = (id: string) => cart.nodes.find((n) => n.id === id);

describe("metric words and ranges", () => {
  it("names steps by their card title, never their id", () => {
    expect(stepTitle(node("wait_1h"))).toBe("Wait 1 hour");
    expect(stepTitle(node("email_1"))).toMatch(/^Email: /);
    expect(stepTitle(undefined)).toBe("A removed step");
    for (const n of getFlowTemplate("browse_abandonment")!.graph.nodes)
      expect(stepTitle(n).length).toBeLessThanOrEqual(60);
  });

  it("a condition that points at a message step names it by that step's title, not its id", () => {
    const condition = {
      kind: "condition" as const,
      config: {
        mode: "if" as const,
        predicate: {
          type: "engaged" as const,
          engagement: "opened" as const,
          step: "email_1",
          days: null,
          channel: null,
        },
      },
    };
    const steps = new Map(cart.nodes.map((n) => [n.id, n]));
    const title = stepTitle(condition, steps);
    expect(title).toContain(`opened “${stepTitle(node("email_1"))}`.slice(0, 40));
    expect(title).not.toContain("email_1");
    // Without the flow's steps (no graph at hand) it still reads, with the id as the last resort.
    expect(stepTitle(condition)).toBe("If opened message “email_1”");
  });

  it("says what happened at a step in words", () => {
    expect(stepOutcomeWords(node("wait_1h"), "wait")).toBe("waiting");
    expect(stepOutcomeWords(node("email_1"), "next")).toBe("passed on");
    const condition = cart.nodes.find((n) => n.kind === "condition");
    if (condition) expect(stepOutcomeWords(condition, "yes")).not.toContain("yes”");
  });

  it("groups ended journeys by reason", () => {
    expect(endReasonOf("exited", "goal")).toBe("goal");
    expect(endReasonOf("completed", "end")).toBe("end");
    expect(endReasonOf("failed", null)).toBe("failed");
    expect(endReasonOf("exited", "something new")).toBe("other");
  });

  it("the 7-, 30-day and all-time ranges include today, in UTC days", () => {
    const now = Date.parse("2026-11-20T23:30:00Z");
    expect(rangeOfPreset("7d", now)).toEqual({ from: "2026-11-14", to: "2026-11-20" });
    expect(rangeOfPreset("30d", now)).toEqual({ from: "2026-10-22", to: "2026-11-20" });
    expect(rangeOfPreset("all", now)).toEqual({});
    expect(rangeBounds({ from: "2026-11-14", to: "2026-11-20" })).toEqual({
      start: new Date("2026-11-14T00:00:00Z"),
      end: new Date("2026-11-21T00:00:00Z"),
    });
  });
});
