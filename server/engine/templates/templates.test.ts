import { describe, expect, it } from "vitest";
import { parseGraph } from "../graph";
import { definitionOf } from "../nodes";
import { validateGraph } from "../validate";
import { ROW } from "./build";
import { FLOW_TEMPLATE_KEYS, flowTemplates, getFlowTemplate } from "./index";

/** The email templates (emails/catalog.ts) the seed flows use. */
const EMAIL_TEMPLATE_KEYS = new Set([
  "welcome",
  "order_confirmation",
  "shipping_notice",
  "abandoned_cart_1",
  "abandoned_cart_2",
  "abandoned_cart_3",
  "browse_abandonment",
  "back_in_stock",
  "post_purchase_thank_you",
  "cross_sell",
  "upsell",
  "review_request",
  "review_thanks",
  "review_recovery",
  "replenishment",
  "birthday",
  "seasonal_offer",
  "referral",
  "referral_reward",
  "win_back",
  "win_back_last_chance",
]);

describe("seed flow templates", () => {
  it("ships the fourteen flows of the product brief", () => {
    expect(flowTemplates().map((t) => t.key)).toEqual([...FLOW_TEMPLATE_KEYS]);
    expect(FLOW_TEMPLATE_KEYS).toHaveLength(14);
    expect(new Set(flowTemplates().map((t) => t.name)).size).toBe(14);
  });

  for (const template of flowTemplates()) {
    describe(template.name, () => {
      it("validates with zero issues", () => {
        expect(validateGraph(template.graph)).toEqual([]);
      });

      it("survives a JSON round trip (it is stored as jsonb)", () => {
        const parsed = parseGraph(JSON.parse(JSON.stringify(template.graph)));
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.graph).toEqual(template.graph);
      });

      it("is laid out top to bottom, with branches side by side", () => {
        const at = new Map(template.graph.nodes.map((n) => [n.id, n.position]));
        const trigger = template.graph.nodes.find((n) => n.kind === "trigger");
        expect(trigger?.position).toEqual({ x: 0, y: 0 });
        for (const e of template.graph.edges)
          expect(at.get(e.target)!.y).toBeGreaterThan(at.get(e.source)!.y);
        for (const p of at.values()) expect(p.y % ROW).toBe(0);
        const cells = template.graph.nodes.map((n) => `${n.position.x},${n.position.y}`);
        expect(new Set(cells).size).toBe(cells.length);
      });

      it("has real copy on known email templates, and a summary for every step", () => {
        for (const n of template.graph.nodes) {
          expect(definitionOf(n.kind).summary(n.config).length).toBeGreaterThan(3);
          if (n.kind === "email") {
            expect(EMAIL_TEMPLATE_KEYS.has(n.config.template)).toBe(true);
            expect(n.config.subject.length).toBeGreaterThan(10);
            expect(n.config.body.length).toBeGreaterThan(40);
          }
        }
      });
    });
  }

  it("hands out fresh copies", () => {
    const a = getFlowTemplate("abandoned_cart");
    const b = getFlowTemplate("abandoned_cart");
    expect(a?.graph).toEqual(b?.graph);
    a?.graph.nodes.pop();
    expect(b?.graph.nodes).toHaveLength(11);
    expect(getFlowTemplate("abandoned_cart")?.graph.nodes).toHaveLength(11);
    expect(getFlowTemplate("nope")).toBeNull();
  });

  it("uses transactional email only for order and shipping notices", () => {
    const transactional = flowTemplates().flatMap((t) =>
      t.graph.nodes.flatMap((n) =>
        (n.kind === "email" || n.kind === "sms") && n.config.category === "transactional" ? [t.key] : [],
      ),
    );
    expect([...new Set(transactional)]).toEqual(["order_confirmation", "shipping_notice"]);
  });
});
