import { CircleAlert, Info, TriangleAlert } from "lucide-react";
import type { EmptyFieldItem, MergeProblemItem } from "./types";

const FIELD_LABEL: Record<string, string> = {
  subject: "Subject",
  preheader: "Preview text",
  heading: "Heading",
  body: "Body",
  buttonText: "Button text",
  buttonUrl: "Button link",
  couponCode: "Coupon code",
  title: "Title",
  url: "Link",
};

export function fieldLabel(field: string): string {
  return FIELD_LABEL[field] ?? field;
}

/** A render error, shown where the preview would be: never a blank frame. */
export function RenderError({ message }: { message: string }) {
  return (
    <div
      role="alert"
      className="flex gap-3 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
      data-testid="preview-error"
    >
      <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div>
        <div className="font-semibold">This message can’t be rendered</div>
        <div className="mt-0.5 break-words">{message}</div>
      </div>
    </div>
  );
}

/** Merge-field problems of the content, and the fields the chosen contact leaves empty. */
export function MergeProblems({
  problems,
  empty,
  contactChosen,
}: {
  problems: readonly MergeProblemItem[];
  empty: readonly EmptyFieldItem[];
  contactChosen: boolean;
}) {
  if (problems.length === 0 && empty.length === 0) return null;
  return (
    <section aria-label="Merge field problems" className="space-y-1.5" data-testid="merge-problems">
      {problems.map((p, i) => (
        <div
          key={`${p.field}-${p.key ?? ""}-${i}`}
          className={
            p.severity === "error"
              ? "flex gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-900"
              : "flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-950"
          }
        >
          {p.severity === "error" ? (
            <CircleAlert className="mt-px size-3.5 shrink-0" aria-hidden />
          ) : (
            <TriangleAlert className="mt-px size-3.5 shrink-0" aria-hidden />
          )}
          <span>
            <span className="font-semibold">{fieldLabel(p.field)}:</span> {p.message}
          </span>
        </div>
      ))}
      {empty.length > 0 ? (
        <div className="flex gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-xs text-slate-700">
          <Info className="mt-px size-3.5 shrink-0" aria-hidden />
          <span>
            {contactChosen ? "Empty for this contact: " : "Empty in the sample data: "}
            {empty.map((e, i) => (
              <span key={`${e.field}-${e.key}`}>
                {i > 0 ? ", " : ""}
                <code className="rounded bg-white px-1">{e.key}</code> in {fieldLabel(e.field).toLowerCase()}
                {e.guarded ? " (fallback shown)" : " (prints nothing)"}
              </span>
            ))}
          </span>
        </div>
      ) : null}
    </section>
  );
}

/** What the preview's coupon code is: the pool's next code (not used up) or a sample. */
export function CouponNote({
  coupon,
}: {
  coupon: { code: string; sample: boolean; note: string } | null | undefined;
}) {
  if (!coupon) return null;
  return (
    <p
      role="note"
      data-testid="coupon-preview"
      data-code={coupon.code}
      className={
        coupon.sample
          ? "rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900"
          : "rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-xs text-slate-700"
      }
    >
      {coupon.note}
    </p>
  );
}
