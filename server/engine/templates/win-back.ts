import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node, orderGoal } from "./build";

/**
 * No order for 45 days → three emails with an incentive, the last a last-chance → still
 * nothing? tag the contact inactive.
 */
export const winBack = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "inactivity", event: "Placed Order", days: 45, segment: null }),
    node(
      "email_1",
      "email",
      0,
      1,
      emailCopy({
        template: "win_back",
        subject: 'We miss you, {{ first_name | default: "friend" }}',
        preheader: "Here’s 15% off to welcome you back.",
        heading: "It’s been a while!",
        body:
          "We’ve added a lot since your last visit — new arrivals, restocked favourites and a few surprises.\n\n" +
          "Come take a look, and enjoy 15% off your next order with the code below.",
        buttonText: "See what’s new",
        buttonUrl: "{{ shop.url }}/collections/new",
        couponCode: "MISSYOU15",
        productSource: "recommendations",
      }),
    ),
    node("wait_5d_1", "wait", 0, 2, { mode: "duration", amount: 5, unit: "days" }),
    node(
      "email_2",
      "email",
      0,
      3,
      emailCopy({
        template: "win_back",
        subject: "Your 15% off is still here",
        preheader: "Picked for you, based on what you loved before.",
        heading: "Still thinking of you",
        body: 'Hi {{ first_name | default: "there" }}, we picked a few things we think you’ll like based on your past orders. Your code MISSYOU15 still takes 15% off.',
        buttonText: "Shop my picks",
        buttonUrl: "{{ shop.url }}",
        couponCode: "MISSYOU15",
        productSource: "recommendations",
      }),
    ),
    node("wait_5d_2", "wait", 0, 4, { mode: "duration", amount: 5, unit: "days" }),
    node(
      "email_3",
      "email",
      0,
      5,
      emailCopy({
        template: "win_back_last_chance",
        subject: "Last chance: should we keep in touch?",
        preheader: "Your 15% off ends in 48 hours.",
        heading: "Before we say goodbye",
        body: "We don’t want to crowd your inbox. If you’d still like to hear from us, just shop with the code below in the next 48 hours — otherwise we’ll write less often.",
        buttonText: "Keep me in the loop",
        buttonUrl: "{{ shop.url }}",
        couponCode: "MISSYOU15",
      }),
    ),
    node("wait_5d_3", "wait", 0, 6, { mode: "duration", amount: 5, unit: "days" }),
    node("came_back", "condition", 0, 7, {
      mode: "if",
      predicate: when.hasDone("Placed Order", "flow_start"),
    }),
    node("exit_back", "exit", -1, 8, {}),
    node("tag_inactive", "action", 1, 8, { type: "add_tag", tag: "inactive" }),
    node("exit", "exit", 1, 9, {}),
  ],
  [
    ...chain("trigger", "email_1", "wait_5d_1", "email_2", "wait_5d_2", "email_3", "wait_5d_3", "came_back"),
    edge("came_back", "yes", "exit_back"),
    edge("came_back", "no", "tag_inactive"),
    ...chain("tag_inactive", "exit"),
  ],
  { goal: orderGoal(), reentry: { mode: "once_per_period", periodDays: 90 } },
);
