import { EmailFrame } from "../components/frame";
import { ProductGrid } from "../components/product-grid";
import { resolveEmailData } from "../data";
import type { EmailTemplateProps } from "../types";

export function BrowseAbandonmentEmail(props: EmailTemplateProps) {
  const data = resolveEmailData(props);
  const shownIds = new Set(data.shown.map((p) => p.product_id));
  const more =
    props.content.productSource === "last_viewed"
      ? data.products.filter((p) => !shownIds.has(p.product_id)).slice(0, 4)
      : [];
  return (
    <EmailFrame props={props} data={data}>
      <ProductGrid data={data} products={data.shown} layout="list" />
      <ProductGrid data={data} products={more} title="You might also like" />
    </EmailFrame>
  );
}
