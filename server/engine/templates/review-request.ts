import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node } from "./build";

const REVIEW = "Review Submitted";

/**
 * Order Delivered → ask for a review → wait for `Review Submitted` on this order (5 days)
 * → rating ≥ 4: thanks / rating < 4: recovery offer / no review: reminder. The rating read
 * is this order's review (same `order_id` as the delivery), never a review of another order.
 */

/** A review of the order that was delivered, rated `op` `stars`. */
const thisOrderRated = (op: "gte" | "lt", stars: number) =>
  when.hasDone(
    REVIEW,
    "flow_start",
    when.all(when.sameAsTrigger("order_id"), when.event("rating", op, stars)),
  );
export const reviewRequest = graph(
  [
    node("trigger", "trigger", 0, 0, { type: "event", event: "Order Delivered", filter: null }),
    node(
      "ask_email",
      "email",
      0,
      1,
      emailCopy({
        template: "review_request",
        subject: 'How are you liking your order, {{ first_name | default: "friend" }}?',
        preheader: "Tell us in one click — it takes a minute.",
        heading: "How did we do?",
        body: "Your order #{{ order.order_id }} arrived recently. We’d love to know what you think — pick a star rating below.",
        buttonText: "Rate your order",
        buttonUrl: "{{ review.url }}",
        productSource: "order",
      }),
    ),
    node("wait_review", "wait_for_event", 0, 2, {
      event: REVIEW,
      filter: null,
      matchTriggerProperty: "order_id",
      timeout: { amount: 5, unit: "days" },
    }),
    node("rating", "condition", -1, 3, {
      mode: "branches",
      branches: [
        {
          id: "happy",
          label: "Rating ≥ 4",
          predicate: thisOrderRated("gte", 4),
        },
        {
          id: "unhappy",
          label: "Rating < 4",
          predicate: thisOrderRated("lt", 4),
        },
      ],
      elseLabel: "No rating",
    }),
    node(
      "thanks_email",
      "email",
      -2,
      4,
      emailCopy({
        template: "review_thanks",
        // A reply to what the customer just did: never held back by smart sending.
        smartSending: false,
        subject: 'Thanks for the review, {{ first_name | default: "friend" }}!',
        preheader: "A small thank-you from us.",
        heading: "You made our day",
        body:
          "Thank you for taking the time to share your thoughts. Reviews like yours help other shoppers find us.\n\n" +
          "Here’s 10% off your next order, with our thanks.",
        buttonText: "Shop again",
        buttonUrl: "{{ shop.url }}",
        couponCode: "THANKYOU10",
      }),
    ),
    node(
      "recovery_email",
      "email",
      -1,
      4,
      emailCopy({
        template: "review_recovery",
        // A reply to what the customer just did: never held back by smart sending.
        smartSending: false,
        subject: 'We’re sorry, {{ first_name | default: "friend" }} — let us make it right',
        preheader: "A real person will read your reply.",
        heading: "We’d like to make this right",
        body:
          "We’re sorry your order didn’t live up to your expectations. Reply to this email and our team will help with a replacement or a refund.\n\n" +
          "In the meantime, here’s 15% off your next order.",
        buttonText: "Contact us",
        buttonUrl: "{{ shop.url }}/pages/contact",
        couponCode: "SORRY15",
      }),
    ),
    node("exit_thanks", "exit", -2, 5, {}),
    node("exit_recovery", "exit", -1, 5, {}),
    node("exit_no_rating", "exit", 0, 4, {}),
    node(
      "reminder_email",
      "email",
      1,
      3,
      emailCopy({
        template: "review_request",
        subject: 'A quick favour, {{ first_name | default: "friend" }}?',
        preheader: "One click is all it takes.",
        heading: "Got a minute?",
        body: "If you’ve had a chance to try your order, we’d really value your rating — it takes less than a minute and helps a small shop like ours a lot.",
        buttonText: "Leave a rating",
        buttonUrl: "{{ review.url }}",
        productSource: "order",
      }),
    ),
    node("exit", "exit", 1, 4, {}),
  ],
  [
    ...chain("trigger", "ask_email", "wait_review"),
    edge("wait_review", "event", "rating"),
    edge("wait_review", "timeout", "reminder_email"),
    edge("rating", "happy", "thanks_email"),
    edge("rating", "unhappy", "recovery_email"),
    edge("rating", "else", "exit_no_rating"),
    ...chain("thanks_email", "exit_thanks"),
    ...chain("recovery_email", "exit_recovery"),
    ...chain("reminder_email", "exit"),
  ],
  { entryKey: "order_id", reentry: { mode: "every_time" } },
);
