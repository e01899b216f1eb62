import { CouponBlock } from "../components/coupon-block";
import { EmailFrame } from "../components/frame";
import { ProductGrid } from "../components/product-grid";
import { resolveEmailData } from "../data";
import type { EmailTemplateProps } from "../types";

export function WelcomeEmail(props: EmailTemplateProps) {
  const data = resolveEmailData(props);
  return (
    <EmailFrame
      props={props}
      data={data}
      reason={`You’re receiving this email because you signed up at ${data.shopName}.`}
    >
      <CouponBlock
        data={data}
        code={props.content.couponCode}
        note="Enter it at checkout on your first order."
      />
      <ProductGrid data={data} products={data.shown} title="Customer favourites" />
    </EmailFrame>
  );
}
