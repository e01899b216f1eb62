/** A/B results per split: each path's contacts, conversions, rate, revenue and verdict against the first path. */
import { Trophy } from "lucide-react";
import type { SplitResult } from "@/server/analytics/dashboard";
import { formatMoney, formatShare } from "@/components/format";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

function autoWinnerText(split: SplitResult): string | null {
  const after = split.autoWinner?.after;
  if (!after) return null;
  const parts = [
    after.days !== undefined ? `${after.days} ${after.days === 1 ? "day" : "days"}` : null,
    after.contacts !== undefined ? `${after.contacts.toLocaleString("en")} contacts` : null,
  ].filter(Boolean);
  return `Tested once after ${parts.join(" and ")}: a path that converts significantly better then takes everyone new.`;
}

export function SplitResults({ splits, currency }: { splits: SplitResult[]; currency: string }) {
  if (splits.length === 0)
    return (
      <p className="text-sm text-slate-600">
        This flow has no random split. Add one in the builder to test two versions against each other.
      </p>
    );
  return (
    <div className="flex flex-col gap-6">
      {splits.map((split) => (
        <section
          key={split.nodeId}
          aria-label={`Split ${split.summary}`}
          data-testid="split-result"
          data-node-id={split.nodeId}
        >
          <h3 className="text-sm font-semibold text-slate-900">Split: {split.summary}</h3>
          {split.winner ? (
            <p
              className="mt-1 flex items-center gap-1.5 text-sm font-medium text-emerald-800"
              data-testid="split-winner"
            >
              <Trophy className="size-4" aria-hidden /> Winner: {split.winner.label} since{" "}
              {dateFormat.format(new Date(split.winner.decidedAt))} — everyone new takes this path.
            </p>
          ) : split.noWinnerAt ? (
            <p className="mt-1 text-sm text-slate-700" data-testid="split-no-winner">
              No clear winner on {dateFormat.format(new Date(split.noWinnerAt))}, when the test was decided —
              the split stays random for this version.
            </p>
          ) : (
            autoWinnerText(split) && <p className="mt-1 text-xs text-slate-600">{autoWinnerText(split)}</p>
          )}
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="text-left text-xs text-slate-600">
                <tr>
                  <th className="py-1.5 pr-3 font-medium">Path</th>
                  <th className="py-1.5 pr-3 text-right font-medium">Contacts</th>
                  <th className="py-1.5 pr-3 text-right font-medium">Conversions</th>
                  <th className="py-1.5 pr-3 text-right font-medium">Rate</th>
                  <th className="py-1.5 pr-3 text-right font-medium">Revenue</th>
                  <th className="py-1.5 font-medium">
                    Against {split.branches[0]?.label ?? "the first path"}
                  </th>
                </tr>
              </thead>
              <tbody>
                {split.branches.map((b, i) => (
                  <tr
                    key={b.branchId}
                    className="border-t border-slate-100"
                    data-testid="branch-row"
                    data-branch-id={b.branchId}
                  >
                    <td className="py-1.5 pr-3 font-medium text-slate-900">{b.label}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{b.contacts.toLocaleString("en")}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">
                      {b.conversions.toLocaleString("en")}
                    </td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{formatShare(b.conversionRate)}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">
                      {formatMoney(b.revenueCents, currency)}
                    </td>
                    <td className="py-1.5 text-slate-700">
                      {i === 0 || !b.vsControl ? (
                        <span className="text-slate-500">Control</span>
                      ) : (
                        <span
                          className={b.vsControl.significant ? "font-medium text-emerald-800" : undefined}
                          title={`p = ${b.vsControl.pValue.toFixed(3)}`}
                        >
                          {b.vsControl.verdict}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}
