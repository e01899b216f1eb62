/** A message step's coupon pool, checked by the one validator with the pools as catalog data. */
import { describe, expect, it } from "vitest";
import type { ContentCatalog } from "./catalog";
import { chain, emailCopy, graph, node } from "./templates/build";
import { validateGraph } from "./validate";

const POOL = "6f1c1d8e-0000-4000-8000-000000000001";
const DRY = "6f1c1d8e-0000-4000-8000-000000000002";

const catalog: ContentCatalog = {
  emailTemplates: ["birthday"],
  mergeFields: [
    { key: "first_name" },
    { key: "shop.url" },
    { key: "coupon.code" },
    { key: "coupon.expires_at" },
  ],
  mergeFilters: ["default"],
  baseFields: ["first_name", "shop.url"],
  fieldsByTriggerEvent: {},
  couponPools: [
    { id: POOL, name: "Birthday", remaining: 120 },
    { id: DRY, name: "Spring", remaining: 0 },
  ],
};

function birthday(
  step: { kind: "email"; pool?: string; body?: string } | { kind: "sms"; pool?: string; body?: string },
) {
  const body = step.body ?? "Your code: {{ coupon.code }}, until {{ coupon.expires_at | default: 'soon' }}";
  const config =
    step.kind === "email"
      ? emailCopy({
          template: "birthday",
          subject: "Happy birthday",
          body,
          ...(step.pool !== undefined && { couponPool: step.pool }),
        })
      : { body, category: "marketing" as const, ...(step.pool !== undefined && { couponPool: step.pool }) };
  return graph(
    [
      node("trigger", "trigger", 0, 0, {
        type: "date_property",
        property: "birthday",
        daysBefore: 3,
        time: "10:00",
        yearly: true,
      }),
      step.kind === "email"
        ? node("gift", "email", 0, 1, config as never)
        : node("gift", "sms", 0, 1, config as never),
      node("exit", "exit", 0, 2, {}),
    ],
    chain("trigger", "gift", "exit"),
  );
}

const problems = (g: unknown, c: ContentCatalog | null = catalog) =>
  validateGraph(g, c).map((i) => [i.nodeId, i.code, i.message]);

describe.each(["email", "sms"] as const)("a %s step's coupon pool", (kind) => {
  it("a pool with codes left: no problem, and {{ coupon.code }} may be printed", () => {
    expect(problems(birthday({ kind, pool: POOL }))).toEqual([]);
  });

  it("an empty pool is a problem on the step that names the pool", () => {
    expect(problems(birthday({ kind, pool: DRY }))).toEqual([
      [
        "gift",
        "empty_coupon_pool",
        "Coupon pool “Spring” is empty: every message would be skipped. Upload or generate codes in Settings → Coupons.",
      ],
    ]);
  });

  it("a pool of another workspace (or deleted) is named as missing", () => {
    const problem = problems(birthday({ kind, pool: "6f1c1d8e-0000-4000-8000-00000000ffff" }));
    expect(problem.map((p) => p[1])).toEqual(["unknown_coupon_pool"]);
  });

  it("turned on with no pool chosen, it asks for one, even without the pools at hand", () => {
    expect(problems(birthday({ kind, pool: "" }), null).map((p) => p[1])).toEqual(["missing_field"]);
  });

  it("{{ coupon.code }} without a pool cannot be filled", () => {
    expect(problems(birthday({ kind })).map((p) => p[1])).toEqual(["unavailable_merge_field"]);
  });

  it("without the pools at hand (a template check), a chosen pool is only required to be set", () => {
    expect(problems(birthday({ kind, pool: DRY }), null)).toEqual([]);
  });
});
