/**
 * Automatic winners of A/B splits, decided on the I/O side so the engine stays pure.
 *
 * Fixed horizon, one test: the split's condition (days since the first contact took it,
 * contacts who took it — every threshold it names) is the horizon. Before it, no test is
 * run at all, however lopsided the numbers look. At the first look after it (the executor
 * looks at most once a minute), the branches are compared ONCE with a two-proportion test:
 * if one branch converts significantly better than every other (p < 0.05) it is the winner
 * and everyone new takes it; if not, "no winner" is recorded and the split stays random for
 * this flow version. Either decision is stored once per flow version and split and never
 * re-tested: testing again and again as data comes in ("peeking") would call far more false
 * winners than the 5% the threshold promises. Publishing a new version starts a new test.
 */
import type { DbOrTx } from "@/server/db/client";
import type { FlowGraph } from "@/server/engine/graph";
import type { SplitConfig } from "@/server/engine/nodes/split";
import {
  type BranchCounts,
  compareBranches,
  readSplitWinners,
  recordSplitWinner,
  significantWinner,
  splitBranchCounts,
  splitWinnerKey,
} from "@/server/analytics/splits";
import type { ExecutorCaches } from "./caches";

const DAY = 86_400_000;
/** An undecided split is looked at again at most this often (by the executor's clock). */
export const WINNER_CHECK_EVERY_MS = 60_000;

interface Candidate {
  workspaceId: string;
  flowId: string;
  versionId: string;
  nodeId: string;
  config: SplitConfig;
}

/** The split's condition (all the thresholds it names) is met. */
export function conditionMet(
  config: SplitConfig,
  input: { contacts: number; firstAt: number | null; now: number },
): boolean {
  const after = config.autoWinner?.after;
  if (!after || (after.days === undefined && after.contacts === undefined)) return false;
  if (after.contacts !== undefined && input.contacts < after.contacts) return false;
  if (after.days !== undefined && (input.firstAt === null || input.now - input.firstAt < after.days * DAY))
    return false;
  return true;
}

export type SplitDecision =
  /** Before the horizon: no test yet. */
  | { kind: "wait" }
  /** At the horizon: the one test's answer, a branch or null (no significant winner). */
  | { kind: "decide"; branchId: string | null; contacts: number };

/**
 * What to do about an undecided split now: wait for the horizon, or decide once. Pure; the
 * caller never asks again once a decision is stored.
 */
export function splitDecision(
  config: SplitConfig,
  counts: ReadonlyMap<string, BranchCounts> | undefined,
  now: number,
): SplitDecision {
  const all = [...(counts?.values() ?? [])];
  const contacts = all.reduce((sum, b) => sum + b.contacts, 0);
  const firstAt = all.length ? Math.min(...all.map((b) => b.firstAt)) : null;
  if (!conditionMet(config, { contacts, firstAt, now })) return { kind: "wait" };
  return { kind: "decide", branchId: significantWinner(compareBranches(config, counts)), contacts };
}

/** Winners for the flow versions these enrollments are in: version id → (split node id → branch id). */
export async function splitWinnersFor(
  db: DbOrTx,
  runs: ReadonlyArray<{ workspaceId: string; flowId: string; versionId: string }>,
  graphs: ReadonlyMap<string, FlowGraph>,
  now: number,
  caches: ExecutorCaches,
): Promise<Map<string, Record<string, string>>> {
  // Decided winners never change, so the executor keeps them for good.
  const decided = caches.splitWinners;
  const lastChecked = caches.splitCheckedAt;
  const out = new Map<string, Record<string, string>>();
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  for (const run of runs) {
    if (seen.has(run.versionId)) continue;
    seen.add(run.versionId);
    const graph = graphs.get(run.versionId);
    for (const node of graph?.nodes ?? []) {
      if (node.kind !== "split" || !node.config.autoWinner) continue;
      candidates.push({ ...run, nodeId: node.id, config: node.config });
    }
  }
  if (candidates.length === 0) return out;
  const put = (versionId: string, nodeId: string, branchId: string) => (
    out.set(versionId, { ...out.get(versionId), [nodeId]: branchId }),
    undefined
  );

  const unknown = candidates.filter((c) => {
    const key = splitWinnerKey(c.versionId, c.nodeId);
    const known = decided.get(key);
    if (known) put(c.versionId, c.nodeId, known);
    return !decided.has(key);
  });
  const stored = await readSplitWinners(db, unknown);
  caches.trimSplitMemo();
  for (const c of unknown) {
    const key = splitWinnerKey(c.versionId, c.nodeId);
    const recorded = stored.get(key);
    if (recorded) {
      decided.set(key, recorded.branchId);
      if (recorded.branchId) put(c.versionId, c.nodeId, recorded.branchId);
      continue;
    }
    const last = lastChecked.get(key);
    if (last !== undefined && now - last < WINNER_CHECK_EVERY_MS && now >= last) continue;
    lastChecked.set(key, now);
    const counts = (
      await splitBranchCounts(db, {
        workspaceId: c.workspaceId,
        flowId: c.flowId,
        versionId: c.versionId,
        nodeIds: [c.nodeId],
      })
    ).get(c.nodeId);
    const decision = splitDecision(c.config, counts, now);
    if (decision.kind === "wait") continue;
    // Not remembered here: the transaction may still roll back. The next batch reads it back.
    const standing = await recordSplitWinner(db, {
      versionId: c.versionId,
      nodeId: c.nodeId,
      winner: {
        branchId: decision.branchId,
        decidedAt: new Date(now).toISOString(),
        contacts: decision.contacts,
      },
    });
    if (standing.branchId) put(c.versionId, c.nodeId, standing.branchId);
  }
  return out;
}
