/**
 * Sample data for previews and tests: a small tea shop, one contact and the
 * trigger event each template is written for.
 */
import type { EmailTemplateKey } from "./catalog";
import type { EmailContact, EmailWorkspace, Product, TriggerEvent } from "./types";

export const sampleWorkspace: EmailWorkspace = {
  name: "Leaf & Kettle",
  brandColor: "#2f855a",
  logoUrl: null,
  postalAddress: "12 Harbour Street, Portland, ME 04101, USA",
  appUrl: "https://shop.leafandkettle.example",
  currency: "USD",
};

export const sampleContact: EmailContact = { firstName: "Maya", lastName: "Chen", email: "maya@example.com" };

const img = (name: string) => `https://cdn.leafandkettle.example/products/${name}.jpg`;

const sencha = {
  product_id: "p_sencha",
  title: "Organic Sencha Green Tea",
  price: 18,
  quantity: 2,
  image_url: img("sencha"),
  url: "/products/organic-sencha",
};
const kettle = {
  product_id: "p_kettle",
  title: "Gooseneck Pour-Over Kettle",
  price: 64,
  quantity: 1,
  image_url: img("kettle"),
  url: "/products/gooseneck-kettle",
};

export const sampleProducts: Product[] = [
  {
    product_id: "p_matcha",
    title: "Ceremonial Matcha",
    price: 32,
    image_url: img("matcha"),
    url: "/products/ceremonial-matcha",
  },
  {
    product_id: "p_whisk",
    title: "Bamboo Matcha Whisk",
    price: 14,
    image_url: img("whisk"),
    url: "/products/bamboo-whisk",
  },
  {
    product_id: "p_teapot",
    title: "Cast Iron Teapot",
    price: 58,
    compare_at_price: 72,
    image_url: img("teapot"),
    url: "/products/cast-iron-teapot",
  },
  {
    product_id: "p_cups",
    title: "Stoneware Cup Set",
    price: 36,
    image_url: img("cups"),
    url: "/products/stoneware-cups",
  },
];

const cartEvent: TriggerEvent = {
  name: "Started Checkout",
  properties: {
    cart: {
      cart_id: "c_81234",
      items: [sencha, kettle],
      value: 100,
      currency: "USD",
      checkout_url: "/checkout/c_81234",
    },
  },
};

const order = {
  order_id: "1042",
  items: [sencha, kettle],
  subtotal: 100,
  discount: 10,
  shipping: 6.5,
  tax: 7.2,
  value: 103.7,
  currency: "USD",
  shipping_address: {
    name: "Maya Chen",
    address1: "48 Elm Avenue",
    city: "Burlington",
    province: "VT",
    zip: "05401",
    country: "United States",
  },
  tracking_url: "https://track.example-carrier.com/1Z999AA10123456784",
  carrier: "UPS",
  order_url: "/account/orders/1042",
};

const orderEvent = (name: string): TriggerEvent => ({ name, properties: { order } });

const productEvent = (name: string): TriggerEvent => ({
  name,
  properties: {
    product: {
      product_id: "p_teapot",
      title: "Cast Iron Teapot",
      price: 58,
      image_url: img("teapot"),
      url: "/products/cast-iron-teapot",
    },
  },
});

export const sampleTriggers: Record<EmailTemplateKey, TriggerEvent> = {
  welcome: { name: "Signed Up", properties: { source: "footer form" } },
  order_confirmation: orderEvent("Placed Order"),
  shipping_notice: orderEvent("Order Shipped"),
  abandoned_cart_1: cartEvent,
  abandoned_cart_2: cartEvent,
  abandoned_cart_3: cartEvent,
  browse_abandonment: productEvent("Viewed Product"),
  back_in_stock: productEvent("Back in Stock"),
  post_purchase_thank_you: orderEvent("Placed Order"),
  cross_sell: orderEvent("Placed Order"),
  upsell: productEvent("Added to Cart"),
  review_request: orderEvent("Order Delivered"),
  review_thanks: { name: "Review Submitted", properties: { rating: 5, product_id: "p_sencha" } },
  review_recovery: { name: "Review Submitted", properties: { rating: 2, product_id: "p_kettle" } },
  replenishment: orderEvent("Placed Order"),
  birthday: { name: "Birthday", properties: {} },
  seasonal_offer: { name: "Scheduled", properties: { campaign: "spring" } },
  referral: {
    name: "Placed Order",
    properties: { order, referral_url: "https://shop.leafandkettle.example/r/maya-7f3k" },
  },
  referral_reward: {
    name: "Referral Completed",
    properties: { friend_first_name: "Sam", reward_code: "MAYA-REWARD-15" },
  },
  win_back: { name: "Inactive", properties: { days_since_last_order: 45 } },
  win_back_last_chance: { name: "Inactive", properties: { days_since_last_order: 75 } },
};

export const sampleUnsubscribeUrl = "https://app.tidings.example/u/sample-token";
export const samplePreferencesUrl = "https://app.tidings.example/preferences/sample-token";
