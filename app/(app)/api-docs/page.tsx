import type { Metadata } from "next";
import type { ReactNode } from "react";
import { headers } from "next/headers";
import { FileJson } from "lucide-react";
import { appUrl, env } from "@/server/env";
import { buildOpenApiDocument, type JsonSchema, type OpenApiOperation } from "@/server/ingest/openapi";
import { SHOPIFY_TOPICS } from "@/server/ingest/shopify";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { fieldsOf, resolve, type FieldRow } from "./schema-fields";

export const metadata: Metadata = { title: "API reference" };

async function publicOrigin(): Promise<string> {
  if (env().APP_URL) return appUrl();
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host");
  return host ? `${h.get("x-forwarded-proto") ?? "http"}://${host}` : appUrl();
}

/** `code` spans in the document's prose. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/).map((part, i) =>
        part.startsWith("`") && part.endsWith("`") ? (
          <code key={i} className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em]">
            {part.slice(1, -1)}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

function FieldsTable({ rows }: { rows: FieldRow[] }) {
  return (
    <table className="w-full text-sm">
      <thead className="text-left text-xs uppercase tracking-wide text-slate-600">
        <tr>
          <th className="w-1/4 py-2 pr-3 font-medium">Field</th>
          <th className="w-1/4 py-2 pr-3 font-medium">Type</th>
          <th className="py-2 font-medium">Description</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name} className="border-t border-slate-100 align-top">
            <td className="py-2 pr-3">
              <code className="font-mono text-xs text-slate-900">{row.name}</code>
              {row.required && (
                <Badge tone="paused" className="ml-2">
                  required
                </Badge>
              )}
            </td>
            <td className="py-2 pr-3 font-mono text-xs text-slate-700">{row.type}</td>
            <td className="py-2 text-slate-700">
              {row.description && <Prose text={row.description} />}
              {row.constraints.length > 0 && (
                <span className="block text-xs text-slate-500">{row.constraints.join(", ")}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CodeBlock({ children, label }: { children: ReactNode; label: string }) {
  return (
    <figure className="flex flex-col gap-1">
      <figcaption className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</figcaption>
      <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">
        {children}
      </pre>
    </figure>
  );
}

function curlFor(origin: string, method: string, path: string, example: unknown): string {
  const url = `${origin}${path.replace("{id}", "cof-kenya")}`;
  const body = JSON.stringify(example, null, 2).replace(/'/g, "'\\''");
  return [
    `curl -X ${method.toUpperCase()} ${url} \\`,
    `  -H "Authorization: Bearer tid_sk_…" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${body}'`,
  ].join("\n");
}

const METHOD_TONE = { post: "live", put: "paused", get: "neutral" } as const;

function Operation({
  path,
  method,
  op,
  origin,
  components,
}: {
  path: string;
  method: string;
  op: OpenApiOperation;
  origin: string;
  components: Record<string, JsonSchema>;
}) {
  const body = op.requestBody?.content["application/json"];
  const rows = [
    ...(op.parameters ?? []).map((p): FieldRow => ({
      name: `${p.name} (in ${p.in})`,
      type: typeof p.schema.type === "string" ? p.schema.type : "string",
      required: p.required,
      description: p.description,
      constraints: [],
    })),
    ...(body ? fieldsOf(body.schema, components) : []),
  ];
  const described = body ? resolve(body.schema, components).description : undefined;
  const bodyDescription = typeof described === "string" ? described : undefined;
  return (
    <Card id={op.operationId} className="scroll-mt-6">
      <CardHeader>
        <div className="flex items-center gap-3">
          <Badge
            tone={METHOD_TONE[method as keyof typeof METHOD_TONE] ?? "neutral"}
            className="font-mono uppercase"
          >
            {method}
          </Badge>
          <code className="font-mono text-sm font-semibold">{path}</code>
        </div>
        <CardTitle className="mt-2">{op.summary}</CardTitle>
        <p className="text-sm text-slate-700">
          <Prose text={op.description} />
        </p>
        {op.security && (
          <p className="text-xs text-slate-600">
            Auth: {op.operationId === "upsertProduct" ? "secret key only" : "secret or publishable key"}, as{" "}
            <code className="font-mono">Authorization: Bearer …</code> or Basic with the key as user name.
          </p>
        )}
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {bodyDescription && (
          <p className="text-sm text-slate-600">
            <Prose text={bodyDescription} />
          </p>
        )}
        {rows.length > 0 && <FieldsTable rows={rows} />}
        {body && (
          <div className="grid gap-4 lg:grid-cols-2">
            <CodeBlock label="Example body">{JSON.stringify(body.example, null, 2)}</CodeBlock>
            <CodeBlock label="curl">{curlFor(origin, method, path, body.example)}</CodeBlock>
          </div>
        )}
        <div>
          <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-600">Responses</h3>
          <ul className="flex flex-col gap-1 text-sm">
            {Object.entries(op.responses).map(([status, response]) => (
              <li key={status} className="flex gap-2">
                <code
                  className={`font-mono text-xs font-semibold ${status.startsWith("2") ? "text-emerald-700" : "text-red-700"}`}
                >
                  {status}
                </code>
                <span className="text-slate-700">
                  <Prose text={response.description} />
                </span>
              </li>
            ))}
          </ul>
        </div>
      </CardContent>
    </Card>
  );
}

export default async function ApiDocsPage() {
  const origin = await publicOrigin();
  const doc = buildOpenApiDocument({ baseUrl: origin });
  const { schemas } = doc.components;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const errorExample = {
    error: {
      message: "Invalid request: batch.3.event: Name the event",
      issues: [{ path: "batch.3.event", message: "Name the event" }],
    },
  };

  return (
    <>
      <PageHeader
        title="API reference"
        description="Send your shop's customers, events and catalog to Tidings."
        actions={
          <Button asChild variant="secondary">
            <a href="/api/v1/openapi.json" target="_blank" rel="noreferrer">
              <FileJson aria-hidden /> openapi.json
            </a>
          </Button>
        }
      />
      <div className="flex max-w-5xl flex-col gap-6 px-8 py-6">
        <Card>
          <CardContent className="flex flex-col gap-3 pt-6 text-sm text-slate-700">
            {doc.info.description.split("\n\n").map((paragraph) => (
              <p key={paragraph}>
                <Prose text={paragraph} />
              </p>
            ))}
            <p>
              Base URL: <code className="font-mono">{doc.servers[0]?.url}</code>. Every error has the same
              shape; each issue names the field by its JSON path:
            </p>
            <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
              {JSON.stringify(errorExample, null, 2)}
            </pre>
            <nav aria-label="Endpoints" className="flex flex-wrap gap-2">
              {operations.map(({ path, method, op }) => (
                <a
                  key={op.operationId}
                  href={`#${op.operationId}`}
                  className="rounded-md border border-slate-200 px-2 py-1 font-mono text-xs hover:bg-slate-50"
                >
                  {method.toUpperCase()} {path}
                </a>
              ))}
              <a
                href="#events"
                className="rounded-md border border-slate-200 px-2 py-1 text-xs hover:bg-slate-50"
              >
                Canonical events
              </a>
              <a
                href="#shopify"
                className="rounded-md border border-slate-200 px-2 py-1 text-xs hover:bg-slate-50"
              >
                Shopify
              </a>
            </nav>
          </CardContent>
        </Card>

        {operations.map(({ path, method, op }) => (
          <Operation
            key={op.operationId}
            path={path}
            method={method}
            op={op}
            origin={origin}
            components={schemas}
          />
        ))}

        <section id="events" className="flex scroll-mt-6 flex-col gap-4" aria-labelledby="events-title">
          <div>
            <h2 id="events-title" className="text-xl font-semibold">
              Canonical events
            </h2>
            <p className="mt-1 text-sm text-slate-600">
              Flows trigger on these names. Their documented properties are checked (a wrong type is a 400
              naming <code className="font-mono">properties.&lt;field&gt;</code>); any other properties are
              stored as sent.
            </p>
          </div>
          {doc["x-canonical-events"].map((event) => (
            <Card key={event.name}>
              <CardHeader>
                <CardTitle className="font-mono text-base">{event.name}</CardTitle>
                <p className="text-sm text-slate-700">{event.description}</p>
              </CardHeader>
              <CardContent>
                <FieldsTable
                  rows={fieldsOf(event.schema, schemas).map((row) => ({
                    ...row,
                    name: `properties.${row.name}`,
                  }))}
                />
              </CardContent>
            </Card>
          ))}
        </section>

        <Card id="shopify" className="scroll-mt-6">
          <CardHeader>
            <CardTitle>Shopify webhooks</CardTitle>
            <p className="text-sm text-slate-700">
              <code className="font-mono">POST {origin}/api/webhooks/shopify/&lt;workspace id&gt;</code> — set
              it up in Settings → Shopify. Each delivery is checked against{" "}
              <code className="font-mono">X-Shopify-Hmac-Sha256</code> (a bad signature is refused with 401
              and nothing is stored) and stored once per{" "}
              <code className="font-mono">X-Shopify-Webhook-Id</code>.
            </p>
          </CardHeader>
          <CardContent>
            <ul className="flex flex-col gap-1 text-sm text-slate-700">
              {SHOPIFY_TOPICS.map((topic) => (
                <li key={topic}>
                  <code className="font-mono text-xs">{topic}</code> → {SHOPIFY_MAPPING[topic]}
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      </div>
    </>
  );
}

const SHOPIFY_MAPPING: Record<(typeof SHOPIFY_TOPICS)[number], string> = {
  "orders/create":
    "the customer is identified, then Placed Order (items, value, currency, cart_id = checkout token)",
  "checkouts/create":
    "Started Checkout with the recovery link (completed or anonymous checkouts are skipped)",
  "checkouts/update": "Started Checkout, as above",
  "customers/create": "the customer is identified (traits, email and SMS consent), then Signed Up",
  "fulfillments/create": "Order Shipped with tracking_url, carrier and tracking number",
  "products/update": "the product is created or updated, inventory included (a restock emits Back in Stock)",
};
