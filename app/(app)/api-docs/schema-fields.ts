/**
 * Turns the OpenAPI document's JSON Schemas into rows a reader can scan: dotted field name,
 * type, required, constraints and description. Referenced components are followed a few
 * levels deep (`traits.email`, `properties.items[].price`).
 */
import type { JsonSchema } from "@/server/ingest/openapi";

export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  description?: string;
  constraints: string[];
}

type Components = Record<string, JsonSchema>;

const MAX_DEPTH = 3;
const isObject = (v: unknown): v is JsonSchema => !!v && typeof v === "object" && !Array.isArray(v);

export function resolve(schema: JsonSchema, components: Components): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) {
    const target = components[ref.slice("#/components/schemas/".length)];
    return target
      ? { ...target, ...(typeof schema.description === "string" && { description: schema.description }) }
      : schema;
  }
  return schema;
}

/** The variants of `anyOf`/`oneOf`, without the `null` one; `nullable` tells whether it was there. */
function variants(schema: JsonSchema, components: Components): { options: JsonSchema[]; nullable: boolean } {
  const list = (
    Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null
  ) as unknown[] | null;
  if (!list) return { options: [schema], nullable: false };
  const options = list.filter(isObject).map((s) => resolve(s, components));
  return {
    options: options.filter((s) => s.type !== "null"),
    nullable: options.some((s) => s.type === "null"),
  };
}

export function typeOf(schema: JsonSchema, components: Components): string {
  const s = resolve(schema, components);
  const { options, nullable } = variants(s, components);
  if (options.length > 1 || nullable) {
    const names = [...new Set(options.map((o) => typeOf(o, components)))];
    return [...names, ...(nullable ? ["null"] : [])].join(" | ");
  }
  const only = options[0] ?? s;
  if (only.const !== undefined) return JSON.stringify(only.const);
  if (Array.isArray(only.enum)) return only.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (only.type === "array")
    return isObject(only.items) ? `array of ${typeOf(only.items, components)}` : "array";
  if (only.type === "string" && typeof only.format === "string") return `string (${only.format})`;
  if (typeof only.type === "string") return only.type;
  return "any";
}

function constraintsOf(schema: JsonSchema): string[] {
  const out: string[] = [];
  const num = (key: string) => {
    const value = schema[key];
    return typeof value === "number" ? value : undefined;
  };
  const minLength = num("minLength");
  const maxLength = num("maxLength");
  const minimum = num("minimum");
  const maximum = num("maximum");
  const maxItems = num("maxItems");
  if (minLength !== undefined && minLength > 0) out.push(`min length ${minLength}`);
  if (maxLength !== undefined) out.push(`max length ${maxLength}`);
  if (minimum !== undefined && minimum > -Number.MAX_SAFE_INTEGER) out.push(`≥ ${minimum}`);
  if (maximum !== undefined && maximum < Number.MAX_SAFE_INTEGER) out.push(`≤ ${maximum}`);
  if (maxItems !== undefined) out.push(`at most ${maxItems} items`);
  return out;
}

/** Rows for every property of an object schema, nested objects and arrays of objects flattened. */
export function fieldsOf(schema: JsonSchema, components: Components, prefix = "", depth = 0): FieldRow[] {
  const s = resolve(schema, components);
  const properties = isObject(s.properties) ? s.properties : {};
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const rows: FieldRow[] = [];
  for (const [key, raw] of Object.entries(properties)) {
    if (!isObject(raw)) continue;
    const prop = resolve(raw, components);
    const name = `${prefix}${key}`;
    const { options } = variants(prop, components);
    const single = options.length === 1 ? options[0]! : undefined;
    rows.push({
      name,
      type: typeOf(raw, components),
      required: required.has(key),
      description: typeof prop.description === "string" ? prop.description : undefined,
      constraints: constraintsOf(single ?? prop),
    });
    if (depth >= MAX_DEPTH || !single) continue;
    if (single.type === "object" && isObject(single.properties))
      rows.push(...fieldsOf(single, components, `${name}.`, depth + 1));
    if (single.type === "array" && isObject(single.items)) {
      const item = resolve(single.items, components);
      if (item.type === "object" && isObject(item.properties))
        rows.push(...fieldsOf(item, components, `${name}[].`, depth + 1));
    }
  }
  return rows;
}
