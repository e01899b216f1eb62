import { EmailFrame } from "../components/frame";
import { ReferralBlock } from "../components/referral-block";
import { resolveEmailData } from "../data";
import type { EmailTemplateProps } from "../types";

export function ReferralEmail(props: EmailTemplateProps) {
  const data = resolveEmailData(props);
  return (
    <EmailFrame props={props} data={data}>
      <ReferralBlock data={data} referralUrl={data.buttonUrl} />
    </EmailFrame>
  );
}
