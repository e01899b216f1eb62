/**
 * The email templates as data: key, name, what it is for and its default copy.
 * Free of React so the editor can list templates and prefill a new email node
 * without pulling the renderer into the browser bundle. `emails/index.ts` adds
 * the components and sample props to these same keys.
 */
import type { EmailContent } from "./types";

export type EmailTemplateInfo = {
  name: string;
  description: string;
  defaultContent: EmailContent;
};

function content(template: string, c: Omit<EmailContent, "template">): EmailContent {
  return { template, ...c };
}

export const emailCatalog = {
  welcome: {
    name: "Welcome",
    description: "First email after sign-up, with a welcome discount.",
    defaultContent: content("welcome", {
      subject: 'Welcome to {{ shop.name }}, {{ first_name | default: "friend" }} — here’s 10% off',
      preheader: "A little thank-you for joining us.",
      heading: 'Welcome, {{ first_name | default: "friend" }}!',
      body: "Thanks for joining {{ shop.name }}. We make small-batch goods we’re proud of, and we’re glad you’re here.\n\nAs a welcome, here’s 10% off your first order. Use the code below at checkout.",
      buttonText: "Start shopping",
      buttonUrl: "{{ shop.url }}",
      couponCode: "WELCOME10",
      productSource: "recommendations",
      category: "marketing",
    }),
  },
  order_confirmation: {
    name: "Order confirmation",
    description: "Transactional receipt with items, totals and shipping address.",
    defaultContent: content("order_confirmation", {
      subject: "Order #{{ order.order_id }} confirmed",
      preheader: "Thanks for your order — here’s your receipt.",
      heading: 'Thanks for your order, {{ first_name | default: "there" }}!',
      body: "We’ve received your order and are getting it ready. We’ll email you again as soon as it ships.\n\nHere’s a summary for your records.",
      buttonText: "View your order",
      buttonUrl: "{{ order.order_url | default: shop.url }}",
      productSource: "none",
      category: "transactional",
    }),
  },
  shipping_notice: {
    name: "Shipping notice",
    description: "Transactional notice that the order is on its way, with the tracking link.",
    defaultContent: content("shipping_notice", {
      subject: "Your order #{{ order.order_id }} is on its way",
      preheader: "Track your package any time.",
      heading: "Good news — your order has shipped!",
      body: 'Hi {{ first_name | default: "there" }}, your order is on its way. You can follow it with the tracking link below.',
      buttonText: "Track your package",
      buttonUrl: "{{ order.tracking_url | default: shop.url }}",
      productSource: "none",
      category: "transactional",
    }),
  },
  abandoned_cart_1: {
    name: "Abandoned cart 1",
    description: "Gentle reminder an hour after checkout was left.",
    defaultContent: content("abandoned_cart_1", {
      subject: '{{ first_name | default: "Hey" }}, you left something behind',
      preheader: "Your cart is saved and ready when you are.",
      heading: "Still thinking it over?",
      body: "We saved the items in your cart so you can pick up right where you left off.\n\nQuestions about sizing or shipping? Just reply to this email — a real person will answer.",
      buttonText: "Return to your cart",
      buttonUrl: "{{ cart.checkout_url }}",
      productSource: "cart",
      category: "marketing",
    }),
  },
  abandoned_cart_2: {
    name: "Abandoned cart 2",
    description: "Second reminder a day later, with social proof.",
    defaultContent: content("abandoned_cart_2", {
      subject: "Your cart is waiting at {{ shop.name }}",
      preheader: "Popular items sell out — don’t miss yours.",
      heading: "Your picks are still here",
      body: 'Hi {{ first_name | default: "there" }}, the items in your cart are popular and stock is limited.\n\nFree returns within 30 days, so there’s no risk in giving them a try.',
      buttonText: "Complete your order",
      buttonUrl: "{{ cart.checkout_url }}",
      productSource: "cart",
      category: "marketing",
    }),
  },
  abandoned_cart_3: {
    name: "Abandoned cart 3 (coupon)",
    description: "Last reminder with a discount code.",
    defaultContent: content("abandoned_cart_3", {
      subject: "Here’s 10% off to finish your order",
      preheader: "Last chance — your cart expires soon.",
      heading: "A little something to help you decide",
      body: '{{ first_name | default: "Hi there" }}, we’d love for you to have these. Use the code below for 10% off your cart.',
      buttonText: "Use my 10% off",
      buttonUrl: "{{ cart.checkout_url }}",
      couponCode: "COMEBACK10",
      productSource: "cart",
      category: "marketing",
    }),
  },
  browse_abandonment: {
    name: "Browse abandonment",
    description: "Follows up on a product the contact looked at.",
    defaultContent: content("browse_abandonment", {
      subject: 'Still looking at {{ product.title | default: "this" }}?',
      preheader: "It’s still available — take another look.",
      heading: "Take another look",
      body: 'Hi {{ first_name | default: "there" }}, we noticed you checking out {{ product.title | default: "one of our favourites" }}. It’s still in stock — for now.',
      buttonText: "View product",
      buttonUrl: "{{ product.url | default: shop.url }}",
      productSource: "last_viewed",
      category: "marketing",
    }),
  },
  back_in_stock: {
    name: "Back in stock",
    description: "Tells subscribers a product they wanted is available again.",
    defaultContent: content("back_in_stock", {
      subject: 'It’s back: {{ product.title | default: "your pick" }}',
      preheader: "Back in stock — but not for long.",
      heading: "Good news — it’s back in stock!",
      body: 'You asked us to let you know: {{ product.title | default: "the item you wanted" }} is available again. Last time it sold out fast, so grab yours while you can.',
      buttonText: "Shop now",
      buttonUrl: "{{ product.url | default: shop.url }}",
      productSource: "last_viewed",
      category: "marketing",
    }),
  },
  post_purchase_thank_you: {
    name: "Post-purchase thank you",
    description: "Warm thank-you after an order, with tips for getting started.",
    defaultContent: content("post_purchase_thank_you", {
      subject: 'Thank you, {{ first_name | default: "friend" }}',
      preheader: "A personal note from the {{ shop.name }} team.",
      heading: "Thank you for supporting {{ shop.name }}",
      body: "Every order means a lot to our small team. We packed yours with care.\n\nWhile you wait, our guides have tips to get the most out of your new things.",
      buttonText: "Read our guides",
      buttonUrl: "{{ shop.url }}/blogs/guides",
      productSource: "order",
      category: "marketing",
    }),
  },
  cross_sell: {
    name: "Cross-sell",
    description: "Suggests products that go well with a recent purchase.",
    defaultContent: content("cross_sell", {
      subject: "Goes perfectly with your recent order",
      preheader: "Hand-picked to pair with what you bought.",
      heading: "Complete the set",
      body: 'Hi {{ first_name | default: "there" }}, customers who bought what you did also loved these.',
      buttonText: "Shop the collection",
      buttonUrl: "{{ shop.url }}",
      productSource: "recommendations",
      category: "marketing",
    }),
  },
  upsell: {
    name: "Upsell",
    description: "Recommends an upgrade to a product in the cart or order.",
    defaultContent: content("upsell", {
      subject: 'Thinking of {{ product.title | default: "an upgrade" }}? Take a look at this',
      preheader: "A step up you might love.",
      heading: "Ready for an upgrade?",
      body: '{{ first_name | default: "Hi there" }}, if you like {{ product.title | default: "what you picked" }}, you’ll love these — more features, same quality.',
      buttonText: "Compare options",
      buttonUrl: "{{ product.url | default: shop.url }}",
      productSource: "recommendations",
      category: "marketing",
    }),
  },
  review_request: {
    name: "Review request",
    description: "Asks for a 1–5 star rating after delivery.",
    defaultContent: content("review_request", {
      subject: 'How are you liking your order, {{ first_name | default: "friend" }}?',
      preheader: "It takes 30 seconds and helps other shoppers.",
      heading: "How did we do?",
      body: "Your honest review helps other shoppers — and helps our small team make better products. Tap a star to rate your order.",
      buttonText: "Write a review",
      buttonUrl: "{{ review.url }}",
      productSource: "order",
      category: "marketing",
    }),
  },
  review_thanks: {
    name: "Review thanks",
    description: "Thanks a happy reviewer (rating 4–5).",
    defaultContent: content("review_thanks", {
      subject: 'Thanks for the review, {{ first_name | default: "friend" }}!',
      preheader: "You made our day.",
      heading: "You made our day!",
      body: "Thank you for taking the time to share your thoughts. Reviews like yours help other shoppers find us.\n\nAs a thank-you, here’s 10% off your next order.",
      buttonText: "Shop again",
      buttonUrl: "{{ shop.url }}",
      couponCode: "THANKYOU10",
      productSource: "none",
      category: "marketing",
    }),
  },
  review_recovery: {
    name: "Review recovery",
    description: "Reaches out after a low rating (below 4) with an offer to make it right.",
    defaultContent: content("review_recovery", {
      subject: 'We’re sorry, {{ first_name | default: "friend" }} — let us make it right',
      preheader: "Your feedback matters to us.",
      heading: "We’re sorry it wasn’t perfect",
      body: "Thank you for your honest feedback. We read every review, and we’d like to fix this.\n\nReply to this email or contact our team, and we’ll sort out a replacement or refund. In the meantime, here’s 15% off your next order.",
      buttonText: "Contact our team",
      buttonUrl: "{{ shop.url }}/pages/contact",
      couponCode: "SORRY15",
      productSource: "none",
      category: "marketing",
    }),
  },
  replenishment: {
    name: "Replenishment",
    description: "Reorder reminder when a consumable is about to run out.",
    defaultContent: content("replenishment", {
      subject: 'Running low, {{ first_name | default: "friend" }}?',
      preheader: "Reorder in one click before you run out.",
      heading: "Time for a refill?",
      body: "Based on your last order, you’re probably running low. Reorder now and it’ll arrive before you run out.",
      buttonText: "Reorder now",
      buttonUrl: "{{ order.items.first.url | default: shop.url }}",
      productSource: "order",
      category: "marketing",
    }),
  },
  birthday: {
    name: "Birthday",
    description: "Birthday greeting with a gift code.",
    defaultContent: content("birthday", {
      subject: 'Happy birthday, {{ first_name | default: "friend" }}! A gift inside 🎁',
      preheader: "Celebrate with 20% off — on us.",
      heading: 'Happy birthday, {{ first_name | default: "friend" }}!',
      body: "Here’s to a wonderful year ahead. To celebrate, enjoy 20% off anything in the shop — valid for the whole month.",
      buttonText: "Treat yourself",
      buttonUrl: "{{ shop.url }}",
      couponCode: "BIRTHDAY20",
      productSource: "none",
      category: "marketing",
    }),
  },
  seasonal_offer: {
    name: "Seasonal offer",
    description: "Scheduled campaign email for a seasonal sale.",
    defaultContent: content("seasonal_offer", {
      subject: "Our seasonal sale starts now — 25% off",
      preheader: "Fresh picks for the season, for a limited time.",
      heading: "The seasonal sale is here",
      body: '{{ first_name | default: "Hi there" }}, for a limited time, take 25% off our seasonal favourites. Stock is limited, so don’t wait too long.',
      buttonText: "Shop the sale",
      buttonUrl: "{{ shop.url }}/collections/sale",
      couponCode: "SEASON25",
      productSource: "recommendations",
      category: "marketing",
    }),
  },
  referral: {
    name: "Referral",
    description: "Asks a happy repeat customer to refer friends.",
    defaultContent: content("referral", {
      subject: "Give 15%, get $15 — share {{ shop.name }} with friends",
      preheader: "Your friends save, and you earn a reward.",
      heading: 'Share the love, {{ first_name | default: "friend" }}',
      body: "You’ve been with us for a while, and we’re grateful. Know someone who’d love {{ shop.name }} too?\n\nShare your personal link: your friends get 15% off their first order, and you get a $15 reward when they buy.",
      buttonText: "Share your link",
      buttonUrl: "{{ referral.url }}",
      productSource: "none",
      category: "marketing",
    }),
  },
  referral_reward: {
    name: "Referral reward",
    description: "Thank-you with the reward after a referred friend orders.",
    defaultContent: content("referral_reward", {
      subject: "Your friend just ordered — here’s your reward!",
      preheader: "Thanks for spreading the word.",
      heading: "Thanks for spreading the word!",
      body: '{{ first_name | default: "Hi there" }}, a friend you referred just placed their first order. Here’s your reward — use the code below on your next purchase.',
      buttonText: "Use my reward",
      buttonUrl: "{{ shop.url }}",
      couponCode: '{{ referral.reward_code | default: "THANKS15" }}',
      productSource: "none",
      category: "marketing",
    }),
  },
  win_back: {
    name: "Win-back",
    description: "Re-engages a customer who hasn’t ordered in a while.",
    defaultContent: content("win_back", {
      subject: 'We miss you, {{ first_name | default: "friend" }}',
      preheader: "Here’s what’s new — and 15% off to welcome you back.",
      heading: "It’s been a while!",
      body: "A lot has changed since your last visit: new arrivals, restocked favourites and a few surprises.\n\nCome take a look — here’s 15% off to welcome you back.",
      buttonText: "See what’s new",
      buttonUrl: "{{ shop.url }}/collections/new",
      couponCode: "MISSYOU15",
      productSource: "recommendations",
      category: "marketing",
    }),
  },
  win_back_last_chance: {
    name: "Win-back last chance",
    description: "Final win-back email before the contact is marked inactive.",
    defaultContent: content("win_back_last_chance", {
      subject: "Last chance: should we keep in touch?",
      preheader: "Your 15% off expires soon.",
      heading: "Should we stay in touch?",
      body: '{{ first_name | default: "Hi there" }}, we haven’t heard from you in a while, so we’ll stop sending you emails soon.\n\nIf you’d like to keep hearing about new arrivals and offers, just visit the shop — your 15% off is still waiting.',
      buttonText: "Keep me subscribed",
      buttonUrl: "{{ shop.url }}",
      couponCode: "MISSYOU15",
      productSource: "none",
      category: "marketing",
    }),
  },
} satisfies Record<string, EmailTemplateInfo>;

export type EmailTemplateKey = keyof typeof emailCatalog;

export const emailTemplateKeys = Object.keys(emailCatalog) as EmailTemplateKey[];

export function isEmailTemplateKey(key: string): key is EmailTemplateKey {
  return Object.hasOwn(emailCatalog, key);
}
