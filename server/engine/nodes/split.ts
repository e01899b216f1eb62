/**
 * `split`: random A/B/n. The branch is a deterministic hash of (enrollment, node, visit),
 * so a retried step takes the same branch and the shares converge on the percentages.
 * With an automatic winner, once the executor has decided one (a fact it passes in),
 * everyone new takes the winning branch.
 */
import { z } from "zod";
import { unitInterval } from "../hash";
import { issue, type Issue } from "../issues";
import { defineNode, HANDLE_ID, next, type StepContext, type StepResult } from "./define";

export const SplitBranch = z.strictObject({
  id: z.string().min(1),
  label: z.string(),
  percent: z.number().min(0).max(100),
});
export type SplitBranch = z.infer<typeof SplitBranch>;

/** Send everyone down the best branch once it is significantly better after a while. */
export const SplitAutoWinner = z.strictObject({
  after: z.strictObject({
    /** Days since the first contact took the split. */
    days: z.number().int().min(1).max(365).optional(),
    /** Contacts who took the split, all branches together. */
    contacts: z.number().int().min(10).max(10_000_000).optional(),
  }),
  metric: z.literal("conversion_rate"),
});
export type SplitAutoWinner = z.infer<typeof SplitAutoWinner>;

export const SplitConfig = z.strictObject({
  branches: z.array(SplitBranch),
  autoWinner: SplitAutoWinner.optional(),
});
export type SplitConfig = z.infer<typeof SplitConfig>;

function formatPercent(n: number): string {
  return `${Number.isInteger(n) ? n : Number(n.toFixed(2))}%`;
}

export function splitTotal(config: SplitConfig): number {
  return config.branches.reduce((sum, b) => sum + b.percent, 0);
}

/** Which branch an enrollment takes at a visit of the node. */
export function pickBranch(
  config: SplitConfig,
  enrollmentId: string,
  nodeId: string,
  visit: number,
): string | null {
  const total = splitTotal(config);
  if (config.branches.length === 0 || total <= 0) return null;
  const point = unitInterval(enrollmentId, nodeId, visit) * total;
  let cumulative = 0;
  for (const branch of config.branches) {
    cumulative += branch.percent;
    if (point < cumulative) return branch.id;
  }
  return config.branches[config.branches.length - 1]?.id ?? null;
}

function validateSplit(config: SplitConfig): Issue[] {
  const issues: Issue[] = [];
  if (config.branches.length < 2) issues.push(issue("missing_field", "A split needs at least two branches."));
  const total = splitTotal(config);
  if (Math.abs(total - 100) > 1e-6) {
    issues.push(
      issue(
        "split_total",
        `The split percentages add up to ${formatPercent(total)}; they must add up to 100%.`,
      ),
    );
  }
  const seen = new Set<string>();
  for (const [i, branch] of config.branches.entries()) {
    const name = branch.label || `Branch ${i + 1}`;
    if (!HANDLE_ID.test(branch.id))
      issues.push(issue("invalid_value", `${name}: its id must be letters, digits, '_' or '-'.`));
    if (seen.has(branch.id))
      issues.push(issue("invalid_value", `${name}: two branches share the id “${branch.id}”.`));
    seen.add(branch.id);
    if (branch.label.trim() === "") issues.push(issue("missing_field", `Branch ${i + 1}: give it a name.`));
  }
  const after = config.autoWinner?.after;
  if (after && after.days === undefined && after.contacts === undefined) {
    issues.push(issue("missing_field", "Automatic winner: say after how many days or contacts to pick it."));
  }
  return issues;
}

function step(ctx: StepContext<SplitConfig>): StepResult {
  const winner = ctx.splitWinners?.[ctx.nodeId];
  if (winner !== undefined && ctx.config.branches.some((b) => b.id === winner)) return next(winner);
  const branch = pickBranch(ctx.config, ctx.enrollmentId, ctx.nodeId, ctx.visit);
  return next(branch ?? ctx.config.branches[0]?.id ?? "none");
}

export const split = defineNode({
  kind: "split",
  traits: { waits: false, branches: true, channel: null, palette: { group: "Logic", order: 2 } },
  label: "Random split",
  description: "Send a share of contacts down each path, for A/B tests.",
  configSchema: SplitConfig,
  outputs: (config) => config.branches.map((b) => b.id),
  outputLabel: (config, handle) => {
    const branch = config.branches.find((b) => b.id === handle);
    return branch ? `${branch.label || branch.id} (${formatPercent(branch.percent)})` : handle;
  },
  summary: (config) =>
    config.branches.length
      ? config.branches.map((b) => `${b.label || b.id} ${formatPercent(b.percent)}`).join(" / ")
      : "No branches",
  validate: (config) => validateSplit(config),
  step,
  defaultConfig: (): SplitConfig => ({
    branches: [
      { id: "a", label: "A", percent: 50 },
      { id: "b", label: "B", percent: 50 },
    ],
  }),
  eventNames: () => [],
});
