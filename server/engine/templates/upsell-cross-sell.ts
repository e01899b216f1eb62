import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node } from "./build";

/**
 * Added to Cart in chosen categories → 1 h → bought? complements after 2 days : the
 * upgrade. Whoever does not order after the recommendation (4 days after complements, 3
 * after the upgrade) gets one reminder; an order in that time ends the journey quietly.
 */
export const upsellCrossSell = graph(
  [
    node("trigger", "trigger", 0, 0, {
      type: "event",
      event: "Added to Cart",
      filter: when.event("category", "in", ["Tea", "Coffee"]),
    }),
    node("wait_1h", "wait", 0, 1, { mode: "duration", amount: 1, unit: "hours" }),
    node("bought", "condition", 0, 2, { mode: "if", predicate: when.hasDone("Placed Order", "flow_start") }),
    node("wait_2d", "wait", -1, 3, { mode: "duration", amount: 2, unit: "days" }),
    node(
      "cross_sell_email",
      "email",
      -1,
      4,
      emailCopy({
        template: "cross_sell",
        subject: 'Made to go with your {{ product.title | default: "order" }}',
        preheader: "The finishing touches, hand-picked.",
        heading: "Complete the set",
        body: 'Hi {{ first_name | default: "there" }}, great choice! These pair perfectly with what you picked — many customers get them together.',
        buttonText: "See the pairings",
        buttonUrl: "{{ shop.url }}",
        productSource: "recommendations",
      }),
    ),
    node("wait_cross_sell_order", "wait_for_event", -1, 5, {
      event: "Placed Order",
      filter: null,
      matchTriggerProperty: null,
      timeout: { amount: 4, unit: "days" },
    }),
    node("exit_cross_sold", "exit", -2, 6, {}),
    node(
      "cross_sell_reminder",
      "email",
      -1,
      6,
      emailCopy({
        template: "cross_sell",
        subject: "Still missing the finishing touch?",
        preheader: "The pairings customers add most, in one place.",
        heading: "Round it out",
        body: 'Hi {{ first_name | default: "there" }}, these go best with what you bought — here they are again, in case you missed them.',
        buttonText: "See the pairings",
        buttonUrl: "{{ shop.url }}",
        productSource: "recommendations",
      }),
    ),
    node("exit_bought", "exit", -1, 7, {}),
    node(
      "upsell_email",
      "email",
      1,
      3,
      emailCopy({
        template: "upsell",
        subject: 'Thinking of {{ product.title | default: "an upgrade" }}? Take a look at this',
        preheader: "A step up, for a little more.",
        heading: "Worth the upgrade",
        body: 'You had your eye on {{ product.title | default: "something special" }}. Our premium version is hand-finished, lasts longer and comes with a two-year guarantee.',
        buttonText: "Compare options",
        buttonUrl: "{{ product.url | default: shop.url }}",
        productSource: "recommendations",
      }),
    ),
    node("wait_upsell_order", "wait_for_event", 1, 4, {
      event: "Placed Order",
      filter: null,
      matchTriggerProperty: null,
      timeout: { amount: 3, unit: "days" },
      // Any order since the add to cart: one placed before the upgrade went out but delivered
      // after it still means she acted.
      sinceFlowStart: true,
    }),
    node("exit_upgraded", "exit", 0, 5, {}),
    node(
      "upsell_reminder",
      "email",
      2,
      5,
      emailCopy({
        template: "upsell",
        subject: '{{ product.title | default: "Your pick" }}, or the one that lasts longer?',
        preheader: "The upgrade is still here when you are ready.",
        heading: "Still deciding?",
        body: 'Hi {{ first_name | default: "there" }}, the premium version of {{ product.title | default: "your pick" }} is hand-finished and guaranteed for two years. Here it is side by side, whenever you are ready.',
        buttonText: "Compare options",
        buttonUrl: "{{ product.url | default: shop.url }}",
        productSource: "recommendations",
      }),
    ),
    node("exit", "exit", 2, 6, {}),
  ],
  [
    ...chain("trigger", "wait_1h", "bought"),
    edge("bought", "yes", "wait_2d"),
    edge("bought", "no", "upsell_email"),
    ...chain("wait_2d", "cross_sell_email", "wait_cross_sell_order"),
    edge("wait_cross_sell_order", "event", "exit_cross_sold"),
    edge("wait_cross_sell_order", "timeout", "cross_sell_reminder"),
    ...chain("cross_sell_reminder", "exit_bought"),
    ...chain("upsell_email", "wait_upsell_order"),
    edge("wait_upsell_order", "event", "exit_upgraded"),
    edge("wait_upsell_order", "timeout", "upsell_reminder"),
    ...chain("upsell_reminder", "exit"),
  ],
  { reentry: { mode: "once_per_period", periodDays: 14 } },
);
