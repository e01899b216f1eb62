import { Section, Text } from "@react-email/components";
import type { EmailData } from "../data";

/** The discount code, large and easy to copy. Renders nothing without a code. */
export function CouponBlock({
  data,
  code,
  note,
}: {
  data: EmailData;
  code: string | undefined;
  note?: string;
}) {
  const c = code?.trim();
  if (!c) return null;
  return (
    <Section
      style={{
        border: `2px dashed ${data.color}`,
        borderRadius: "8px",
        padding: "16px",
        margin: "8px 0 16px",
        textAlign: "center",
      }}
    >
      <Text
        style={{
          color: "#6b7280",
          fontSize: "13px",
          letterSpacing: "1px",
          textTransform: "uppercase",
          margin: 0,
        }}
      >
        Your code
      </Text>
      <Text
        style={{ color: "#111827", fontSize: "26px", fontWeight: 700, letterSpacing: "2px", margin: "6px 0" }}
      >
        {c}
      </Text>
      {note ? <Text style={{ color: "#6b7280", fontSize: "13px", margin: 0 }}>{note}</Text> : null}
    </Section>
  );
}
