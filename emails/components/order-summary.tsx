import { Column, Hr, Link, Row, Section, Text } from "@react-email/components";
import { addressLines, formatMoney, type EmailData } from "../data";
import type { Order } from "../types";

const label = { color: "#6b7280", fontSize: "14px", margin: "2px 0" } as const;
const value = { color: "#111827", fontSize: "14px", margin: "2px 0", textAlign: "right" } as const;

function TotalRow({ name, amount, strong }: { name: string; amount: string; strong?: boolean }) {
  if (!amount) return null;
  const weight = strong ? { fontWeight: 700, fontSize: "16px", color: "#111827" } : {};
  return (
    <Row>
      <Column>
        <Text style={{ ...label, ...weight }}>{name}</Text>
      </Column>
      <Column>
        <Text style={{ ...value, ...weight }}>{amount}</Text>
      </Column>
    </Row>
  );
}

/** Items with quantities, totals, shipping address and (optionally) the tracking link. */
export function OrderSummary({
  data,
  order,
  showTracking,
}: {
  data: EmailData;
  order: Order;
  showTracking?: boolean;
}) {
  const money = (n: number | undefined) => formatMoney(n, order.currency);
  const address = addressLines(order.shipping_address);
  return (
    <Section
      style={{ border: "1px solid #e5e7eb", borderRadius: "8px", padding: "16px 20px", margin: "8px 0 16px" }}
    >
      {order.order_id ? (
        <Text
          style={{ color: "#111827", fontSize: "15px", fontWeight: 700, margin: "0 0 8px" }}
        >{`Order #${order.order_id}`}</Text>
      ) : null}
      {order.items.map((item, i) => (
        <Row key={`${i}:${item.product_id}`}>
          <Column>
            <Link href={item.url} style={{ color: "#111827", fontSize: "14px", textDecoration: "none" }}>
              {`${item.title} × ${item.quantity}`}
            </Link>
          </Column>
          <Column>
            <Text style={value}>{money(item.price * item.quantity)}</Text>
          </Column>
        </Row>
      ))}
      <Hr style={{ borderColor: "#e5e7eb", margin: "12px 0" }} />
      <TotalRow name="Subtotal" amount={money(order.subtotal)} />
      <TotalRow name="Discount" amount={order.discount ? `−${money(Math.abs(order.discount))}` : ""} />
      <TotalRow name="Shipping" amount={money(order.shipping)} />
      <TotalRow name="Tax" amount={money(order.tax)} />
      <TotalRow name="Total" amount={money(order.value)} strong />
      {address.length > 0 ? (
        <>
          <Hr style={{ borderColor: "#e5e7eb", margin: "12px 0" }} />
          <Text style={{ ...label, fontWeight: 600, color: "#111827" }}>Shipping to</Text>
          <Text style={{ ...label, lineHeight: "20px" }}>
            {address.map((line, i) => (
              <span key={i}>
                {i > 0 ? <br /> : null}
                {line}
              </span>
            ))}
          </Text>
        </>
      ) : null}
      {showTracking && order.tracking_url ? (
        <Text style={{ fontSize: "14px", margin: "12px 0 0" }}>
          <Link href={order.tracking_url} style={{ color: data.color, fontWeight: 600 }}>
            {order.carrier ? `Track your package with ${order.carrier}` : "Track your package"}
          </Link>
        </Text>
      ) : null}
    </Section>
  );
}
