import { describe, expect, it } from "vitest";
import type { FlowGraph } from "../graph";
import { when } from "../predicate";
import { advance } from "../step";
import { edge, graph, node } from "../templates/build";
import { at, contact, enrollment, event, facts, triggerData } from "../testing/fixtures";
import { DAY } from "../time";
import { condition, type ConditionConfig } from "./condition";

const T0 = at("2025-06-10T16:00:00Z");
const ctx = { nodeId: "c", trigger: null };

function flow(config: ConditionConfig): FlowGraph {
  const handles = condition.outputs(config);
  return graph(
    [
      node("t", "trigger", 0, 0, { type: "event", event: "Placed Order", filter: null }),
      node("c", "condition", 0, 1, config),
      ...handles.map((h, i) => node(`x_${h}`, "exit", i, 2, {})),
    ],
    [edge("t", "next", "c"), ...handles.map((h) => edge("c", h, `x_${h}`))],
  );
}

function branch(config: ConditionConfig, triggerProps: Record<string, unknown>, f = facts()): string {
  const g = flow(config);
  const order = event("Placed Order", T0, triggerProps, "ev_order");
  const result = advance(g, enrollment(g, triggerData(order), T0), f, T0);
  const step = result.effects.find((e) => e.type === "step" && e.nodeId === "c");
  return step?.type === "step" ? step.outcome : "(none)";
}

describe("condition: yes / no", () => {
  const bigCart: ConditionConfig = { mode: "if", predicate: when.trigger("value", "gt", 50) };

  it("follows yes or no", () => {
    expect(branch(bigCart, { value: 80 })).toBe("yes");
    expect(branch(bigCart, { value: 20 })).toBe("no");
    expect(condition.outputs(bigCart)).toEqual(["yes", "no"]);
    expect(condition.summary(bigCart)).toBe("If trigger.value > 50");
    expect(condition.summary({ mode: "if", predicate: when.hasDone("Placed Order") })).toBe(
      "If Placed Order since start",
    );
  });

  it("asks about the contact (consent, tags) and behaviour", () => {
    const vipSubscriber: ConditionConfig = {
      mode: "if",
      predicate: when.all(
        when.contact("consent.sms", "eq", "subscribed"),
        when.contact("tags", "contains", "vip"),
      ),
    };
    expect(branch(vipSubscriber, {}, facts({ contact: contact({ tags: ["vip"] }) }))).toBe("yes");
    expect(branch(vipSubscriber, {}, facts({ contact: contact({ tags: [] }) }))).toBe("no");

    const firstTime: ConditionConfig = { mode: "if", predicate: when.firstTimeBuyer() };
    // The trigger order counts: with no earlier order the contact is a first-time buyer.
    expect(branch(firstTime, {})).toBe("yes");
    expect(
      branch(firstTime, {}, facts({ events: [event("Placed Order", T0 - 30 * DAY, {}, "older")] })),
    ).toBe("no");

    const busy: ConditionConfig = { mode: "if", predicate: when.count("Viewed Product", "gte", 3, 7) };
    const views = [1, 2, 3].map((d) => event("Viewed Product", T0 - d * DAY, {}, `v${d}`));
    expect(branch(busy, {}, facts({ events: views }))).toBe("yes");
    expect(branch(busy, {}, facts({ events: views.slice(1) }))).toBe("no");
  });

  it("wants a complete question", () => {
    expect(condition.validate(condition.defaultConfig(), ctx).map((i) => i.message)).toEqual([
      "Add at least one condition.",
    ]);
  });
});

describe("condition: branches", () => {
  const tiers: ConditionConfig = {
    mode: "branches",
    branches: [
      { id: "big", label: "Over $200", predicate: when.trigger("value", "gte", 200) },
      { id: "medium", label: "Over $50", predicate: when.trigger("value", "gte", 50) },
    ],
    elseLabel: "Everyone else",
  };

  it("takes the first matching branch, else everyone else", () => {
    expect(branch(tiers, { value: 300 })).toBe("big");
    expect(branch(tiers, { value: 80 })).toBe("medium");
    expect(branch(tiers, { value: 10 })).toBe("else");
    expect(condition.outputs(tiers)).toEqual(["big", "medium", "else"]);
    expect(condition.outputLabel(tiers, "else")).toBe("Everyone else");
    expect(condition.summary(tiers)).toBe("Over $200 / Over $50 / Everyone else");
  });

  it("checks branch ids and labels", () => {
    const bad: ConditionConfig = {
      mode: "branches",
      branches: [
        { id: "else", label: "", predicate: when.trigger("value", "gt", 1) },
        { id: "x y", label: "Two", predicate: when.trigger("value", "gt", 1) },
        { id: "x y", label: "Three", predicate: when.trigger("value", "gt") },
      ],
      elseLabel: "Everyone else",
    };
    expect(condition.validate(bad, ctx).map((i) => i.code)).toEqual([
      "invalid_value",
      "missing_field",
      "invalid_value",
      "invalid_value",
      "invalid_value",
      "invalid_condition",
    ]);
    expect(condition.validate({ ...tiers, branches: [] }, ctx).map((i) => i.code)).toEqual(["missing_field"]);
  });
});
