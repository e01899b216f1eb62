import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node } from "./build";

/**
 * Added to Cart in chosen categories → 1 h → bought? complements after 2 days : the
 * upgrade.
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
    node("exit_bought", "exit", -1, 5, {}),
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
    node("exit", "exit", 1, 4, {}),
  ],
  [
    ...chain("trigger", "wait_1h", "bought"),
    edge("bought", "yes", "wait_2d"),
    edge("bought", "no", "upsell_email"),
    ...chain("wait_2d", "cross_sell_email", "exit_bought"),
    ...chain("upsell_email", "exit"),
  ],
  { reentry: { mode: "once_per_period", periodDays: 14 } },
);
