import { Link, Section, Text } from "@react-email/components";
import type { EmailData } from "../data";

/** The contact's share link and what both sides get. */
export function ReferralBlock({
  data,
  referralUrl,
  offer,
}: {
  data: EmailData;
  referralUrl: string;
  offer?: string;
}) {
  return (
    <Section
      style={{
        backgroundColor: "#f9fafb",
        borderRadius: "8px",
        padding: "16px 20px",
        margin: "8px 0 16px",
        textAlign: "center",
      }}
    >
      {offer ? (
        <Text style={{ color: "#111827", fontSize: "16px", fontWeight: 600, margin: "0 0 8px" }}>
          {offer}
        </Text>
      ) : null}
      <Text style={{ color: "#6b7280", fontSize: "13px", margin: "0 0 4px" }}>Your personal link</Text>
      <Link
        href={referralUrl}
        style={{ color: data.color, fontSize: "15px", fontWeight: 600, wordBreak: "break-all" }}
      >
        {referralUrl}
      </Link>
    </Section>
  );
}
