import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalogMergeIssues, fieldsForTrigger, scanMergeFields, type ContentCatalog } from "./catalog";
import type { NodeConfig } from "./nodes";
import { chain, emailCopy, graph, node } from "./templates/build";
import { validateGraph } from "./validate";

/** A small catalog as plain data, shaped like the real one (emails/content-catalog.ts). */
const catalog: ContentCatalog = {
  emailTemplates: ["welcome", "abandoned_cart_1"],
  mergeFields: [
    { key: "first_name" },
    { key: "shop.name" },
    { key: "shop.url" },
    { key: "cart.items" },
    { key: "cart.checkout_url" },
    { key: "coupon_code" },
    { key: "products" },
    { key: "event.name" },
    { key: "event.*" },
  ],
  mergeFilters: ["default", "money", "upcase", "size"],
  baseFields: ["first_name", "shop.name", "shop.url", "event.name", "event.*", "products"],
  fieldsByTriggerEvent: {
    "Started Checkout": [
      "first_name",
      "shop.name",
      "shop.url",
      "event.name",
      "event.*",
      "products",
      "cart.items",
      "cart.checkout_url",
    ],
  },
};

function flow(trigger: string, step: { kind: "email" | "sms" | "push"; config: unknown }) {
  return graph(
    [
      node("t", "trigger", 0, 0, { type: "event", event: trigger, filter: null }),
      node("m", step.kind as "email", 0, 1, step.config as NodeConfig<"email">),
      node("x", "exit", 0, 2, {}),
    ],
    chain("t", "m", "x"),
  );
}

const email = (over: Record<string, unknown>) =>
  emailCopy({ template: "welcome", subject: "Hello", body: "Hi", ...over });

describe("scanMergeFields", () => {
  it("reads outputs, filters, filter arguments and tags, and skips loop and assigned variables", () => {
    const scan = scanMergeFields(
      '{{ first_name | default: shop.name | upcase }} {% if cart.items.size > 0 %}{% for item in cart.items %}{{ item.title }}{% endfor %}{% endif %}{% assign n = "x" %}{{ n }} {{ "literal" }}',
    );
    expect(scan.uses).toEqual([
      { path: ["first_name"], guarded: true },
      { path: ["shop", "name"], guarded: true },
      { path: ["cart", "items", "size"], guarded: true },
      { path: ["cart", "items"], guarded: true },
    ]);
    expect(scan.filters).toEqual(["default", "upcase"]);
  });

  it("ignores raw and comment blocks", () => {
    expect(
      scanMergeFields("{% raw %}{{ nope }}{% endraw %}{% comment %}{{ nor }}{% endcomment %}").uses,
    ).toEqual([]);
  });
});

describe("validateGraph with a catalog", () => {
  it("names a misspelled merge field on the step, in subject, body and preheader", () => {
    for (const field of ["subject", "body", "preheader"]) {
      const issues = validateGraph(
        flow("Signed Up", { kind: "email", config: email({ [field]: "Hi {{ frist_name }}" }) }),
        catalog,
      );
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ nodeId: "m", code: "unknown_merge_field" });
      expect(issues[0]!.message).toContain("{{ frist_name }}");
    }
  });

  it("names an unknown email template on the step", () => {
    const issues = validateGraph(
      flow("Signed Up", { kind: "email", config: email({ template: "welcom" }) }),
      catalog,
    );
    expect(issues).toEqual([expect.objectContaining({ nodeId: "m", code: "unknown_template" })]);
    expect(issues[0]!.message).toContain("“welcom”");
  });

  it("checks SMS and push text and push links the same way", () => {
    const sms = validateGraph(
      flow("Signed Up", { kind: "sms", config: { body: "{{ frist_name }}", category: "marketing" } }),
      catalog,
    );
    expect(sms).toEqual([expect.objectContaining({ nodeId: "m", code: "unknown_merge_field" })]);
    const push = validateGraph(
      flow("Signed Up", {
        kind: "push",
        config: {
          title: "Hi",
          body: "{{ first_name | defualt: 'x' }}",
          url: "{{ shop.urll }}",
          category: "marketing",
        },
      }),
      catalog,
    );
    expect(push.map((i) => i.code).sort()).toEqual(["unknown_merge_field", "unknown_merge_filter"]);
  });

  it("knows which fields the trigger fills: cart fields need a cart trigger or a default", () => {
    const cart = email({ body: "Back to {{ cart.checkout_url }}" });
    expect(validateGraph(flow("Started Checkout", { kind: "email", config: cart }), catalog)).toEqual([]);
    expect(validateGraph(flow("Signed Up", { kind: "email", config: cart }), catalog)).toEqual([
      expect.objectContaining({ nodeId: "m", code: "unavailable_merge_field" }),
    ]);
    const guarded = email({ body: "Back to {{ cart.checkout_url | default: shop.url }}" });
    expect(validateGraph(flow("Signed Up", { kind: "email", config: guarded }), catalog)).toEqual([]);
  });

  it("lets an email print the coupon code it sets", () => {
    expect(
      validateGraph(
        flow("Signed Up", { kind: "email", config: email({ body: "{{ coupon_code }}" }) }),
        catalog,
      ),
    ).toHaveLength(1);
    expect(
      validateGraph(
        flow("Signed Up", {
          kind: "email",
          config: email({ body: "{{ coupon_code }}", couponCode: "HI10" }),
        }),
        catalog,
      ),
    ).toEqual([]);
  });

  it("without a catalog checks the graph alone", () => {
    const g = flow("Signed Up", {
      kind: "email",
      config: email({ template: "nope", subject: "{{ frist_name }}" }),
    });
    expect(validateGraph(g)).toEqual([]);
    expect(validateGraph(g, null)).toEqual([]);
  });

  it("accepts every catalog field and refuses any name not in it (property)", () => {
    const known = catalog.mergeFields.map((f) => f.key).filter((k) => !k.endsWith("*"));
    const available = fieldsForTrigger(catalog, "Started Checkout");
    fc.assert(
      fc.property(fc.constantFrom(...known), fc.stringMatching(/^[a-z_]{1,12}$/), (key, junk) => {
        expect(catalogMergeIssues(`Hi {{ ${key} | default: "x" }}`, "Body", catalog, available)).toEqual([]);
        const name = `${junk}_${key.replace(".", "_")}`;
        const issues = catalogMergeIssues(`Hi {{ ${name} }}`, "Body", catalog, available);
        expect(issues.map((i) => i.code)).toEqual(["unknown_merge_field"]);
      }),
    );
  });
});
