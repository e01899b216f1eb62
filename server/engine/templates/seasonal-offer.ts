import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node, orderGoal } from "./build";

/** Every year on 28 November, 09:00 contact-local, to US contacts → email → 2 days → no order and no click? push reminder. */
export const seasonalOffer = graph(
  [
    node("trigger", "trigger", 0, 0, {
      type: "schedule",
      schedule: { frequency: "yearly", month: 11, day: 28, time: "09:00" },
      timezone: "contact",
      segment: when.contact("country", "eq", "US"),
    }),
    node(
      "offer_email",
      "email",
      0,
      1,
      emailCopy({
        template: "seasonal_offer",
        subject: "Our seasonal sale starts now — 25% off",
        preheader: "Three days only. Our biggest discount of the year.",
        heading: "The big one is here",
        body: 'Hi {{ first_name | default: "there" }}, for three days only, take 25% off everything with the code below — including new arrivals.',
        buttonText: "Shop the sale",
        buttonUrl: "{{ shop.url }}/collections/sale",
        couponCode: "SEASON25",
        productSource: "recommendations",
      }),
    ),
    node("wait_2d", "wait", 0, 2, { mode: "duration", amount: 2, unit: "days" }),
    node("responded", "condition", 0, 3, {
      mode: "if",
      // A response: an order, or a click on the offer (they are looking; a push would nag).
      predicate: when.any(
        when.hasDone("Placed Order", "flow_start"),
        when.engagedWith("clicked", "offer_email"),
      ),
    }),
    node("exit_bought", "exit", -1, 4, {}),
    node("reminder_push", "push", 1, 4, {
      title: "Last day: 25% off everything",
      body: "Our seasonal sale ends tonight. Use code SEASON25 at checkout.",
      url: "{{ shop.url }}/collections/sale",
      category: "marketing",
    }),
    node("exit", "exit", 1, 5, {}),
  ],
  [
    ...chain("trigger", "offer_email", "wait_2d", "responded"),
    edge("responded", "yes", "exit_bought"),
    edge("responded", "no", "reminder_push"),
    ...chain("reminder_push", "exit"),
  ],
  { goal: orderGoal(), reentry: { mode: "once_per_period", periodDays: 300 } },
);
