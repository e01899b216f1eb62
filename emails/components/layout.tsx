import type { ReactNode } from "react";
import { Body, Container, Head, Hr, Html, Img, Link, Preview, Section, Text } from "@react-email/components";
import type { EmailData } from "../data";
import type { MessageCategory } from "../types";

export const fontFamily =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const footerText = { color: "#6b7280", fontSize: "12px", lineHeight: "18px", margin: "4px 0" } as const;

export type LayoutProps = {
  data: EmailData;
  preheader: string;
  category: MessageCategory;
  postalAddress: string;
  /** Why the contact got this email; a sensible default per category. */
  reason?: string;
  children: ReactNode;
};

/** Shared frame: brand header, content card, footer with address, reason and (marketing) unsubscribe. */
export function Layout({ data, preheader, category, postalAddress, reason, children }: LayoutProps) {
  const why =
    reason ??
    (category === "marketing"
      ? `You’re receiving this email because you subscribed to updates from ${data.shopName} or shopped with us.`
      : `You’re receiving this email because of your order with ${data.shopName}.`);
  const address = postalAddress.trim();
  return (
    <Html lang="en">
      <Head />
      {preheader ? <Preview>{preheader}</Preview> : null}
      <Body style={{ backgroundColor: "#f3f4f6", fontFamily, margin: 0, padding: "24px 0" }}>
        <Container style={{ maxWidth: "600px", margin: "0 auto" }}>
          <Section style={{ backgroundColor: data.color, borderRadius: "8px 8px 0 0", padding: "20px 32px" }}>
            <Link
              href={data.shopUrl}
              data-skip-in-text="true"
              style={{ color: data.onColor, textDecoration: "none" }}
            >
              {data.logoUrl ? (
                <Img
                  src={data.logoUrl}
                  alt={data.shopName}
                  height="40"
                  style={{ display: "block", maxHeight: "40px" }}
                />
              ) : (
                <Text style={{ color: data.onColor, fontSize: "22px", fontWeight: 700, margin: 0 }}>
                  {data.shopName}
                </Text>
              )}
            </Link>
          </Section>
          <Section style={{ backgroundColor: "#ffffff", borderRadius: "0 0 8px 8px", padding: "32px" }}>
            {children}
          </Section>
          <Section style={{ padding: "24px 32px", textAlign: "center" }}>
            <Text style={footerText}>{why}</Text>
            {address ? (
              <Text style={footerText}>{`${data.shopName} · ${address}`}</Text>
            ) : (
              <Text style={footerText}>{data.shopName}</Text>
            )}
            {category === "marketing" && data.unsubscribeUrl ? (
              <>
                <Hr style={{ borderColor: "#e5e7eb", margin: "12px 0" }} />
                <Text style={footerText}>
                  <Link href={data.unsubscribeUrl} style={{ color: "#6b7280", textDecoration: "underline" }}>
                    Unsubscribe
                  </Link>
                  {data.preferencesUrl ? (
                    <>
                      {" · "}
                      <Link
                        href={data.preferencesUrl}
                        style={{ color: "#6b7280", textDecoration: "underline" }}
                      >
                        Manage preferences
                      </Link>
                    </>
                  ) : null}
                </Text>
              </>
            ) : null}
          </Section>
        </Container>
      </Body>
    </Html>
  );
}
