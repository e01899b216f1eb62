import { chain, emailCopy, graph, node } from "./build";

/** Placed Order → transactional receipt. One enrollment per order. */
export const orderConfirmation = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "event", event: "Placed Order", filter: null }),
    node(
      "receipt_email",
      "email",
      0,
      1,
      emailCopy({
        template: "order_confirmation",
        subject: "Order #{{ order.order_id }} confirmed",
        preheader: "Thanks for your order — here’s your receipt.",
        heading: 'Thanks for your order, {{ first_name | default: "there" }}!',
        body:
          "We’ve received your order and we’re getting it ready. We’ll email you again the moment it ships.\n\n" +
          "Your items, totals and shipping address are below for your records.",
        buttonText: "View your order",
        buttonUrl: "{{ order.order_url | default: shop.url }}",
        productSource: "order",
        category: "transactional",
      }),
    ),
    node("exit", "exit", 0, 2, {}),
  ],
  chain("trigger", "receipt_email", "exit"),
  { entryKey: "order_id", reentry: { mode: "every_time" } },
);
