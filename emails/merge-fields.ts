/**
 * Every merge field an email, SMS or push can use, as plain data: the editor's picker
 * shows it, the merge code in `server/channels/merge.ts` checks copy against it.
 */

export type MergeFieldGroup = "contact" | "shop" | "cart" | "order" | "product" | "offer" | "event";

export type MergeField = {
  key: string;
  group: MergeFieldGroup;
  description: string;
  example: string;
  /** May be empty even when its group is available; use a `default`. */
  optional?: boolean;
};

/** Every merge field the editor offers, with a description for the picker. */
export const MERGE_FIELDS: readonly MergeField[] = [
  {
    key: "first_name",
    group: "contact",
    description: "Contact’s first name",
    example: "Maya",
    optional: true,
  },
  { key: "last_name", group: "contact", description: "Contact’s last name", example: "Chen", optional: true },
  {
    key: "full_name",
    group: "contact",
    description: "First and last name",
    example: "Maya Chen",
    optional: true,
  },
  { key: "email", group: "contact", description: "Contact’s email address", example: "maya@example.com" },
  { key: "shop.name", group: "shop", description: "Your shop’s name", example: "Leaf & Kettle" },
  { key: "shop.url", group: "shop", description: "Your shop’s home page", example: "https://shop.example" },
  {
    key: "shop.address",
    group: "shop",
    description: "Your postal address",
    example: "12 Harbour St, Portland",
  },
  {
    key: "cart.items",
    group: "cart",
    description: "Items in the cart (a list; prints as “Tea × 2, Kettle”)",
    example: "Sencha × 2, Kettle",
  },
  { key: "cart.item_count", group: "cart", description: "Number of items in the cart", example: "3" },
  { key: "cart.value", group: "cart", description: "Cart total (use `| money`)", example: "100" },
  { key: "cart.currency", group: "cart", description: "Cart currency code", example: "USD" },
  {
    key: "cart.checkout_url",
    group: "cart",
    description: "Link back to the saved checkout",
    example: "https://shop.example/checkout/c_1",
  },
  { key: "cart.cart_id", group: "cart", description: "Cart id", example: "c_81234" },
  { key: "order.order_id", group: "order", description: "Order number", example: "1042" },
  {
    key: "order.items",
    group: "order",
    description: "Items in the order (a list)",
    example: "Sencha × 2, Kettle",
  },
  { key: "order.item_count", group: "order", description: "Number of items in the order", example: "3" },
  { key: "order.value", group: "order", description: "Order total (use `| money`)", example: "103.7" },
  { key: "order.currency", group: "order", description: "Order currency code", example: "USD" },
  {
    key: "order.shipping_address",
    group: "order",
    description: "Shipping address on one line",
    example: "48 Elm Ave, Burlington, VT 05401",
    optional: true,
  },
  {
    key: "order.tracking_url",
    group: "order",
    description: "Carrier tracking link",
    example: "https://track.example/1Z99",
    optional: true,
  },
  { key: "order.carrier", group: "order", description: "Shipping carrier", example: "UPS", optional: true },
  {
    key: "order.order_url",
    group: "order",
    description: "Link to the order in the customer’s account",
    example: "https://shop.example/account/orders/1042",
    optional: true,
  },
  { key: "product.title", group: "product", description: "Product name", example: "Cast Iron Teapot" },
  {
    key: "product.url",
    group: "product",
    description: "Product page link",
    example: "https://shop.example/products/teapot",
  },
  {
    key: "product.price",
    group: "product",
    description: "Product price (use `| money`)",
    example: "58",
    optional: true,
  },
  {
    key: "product.image_url",
    group: "product",
    description: "Product image link",
    example: "https://cdn.example/teapot.jpg",
    optional: true,
  },
  { key: "product.product_id", group: "product", description: "Product id", example: "p_teapot" },
  {
    key: "products",
    group: "offer",
    description: "Recommended products (a list)",
    example: "Matcha, Whisk",
    optional: true,
  },
  {
    key: "coupon_code",
    group: "offer",
    description: "The coupon code set on this email",
    example: "WELCOME10",
  },
  {
    key: "review.url",
    group: "offer",
    description: "Link to write a review",
    example: "https://shop.example/reviews/new?order_id=1042",
  },
  {
    key: "referral.url",
    group: "offer",
    description: "The contact’s referral link",
    example: "https://shop.example/r/maya",
  },
  {
    key: "referral.reward_code",
    group: "offer",
    description: "Reward code from the Referral Completed event",
    example: "MAYA-15",
    optional: true,
  },
  { key: "event.name", group: "event", description: "Name of the trigger event", example: "Placed Order" },
  {
    key: "event.*",
    group: "event",
    description: "Any property of the trigger event, e.g. event.source",
    example: "footer form",
    optional: true,
  },
];
