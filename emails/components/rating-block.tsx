import { Column, Link, Row, Section, Text } from "@react-email/components";
import { withParams, type EmailData } from "../data";

/** Five star links; each opens the review form with its rating preselected. */
export function RatingBlock({
  data,
  reviewUrl,
  question,
}: {
  data: EmailData;
  reviewUrl: string;
  question?: string;
}) {
  const ratings = [1, 2, 3, 4, 5];
  return (
    <Section style={{ margin: "8px 0 16px", textAlign: "center" }}>
      <Text style={{ color: "#111827", fontSize: "16px", fontWeight: 600, margin: "0 0 8px" }}>
        {question ?? "How would you rate it?"}
      </Text>
      <Row style={{ width: "280px", margin: "0 auto" }}>
        {ratings.map((n) => (
          <Column key={n} style={{ width: "56px", textAlign: "center" }}>
            <Link
              href={withParams(reviewUrl, { rating: String(n) })}
              title={`${n} out of 5`}
              style={{ color: data.color, fontSize: "30px", lineHeight: "34px", textDecoration: "none" }}
            >
              ★<br />
              <span style={{ color: "#6b7280", fontSize: "12px" }}>{String(n)}</span>
            </Link>
          </Column>
        ))}
      </Row>
      <Text style={{ color: "#6b7280", fontSize: "12px", margin: "8px 0 0" }}>
        1 = not for me · 5 = love it
      </Text>
    </Section>
  );
}
