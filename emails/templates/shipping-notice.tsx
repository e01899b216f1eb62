import { EmailFrame } from "../components/frame";
import { CtaButton } from "../components/content";
import { OrderSummary } from "../components/order-summary";
import { resolveEmailData } from "../data";
import type { EmailTemplateProps } from "../types";

export function ShippingNoticeEmail(props: EmailTemplateProps) {
  const data = resolveEmailData(props);
  return (
    <EmailFrame props={props} data={data} button={false}>
      <CtaButton data={data} text={props.content.buttonText} />
      {data.order ? <OrderSummary data={data} order={data.order} showTracking /> : null}
    </EmailFrame>
  );
}
