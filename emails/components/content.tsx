import { Button, Heading, Section, Text } from "@react-email/components";
import type { EmailData } from "../data";

export function Title({ children }: { children: string }) {
  if (!children.trim()) return null;
  return (
    <Heading
      as="h1"
      style={{ color: "#111827", fontSize: "26px", lineHeight: "32px", fontWeight: 700, margin: "0 0 16px" }}
    >
      {children}
    </Heading>
  );
}

/** Plain-text body: blank lines start paragraphs, single newlines break lines. */
export function BodyText({ text }: { text: string }) {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  return (
    <>
      {paragraphs.map((p, i) => (
        <Text key={i} style={{ color: "#374151", fontSize: "16px", lineHeight: "24px", margin: "0 0 16px" }}>
          {p.split("\n").map((line, j) => (
            <span key={j}>
              {j > 0 ? <br /> : null}
              {line}
            </span>
          ))}
        </Text>
      ))}
    </>
  );
}

export function CtaButton({ data, text, href }: { data: EmailData; text: string; href?: string }) {
  if (!text.trim()) return null;
  return (
    <Section style={{ textAlign: "center", margin: "24px 0" }}>
      <Button
        href={href ?? data.buttonUrl}
        style={{
          backgroundColor: data.color,
          color: data.onColor,
          borderRadius: "6px",
          fontSize: "16px",
          fontWeight: 600,
          padding: "14px 28px",
          textDecoration: "none",
          display: "inline-block",
        }}
      >
        {text}
      </Button>
    </Section>
  );
}

export function SmallPrint({ children }: { children: string }) {
  return (
    <Text style={{ color: "#6b7280", fontSize: "13px", lineHeight: "20px", margin: "8px 0" }}>
      {children}
    </Text>
  );
}
