import { describe, expect, it } from "vitest";
import {
  absoluteUrl,
  addressLines,
  brandColor,
  formatMoney,
  readCart,
  readOrder,
  readTriggerProduct,
  textColorOn,
} from "./data";
import { sampleWorkspace } from "./samples";

describe("absoluteUrl", () => {
  const base = "https://shop.example/store";
  it("resolves relative links under the shop's base path", () => {
    expect(absoluteUrl("products/mug", base)).toBe("https://shop.example/store/products/mug");
    expect(absoluteUrl("/cart", base)).toBe("https://shop.example/cart");
    expect(absoluteUrl("https://cdn.example/a.jpg", base)).toBe("https://cdn.example/a.jpg");
    expect(absoluteUrl("mailto:help@shop.example", base)).toBe("mailto:help@shop.example");
  });
  it("refuses other schemes and empty values", () => {
    for (const bad of ["javascript:alert(1)", "data:text/html,x", " ", undefined, null, 42, {}])
      expect(absoluteUrl(bad, base)).toBeUndefined();
    expect(absoluteUrl("/x", "not a url")).toBeUndefined();
  });
});

describe("money and colours", () => {
  it("formats money and never prints NaN", () => {
    expect(formatMoney(1234.5, "USD")).toBe("$1,234.50");
    expect(formatMoney(9, "EUR")).toBe("€9.00");
    expect(formatMoney(Number.NaN)).toBe("");
    expect(formatMoney(undefined)).toBe("");
  });
  it("accepts hex colours only and picks readable text", () => {
    expect(brandColor("#ABC")).toBe("#ABC");
    expect(brandColor("red")).toBe("#4f46e5");
    expect(textColorOn("#ffffff")).toBe("#111827");
    expect(textColorOn("#1f2937")).toBe("#ffffff");
  });
});

describe("reading event data", () => {
  it("reads a flat cart event and computes what is missing", () => {
    const cart = readCart(
      {
        name: "Started Checkout",
        properties: {
          checkout_url: "/checkout/1",
          items: [{ title: "Mug", price: "12.5", quantity: 2, url: "/p/mug" }, { price: 3 }],
        },
      },
      sampleWorkspace,
    );
    expect(cart).toEqual({
      cart_id: "",
      items: [
        {
          product_id: "Mug",
          title: "Mug",
          price: 12.5,
          quantity: 2,
          url: "https://shop.leafandkettle.example/p/mug",
        },
      ],
      value: 25,
      currency: "USD",
      checkout_url: "https://shop.leafandkettle.example/checkout/1",
    });
  });

  it("reads a nested order with its address", () => {
    const order = readOrder(
      {
        name: "Placed Order",
        properties: {
          order: {
            order_id: 7,
            value: 10,
            currency: "eur",
            shipping_address: { first_name: "Sam", city: "Lyon", country: "FR" },
          },
        },
      },
      sampleWorkspace,
    );
    expect(order).toMatchObject({ order_id: "7", value: 10, currency: "EUR", items: [] });
    expect(addressLines(order?.shipping_address)).toEqual(["Sam", "Lyon", "FR"]);
  });

  it("finds no cart, order or product where there is none", () => {
    const trigger = { name: "Signed Up", properties: { source: "popup" } };
    expect(readCart(trigger, sampleWorkspace)).toBeUndefined();
    expect(readOrder(trigger, sampleWorkspace)).toBeUndefined();
    expect(readTriggerProduct(trigger, sampleWorkspace)).toBeUndefined();
  });
});
