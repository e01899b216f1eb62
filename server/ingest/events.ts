/**
 * The canonical e-commerce events: the names flows trigger on, each with its documented
 * properties. Lenient on extra properties, typed on the documented ones. The shapes match
 * what the demo shop (server/seed/demo-shop.ts) records.
 */
import { z } from "zod";
import { Currency, Id, Money, text, UrlLike } from "./fields";

const productFields = {
  product_id: Id.describe("The shop's product id (string or integer)."),
  title: text(500).optional().describe("Product title."),
  price: Money.optional().describe("Unit price in major units (18.9 = $18.90)."),
  currency: Currency.optional().describe("ISO 4217 code; defaults to the shop's currency."),
  url: UrlLike.optional().describe("Product page: absolute URL or a path on the shop."),
  image_url: UrlLike.optional().describe("Product image: absolute URL or a path on the shop."),
  category: text(200).optional().describe("Product category, used by category filters."),
};

export const LineItem = z
  .looseObject({
    ...productFields,
    product_id: productFields.product_id.optional(),
    quantity: z.number().int().min(0).max(1_000_000).optional().describe("Units ordered."),
    sku: text(255).optional().describe("Stock-keeping unit."),
    variant_id: Id.optional().describe("The variant's id, if the shop has variants."),
  })
  .describe("One line of a cart or order.");

const items = z.array(LineItem).max(500, "At most 500 items").describe("The lines of the cart or order.");
const cartId = Id.describe("The cart (or checkout) id; ties Started Checkout to Placed Order.");
const orderId = Id.describe("The shop's order id.");

export const CANONICAL_EVENTS = {
  "Signed Up": z
    .looseObject({
      source: text(200).optional().describe("Where the customer signed up (popup, checkout, footer…)."),
    })
    .describe("A customer created an account or joined the list. Triggers the welcome series."),
  "Viewed Product": z
    .looseObject({ ...productFields })
    .describe("A customer looked at a product page. Triggers browse abandonment."),
  "Added to Cart": z
    .looseObject({
      cart_id: cartId.optional(),
      ...productFields,
      quantity: z.number().int().min(0).max(1_000_000).optional().describe("Units added."),
    })
    .describe("A product went into a cart. Triggers upsell and cross-sell."),
  "Started Checkout": z
    .looseObject({
      cart_id: cartId.optional(),
      items: items.optional(),
      value: Money.optional().describe("Cart total in major units."),
      currency: Currency.optional().describe("ISO 4217 code."),
      checkout_url: UrlLike.optional().describe("Where the customer can resume the checkout."),
    })
    .describe("A customer began checking out. Triggers abandoned cart; Placed Order is its goal."),
  "Placed Order": z
    .looseObject({
      order_id: orderId,
      cart_id: cartId.optional(),
      items: items.optional(),
      value: Money.optional().describe("Order total in major units; the revenue attributed to flows."),
      currency: Currency.optional().describe("ISO 4217 code."),
    })
    .describe("An order was placed. Triggers order confirmation, post-purchase, replenishment and referral."),
  "Order Shipped": z
    .looseObject({
      order_id: orderId,
      tracking_url: UrlLike.optional().describe("The carrier's tracking page."),
      carrier: text(200).optional().describe("Carrier name."),
      tracking_number: text(200).optional().describe("Carrier tracking number."),
    })
    .describe("An order left the warehouse. Triggers the shipping notice."),
  "Order Delivered": z
    .looseObject({ order_id: orderId })
    .describe("An order arrived. Triggers the review request."),
  "Review Submitted": z
    .looseObject({
      rating: z
        .number()
        .int("A whole number from 1 to 5")
        .min(1, "From 1 to 5")
        .max(5, "From 1 to 5")
        .describe("Stars, 1 to 5."),
      order_id: orderId.optional(),
      product_id: productFields.product_id.optional(),
      review: text(10_000).optional().describe("The review text."),
    })
    .describe("A customer reviewed a product or order. Ends the review request wait."),
  "Referral Completed": z
    .looseObject({
      referral_code: text(200).optional().describe("The code the referred customer used."),
      referred_customer_id: Id.optional().describe("The referred customer's id."),
    })
    .describe("Someone the customer referred made a purchase. Triggers the referral thank-you."),
  "Subscribed to Back in Stock": z
    .looseObject({ ...productFields })
    .describe("A customer asked to be told when a sold-out product returns. Also records the subscription."),
  "Back in Stock": z
    .looseObject({ ...productFields, inventory: z.number().int().optional().describe("Units now in stock.") })
    .describe("Emitted by Tidings, once per subscriber, when a product's inventory goes from 0 to more."),
} as const satisfies Record<string, z.ZodType<Record<string, unknown>, Record<string, unknown>>>;

export type CanonicalEventName = keyof typeof CANONICAL_EVENTS;

export function isCanonicalEvent(name: string): name is CanonicalEventName {
  return Object.hasOwn(CANONICAL_EVENTS, name);
}

export const BACK_IN_STOCK = "Back in Stock" satisfies CanonicalEventName;
export const SUBSCRIBED_TO_BACK_IN_STOCK = "Subscribed to Back in Stock" satisfies CanonicalEventName;
