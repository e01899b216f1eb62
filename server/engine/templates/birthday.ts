import { when } from "../predicate";
import { chain, edge, emailCopy, graph, node } from "./build";

/**
 * The pool the birthday codes come from, by name: creating a flow from this template puts the
 * workspace's pool of that name (created empty if missing) in its place.
 */
export const BIRTHDAY_POOL = "Birthday";

/**
 * 3 days before the birthday, yearly → email with a unique code that expires (drawn from the
 * workspace's “Birthday” coupon pool, one per message) + SMS pointing to it → 7 days →
 * unused? follow-up with a fresh code.
 */
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
        body: "Your birthday is coming up and we wanted to celebrate early. Treat yourself to 20% off anything in the shop — the code below is yours alone{% if coupon.expires_at %}, until {{ coupon.expires_at }}{% endif %}.",
        buttonText: "Pick my gift",
        buttonUrl: "{{ shop.url }}",
        couponCode: "{{ coupon.code }}",
        couponPool: BIRTHDAY_POOL,
        productSource: "recommendations",
      }),
    ),
    node("birthday_sms", "sms", 0, 2, {
      body: 'Happy early birthday from {{ shop.name }}, {{ first_name | default: "friend" }}! Your personal 20% code is {{ coupon.code }}{% if coupon.expires_at %}, valid until {{ coupon.expires_at }}{% endif %}: {{ shop.url }}',
      couponPool: BIRTHDAY_POOL,
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
        body: 'Hi {{ first_name | default: "there" }}, your 20% birthday discount is still waiting. Here is a fresh code, just for you{% if coupon.expires_at %} — use it by {{ coupon.expires_at }}{% endif %}.',
        buttonText: "Use my 20% off",
        buttonUrl: "{{ shop.url }}",
        couponCode: "{{ coupon.code }}",
        couponPool: BIRTHDAY_POOL,
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
