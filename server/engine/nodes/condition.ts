/**
 * `condition`: a yes/no question about the contact, the trigger event or their behaviour
 * (mode `if`), or ordered branches where the first match wins and everyone else takes
 * `else` (mode `branches`).
 */
import { z } from "zod";
import { issue, type Issue } from "../issues";
import {
  describePredicate,
  evaluatePredicate,
  Predicate,
  predicateEventNames,
  predicateProblems,
  type StepNames,
} from "../predicate";
import { defineNode, HANDLE_ID, next, type StepContext, type StepResult } from "./define";

export const ConditionBranch = z.strictObject({
  /** The output handle id. */
  id: z.string().min(1),
  label: z.string(),
  predicate: Predicate,
});
export type ConditionBranch = z.infer<typeof ConditionBranch>;

export const ConditionConfig = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("if"), predicate: Predicate }),
  z.strictObject({
    mode: z.literal("branches"),
    branches: z.array(ConditionBranch),
    /** The label of the catch-all output. */
    elseLabel: z.string().default("Everyone else"),
  }),
]);
export type ConditionConfig = z.infer<typeof ConditionConfig>;

export const ELSE_HANDLE = "else";

function outputs(config: ConditionConfig): string[] {
  return config.mode === "if" ? ["yes", "no"] : [...config.branches.map((b) => b.id), ELSE_HANDLE];
}

function outputLabel(config: ConditionConfig, handle: string): string {
  if (config.mode === "if") return handle === "yes" ? "Yes" : "No";
  if (handle === ELSE_HANDLE) return config.elseLabel || "Everyone else";
  const branch = config.branches.find((b) => b.id === handle);
  return branch ? branch.label || branch.id : handle;
}

function summarize(config: ConditionConfig, names?: StepNames): string {
  if (config.mode === "if") return `If ${describePredicate(config.predicate, 0, names)}`;
  const labels = config.branches.map((b) => b.label || describePredicate(b.predicate, 0, names));
  return [...labels, config.elseLabel || "Everyone else"].join(" / ");
}

function validateCondition(config: ConditionConfig): Issue[] {
  if (config.mode === "if") {
    return predicateProblems(config.predicate).map((p) => issue("invalid_condition", p));
  }
  const issues: Issue[] = [];
  if (config.branches.length === 0) issues.push(issue("missing_field", "Add at least one branch."));
  const seen = new Set<string>();
  for (const [i, branch] of config.branches.entries()) {
    const name = branch.label || `Branch ${i + 1}`;
    if (!HANDLE_ID.test(branch.id) || branch.id === ELSE_HANDLE) {
      issues.push(
        issue("invalid_value", `${name}: its id must be letters, digits, '_' or '-' and not “else”.`),
      );
    }
    if (seen.has(branch.id))
      issues.push(issue("invalid_value", `${name}: two branches share the id “${branch.id}”.`));
    seen.add(branch.id);
    if (branch.label.trim() === "") issues.push(issue("missing_field", `Branch ${i + 1}: give it a name.`));
    issues.push(
      ...predicateProblems(branch.predicate).map((p) => issue("invalid_condition", `${name}: ${p}`)),
    );
  }
  return issues;
}

function step(ctx: StepContext<ConditionConfig>): StepResult {
  const { config, scope } = ctx;
  if (config.mode === "if") return next(evaluatePredicate(config.predicate, scope) ? "yes" : "no");
  const hit = config.branches.find((b) => evaluatePredicate(b.predicate, scope));
  return next(hit ? hit.id : ELSE_HANDLE);
}

export const condition = defineNode({
  kind: "condition",
  traits: { waits: false, branches: true, channel: null, palette: { group: "Logic", order: 1 } },
  label: "Condition",
  description: "Send contacts down different paths by who they are or what they did.",
  configSchema: ConditionConfig,
  outputs,
  outputLabel,
  summary: summarize,
  validate: (config) => validateCondition(config),
  step,
  defaultConfig: (): ConditionConfig => ({ mode: "if", predicate: { type: "all", conditions: [] } }),
  eventNames: (config) => {
    const names = new Set<string>();
    if (config.mode === "if") predicateEventNames(config.predicate, names);
    else for (const b of config.branches) predicateEventNames(b.predicate, names);
    return [...names];
  },
});
