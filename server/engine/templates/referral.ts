import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node } from "./build";

const ASKED_TAG = "referral_asked";

/**
 * Placed Order → 7 days → a happy repeat customer (2+ orders, no low rating, not asked
 * before)? ask to refer → wait for `Referral Completed` (7 days) → reward; no referral yet?
 * one reminder → wait 23 more days → reward, or the journey ends.
 */
export const referral = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "event", event: "Placed Order", filter: null }),
    node("wait_7d", "wait", 0, 1, { mode: "duration", amount: 7, unit: "days" }),
    node("happy_repeat", "condition", 0, 2, {
      mode: "if",
      predicate: when.all(
        when.count("Placed Order", "gte", 2),
        when.not(when.hasDone("Review Submitted", "ever", when.event("rating", "lt", 4))),
        when.not(when.contact("tags", "contains", ASKED_TAG)),
      ),
    }),
    node("exit_not_yet", "exit", -1, 3, {}),
    node(
      "ask_email",
      "email",
      1,
      3,
      emailCopy({
        template: "referral",
        subject: "Give 15%, get $15 — share {{ shop.name }} with friends",
        preheader: "Your friends save, you get rewarded.",
        heading: "Share the love",
        body:
          'You’ve been with us for a while, {{ first_name | default: "friend" }} — thank you! Know someone who’d love us too?\n\n' +
          "Send them your link: they get 15% off their first order, and you get $15 when they buy.",
        buttonText: "Get my referral link",
        buttonUrl: "{{ referral.url }}",
      }),
    ),
    node("mark_asked", "action", 1, 4, { type: "add_tag", tag: ASKED_TAG }),
    node("wait_referral", "wait_for_event", 1, 5, {
      event: "Referral Completed",
      filter: null,
      matchTriggerProperty: null,
      timeout: { amount: 7, unit: "days" },
    }),
    node(
      "reminder_email",
      "email",
      2,
      6,
      emailCopy({
        template: "referral",
        subject: "Your $15 is waiting — one friend is all it takes",
        preheader: "Your friends still get 15% off with your link.",
        heading: "Still up for sharing?",
        body:
          'Hi {{ first_name | default: "there" }}, your referral link still works: a friend gets 15% off their first order, ' +
          "and you get $15 the moment they buy.",
        buttonText: "Get my referral link",
        buttonUrl: "{{ referral.url }}",
      }),
    ),
    node("wait_referral_late", "wait_for_event", 2, 7, {
      event: "Referral Completed",
      filter: null,
      matchTriggerProperty: null,
      timeout: { amount: 23, unit: "days" },
      // A referral made before the reminder, even one that arrives after it, earns the reward.
      sinceFlowStart: true,
    }),
    node(
      "reward_email",
      "email",
      0,
      8,
      emailCopy({
        template: "referral_reward",
        // A reply to what the customer just did: never held back by smart sending.
        smartSending: false,
        subject: "Your friend just ordered — here’s your reward!",
        preheader: "$15 off your next order, on us.",
        heading: "Thanks for spreading the word",
        body: "Your friend just placed their first order with us — thank you for sharing {{ shop.name }}. Here’s your $15 reward.",
        buttonText: "Spend my reward",
        buttonUrl: "{{ shop.url }}",
        couponCode: '{{ referral.reward_code | default: "THANKS15" }}',
      }),
    ),
    node("exit_rewarded", "exit", 0, 9, {}),
    node("exit", "exit", 3, 8, {}),
  ],
  [
    ...chain("trigger", "wait_7d", "happy_repeat"),
    edge("happy_repeat", "no", "exit_not_yet"),
    edge("happy_repeat", "yes", "ask_email"),
    ...chain("ask_email", "mark_asked", "wait_referral"),
    edge("wait_referral", "event", "reward_email"),
    edge("wait_referral", "timeout", "reminder_email"),
    ...chain("reminder_email", "wait_referral_late"),
    edge("wait_referral_late", "event", "reward_email"),
    edge("wait_referral_late", "timeout", "exit"),
    ...chain("reward_email", "exit_rewarded"),
  ],
  { reentry: { mode: "every_time" } },
);
