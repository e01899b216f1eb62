import { chain, emailCopy, graph, node, orderGoal } from "./build";

/** A product a contact subscribed to is restocked → email now. One enrollment per product. */
export const backInStock = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "back_in_stock", productIds: [], categories: [] }),
    node(
      "restock_email",
      "email",
      0,
      1,
      emailCopy({
        template: "back_in_stock",
        // A reply to what the customer just did: never held back by smart sending.
        smartSending: false,
        subject: 'It’s back: {{ product.title | default: "your pick" }}',
        preheader: "Back in stock — but not for long.",
        heading: "Good news — it’s back in stock!",
        body:
          'You asked us to let you know: {{ product.title | default: "the item you wanted" }} is available again.\n\n' +
          "Last time it sold out fast, so grab yours while you can.",
        buttonText: "Shop now",
        buttonUrl: "{{ product.url | default: shop.url }}",
        productSource: "last_viewed",
      }),
    ),
    node("exit", "exit", 0, 2, {}),
  ],
  chain("trigger", "restock_email", "exit"),
  { goal: orderGoal(), entryKey: "product_id", reentry: { mode: "every_time" }, smartSendingHours: 0 },
);
