import { EmailFrame } from "../components/frame";
import { ProductGrid } from "../components/product-grid";
import { resolveEmailData } from "../data";
import type { EmailTemplateProps } from "../types";

export function BackInStockEmail(props: EmailTemplateProps) {
  const data = resolveEmailData(props);
  return (
    <EmailFrame
      props={props}
      data={data}
      reason={`You’re receiving this email because you asked ${data.shopName} to tell you when this item was back in stock.`}
    >
      <ProductGrid data={data} products={data.shown} layout="list" />
    </EmailFrame>
  );
}
