import { describe, expect, it } from "vitest";
import { entryKeyOf } from "./entry";
import { lineItemEvents, orderValues, productIdsMissingDaysPerUnit } from "./line-items";

const order = (properties: Record<string, unknown>) => ({
  id: "e1",
  name: "Placed Order",
  properties,
  occurredAt: 1_000,
});

describe("line items", () => {
  const two = order({
    order_id: "A",
    value: 40,
    items: [
      { product_id: "coffee", title: "Coffee", quantity: 3 },
      { product_id: "filters", title: "Filters", days_per_unit: 50 },
      "not a line",
    ],
  });

  it("one event per line, reading like an order of that product, days per unit from the catalog when the line lacks it", () => {
    const lines = lineItemEvents(two, (id) => (id === "coffee" ? 14 : 99));
    expect(lines.map((l) => l.line)).toEqual([0, 1]);
    expect(lines[0]!.event).toMatchObject({
      id: "e1",
      occurredAt: 1_000,
      properties: {
        order_id: "A",
        product_id: "coffee",
        quantity: 3,
        days_per_unit: 14,
        items: [{ product_id: "coffee", title: "Coffee", quantity: 3 }],
        line_item: 0,
      },
    });
    // The line's own days per unit win; a missing quantity is one unit.
    expect(lines[1]!.event.properties).toMatchObject({
      product_id: "filters",
      quantity: 1,
      days_per_unit: 50,
    });
  });

  it("a line with no days per unit anywhere has none (the trigger filter leaves it out)", () => {
    const [line] = lineItemEvents(order({ order_id: "A", items: [{ product_id: "mug" }] }), () => null);
    expect(line!.event.properties).not.toHaveProperty("days_per_unit");
  });

  it("an order without line items is one line as it is", () => {
    const plain = order({ order_id: "A", quantity: 2, days_per_unit: 10 });
    expect(lineItemEvents(plain)).toEqual([{ event: plain, line: null }]);
  });

  it("asks the catalog only for products whose lines lack days per unit", () => {
    expect(productIdsMissingDaysPerUnit(two.properties)).toEqual(["coffee"]);
    expect(productIdsMissingDaysPerUnit({ items: "nope" })).toEqual([]);
  });

  it("an order's product ids are its own, else its lines'", () => {
    expect(orderValues(two.properties, "product_id")).toEqual(["coffee", "filters"]);
    expect(orderValues({ product_id: "x", items: [{ product_id: "y" }] }, "product_id")).toEqual(["x"]);
    expect(orderValues({}, "product_id")).toEqual([]);
  });
});

describe("entry keys", () => {
  it("one property, or several joined: one journey per order and product", () => {
    expect(entryKeyOf("cart_id", { cart_id: "c1" })).toBe("c1");
    expect(entryKeyOf("order_id, product_id", { order_id: "A", product_id: "coffee" })).toBe("A/coffee");
    expect(entryKeyOf("order_id, product_id", { order_id: "A" })).toBe("A/");
    expect(entryKeyOf("order_id, product_id", {})).toBe("");
  });
});
