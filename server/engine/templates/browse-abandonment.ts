import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node, orderGoal } from "./build";

/**
 * Viewed Product (a second view of the same product within a day, or a minute on the page)
 * → 2 h → already checking out? exit : email + push with the last viewed item → 1 day → still
 * not checking out? a follow-up email (an order ends the journey at any step). The rule is
 * the trigger's filter, so a first short view neither enrolls nor uses up the weekly entry.
 */
export const browseAbandonment = graph(
  [
    node("trigger", "trigger", 0, 0, {
      type: "event",
      event: "Viewed Product",
      filter: when.any(
        when.count("Viewed Product", "gte", 2, 1, when.sameAsTrigger("product_id")),
        when.event("time_on_page", "gte", 60),
      ),
    }),
    node("wait_2h", "wait", 0, 1, { mode: "duration", amount: 2, unit: "hours" }),
    node("checking_out", "condition", 0, 2, {
      mode: "if",
      predicate: when.hasDone("Started Checkout", "flow_start"),
    }),
    node("exit_checkout", "exit", -1, 3, {}),
    node(
      "browse_email",
      "email",
      1,
      3,
      emailCopy({
        template: "browse_abandonment",
        subject: 'Still looking at {{ product.title | default: "this" }}?',
        preheader: "It’s still available — take another look.",
        heading: "Take another look",
        body:
          'Hi {{ first_name | default: "there" }}, we noticed you checking out {{ product.title | default: "one of our favourites" }}. ' +
          "It’s still in stock — for now.\n\nHere are a few more pieces you might like.",
        buttonText: "View product",
        buttonUrl: "{{ product.url | default: shop.url }}",
        productSource: "last_viewed",
      }),
    ),
    node("browse_push", "push", 1, 4, {
      title: 'Still thinking about {{ product.title | default: "it" }}?',
      body: "It’s still in stock. Tap to take another look.",
      url: "{{ product.url | default: shop.url }}",
      category: "marketing",
    }),
    node("wait_1d", "wait", 1, 5, { mode: "duration", amount: 1, unit: "days" }),
    node("checking_out_later", "condition", 1, 6, {
      mode: "if",
      predicate: when.hasDone("Started Checkout", "flow_start"),
    }),
    node("exit_checkout_later", "exit", 0, 7, {}),
    node(
      "follow_up_email",
      "email",
      2,
      7,
      emailCopy({
        template: "browse_abandonment",
        subject: '{{ product.title | default: "Your pick" }} is still here — for now',
        preheader: "A last look before it’s gone.",
        heading: "Still on your mind?",
        body:
          'Hi {{ first_name | default: "there" }}, {{ product.title | default: "the piece you looked at" }} is still in stock, ' +
          "but our favourites don’t stay long.\n\nHere it is again, with a few others customers loved.",
        buttonText: "Take another look",
        buttonUrl: "{{ product.url | default: shop.url }}",
        productSource: "last_viewed",
      }),
    ),
    node("exit", "exit", 2, 8, {}),
  ],
  [
    ...chain("trigger", "wait_2h", "checking_out"),
    edge("checking_out", "yes", "exit_checkout"),
    edge("checking_out", "no", "browse_email"),
    ...chain("browse_email", "browse_push", "wait_1d", "checking_out_later"),
    edge("checking_out_later", "yes", "exit_checkout_later"),
    edge("checking_out_later", "no", "follow_up_email"),
    ...chain("follow_up_email", "exit"),
  ],
  {
    goal: orderGoal(),
    reentry: { mode: "once_per_period", periodDays: 7 },
  },
);
