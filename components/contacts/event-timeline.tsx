import { formatDate } from "@/components/outbox/outbox-table";
import { formatAmount } from "@/components/format";

export interface TimelineEvent {
  id: string;
  name: string;
  properties: Record<string, unknown>;
  occurredAt: Date;
}

interface LineItem {
  title?: unknown;
  product_id?: unknown;
  quantity?: unknown;
  price?: unknown;
}

function money(value: number, currency: unknown) {
  return formatAmount(value, typeof currency === "string" ? currency : "USD");
}

function describeValue(key: string, value: unknown, props: Record<string, unknown>): string {
  if (key === "items" && Array.isArray(value)) {
    return value
      .map((raw) => {
        const item = (raw ?? {}) as LineItem;
        const title =
          typeof item.title === "string"
            ? item.title
            : typeof item.product_id === "string"
              ? item.product_id
              : "item";
        return typeof item.quantity === "number" ? `${item.quantity} × ${title}` : title;
      })
      .join(", ");
  }
  if ((key === "value" || key === "price") && typeof value === "number") return money(value, props.currency);
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

const HIDDEN = new Set(["currency", "image_url"]);

/** A contact's events, newest first, with their properties readable. */
export function EventTimeline({ events }: { events: TimelineEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No activity yet.</p>;
  return (
    <ol className="flex flex-col" data-testid="contact-timeline">
      {events.map((e) => {
        const entries = Object.entries(e.properties).filter(
          ([k, v]) => !HIDDEN.has(k) && v !== null && v !== undefined && v !== "",
        );
        return (
          <li key={e.id} className="border-l-2 border-slate-200 py-2 pl-4" data-testid="timeline-event">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-medium">{e.name}</span>
              <time className="text-xs text-slate-600" dateTime={e.occurredAt.toISOString()}>
                {formatDate(e.occurredAt)}
              </time>
            </div>
            {entries.length > 0 && (
              <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 text-xs">
                {entries.map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-slate-500">{k.replace(/_/g, " ")}</dt>
                    <dd className="break-all text-slate-800">{describeValue(k, v, e.properties)}</dd>
                  </div>
                ))}
              </dl>
            )}
          </li>
        );
      })}
    </ol>
  );
}
