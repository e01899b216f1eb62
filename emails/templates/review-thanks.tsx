import { CouponBlock } from "../components/coupon-block";
import { EmailFrame } from "../components/frame";
import { ProductGrid } from "../components/product-grid";
import { resolveEmailData } from "../data";
import type { EmailTemplateProps } from "../types";

export function ReviewThanksEmail(props: EmailTemplateProps) {
  const data = resolveEmailData(props);
  return (
    <EmailFrame props={props} data={data}>
      <CouponBlock
        data={data}
        code={props.content.couponCode}
        note="Enter it at checkout on your next order."
      />
      <ProductGrid data={data} products={data.shown} title="You might also like" />
    </EmailFrame>
  );
}
