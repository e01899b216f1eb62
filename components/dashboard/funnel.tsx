/** Trigger-to-goal funnel: a bar per step, its count, share of entered and of the step before. */
import type { FunnelStep } from "@/server/analytics/dashboard";
import { formatShare } from "@/components/format";

export function Funnel({ steps }: { steps: FunnelStep[] }) {
  return (
    <ol className="flex flex-col gap-3" data-testid="funnel">
      {steps.map((step, i) => (
        <li key={step.key} data-testid={`funnel-${step.key}`}>
          <div className="flex items-baseline justify-between gap-2 text-sm">
            <span className="font-medium text-slate-800">{step.label}</span>
            <span className="tabular-nums text-slate-900">
              <span className="font-semibold" data-testid="funnel-count">
                {step.count.toLocaleString("en")}
              </span>
              {i > 0 && (
                <span className="ml-2 text-xs text-slate-600">
                  {formatShare(step.rateOfEntered)} of entered · {formatShare(step.rateOfPrevious)} of
                  previous
                </span>
              )}
            </span>
          </div>
          <div className="mt-1 h-2.5 w-full overflow-hidden rounded-full bg-slate-100" aria-hidden>
            <div
              className="h-full rounded-full bg-indigo-500"
              style={{ width: `${Math.max(step.rateOfEntered * 100, step.count > 0 ? 1 : 0)}%` }}
            />
          </div>
        </li>
      ))}
    </ol>
  );
}
