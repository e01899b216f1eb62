import { describe, expect, it, vi } from "vitest";
import { sampleContact, sampleTriggers, sampleWorkspace } from "@/emails/samples";
import {
  MERGE_FIELDS,
  MergeError,
  buildMergeContext,
  checkMergeFields,
  mergeEmailContent,
  mergeKeysForTrigger,
  isMergeTimeout,
  renderMerge,
} from "./merge";

const cartContext = buildMergeContext({
  workspace: sampleWorkspace,
  contact: sampleContact,
  trigger: sampleTriggers.abandoned_cart_1,
});
const anonymous = buildMergeContext({
  workspace: sampleWorkspace,
  contact: { email: "x@example.com" },
  trigger: { name: "Signed Up", properties: {} },
});

describe("renderMerge", () => {
  it("fills fields and falls back with default", () => {
    expect(renderMerge('Hi {{ first_name | default: "there" }}!', cartContext)).toBe("Hi Maya!");
    expect(renderMerge('Hi {{ first_name | default: "there" }}!', anonymous)).toBe("Hi there!");
    expect(renderMerge("{{ shop.name }}", anonymous)).toBe("Leaf & Kettle");
  });

  it("treats an empty or whitespace name as missing", () => {
    const ctx = buildMergeContext({
      workspace: sampleWorkspace,
      contact: { firstName: "  ", email: "x@example.com" },
      trigger: { name: "x", properties: {} },
    });
    expect(renderMerge('{{ first_name | default: "there" }}', ctx)).toBe("there");
  });

  it("never prints undefined, null, NaN or [object Object]", () => {
    const out = renderMerge(
      "[{{ first_name }}][{{ order.order_id }}][{{ product.price }}][{{ event.nothing.deeper }}][{{ shop }}][{{ cart.value | divided_by: 0.0 }}][{{ event.when }}]",
      buildMergeContext({
        workspace: sampleWorkspace,
        contact: { email: "x@example.com" },
        trigger: { name: "x", properties: { when: null } },
      }),
    );
    expect(out).toBe("[][][][][][][]");
  });

  it("prints lists of items readably and supports loops", () => {
    expect(renderMerge("{{ cart.items }}", cartContext)).toBe(
      "Organic Sencha Green Tea × 2, Gooseneck Pour-Over Kettle",
    );
    expect(renderMerge("{% for item in cart.items %}{{ item.title }};{% endfor %}", cartContext)).toBe(
      "Organic Sencha Green Tea;Gooseneck Pour-Over Kettle;",
    );
    expect(renderMerge("{{ cart.item_count }} items, {{ cart.items | size }} lines", cartContext)).toBe(
      "3 items, 2 lines",
    );
  });

  it("makes links absolute against the shop URL", () => {
    expect(renderMerge("{{ cart.checkout_url }}", cartContext)).toBe(
      "https://shop.leafandkettle.example/checkout/c_81234",
    );
    expect(renderMerge("{{ shop.url }}/collections/sale", cartContext)).toBe(
      "https://shop.leafandkettle.example/collections/sale",
    );
  });

  it("formats money with the money filter", () => {
    expect(renderMerge("{{ cart.value | money }}", cartContext)).toBe("$100.00");
    expect(renderMerge('{{ 12.5 | money: "EUR" }}', cartContext)).toBe("€12.50");
    expect(renderMerge("{{ order.value | money }}", cartContext)).toBe("");
  });

  it("escapes values in html mode and leaves them alone in text mode", () => {
    const ctx = buildMergeContext({
      workspace: sampleWorkspace,
      contact: { firstName: "<script>alert(1)</script>", email: "x@example.com" },
      trigger: { name: "x", properties: {} },
    });
    expect(renderMerge("<p>Hi {{ first_name }}</p>", ctx, "html")).toBe(
      "<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p>",
    );
    expect(renderMerge("Hi {{ first_name }}", ctx, "text")).toBe("Hi <script>alert(1)</script>");
    expect(renderMerge("{{ shop.name }}", ctx, "html")).toBe("Leaf &amp; Kettle");
  });

  it("does not evaluate merge syntax that arrives in contact data", () => {
    const ctx = buildMergeContext({
      workspace: sampleWorkspace,
      contact: { firstName: "{{ shop.name }}", email: "x@example.com" },
      trigger: { name: "x", properties: {} },
    });
    expect(renderMerge("Hi {{ first_name }}", ctx)).toBe("Hi {{ shop.name }}");
  });

  it("refuses unknown filters and file access", () => {
    expect(() => renderMerge("{{ first_name | shout }}", cartContext)).toThrow(MergeError);
    expect(() => renderMerge("{% include '/etc/passwd' %}", cartContext)).toThrow(MergeError);
    expect(() => renderMerge("{{ first_name ", cartContext)).toThrow(MergeError);
  });

  it("stops runaway templates", () => {
    expect(() => renderMerge("{% for i in (1..100000000) %}{{ i }}{% endfor %}", cartContext)).toThrow(
      MergeError,
    );
  });

  it("says when a render ran out of wall-clock time, so a starved sender tries again instead of giving up", () => {
    // A process descheduled for a second mid-render: the clock jumps past the limit.
    let t = 0;
    const spy = vi.spyOn(performance, "now").mockImplementation(() => (t += 1_000));
    try {
      renderMerge("Hi {{ first_name }}", cartContext);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MergeError);
      expect(isMergeTimeout(error)).toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(isMergeTimeout(new MergeError("unknown filter"))).toBe(false);
    expect(renderMerge("Hi {{ first_name }}", cartContext)).toBe(`Hi ${sampleContact.firstName}`);
  });
});

