import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node, orderGoal } from "./build";

/**
 * Started Checkout → 1 h → email 1 → 1 day → email 2 + SMS → 2 days → email 3 with a
 * coupon for shoppers who have never ordered; returning customers are not trained to wait
 * for a discount. Ordering *this* cart (the goal: a `Placed Order` with the checkout's
 * `cart_id`) exits at any point, judged by event time: an order placed after the checkout
 * counts even when it arrives first, in the same batch, or late.
 */
export const abandonedCart = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "event", event: "Started Checkout", filter: null }),
    node("wait_1h", "wait", 0, 1, { mode: "duration", amount: 1, unit: "hours" }),
    node(
      "email_1",
      "email",
      0,
      2,
      emailCopy({
        template: "abandoned_cart_1",
        subject: '{{ first_name | default: "Hey" }}, you left something behind',
        preheader: "Your cart is saved and ready when you are.",
        heading: "Still thinking it over?",
        body:
          "We saved the items in your cart so you can pick up right where you left off.\n\n" +
          "Questions about sizing or shipping? Just reply to this email — a real person will answer.",
        buttonText: "Return to your cart",
        buttonUrl: "{{ cart.checkout_url }}",
        productSource: "cart",
      }),
    ),
    node("wait_1d", "wait", 0, 3, { mode: "duration", amount: 1, unit: "days" }),
    node(
      "email_2",
      "email",
      0,
      4,
      emailCopy({
        template: "abandoned_cart_2",
        subject: "Your cart is waiting at {{ shop.name }}",
        preheader: "Popular items sell out — don’t miss yours.",
        heading: "Your picks are still here",
        body:
          'Hi {{ first_name | default: "there" }}, the items in your cart are popular and stock is limited.\n\n' +
          "Returns are free for 30 days, so there’s no risk in giving them a try.",
        buttonText: "Complete your order",
        buttonUrl: "{{ cart.checkout_url }}",
        productSource: "cart",
      }),
    ),
    node("sms_reminder", "sms", 0, 5, {
      body: '{{ shop.name }}: your cart is still saved, {{ first_name | default: "there" }}. Finish checking out: {{ cart.checkout_url }} Reply STOP to opt out.',
      category: "marketing",
    }),
    node("wait_2d", "wait", 0, 6, { mode: "duration", amount: 2, unit: "days" }),
    node("never_ordered", "condition", 0, 7, { mode: "if", predicate: when.count("Placed Order", "eq", 0) }),
    node(
      "email_3",
      "email",
      -1,
      8,
      emailCopy({
        template: "abandoned_cart_3",
        subject: "Here’s 10% off to finish your order",
        preheader: "Last chance — your saved cart expires soon.",
        heading: "A little something to help you decide",
        body:
          '{{ first_name | default: "Hi there" }}, we’d love for you to have these. Use the code below for 10% off everything in your cart.\n\n' +
          "The code expires in 48 hours.",
        buttonText: "Use my 10% off",
        buttonUrl: "{{ cart.checkout_url }}",
        couponCode: "COMEBACK10",
        productSource: "cart",
      }),
    ),
    node("exit", "exit", -1, 9, {}),
    node("exit_returning", "exit", 1, 8, {}),
  ],
  [
    ...chain(
      "trigger",
      "wait_1h",
      "email_1",
      "wait_1d",
      "email_2",
      "sms_reminder",
      "wait_2d",
      "never_ordered",
    ),
    edge("never_ordered", "yes", "email_3"),
    edge("never_ordered", "no", "exit_returning"),
    ...chain("email_3", "exit"),
  ],
  { goal: orderGoal("cart_id"), reentry: { mode: "every_time" } },
);
