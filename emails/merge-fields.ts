/**
 * The merge fields as data: which there are, what they mean, and which a flow's trigger
 * can fill. Free of the renderer (liquidjs) so the editor's picker and the validator's
 * catalog (`emails/content-catalog.ts`) read the same list the sender merges with.
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
    key: "coupon.code",
    group: "offer",
    description: "A unique code drawn for this message from the step’s coupon pool",
    example: "BDAY-7KQ2M9XD",
  },
  {
    key: "coupon.expires_at",
    group: "offer",
    description: "When the drawn code expires, e.g. December 31, 2026 (empty if it never does)",
    example: "December 31, 2026",
    optional: true,
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

export const ALWAYS_AVAILABLE: readonly MergeFieldGroup[] = ["contact", "shop", "event"];
export const CART_EVENTS = new Set(["Started Checkout", "Checkout Started", "Added to Cart", "Cart Updated"]);
export const ORDER_EVENTS = new Set([
  "Placed Order",
  "Order Placed",
  "Order Shipped",
  "Order Delivered",
  "Order Fulfilled",
  "Order Refunded",
]);
export const PRODUCT_EVENTS = new Set([
  "Viewed Product",
  "Added to Cart",
  "Back in Stock",
  "Product Back in Stock",
]);

/** Every filter the merge renderer knows: liquid's own plus `money` (a test checks the renderer agrees). */
export const MERGE_FILTERS: readonly string[] = [
  ...(
    "escape xml_escape escape_once newline_to_br strip_html abs at_least at_most ceil divided_by floor " +
    "minus plus modulo times round url_decode url_encode cgi_escape uri_escape slugify join last first " +
    "reverse sort sort_natural size map sum compact concat push unshift pop shift slice where reject " +
    "where_exp reject_exp group_by group_by_exp has has_exp find_index find_index_exp find find_exp uniq " +
    "sample date date_to_xmlschema date_to_rfc822 date_to_string date_to_long_string append prepend " +
    "lstrip downcase upcase remove remove_first remove_last rstrip split strip strip_newlines squish " +
    "capitalize replace replace_first replace_last truncate truncatewords normalize_whitespace " +
    "number_of_words array_to_sentence_string base64_encode base64_decode sha256 hmac_sha256 default raw " +
    "jsonify to_integer json inspect"
  ).split(" "),
  "money",
];

/**
 * The merge fields a flow started by `eventName` can always fill. Shop, contact,
 * event, review and referral fields are always there (the last two fall back to
 * shop links); cart, order and product fields depend on the trigger event.
 */
export function mergeKeysForTrigger(
  eventName: string | undefined,
  opts: { hasCoupon?: boolean; hasCouponPool?: boolean } = {},
): string[] {
  const groups = new Set<MergeFieldGroup>(ALWAYS_AVAILABLE);
  if (eventName && CART_EVENTS.has(eventName)) groups.add("cart");
  if (eventName && ORDER_EVENTS.has(eventName)) groups.add("order");
  if (eventName && PRODUCT_EVENTS.has(eventName)) groups.add("product");
  const keys = MERGE_FIELDS.filter((f) => groups.has(f.group)).map((f) => f.key);
  keys.push("review.url", "referral.url", "referral.reward_code", "products");
  if (opts.hasCoupon) keys.push("coupon_code");
  if (opts.hasCouponPool) keys.push("coupon.code", "coupon.expires_at");
  return keys;
}
