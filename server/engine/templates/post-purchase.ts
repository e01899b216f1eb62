import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node } from "./build";

/**
 * Placed Order → first-time or repeat buyer thank-you → 3 days → cross-sell → review
 * request after 10 days (soft goods) or 21 days (hard goods). One journey per order, and no
 * goal exit: a second order starts its own journey and never ends the first one's, so every
 * order gets its review ask. Orders are still credited to the messages that led to them.
 */
export const postPurchase = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "event", event: "Placed Order", filter: null }),
    node("first_order", "condition", 0, 1, { mode: "if", predicate: when.firstTimeBuyer() }),
    node(
      "thanks_first",
      "email",
      -1,
      2,
      emailCopy({
        template: "post_purchase_thank_you",
        // A reply to what the customer just did: never held back by smart sending.
        smartSending: false,
        subject: 'Thank you for your first order, {{ first_name | default: "friend" }}',
        preheader: "A personal note from the {{ shop.name }} team.",
        heading: "Welcome to the {{ shop.name }} family",
        body:
          "Your first order means a lot to our small team — we packed it with care.\n\n" +
          "While you wait, our guides have tips to get the most out of your new things.",
        buttonText: "Read our guides",
        buttonUrl: "{{ shop.url }}/blogs/guides",
      }),
    ),
    node(
      "thanks_repeat",
      "email",
      1,
      2,
      emailCopy({
        template: "post_purchase_thank_you",
        // A reply to what the customer just did: never held back by smart sending.
        smartSending: false,
        subject: 'Great to see you again, {{ first_name | default: "friend" }}',
        preheader: "Thanks for coming back to {{ shop.name }}.",
        heading: "Thanks for shopping with us again",
        body:
          "Customers like you keep our small workshop going. Your order is being packed now.\n\n" +
          "As a thank-you, you’ll find early access to new arrivals in your account.",
        buttonText: "See new arrivals",
        buttonUrl: "{{ shop.url }}/collections/new",
      }),
    ),
    node("wait_3d", "wait", 0, 3, { mode: "duration", amount: 3, unit: "days" }),
    node(
      "cross_sell_email",
      "email",
      0,
      4,
      emailCopy({
        template: "cross_sell",
        subject: "Goes perfectly with your recent order",
        preheader: "Hand-picked to pair with what you bought.",
        heading: "Complete the set",
        body: 'Hi {{ first_name | default: "there" }}, we picked a few things that pair beautifully with your order.',
        buttonText: "Shop the pairings",
        buttonUrl: "{{ shop.url }}",
        productSource: "recommendations",
      }),
    ),
    node("goods_type", "condition", 0, 5, {
      mode: "branches",
      branches: [
        { id: "hard_goods", label: "Hard goods", predicate: when.trigger("goods_type", "eq", "hard") },
      ],
      elseLabel: "Soft goods",
    }),
    node("wait_hard", "wait", -1, 6, { mode: "duration", amount: 21, unit: "days" }),
    node("wait_soft", "wait", 1, 6, { mode: "duration", amount: 10, unit: "days" }),
    node(
      "review_email",
      "email",
      0,
      7,
      emailCopy({
        template: "review_request",
        subject: 'How are you liking your order, {{ first_name | default: "friend" }}?',
        preheader: "Your review helps other shoppers — it takes a minute.",
        heading: "How did we do?",
        body: "We’d love to hear what you think of your order. Your honest review helps other shoppers and helps us make better things.",
        buttonText: "Write a review",
        buttonUrl: "{{ review.url }}",
        productSource: "order",
      }),
    ),
    node("exit", "exit", 0, 8, {}),
  ],
  [
    edge("trigger", "next", "first_order"),
    edge("first_order", "yes", "thanks_first"),
    edge("first_order", "no", "thanks_repeat"),
    edge("thanks_first", "next", "wait_3d"),
    edge("thanks_repeat", "next", "wait_3d"),
    ...chain("wait_3d", "cross_sell_email", "goods_type"),
    edge("goods_type", "hard_goods", "wait_hard"),
    edge("goods_type", "else", "wait_soft"),
    edge("wait_hard", "next", "review_email"),
    edge("wait_soft", "next", "review_email"),
    ...chain("review_email", "exit"),
  ],
  { goal: null, entryKey: "order_id", reentry: { mode: "every_time" } },
);
