import { EmailFrame } from "../components/frame";
import { ProductGrid } from "../components/product-grid";
import { RatingBlock } from "../components/rating-block";
import { resolveEmailData } from "../data";
import type { EmailTemplateProps } from "../types";

export function ReviewRequestEmail(props: EmailTemplateProps) {
  const data = resolveEmailData(props);
  return (
    <EmailFrame props={props} data={data}>
      <ProductGrid data={data} products={data.shown} layout="list" currency={data.order?.currency} />
      <RatingBlock data={data} reviewUrl={data.buttonUrl} />
    </EmailFrame>
  );
}
