import { describe, expect, it } from "vitest";
import { action } from "./action";
import { email, type EmailConfig } from "./email";
import { exit } from "./exit";
import { push } from "./push";
import { sms } from "./sms";

const ctx = { nodeId: "n", trigger: null };
const cartEmail: EmailConfig = {
  template: "abandoned_cart_1",
  subject: "Your cart is waiting",
  preheader: "",
  heading: "Still thinking it over?",
  body: 'Hi {{ first_name | default: "there" }}, your cart is saved.',
  buttonText: "Return to your cart",
  buttonUrl: "{{ cart.checkout_url }}",
  productSource: "cart",
  category: "marketing",
};

describe("email", () => {
  it("summarises by subject and accepts complete content", () => {
    expect(email.summary(cartEmail)).toBe("Email: Your cart is waiting");
    expect(email.validate(cartEmail, ctx)).toEqual([]);
    expect(email.outputs(cartEmail)).toEqual(["next"]);
  });

  it("wants a template, subject and body, a full button and a real coupon", () => {
    // A new email has no template yet (never a made-up one) and says so.
    expect(email.defaultConfig().template).toBe("");
    expect(email.validate(email.defaultConfig(), ctx).map((i) => i.message)).toEqual([
      "Choose an email template.",
      "Add a subject line.",
      "Add the email's body text.",
    ]);
    expect(email.validate({ ...cartEmail, template: "" }, ctx).map((i) => i.code)).toEqual(["missing_field"]);
    expect(email.validate({ ...cartEmail, buttonUrl: "" }, ctx).map((i) => i.message)).toEqual([
      "Add the link the button opens.",
    ]);
    expect(email.validate({ ...cartEmail, buttonUrl: "www.shop.example" }, ctx).map((i) => i.code)).toEqual([
      "invalid_url",
    ]);
    expect(email.validate({ ...cartEmail, couponCode: " " }, ctx).map((i) => i.code)).toEqual([
      "missing_content",
    ]);
    expect(email.validate({ ...cartEmail, heading: "{% if vip Hi" }, ctx).map((i) => i.code)).toEqual([
      "invalid_merge_field",
    ]);
  });

  it("is strict about its fields and fills optional ones", () => {
    expect(email.configSchema.safeParse({ ...cartEmail, fontSize: 14 }).success).toBe(false);
    const parsed = email.configSchema.parse({ template: "welcome", subject: "Hi", body: "Hello" });
    expect(parsed).toEqual({
      template: "welcome",
      subject: "Hi",
      body: "Hello",
      preheader: "",
      heading: "",
      buttonText: "",
      buttonUrl: "",
      productSource: "none",
      category: "marketing",
    });
  });
});

describe("sms", () => {
  it("summarises and validates the text", () => {
    expect(
      sms.summary({
        body: "Your cart is still saved. Finish checking out any time today",
        category: "marketing",
      }),
    ).toBe("SMS: Your cart is still saved. Finish checki…");
    expect(sms.validate({ body: "", category: "marketing" }, ctx).map((i) => i.code)).toEqual([
      "missing_content",
    ]);
    expect(sms.validate({ body: "x".repeat(1601), category: "marketing" }, ctx).map((i) => i.code)).toEqual([
      "invalid_value",
    ]);
    expect(
      sms.validate({ body: "Hi {{ first_name", category: "transactional" }, ctx).map((i) => i.code),
    ).toEqual(["invalid_merge_field"]);
  });
});

describe("push", () => {
  it("summarises and validates title, text and link", () => {
    const config = {
      title: "Last day: 25% off",
      body: "Ends tonight",
      url: "https://shop.example/sale",
      category: "marketing" as const,
    };
    expect(push.summary(config)).toBe("Push: Last day: 25% off");
    expect(push.validate(config, ctx)).toEqual([]);
    expect(push.validate({ ...config, title: "" }, ctx).map((i) => i.code)).toEqual(["missing_content"]);
    expect(push.validate({ ...config, url: "ftp://x" }, ctx).map((i) => i.code)).toEqual(["invalid_url"]);
  });
});

describe("action", () => {
  it("summarises each action", () => {
    expect(action.summary({ type: "update_property", property: "vip_tier", value: "gold" })).toBe(
      "Set vip_tier to gold",
    );
    expect(action.summary({ type: "add_tag", tag: "inactive" })).toBe("Add tag inactive");
    expect(action.summary({ type: "remove_tag", tag: "vip" })).toBe("Remove tag vip");
    expect(action.summary({ type: "webhook", url: "https://hooks.example/x", method: "POST" })).toBe(
      "Webhook POST https://hooks.example/x",
    );
  });

  it("needs https webhooks, a tag, and a custom property", () => {
    expect(
      action
        .validate({ type: "webhook", url: "http://hooks.example/x", method: "POST" }, ctx)
        .map((i) => i.code),
    ).toEqual(["invalid_url"]);
    expect(action.validate({ type: "add_tag", tag: "" }, ctx).map((i) => i.code)).toEqual(["missing_field"]);
    expect(
      action.validate({ type: "update_property", property: "email", value: "x" }, ctx).map((i) => i.code),
    ).toEqual(["invalid_value"]);
    expect(
      action.configSchema.safeParse({ type: "webhook", url: "https://x.example", method: "TRACE" }).success,
    ).toBe(false);
  });
});

describe("exit", () => {
  it("has no outputs and ends the flow", () => {
    expect(exit.outputs({})).toEqual([]);
    expect(exit.summary({})).toBe("Exit");
    expect(exit.configSchema.safeParse({ reason: "x" }).success).toBe(false);
  });
});

describe("message summaries", () => {
  it("show merge fields compactly", () => {
    expect(
      email.summary({
        ...cartEmail,
        subject: '{{ first_name | default: "Hey" }}, you left something behind',
      }),
    ).toBe("Email: {first_name}, you left something behind");
    expect(sms.summary({ body: "Order #{{order.order_id}} shipped", category: "transactional" })).toBe(
      "SMS: Order #{order.order_id} shipped",
    );
    expect(
      push.summary({
        title: 'Still thinking about {{ product.title | default: "it" }}?',
        body: "x",
        category: "marketing",
      }),
    ).toBe("Push: Still thinking about {product.title}?");
  });
});
