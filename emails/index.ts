/**
 * The email template registry: key → name, component, sample props and default copy.
 * Keys match the `template` field of an email node's content.
 */
import type { ComponentType } from "react";
import {
  emailCatalog,
  emailTemplateKeys,
  isEmailTemplateKey,
  type EmailTemplateInfo,
  type EmailTemplateKey,
} from "./catalog";
import { AbandonedCart1Email } from "./templates/abandoned-cart-1";
import { AbandonedCart2Email } from "./templates/abandoned-cart-2";
import { AbandonedCart3Email } from "./templates/abandoned-cart-3";
import { BackInStockEmail } from "./templates/back-in-stock";
import { BirthdayEmail } from "./templates/birthday";
import { BrowseAbandonmentEmail } from "./templates/browse-abandonment";
import { CrossSellEmail } from "./templates/cross-sell";
import { OrderConfirmationEmail } from "./templates/order-confirmation";
import { PostPurchaseThankYouEmail } from "./templates/post-purchase-thank-you";
import { ReferralEmail } from "./templates/referral";
import { ReferralRewardEmail } from "./templates/referral-reward";
import { ReplenishmentEmail } from "./templates/replenishment";
import { ReviewRecoveryEmail } from "./templates/review-recovery";
import { ReviewRequestEmail } from "./templates/review-request";
import { ReviewThanksEmail } from "./templates/review-thanks";
import { SeasonalOfferEmail } from "./templates/seasonal-offer";
import { ShippingNoticeEmail } from "./templates/shipping-notice";
import { UpsellEmail } from "./templates/upsell";
import { WelcomeEmail } from "./templates/welcome";
import { WinBackEmail } from "./templates/win-back";
import { WinBackLastChanceEmail } from "./templates/win-back-last-chance";
import type { EmailTemplateProps } from "./types";

export type { EmailTemplateKey, EmailTemplateInfo } from "./catalog";
export { emailCatalog, emailTemplateKeys, isEmailTemplateKey };
export type * from "./types";

export type EmailTemplateComponent = ComponentType<EmailTemplateProps>;

export type EmailTemplateDefinition = EmailTemplateInfo & {
  key: EmailTemplateKey;
  component: EmailTemplateComponent;
};

const components = {
  welcome: WelcomeEmail,
  order_confirmation: OrderConfirmationEmail,
  shipping_notice: ShippingNoticeEmail,
  abandoned_cart_1: AbandonedCart1Email,
  abandoned_cart_2: AbandonedCart2Email,
  abandoned_cart_3: AbandonedCart3Email,
  browse_abandonment: BrowseAbandonmentEmail,
  back_in_stock: BackInStockEmail,
  post_purchase_thank_you: PostPurchaseThankYouEmail,
  cross_sell: CrossSellEmail,
  upsell: UpsellEmail,
  review_request: ReviewRequestEmail,
  review_thanks: ReviewThanksEmail,
  review_recovery: ReviewRecoveryEmail,
  replenishment: ReplenishmentEmail,
  birthday: BirthdayEmail,
  seasonal_offer: SeasonalOfferEmail,
  referral: ReferralEmail,
  referral_reward: ReferralRewardEmail,
  win_back: WinBackEmail,
  win_back_last_chance: WinBackLastChanceEmail,
} satisfies Record<EmailTemplateKey, EmailTemplateComponent>;

function define(key: EmailTemplateKey): EmailTemplateDefinition {
  return { key, ...emailCatalog[key], component: components[key] };
}

export const emailTemplates = Object.fromEntries(emailTemplateKeys.map((k) => [k, define(k)])) as Record<
  EmailTemplateKey,
  EmailTemplateDefinition
>;

export function getEmailTemplate(key: string): EmailTemplateDefinition | undefined {
  return isEmailTemplateKey(key) ? emailTemplates[key] : undefined;
}
