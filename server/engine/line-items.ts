/**
 * Line items: an order's `items` array, one object per product bought. A flow triggered
 * "once per line item" (replenishment) runs one journey per line, whose trigger reads like
 * an order of that one product: the order's own properties, then the line's (`product_id`,
 * `quantity`, `days_per_unit`, `title` …) on top, and `items` narrowed to that line. A line
 * without `days_per_unit` takes the catalog's.
 */
import type { EventFact } from "./facts";
import { getPath, toNumber, toText } from "./json";

/** The order property that holds the line items (Segment / Shopify / the storefront). */
export const LINE_ITEMS_PROPERTY = "items";

type Line = Record<string, unknown>;

function isLine(v: unknown): v is Line {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The order's line items (objects only). */
export function lineItemsOf(properties: Record<string, unknown>): Line[] {
  const items = properties[LINE_ITEMS_PROPERTY];
  return Array.isArray(items) ? items.filter(isLine) : [];
}

/** Product ids of lines that carry no days per unit of their own (the catalog fills them in). */
export function productIdsMissingDaysPerUnit(properties: Record<string, unknown>): string[] {
  const ids = new Set<string>();
  for (const line of lineItemsOf(properties)) {
    const id = toText(line.product_id);
    if (id !== undefined && positive(line.days_per_unit) === undefined) ids.add(id);
  }
  return [...ids];
}

function positive(v: unknown): number | undefined {
  const n = toNumber(v);
  return n !== undefined && n > 0 ? n : undefined;
}

export type LineEvent = {
  /** The order event as this line's own: same id, name and time. */
  event: EventFact;
  /** The line's position in the order; null when the order has no line items (it is one line). */
  line: number | null;
};

/**
 * One event per line item. An order without line items is a single line as it is (a
 * caller that put `quantity` and `days_per_unit` on the order keeps working). A line's
 * quantity defaults to 1; its days per unit come from the line, else the catalog, else
 * the order.
 */
export function lineItemEvents(
  event: EventFact,
  catalogDaysPerUnit: (productId: string) => number | null | undefined = () => undefined,
): LineEvent[] {
  const lines = lineItemsOf(event.properties);
  if (lines.length === 0) return [{ event, line: null }];
  return lines.map((item, line) => {
    const productId = toText(item.product_id);
    const days =
      positive(item.days_per_unit) ??
      (productId !== undefined ? positive(catalogDaysPerUnit(productId)) : undefined) ??
      positive(event.properties.days_per_unit);
    const properties: Record<string, unknown> = {
      ...event.properties,
      ...item,
      quantity: positive(item.quantity) ?? 1,
      [LINE_ITEMS_PROPERTY]: [item],
      line_item: line,
    };
    if (days !== undefined) properties.days_per_unit = days;
    else delete properties.days_per_unit;
    return { event: { ...event, properties }, line };
  });
}

/**
 * The values an order has at `path`: its own, else its line items' (`product_id` of an
 * order is the products it contains). Empty when neither has it.
 */
export function orderValues(properties: Record<string, unknown>, path: string): unknown[] {
  const own = getPath(properties, path);
  if (own !== undefined && own !== null && own !== "") return [own];
  return lineItemsOf(properties)
    .map((line) => getPath(line, path))
    .filter((v) => v !== undefined && v !== null && v !== "");
}
