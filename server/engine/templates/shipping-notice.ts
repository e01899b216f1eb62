import { chain, emailCopy, graph, node } from "./build";

/** Order Shipped → transactional email and SMS with the tracking link. */
export const shippingNotice = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "event", event: "Order Shipped", filter: null }),
    node(
      "shipped_email",
      "email",
      0,
      1,
      emailCopy({
        template: "shipping_notice",
        subject: "Your order #{{ order.order_id }} is on its way",
        preheader: "Track your package any time.",
        heading: "Good news — your order has shipped!",
        body:
          'Hi {{ first_name | default: "there" }}, your order is on its way with {{ order.carrier | default: "our carrier" }}.\n\n' +
          "Follow it with the tracking link below. Deliveries usually arrive within 3–5 business days.",
        buttonText: "Track your package",
        buttonUrl: "{{ order.tracking_url | default: shop.url }}",
        productSource: "order",
        category: "transactional",
      }),
    ),
    node("shipped_sms", "sms", 0, 2, {
      body: "{{ shop.name }}: your order #{{ order.order_id }} has shipped! Track it here: {{ order.tracking_url | default: shop.url }}",
      category: "transactional",
    }),
    node("exit", "exit", 0, 3, {}),
  ],
  chain("trigger", "shipped_email", "shipped_sms", "exit"),
  { entryKey: "order_id", reentry: { mode: "every_time" } },
);
