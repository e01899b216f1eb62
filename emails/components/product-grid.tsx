import { Column, Img, Link, Row, Section, Text } from "@react-email/components";
import { formatMoney, type DisplayProduct, type EmailData } from "../data";

type Props = {
  data: EmailData;
  products: DisplayProduct[];
  currency?: string;
  title?: string;
  layout?: "grid" | "list";
};

function Price({ product, currency }: { product: DisplayProduct; currency: string }) {
  const price = formatMoney(product.price, currency);
  if (!price) return null;
  const was = formatMoney(product.compare_at_price, currency);
  return (
    <Text style={{ color: "#111827", fontSize: "15px", fontWeight: 600, margin: "4px 0 0" }}>
      {was ? (
        <span style={{ color: "#9ca3af", textDecoration: "line-through", fontWeight: 400 }}>{was}</span>
      ) : null}
      {was ? " " : null}
      {price}
    </Text>
  );
}

function ListItem({ product, currency }: { product: DisplayProduct; currency: string }) {
  return (
    <Row style={{ borderBottom: "1px solid #e5e7eb" }}>
      <Column style={{ width: "88px", padding: "12px 0", verticalAlign: "top" }}>
        {product.image_url ? (
          <Link href={product.url} data-skip-in-text="true">
            <Img
              src={product.image_url}
              alt={product.title}
              width="72"
              height="72"
              style={{ borderRadius: "6px", objectFit: "cover" }}
            />
          </Link>
        ) : null}
      </Column>
      <Column style={{ padding: "12px 0", verticalAlign: "top" }}>
        <Link
          href={product.url}
          style={{ color: "#111827", fontSize: "15px", fontWeight: 600, textDecoration: "none" }}
        >
          {product.title}
        </Link>
        {product.quantity !== undefined ? (
          <Text
            style={{ color: "#6b7280", fontSize: "13px", margin: "4px 0 0" }}
          >{`Qty ${product.quantity}`}</Text>
        ) : null}
        <Price product={product} currency={currency} />
      </Column>
    </Row>
  );
}

function GridCell({
  product,
  currency,
  color,
}: {
  product: DisplayProduct;
  currency: string;
  color: string;
}) {
  return (
    <Column style={{ width: "50%", padding: "8px", verticalAlign: "top", textAlign: "center" }}>
      {product.image_url ? (
        <Link href={product.url} data-skip-in-text="true">
          <Img
            src={product.image_url}
            alt={product.title}
            width="240"
            style={{ width: "100%", maxWidth: "240px", borderRadius: "6px", margin: "0 auto" }}
          />
        </Link>
      ) : null}
      <Text style={{ color: "#111827", fontSize: "15px", fontWeight: 600, margin: "8px 0 0" }}>
        {product.title}
      </Text>
      <Price product={product} currency={currency} />
      <Link href={product.url} style={{ color, fontSize: "14px", fontWeight: 600 }}>
        Shop now
      </Link>
    </Column>
  );
}

/** Cart items, order items, recommendations or the last viewed product. */
export function ProductGrid({ data, products, currency, title, layout = "grid" }: Props) {
  if (products.length === 0) return null;
  const cur = currency ?? data.currency;
  const rows: DisplayProduct[][] = [];
  for (let i = 0; i < products.length; i += 2) rows.push(products.slice(i, i + 2));
  return (
    <Section style={{ margin: "8px 0 16px" }}>
      {title ? (
        <Text style={{ color: "#111827", fontSize: "17px", fontWeight: 700, margin: "0 0 8px" }}>
          {title}
        </Text>
      ) : null}
      {layout === "list" || products.length === 1
        ? products.map((p, i) => <ListItem key={`${i}:${p.product_id}`} product={p} currency={cur} />)
        : rows.map((row, r) => (
            <Row key={r}>
              {row.map((p, i) => (
                <GridCell key={`${i}:${p.product_id}`} product={p} currency={cur} color={data.color} />
              ))}
              {row.length === 1 ? <Column style={{ width: "50%" }} /> : null}
            </Row>
          ))}
    </Section>
  );
}
