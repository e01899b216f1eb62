/**
 * Automatic winners of A/B splits, decided on the I/O side so the engine stays pure: once a
 * split's condition is met (days since the first contact took it, contacts who took it) and
 * one branch converts significantly better than every other (p < 0.05), the decision is
 * recorded once per flow version and split, and handed to the engine as a fact.
 */
import type { DbOrTx } from "@/server/db/client";
import type { FlowGraph } from "@/server/engine/graph";
import type { SplitConfig } from "@/server/engine/nodes/split";
import {
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
    const known = decided.get(splitWinnerKey(c.versionId, c.nodeId));
    if (known) put(c.versionId, c.nodeId, known);
    return !known;
  });
  const stored = await readSplitWinners(db, unknown);
  caches.trimSplitMemo();
  for (const c of unknown) {
    const key = splitWinnerKey(c.versionId, c.nodeId);
    const winner = stored.get(key);
    if (winner) {
      decided.set(key, winner.branchId);
      put(c.versionId, c.nodeId, winner.branchId);
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
    const all = [...(counts?.values() ?? [])];
    const contacts = all.reduce((sum, b) => sum + b.contacts, 0);
    const firstAt = all.length ? Math.min(...all.map((b) => b.firstAt)) : null;
    if (!conditionMet(c.config, { contacts, firstAt, now })) continue;
    const branchId = significantWinner(compareBranches(c.config, counts));
    if (!branchId) continue;
    // Not remembered here: the transaction may still roll back. The next batch reads it back.
    const standing = await recordSplitWinner(db, {
      versionId: c.versionId,
      nodeId: c.nodeId,
      winner: { branchId, decidedAt: new Date(now).toISOString(), contacts },
    });
    put(c.versionId, c.nodeId, standing.branchId);
  }
  return out;
}
