import { EmailFrame } from "../components/frame";
import { ProductGrid } from "../components/product-grid";
import { resolveEmailData } from "../data";
import type { EmailTemplateProps } from "../types";

export function CrossSellEmail(props: EmailTemplateProps) {
  const data = resolveEmailData(props);
  return (
    <EmailFrame props={props} data={data}>
      <ProductGrid data={data} products={data.shown} title="Picked for you" />
    </EmailFrame>
  );
}
