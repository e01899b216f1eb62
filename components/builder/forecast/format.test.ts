import { describe, expect, it } from "vitest";
import type { FlowGraph } from "@/server/engine/graph";
import {
  EMPTY_FORECAST,
  estimateNote,
  forecastCells,
  forecastDifference,
  forecastEdgeLabel,
  forecastHeadline,
  type NodeForecastLike,
} from "./format";

const f = (over: Partial<NodeForecastLike>): NodeForecastLike => ({ ...EMPTY_FORECAST, ...over });

describe("the Forecast view's words", () => {
  it("says how the draft differs from the live version: messages and conversions on a message step", () => {
    expect(
      forecastDifference("email", f({ sent: 140, conversions: 9 }), f({ sent: 102, conversions: 11 })),
    ).toBe("+38 emails, −2 conversions vs live");
    expect(forecastDifference("sms", f({ sent: 3 }), f({ sent: 4 }))).toBe("−1 SMS vs live");
    expect(forecastDifference("push", f({ sent: 1, conversions: 1 }), f({}))).toBe(
      "+1 push notification, +1 conversion vs live",
    );
    expect(forecastDifference("wait", f({ entered: 1_204 }), f({ entered: 1_200 }))).toBe(
      "+4 entered vs live",
    );
    expect(forecastDifference("email", f({ sent: 5 }), f({ sent: 5 }))).toBe("Same as live");
  });

  it("fills a message step's cells: would send, skipped by reason, conversions and revenue", () => {
    const cells = forecastCells(
      "email",
      f({
        entered: 120,
        waiting: 4,
        passedOn: 100,
        exited: { goal: 12, filter: 4 },
        sent: 96,
        skipped: { smart_sending: 3, no_consent: 1 },
        conversions: 12,
        revenueCents: 123_450,
      }),
    );
    expect(cells.flow.map((c) => [c.key, c.value])).toEqual([
      ["entered", "120"],
      ["waiting", "4"],
      ["passed", "100"],
      ["exited", "16"],
    ]);
    expect(cells.flow[3]!.title).toBe(
      "Left the flow here: Reached the goal 12 · No longer matched the filter 4",
    );
    expect(cells.message).toEqual({
      sent: "96",
      skipped: {
        total: 4,
        reasons: [
          { key: "smart_sending", label: "Smart sending", count: 3 },
          { key: "no_consent", label: "No consent", count: 1 },
        ],
      },
      conversions: "12",
      revenue: "$1,234.50",
    });
    expect(forecastCells("wait", f({ entered: 3 })).message).toBeNull();
    expect(forecastHeadline("email", f({ sent: 96, conversions: 12 }))).toBe("96 would send · 12 conv.");
    expect(forecastHeadline("condition", f({ entered: 7 }))).toBe("7 entered");
  });

  it("labels a branch with its share of the step's outcomes", () => {
    expect(forecastEdgeLabel(f({ outcomes: { yes: 30, no: 10 } }), "yes")).toBe("75% · 30");
    expect(forecastEdgeLabel(f({}), "no")).toBe("— · 0");
  });

  it("names the observed rate a step that depends on opens or clicks used", () => {
    const graph = {
      schema: 1,
      nodes: [
        { id: "e1", kind: "email", position: { x: 0, y: 0 }, config: {} },
        {
          id: "c1",
          kind: "condition",
          position: { x: 0, y: 0 },
          config: {
            condition: { type: "engaged", engagement: "opened", step: "e1", days: null, channel: null },
          },
        },
        {
          id: "c2",
          kind: "condition",
          position: { x: 0, y: 0 },
          config: {
            condition: { type: "engaged", engagement: "clicked", step: null, days: 7, channel: "sms" },
          },
        },
      ],
      edges: [],
      settings: {},
    } as unknown as FlowGraph;
    const rates = { email: { opened: 0.41, clicked: 0.06 }, sms: { opened: 0, clicked: 0.045 } };
    expect(estimateNote(graph, "c1", rates)).toBe("Estimate: uses observed open rate 41%");
    expect(estimateNote(graph, "c2", rates)).toBe("Estimate: uses observed click rate 4.5% (SMS)");
    expect(estimateNote(graph, "c1", null)).toBe("Estimate: uses the shop's observed open rate");
  });
});
