import { describe, expect, it } from "vitest";
import { planShopifyDelivery, signShopifyBody, verifyShopifyHmac } from "./shopify";
import {
  CHECKOUT_CREATED,
  CUSTOMER_CREATED,
  FULFILLMENT_CREATED,
  ORDER_CREATED,
  PRODUCT_UPDATED,
  SHOP_DOMAIN,
} from "@/server/testing/shopify-fixtures";

describe("Shopify HMAC", () => {
  const body = Buffer.from(JSON.stringify(ORDER_CREATED));
  it("accepts the signature of the raw body and refuses anything else", () => {
    const good = signShopifyBody(body, "secret");
    expect(verifyShopifyHmac(body, "secret", good)).toBe(true);
    expect(verifyShopifyHmac(body, "other", good)).toBe(false);
    expect(verifyShopifyHmac(Buffer.concat([body, Buffer.from(" ")]), "secret", good)).toBe(false);
    for (const header of [null, "", "AAAA", "not base64 at all", good.slice(0, -4)])
      expect(verifyShopifyHmac(body, "secret", header)).toBe(false);
  });
});

describe("Shopify topics → canonical events", () => {
  it("orders/create → Placed Order for the customer", () => {
    const plan = planShopifyDelivery("orders/create", ORDER_CREATED);
    expect(plan).toMatchObject({
      kind: "track",
      event: "Placed Order",
      timestamp: ORDER_CREATED.created_at,
      person: {
        userId: "7041251508275",
        email: "bob.norman@mail.example.com",
        traits: { first_name: "Bob", email_consent: "subscribed", country: "US" },
      },
      properties: {
        order_id: "5612398723123",
        value: 48.8,
        currency: "USD",
        cart_id: ORDER_CREATED.checkout_token,
      },
    });
  });

  it("takes exact ids from admin_graphql_api_id (JSON numbers past 2^53 lose digits)", () => {
    const plan = planShopifyDelivery("orders/create", {
      ...ORDER_CREATED,
      id: 820982911946154500,
      admin_graphql_api_id: "gid://shopify/Order/820982911946154508",
    });
    expect(plan).toMatchObject({ properties: { order_id: "820982911946154508" } });
  });

  it("checkouts → Started Checkout, skipping completed and anonymous ones", () => {
    expect(planShopifyDelivery("checkouts/update", CHECKOUT_CREATED)).toMatchObject({
      event: "Started Checkout",
      properties: { cart_id: "123123123", checkout_url: CHECKOUT_CREATED.abandoned_checkout_url },
    });
    expect(
      planShopifyDelivery("checkouts/update", { ...CHECKOUT_CREATED, completed_at: "2026-01-01T00:00:00Z" })
        .kind,
    ).toBe("ignore");
    expect(
      planShopifyDelivery("checkouts/create", { ...CHECKOUT_CREATED, customer: null, email: "" }).kind,
    ).toBe("ignore");
  });

  it("customers/create → identify + Signed Up", () => {
    expect(planShopifyDelivery("customers/create", CUSTOMER_CREATED)).toMatchObject({
      event: "Signed Up",
      person: { userId: "7041251508276", traits: { phone: "+16135552222", last_name: "Lee" } },
    });
  });

  it("fulfillments/create → Order Shipped with the tracking link", () => {
    expect(planShopifyDelivery("fulfillments/create", FULFILLMENT_CREATED)).toMatchObject({
      event: "Order Shipped",
      findContactByOrderId: "5612398723123",
      properties: {
        order_id: "5612398723123",
        tracking_url: FULFILLMENT_CREATED.tracking_url,
        carrier: "UPS",
      },
    });
    expect(
      planShopifyDelivery("fulfillments/create", { ...FULFILLMENT_CREATED, tracking_url: null }),
    ).toMatchObject({ properties: { tracking_url: FULFILLMENT_CREATED.tracking_urls[0] } });
  });

  it("products/update → product with summed inventory (oversold variants count as 0)", () => {
    expect(planShopifyDelivery("products/update", PRODUCT_UPDATED, SHOP_DOMAIN)).toEqual({
      kind: "product",
      productId: "632910392",
      product: {
        title: "Kenya Nyeri AA",
        url: `https://${SHOP_DOMAIN}/products/kenya-nyeri-aa`,
        image: PRODUCT_UPDATED.image.src,
        price: 21.9,
        category: "Coffee",
        inventory: 12,
      },
    });
    const noStock = {
      ...PRODUCT_UPDATED,
      variants: PRODUCT_UPDATED.variants.map(({ inventory_quantity: _q, ...v }) => v),
    };
    expect(planShopifyDelivery("products/update", noStock)).not.toHaveProperty("product.inventory");
  });

  it("products/update → days per unit from a `days_per_unit` metafield, when the webhook includes it", () => {
    const withMetafield = {
      ...PRODUCT_UPDATED,
      metafields: [
        { namespace: "custom", key: "roast", value: "light" },
        { namespace: "custom", key: "days_per_unit", value: "14" },
      ],
    };
    expect(planShopifyDelivery("products/update", withMetafield)).toMatchObject({
      product: { daysPerUnit: 14 },
    });
    expect(planShopifyDelivery("products/update", PRODUCT_UPDATED)).not.toHaveProperty("product.daysPerUnit");
    const nonsense = { ...PRODUCT_UPDATED, metafields: [{ key: "days_per_unit", value: "soon" }] };
    expect(planShopifyDelivery("products/update", nonsense)).not.toHaveProperty("product.daysPerUnit");
  });

  it("ignores payloads that are not objects", () => {
    expect(planShopifyDelivery("orders/create", [1, 2]).kind).toBe("ignore");
    expect(planShopifyDelivery("orders/create", { id: null }).kind).toBe("ignore");
  });
});
