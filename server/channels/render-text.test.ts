import { describe, expect, it } from "vitest";
import { sampleContact, sampleTriggers, sampleWorkspace } from "@/emails/samples";
import { renderPush, renderSms, smsSegments, toGsmFriendly } from "./render-text";

describe("smsSegments", () => {
  it("fits 160 GSM-7 characters in one segment and splits at 153", () => {
    expect(smsSegments("")).toEqual({ length: 0, segments: 0, encoding: "GSM-7" });
    expect(smsSegments("a".repeat(160))).toEqual({ length: 160, segments: 1, encoding: "GSM-7" });
    expect(smsSegments("a".repeat(161))).toEqual({ length: 161, segments: 2, encoding: "GSM-7" });
    expect(smsSegments("a".repeat(306))).toEqual({ length: 306, segments: 2, encoding: "GSM-7" });
    expect(smsSegments("a".repeat(307))).toEqual({ length: 307, segments: 3, encoding: "GSM-7" });
  });

  it("counts GSM-7 accents as one and extended characters (€ [ ] { } ~ ^ | \\) as two", () => {
    expect(smsSegments("Café à Zürich £5 @ 10%")).toMatchObject({ length: 22, encoding: "GSM-7" });
    expect(smsSegments("€[]{}~^|\\")).toEqual({ length: 18, segments: 1, encoding: "GSM-7" });
    expect(smsSegments("€".repeat(80))).toEqual({ length: 160, segments: 1, encoding: "GSM-7" });
    expect(smsSegments("€".repeat(81))).toEqual({ length: 162, segments: 2, encoding: "GSM-7" });
  });

  it("never splits an extended character across segments", () => {
    // 152 plain + "€" = 154 septets in the first 153: the escape pair moves to segment 2.
    const text = "a".repeat(152) + "€" + "a".repeat(152);
    expect(smsSegments(text)).toEqual({ length: 306, segments: 3, encoding: "GSM-7" });
  });

  it("switches to UCS-2 for emoji and other characters: 70 in one, 67 per segment", () => {
    expect(smsSegments("Hi 👋")).toEqual({ length: 5, segments: 1, encoding: "UCS-2" });
    expect(smsSegments("ç".repeat(70))).toEqual({ length: 70, segments: 1, encoding: "UCS-2" });
    expect(smsSegments("ç".repeat(71))).toEqual({ length: 71, segments: 2, encoding: "UCS-2" });
    expect(smsSegments("ç".repeat(134))).toEqual({ length: 134, segments: 2, encoding: "UCS-2" });
    expect(smsSegments("ç".repeat(135))).toEqual({ length: 135, segments: 3, encoding: "UCS-2" });
    // 66 units + an emoji (2 units) does not fit in 67: the emoji opens segment 2.
    expect(smsSegments("a".repeat(66) + "😀" + "a".repeat(10))).toEqual({
      length: 78,
      segments: 2,
      encoding: "UCS-2",
    });
    expect(smsSegments("😀".repeat(35))).toEqual({ length: 70, segments: 1, encoding: "UCS-2" });
    expect(smsSegments("😀".repeat(36))).toEqual({ length: 72, segments: 2, encoding: "UCS-2" });
  });

  it("turns typographic punctuation into GSM-7", () => {
    const text = toGsmFriendly("It’s “ready” — 2×…");
    expect(text).toBe('It\'s "ready" - 2x...');
    expect(smsSegments(text).encoding).toBe("GSM-7");
  });
});

describe("renderSms", () => {
  const base = {
    workspace: sampleWorkspace,
    contact: sampleContact,
    trigger: sampleTriggers.abandoned_cart_2,
  };

  it("merges fields, names the shop and adds opt-out wording to marketing texts", () => {
    const out = renderSms({
      ...base,
      content: {
        body: "Hi {{ first_name }}, your cart’s waiting: {{ cart.checkout_url }}",
        category: "marketing",
      },
    });
    expect(out.body).toBe(
      "Leaf & Kettle: Hi Maya, your cart's waiting: https://shop.leafandkettle.example/checkout/c_81234\nReply STOP to opt out.",
    );
    expect(out.segments.encoding).toBe("GSM-7");
    expect(out.segments.length).toBe(out.body.length);
  });

  it("leaves transactional texts as written, and marketing texts that already comply", () => {
    const tx = renderSms({
      ...base,
      trigger: sampleTriggers.shipping_notice,
      content: {
        body: "Order {{ order.order_id }} shipped: {{ order.tracking_url }}",
        category: "transactional",
      },
    });
    expect(tx.body).toBe("Order 1042 shipped: https://track.example-carrier.com/1Z999AA10123456784");
    const ok = renderSms({
      ...base,
      content: { body: "Leaf & Kettle: 10% off today. Text STOP to quit", category: "marketing" },
    });
    expect(ok.body).toBe("Leaf & Kettle: 10% off today. Text STOP to quit");
  });

  it("uses defaults for a contact without a name", () => {
    const out = renderSms({
      ...base,
      contact: { email: "x@example.com" },
      content: { body: 'Hi {{ first_name | default: "there" }}', category: "transactional" },
    });
    expect(out.body).toBe("Hi there");
  });
});

describe("renderPush", () => {
  it("merges title and body and makes the link absolute", () => {
    const out = renderPush({
      workspace: sampleWorkspace,
      contact: sampleContact,
      trigger: sampleTriggers.browse_abandonment,
      content: {
        title: "Still thinking about {{ product.title }}?",
        body: "It’s waiting for you, {{ first_name }}.",
        url: "/products/cast-iron-teapot",
        category: "marketing",
      },
    });
    expect(out).toEqual({
      title: "Still thinking about Cast Iron Teapot?",
      body: "It’s waiting for you, Maya.",
      url: "https://shop.leafandkettle.example/products/cast-iron-teapot",
    });
  });

  it("drops links that are not web links", () => {
    const out = renderPush({
      workspace: sampleWorkspace,
      contact: sampleContact,
      trigger: { name: "x", properties: {} },
      content: { title: "Hi", body: "There", url: "javascript:alert(1)", category: "marketing" },
    });
    expect(out).toEqual({ title: "Hi", body: "There" });
  });
});
