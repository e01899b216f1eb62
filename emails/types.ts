/**
 * Types shared by the email templates and the channel renderers.
 *
 * The node contents mirror the flow engine's `email` / `sms` / `push` node configs
 * (their zod schemas live in server/engine/nodes); they are plain types here so the
 * templates do not depend on the engine.
 */

export type MessageCategory = "marketing" | "transactional";

/** Where the product block of an email takes its products from. */
export type ProductSource = "none" | "cart" | "order" | "last_viewed" | "recommendations";

/** An `email` node's content. Text fields may hold merge fields (`{{ first_name }}`). */
export type EmailContent = {
  /** Template key in the registry, e.g. `abandoned_cart_1`. */
  template: string;
  subject: string;
  preheader: string;
  heading: string;
  body: string;
  buttonText: string;
  buttonUrl: string;
  couponCode?: string;
  /** The coupon pool each message draws a unique code from (`{{ coupon.code }}`). */
  couponPool?: string;
  productSource: ProductSource;
  category: MessageCategory;
};

/** An `sms` node's content. */
export type SmsContent = { body: string; category: MessageCategory; couponPool?: string };

/** A `push` node's content. */
export type PushContent = { title: string; body: string; url?: string; category: MessageCategory };

/** The sending workspace as the templates see it. */
export type EmailWorkspace = {
  name: string;
  /** `#rgb` or `#rrggbb`; anything else falls back to the default brand colour. */
  brandColor: string;
  logoUrl?: string | null;
  postalAddress: string;
  /** The shop's public base URL; relative product and cart links resolve against it. */
  appUrl: string;
  /** ISO 4217 code used when an event carries none. Defaults to USD. */
  currency?: string;
};

export type EmailContact = {
  firstName?: string | null;
  lastName?: string | null;
  email: string;
};

/** The event that enrolled the contact, as ingested (untrusted, loosely shaped). */
export type TriggerEvent = {
  name: string;
  properties: Record<string, unknown>;
};

export type CartItem = {
  product_id: string;
  title: string;
  price: number;
  quantity: number;
  image_url?: string;
  url: string;
};

export type Cart = {
  cart_id: string;
  items: CartItem[];
  value: number;
  currency: string;
  checkout_url: string;
};

export type Address = {
  name?: string;
  address1?: string;
  address2?: string;
  city?: string;
  province?: string;
  zip?: string;
  country?: string;
};

export type OrderItem = CartItem;

export type Order = {
  order_id: string;
  items: OrderItem[];
  value: number;
  currency: string;
  subtotal?: number;
  shipping?: number;
  tax?: number;
  discount?: number;
  shipping_address?: Address;
  tracking_url?: string;
  carrier?: string;
  order_url?: string;
};

/** A product shown in an email (last viewed, recommendation, back in stock). */
export type Product = {
  product_id: string;
  title: string;
  price?: number;
  compare_at_price?: number;
  image_url?: string;
  url: string;
};

/** Props every email template takes. `content` is the node content after merge. */
export type EmailTemplateProps = {
  workspace: EmailWorkspace;
  contact: EmailContact;
  trigger: TriggerEvent;
  content: EmailContent;
  /** Recommendations or recently viewed products picked by the executor. */
  products?: Product[];
  /** Signed one-click unsubscribe URL; shown on marketing mail only. */
  unsubscribeUrl?: string;
  preferencesUrl?: string;
};
