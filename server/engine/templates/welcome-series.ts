import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node, orderGoal } from "./build";

/** Signed up → welcome email with a discount → 2 days → ordered? exit : reminder. */
export const welcomeSeries = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
    node(
      "welcome_email",
      "email",
      0,
      1,
      emailCopy({
        template: "welcome",
        // The code the customer signed up for: never held back by smart sending.
        smartSending: false,
        subject: 'Welcome to {{ shop.name }}, {{ first_name | default: "friend" }} — here’s 10% off',
        preheader: "A little thank-you for joining us.",
        heading: 'Welcome, {{ first_name | default: "friend" }}!',
        body:
          "Thanks for joining {{ shop.name }}. We make small-batch goods we’re proud of, and we’re glad you’re here.\n\n" +
          "As a welcome, take 10% off your first order with the code below. It’s good for the next 14 days.",
        buttonText: "Start shopping",
        buttonUrl: "{{ shop.url }}",
        couponCode: "WELCOME10",
        productSource: "recommendations",
      }),
    ),
    node("wait_2d", "wait", 0, 2, { mode: "duration", amount: 2, unit: "days" }),
    node("has_ordered", "condition", 0, 3, {
      mode: "if",
      predicate: when.hasDone("Placed Order", "flow_start"),
    }),
    node("exit_ordered", "exit", -1, 4, {}),
    node(
      "reminder_email",
      "email",
      1,
      4,
      emailCopy({
        template: "welcome",
        subject: 'Your 10% off is still waiting, {{ first_name | default: "friend" }}',
        preheader: "Our best-sellers, picked for new customers.",
        heading: "Still deciding where to start?",
        body:
          "Here are the pieces our customers love most — a good place to begin.\n\n" +
          "Your welcome code WELCOME10 still takes 10% off your first order, but not for much longer.",
        buttonText: "Shop best-sellers",
        buttonUrl: "{{ shop.url }}",
        couponCode: "WELCOME10",
        productSource: "recommendations",
      }),
    ),
    node("exit", "exit", 1, 5, {}),
  ],
  [
    ...chain("trigger", "welcome_email", "wait_2d", "has_ordered"),
    edge("has_ordered", "yes", "exit_ordered"),
    edge("has_ordered", "no", "reminder_email"),
    ...chain("reminder_email", "exit"),
  ],
  { goal: orderGoal(), reentry: { mode: "once" } },
);
