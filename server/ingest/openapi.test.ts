import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";
import { CANONICAL_EVENTS } from "./events";
import { fieldsOf } from "@/app/(app)/api-docs/schema-fields";

const doc = buildOpenApiDocument({ baseUrl: "https://tidings.example.com/" });

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 with the /api/v1 endpoints", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "https://tidings.example.com" }]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/v1/batch",
      "/api/v1/identify",
      "/api/v1/products/{id}",
      "/api/v1/push/key",
      "/api/v1/push/subscriptions",
      "/api/v1/track",
    ]);
    expect(Object.keys(doc.paths["/api/v1/push/subscriptions"] ?? {}).sort()).toEqual(["delete", "post"]);
    expect(doc.paths["/api/v1/products/{id}"]?.put?.responses).toHaveProperty("403");
  });

  it("resolves every $ref and is plain JSON", () => {
    for (const ref of refs(doc))
      expect(doc.components.schemas).toHaveProperty(ref.replace("#/components/schemas/", ""));
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("documents the request fields from the zod schemas, with types and descriptions", () => {
    const track = fieldsOf(
      doc.paths["/api/v1/track"]!.post!.requestBody!.content["application/json"].schema,
      doc.components.schemas,
    );
    expect(track.find((f) => f.name === "event")).toMatchObject({
      type: "string",
      required: true,
      description: expect.stringContaining("Placed Order") as unknown,
    });
    expect(track.find((f) => f.name === "userId")?.type).toBe("string | integer | null");
    expect(track.find((f) => f.name === "context.timezone")).toBeDefined();
    const identify = fieldsOf(doc.components.schemas.IdentifyRequest!, doc.components.schemas);
    expect(identify.find((f) => f.name === "traits.email_consent")?.type).toBe(
      '"subscribed" | "unsubscribed"',
    );
    const product = fieldsOf(doc.components.schemas.ProductInput!, doc.components.schemas);
    expect(product.map((f) => f.name)).toEqual([
      "title",
      "url",
      "image",
      "price",
      "currency",
      "category",
      "inventory",
      "daysPerUnit",
      "properties",
    ]);
  });

  it("lists every canonical event with its typed properties", () => {
    expect(doc["x-canonical-events"].map((e) => e.name)).toEqual(Object.keys(CANONICAL_EVENTS));
    const placed = doc["x-canonical-events"].find((e) => e.name === "Placed Order")!;
    const fields = fieldsOf(placed.schema, doc.components.schemas);
    expect(fields.find((f) => f.name === "value")?.type).toBe("number");
    expect(fields.find((f) => f.name === "order_id")?.required).toBe(true);
    expect(fields.find((f) => f.name === "items[].price")).toBeDefined();
    const review = fieldsOf(
      doc["x-canonical-events"].find((e) => e.name === "Review Submitted")!.schema,
      doc.components.schemas,
    );
    expect(review.find((f) => f.name === "rating")?.constraints).toEqual(["≥ 1", "≤ 5"]);
  });
});
