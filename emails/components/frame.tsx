import type { ReactNode } from "react";
import type { EmailData } from "../data";
import type { EmailTemplateProps } from "../types";
import { BodyText, CtaButton, Title } from "./content";
import { Layout } from "./layout";

/** The layout filled from a template's props: heading and body first, then `children`. */
export function EmailFrame({
  props,
  data,
  reason,
  children,
  button = true,
}: {
  props: EmailTemplateProps;
  data: EmailData;
  reason?: string;
  children?: ReactNode;
  /** Render the call-to-action button after `children` (default) or not at all. */
  button?: boolean;
}) {
  const { content, workspace } = props;
  return (
    <Layout
      data={data}
      preheader={content.preheader}
      category={content.category}
      postalAddress={workspace.postalAddress}
      reason={reason}
    >
      <Title>{content.heading}</Title>
      <BodyText text={content.body} />
      {children}
      {button ? <CtaButton data={data} text={content.buttonText} /> : null}
    </Layout>
  );
}