describe("mergeEmailContent", () => {
  it("merges the coupon first so other fields can print it, and keeps subjects on one line", () => {
    const merged = mergeEmailContent(
      {
        template: "welcome",
        subject: "Hi {{ first_name }},\n use {{ coupon_code }}",
        preheader: "",
        heading: "",
        body: "Code: {{ coupon_code }}",
        buttonText: "Go",
        buttonUrl: "{{ shop.url }}",
        couponCode: '{{ event.code | default: "HELLO10" }}',
        productSource: "none",
        category: "marketing",
      },
      { workspace: sampleWorkspace, contact: sampleContact, trigger: { name: "Signed Up", properties: {} } },
    );
    expect(merged.couponCode).toBe("HELLO10");
    expect(merged.subject).toBe("Hi Maya, use HELLO10");
    expect(merged.body).toBe("Code: HELLO10");
  });
});

describe("checkMergeFields", () => {
  const cartKeys = mergeKeysForTrigger("Started Checkout");
  const signupKeys = mergeKeysForTrigger("Signed Up");

  it("accepts fields the trigger fills and fields with a default", () => {
    expect(
      checkMergeFields(
        { subject: "{{ cart.items }} at {{ shop.name }}", body: '{{ first_name | default: "there" }}' },
        cartKeys,
      ),
    ).toEqual([]);
    expect(checkMergeFields({ body: '{{ order.order_id | default: "your order" }}' }, signupKeys)).toEqual(
      [],
    );
  });

  it("reports a field the trigger cannot fill, naming the content field", () => {
    const problems = checkMergeFields({ subject: "Order {{ order.order_id }}", body: "ok" }, signupKeys);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: "subject", key: "order.order_id", severity: "error" });
    expect(problems[0]?.message).toContain("default");
  });

  it("reports unknown fields and syntax errors", () => {
    const problems = checkMergeFields(
      {
        heading: "Hi {{ frist_name }}",
        body: "{{ first_name | default: 'x' ",
        buttonText: "{{ x | shout }}",
      },
      cartKeys,
    );
    expect(problems.map((p) => [p.field, p.severity])).toEqual([
      ["heading", "error"],
      ["body", "error"],
      ["buttonText", "error"],
    ]);
    expect(problems[0]?.key).toBe("frist_name");
  });

  it("warns about optional contact fields without a default", () => {
    const problems = checkMergeFields({ heading: "Hi {{ first_name }}" }, cartKeys);
    expect(problems).toEqual([
      expect.objectContaining({ field: "heading", key: "first_name", severity: "warning" }),
    ]);
  });

  it("accepts fields used inside if/for tags, which cope with missing values", () => {
    expect(
      checkMergeFields({ body: "{% if order.order_id %}Order {{ order.order_id }}{% endif %}" }, signupKeys),
    ).toEqual([]);
  });

  it("knows coupon_code only when the email sets a coupon", () => {
    expect(checkMergeFields({ body: "Use {{ coupon_code }}", couponCode: "" }, signupKeys)).toHaveLength(1);
    expect(checkMergeFields({ body: "Use {{ coupon_code }}", couponCode: "SAVE10" }, signupKeys)).toEqual([]);
  });

  it("accepts any event property, with a warning when it has no default", () => {
    expect(checkMergeFields({ body: "{{ event.source }}" }, signupKeys)).toEqual([
      expect.objectContaining({ key: "event.source", severity: "warning" }),
    ]);
    expect(checkMergeFields({ body: "{{ event.name }}" }, signupKeys)).toEqual([]);
  });

  it("skips setting fields", () => {
    expect(
      checkMergeFields({ template: "{{ nope }}", category: "marketing", productSource: "cart" }, []),
    ).toEqual([]);
  });
});

describe("MERGE_FIELDS", () => {
  it("describes every field once", () => {
    const keys = MERGE_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const f of MERGE_FIELDS) expect(f.description.length).toBeGreaterThan(5);
  });
});
