import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node } from "./build";

/** 3 days before the birthday, yearly → email + SMS with a coupon → 7 days → unused? follow-up. */
export const birthday = graph(
  [
    node("trigger", "trigger", 0, 0, {
      type: "date_property",
      property: "birthday",
      daysBefore: 3,
      time: "10:00",
      yearly: true,
    }),
    node(
      "birthday_email",
      "email",
      0,
      1,
      emailCopy({
        template: "birthday",
        subject: 'Happy birthday, {{ first_name | default: "friend" }}! A gift inside 🎁',
        preheader: "20% off, just for you, all week.",
        heading: "Happy birthday from all of us!",
        body: "Your birthday is coming up and we wanted to celebrate early. Treat yourself to 20% off anything in the shop — the code below is yours all week.",
        buttonText: "Pick my gift",
        buttonUrl: "{{ shop.url }}",
        couponCode: "BIRTHDAY20",
        productSource: "recommendations",
      }),
    ),
    node("birthday_sms", "sms", 0, 2, {
      body: 'Happy early birthday from {{ shop.name }}, {{ first_name | default: "friend" }}! Enjoy 20% off with code BIRTHDAY20 this week: {{ shop.url }}',
      category: "marketing",
    }),
    node("wait_7d", "wait", 0, 3, { mode: "duration", amount: 7, unit: "days" }),
    node("used_gift", "condition", 0, 4, {
      mode: "if",
      predicate: when.hasDone("Placed Order", "flow_start"),
    }),
    node("exit_used", "exit", -1, 5, {}),
    node(
      "reminder_email",
      "email",
      1,
      5,
      emailCopy({
        template: "birthday",
        subject: "Your birthday gift expires soon",
        preheader: "20% off ends in 2 days.",
        heading: "Don’t forget your birthday treat",
        body: 'Hi {{ first_name | default: "there" }}, your 20% birthday discount is still waiting — but only for two more days.',
        buttonText: "Use my 20% off",
        buttonUrl: "{{ shop.url }}",
        couponCode: "BIRTHDAY20",
        productSource: "recommendations",
      }),
    ),
    node("exit", "exit", 1, 6, {}),
  ],
  [
    ...chain("trigger", "birthday_email", "birthday_sms", "wait_7d", "used_gift"),
    edge("used_gift", "yes", "exit_used"),
    edge("used_gift", "no", "reminder_email"),
    ...chain("reminder_email", "exit"),
  ],
  { reentry: { mode: "once_per_period", periodDays: 300 } },
);
