import { when } from "../predicate";
import { chain, emailCopy, graph, node, orderGoal } from "./build";

/**
 * Placed Order, once per line item of a consumable (a line with days per unit, its own or
 * the catalog's) → wait until it runs out (quantity × days per unit), 3 shipping days
 * early → reorder reminder for that product. Each product of an order has its own journey
 * (keyed by order and product); ordering that product again ends it, other products do not.
 */
export const replenishment = graph(
  [
    node("trigger", "trigger", 0, 0, {
      type: "event",
      event: "Placed Order",
      perLineItem: true,
      filter: when.event("days_per_unit", "exists"),
    }),
    node("wait_runs_out", "wait", 0, 1, {
      mode: "replenishment",
      quantityProperty: "quantity",
      daysPerUnitProperty: "days_per_unit",
      shippingDays: 3,
      fallbackDays: 30,
      time: "10:00",
    }),
    node(
      "reorder_email",
      "email",
      0,
      2,
      emailCopy({
        template: "replenishment",
        subject: 'Running low, {{ first_name | default: "friend" }}?',
        preheader: "Reorder now and it arrives before you run out.",
        heading: "Time for a top-up?",
        body: "By our count you’re nearly through your last order. Reorder today and it’ll arrive before you run out.",
        buttonText: "Reorder in one click",
        buttonUrl: "{{ order.order_url | default: shop.url }}",
        productSource: "order",
      }),
    ),
    node("exit", "exit", 0, 3, {}),
  ],
  chain("trigger", "wait_runs_out", "reorder_email", "exit"),
  { goal: orderGoal("product_id"), entryKey: "order_id, product_id", reentry: { mode: "every_time" } },
);
