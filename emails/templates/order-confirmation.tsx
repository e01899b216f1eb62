import { EmailFrame } from "../components/frame";
import { OrderSummary } from "../components/order-summary";
import { ProductGrid } from "../components/product-grid";
import { resolveEmailData } from "../data";
import type { EmailTemplateProps } from "../types";

export function OrderConfirmationEmail(props: EmailTemplateProps) {
  const data = resolveEmailData(props);
  return (
    <EmailFrame props={props} data={data}>
      {data.order ? <OrderSummary data={data} order={data.order} /> : null}
      <ProductGrid data={data} products={data.shown} title="You might also like" />
    </EmailFrame>
  );
}
