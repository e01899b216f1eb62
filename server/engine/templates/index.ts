/** The seed flows of DESIGN.md §1, ready to open, adjust and publish. */
import type { FlowGraph } from "../graph";
import { abandonedCart } from "./abandoned-cart";
import { backInStock } from "./back-in-stock";
import { birthday } from "./birthday";
import { browseAbandonment } from "./browse-abandonment";
import { orderConfirmation } from "./order-confirmation";
import { postPurchase } from "./post-purchase";
import { referral } from "./referral";
import { replenishment } from "./replenishment";
import { reviewRequest } from "./review-request";
import { seasonalOffer } from "./seasonal-offer";
import { shippingNotice } from "./shipping-notice";
import { upsellCrossSell } from "./upsell-cross-sell";
import { welcomeSeries } from "./welcome-series";
import { winBack } from "./win-back";

export type FlowTemplateCategory =
  "onboarding" | "transactional" | "abandonment" | "post_purchase" | "retention" | "promotion";

export const FLOW_TEMPLATE_KEYS = [
  "welcome_series",
  "order_confirmation",
  "shipping_notice",
  "abandoned_cart",
  "browse_abandonment",
  "back_in_stock",
  "post_purchase",
  "review_request",
  "upsell_cross_sell",
  "replenishment",
  "birthday",
  "seasonal_offer",
  "referral",
  "win_back",
] as const;
export type FlowTemplateKey = (typeof FLOW_TEMPLATE_KEYS)[number];

export type FlowTemplate = {
  key: FlowTemplateKey;
  name: string;
  description: string;
  category: FlowTemplateCategory;
  graph: FlowGraph;
};

const templates: Record<FlowTemplateKey, Omit<FlowTemplate, "key">> = {
  welcome_series: {
    name: "Welcome series",
    description: "Greet new subscribers with a discount, then remind those who haven’t ordered after 2 days.",
    category: "onboarding",
    graph: welcomeSeries,
  },
  order_confirmation: {
    name: "Order confirmation",
    description: "Send the receipt — items, totals and shipping address — the moment an order is placed.",
    category: "transactional",
    graph: orderConfirmation,
  },
  shipping_notice: {
    name: "Shipping notice",
    description: "Tell customers their order is on its way, by email and SMS, with the tracking link.",
    category: "transactional",
    graph: shippingNotice,
  },
  abandoned_cart: {
    name: "Abandoned cart",
    description:
      "Three reminders over three days (plus an SMS), the last with a coupon. Ordering stops the series.",
    category: "abandonment",
    graph: abandonedCart,
  },
  browse_abandonment: {
    name: "Browse abandonment",
    description: "Follow up two hours after a shopper keeps looking at a product, by email and push.",
    category: "abandonment",
    graph: browseAbandonment,
  },
  back_in_stock: {
    name: "Back in stock",
    description: "Email subscribers the moment a product they wanted is available again.",
    category: "abandonment",
    graph: backInStock,
  },
  post_purchase: {
    name: "Post-purchase",
    description:
      "Thank first-time and repeat buyers differently, suggest pairings, then ask for a review when the goods have been used.",
    category: "post_purchase",
    graph: postPurchase,
  },
  review_request: {
    name: "Review request",
    description:
      "Ask for a review after delivery, thank happy reviewers, make it right with unhappy ones, remind the rest.",
    category: "post_purchase",
    graph: reviewRequest,
  },
  upsell_cross_sell: {
    name: "Upsell / cross-sell",
    description:
      "Recommend the upgrade to shoppers who haven’t bought yet, and complements to those who have.",
    category: "post_purchase",
    graph: upsellCrossSell,
  },
  replenishment: {
    name: "Replenishment",
    description: "Remind customers to reorder a consumable a few days before it runs out.",
    category: "retention",
    graph: replenishment,
  },
  birthday: {
    name: "Birthday",
    description: "A birthday gift by email and SMS every year, with a reminder if it goes unused.",
    category: "retention",
    graph: birthday,
  },
  seasonal_offer: {
    name: "Seasonal offer",
    description: "A scheduled sale email to a segment, with a push reminder for those who haven’t bought.",
    category: "promotion",
    graph: seasonalOffer,
  },
  referral: {
    name: "Referral",
    description: "Ask happy repeat customers to refer friends, and reward them when a friend orders.",
    category: "retention",
    graph: referral,
  },
  win_back: {
    name: "Win-back",
    description:
      "Bring back customers who haven’t ordered in 30 days (and sign-ups who never did): day 30, 15% off on day 40, last chance on day 45, then stop marketing email to those who don’t return.",
    category: "retention",
    graph: winBack,
  },
};

function copy(graph: FlowGraph): FlowGraph {
  return structuredClone(graph);
}

/** Every template, in catalogue order. Each call returns fresh copies, safe to edit. */
export function flowTemplates(): FlowTemplate[] {
  return FLOW_TEMPLATE_KEYS.map((key) => ({ key, ...templates[key], graph: copy(templates[key].graph) }));
}

export function getFlowTemplate(key: string): FlowTemplate | null {
  if (!(FLOW_TEMPLATE_KEYS as readonly string[]).includes(key)) return null;
  const k = key as FlowTemplateKey;
  return { key: k, ...templates[k], graph: copy(templates[k].graph) };
}
