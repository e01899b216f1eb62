import { chain, emailCopy, graph, node, orderGoal } from "./build";

/**
 * No order for 30 days (or never, 30 days after signing up) → "we miss you" on day 30 →
 * 15% off on day 40 → last chance on day 45 → two days later, still no order: unsubscribe
 * from marketing email (a consent change, recorded) and tag inactive. An order at any
 * point ends it (the goal). Whether contacts already lapsed enter is chosen at publish.
 */
export const winBack = graph(
  [
    node("trigger", "trigger", 0, 0, {
      type: "inactivity",
      event: "Placed Order",
      days: 30,
      segment: null,
      includeNeverDone: true,
    }),
    node(
      "email_1",
      "email",
      0,
      1,
      emailCopy({
        template: "win_back",
        subject: 'We miss you, {{ first_name | default: "friend" }}',
        preheader: "New arrivals, restocked favourites and a few surprises.",
        heading: "It’s been a while!",
        body:
          "We’ve added a lot since your last visit — new arrivals, restocked favourites and a few surprises.\n\n" +
          "Come take a look; we picked a few things we think you’ll like.",
        buttonText: "See what’s new",
        buttonUrl: "{{ shop.url }}/collections/new",
        productSource: "recommendations",
      }),
    ),
    node("wait_10d", "wait", 0, 2, { mode: "duration", amount: 10, unit: "days" }),
    node(
      "email_2",
      "email",
      0,
      3,
      emailCopy({
        template: "win_back",
        subject: "15% off, just for you",
        preheader: "Picked for you, based on what you loved before.",
        heading: "Come back for 15% off",
        body: 'Hi {{ first_name | default: "there" }}, we picked a few things we think you’ll like. Your code MISSYOU15 takes 15% off your next order.',
        buttonText: "Shop my picks",
        buttonUrl: "{{ shop.url }}",
        couponCode: "MISSYOU15",
        productSource: "recommendations",
      }),
    ),
    node("wait_5d", "wait", 0, 4, { mode: "duration", amount: 5, unit: "days" }),
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
        body: "We don’t want to crowd your inbox. If you’d still like to hear from us, just shop with the code below in the next 48 hours — otherwise we’ll stop sending you offers.",
        buttonText: "Keep me in the loop",
        buttonUrl: "{{ shop.url }}",
        couponCode: "MISSYOU15",
      }),
    ),
    node("wait_2d", "wait", 0, 6, { mode: "duration", amount: 2, unit: "days" }),
    node("unsubscribe", "consent", 0, 7, { channel: "email", status: "unsubscribed" }),
    node("tag_inactive", "action", 0, 8, { type: "add_tag", tag: "inactive" }),
    node("exit", "exit", 0, 9, {}),
  ],
  chain(
    "trigger",
    "email_1",
    "wait_10d",
    "email_2",
    "wait_5d",
    "email_3",
    "wait_2d",
    "unsubscribe",
    "tag_inactive",
    "exit",
  ),
  { goal: orderGoal(), reentry: { mode: "once_per_period", periodDays: 90 } },
);
