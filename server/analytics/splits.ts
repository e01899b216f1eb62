/**
 * A/B results of random splits. A branch's contacts are the enrollments whose path took it
 * (their first visit of the split); its conversions are the flow's goal conversions of those
 * enrollments after they took it — credited to a message or not, because a control branch
 * that sends nothing can never earn message credit, and an A/B test asks who reached the
 * goal. Each branch is compared with the first (the control) by a two-proportion test.
 *
 * An automatic winner is decided once, at the split's horizon (see executor/split-winners.ts),
 * and kept in `app_settings` under a key per flow version and split — a branch, or "no
 * winner" — so it is never re-tested and every worker reads the same answer.
 */
import { eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { appSettings } from "@/server/db/schema";
import type { SplitConfig } from "@/server/engine/nodes/split";
import { twoProportionTest } from "./stats";
import { rowsOf } from "@/server/db/rows";

export interface BranchCounts {
  contacts: number;
  conversions: number;
  revenueCents: number;
  /** When the first contact took the branch (epoch ms). */
  firstAt: number;
}

export interface BranchResult extends Omit<BranchCounts, "firstAt"> {
  branchId: string;
  label: string;
  conversionRate: number;
  /** Against the control (first branch); null for the control itself. */
  vsControl: { pValue: number; z: number; significant: boolean; verdict: string } | null;
}

/** Per split node and branch: contacts who took it, their conversions and revenue. */
export async function splitBranchCounts(
  db: DbOrTx,
  input: {
    workspaceId: string;
    flowId: string;
    nodeIds: readonly string[];
    versionId?: string;
    from?: Date;
    to?: Date;
  },
): Promise<Map<string, Map<string, BranchCounts>>> {
  const out = new Map<string, Map<string, BranchCounts>>();
  if (input.nodeIds.length === 0) return out;
  const filters: SQL[] = [
    sql`s.workspace_id = ${input.workspaceId}`,
    sql`s.flow_id = ${input.flowId}`,
    sql`s.node_id in (${sql.join(
      input.nodeIds.map((id) => sql`${id}`),
      sql`, `,
    )})`,
    sql`s.outcome not in ('wait', 'exit')`,
  ];
  if (input.versionId) filters.push(sql`s.version_id = ${input.versionId}`);
  if (input.from) filters.push(sql`s.at >= ${input.from.toISOString()}::timestamptz`);
  if (input.to) filters.push(sql`s.at < ${input.to.toISOString()}::timestamptz`);
  const result = await db.execute(sql`
    with taken as (
      select distinct on (s.enrollment_id, s.node_id) s.enrollment_id, s.node_id, s.outcome, s.at
      from enrollment_steps s
      where ${sql.join(filters, sql` and `)}
      order by s.enrollment_id, s.node_id, s.id
    ),
    goal as (
      select coalesce(c.enrollment_id, m.enrollment_id) as enrollment_id, c.value_cents, c.occurred_at
      from conversions c left join messages m on m.id = c.message_id
      where c.workspace_id = ${input.workspaceId} and c.flow_id = ${input.flowId}
    )
    select t.node_id, t.outcome,
      count(distinct t.enrollment_id)::int as contacts,
      count(distinct g.enrollment_id)::int as conversions,
      coalesce(sum(g.value_cents), 0)::bigint as revenue_cents,
      min(t.at) as first_at
    from taken t left join goal g on g.enrollment_id = t.enrollment_id and g.occurred_at >= t.at
    group by t.node_id, t.outcome`);
  for (const row of rowsOf<{
    node_id: string;
    outcome: string;
    contacts: number;
    conversions: number;
    revenue_cents: string | number;
    first_at: string | Date;
  }>(result)) {
    const branches = out.get(row.node_id) ?? new Map<string, BranchCounts>();
    branches.set(row.outcome, {
      contacts: Number(row.contacts),
      conversions: Number(row.conversions),
      revenueCents: Number(row.revenue_cents),
      firstAt: new Date(row.first_at).getTime(),
    });
    out.set(row.node_id, branches);
  }
  return out;
}

const percent = (n: number) => `${Math.round(n * 100)}%`;

/** Branch results in the split's order, each compared with the first branch. */
export function compareBranches(
  config: SplitConfig,
  counts: ReadonlyMap<string, BranchCounts> | undefined,
): BranchResult[] {
  const rows = config.branches.map((b) => {
    const contacts = counts?.get(b.id)?.contacts ?? 0;
    const conversions = counts?.get(b.id)?.conversions ?? 0;
    const revenueCents = counts?.get(b.id)?.revenueCents ?? 0;
    return {
      branchId: b.id,
      label: b.label || b.id,
      contacts,
      conversions,
      revenueCents,
      conversionRate: contacts ? conversions / contacts : 0,
    };
  });
  const control = rows[0];
  return rows.map((row, i) => {
    if (i === 0 || !control) return { ...row, vsControl: null };
    const test = twoProportionTest(row, control);
    const confidence = percent(1 - 0.05);
    const verdict = !test.significant
      ? "Not enough data yet"
      : row.conversionRate > control.conversionRate
        ? `${confidence} confident ${row.label} beats ${control.label}`
        : `${confidence} confident ${control.label} beats ${row.label}`;
    return { ...row, vsControl: { pValue: test.pValue, z: test.z, significant: test.significant, verdict } };
  });
}

/**
 * The branch that beats every other one with p < 0.05 on conversion rate, or null.
 * Pure: the executor calls it with counts it loaded.
 */
export function significantWinner(results: readonly BranchResult[]): string | null {
  const ranked = [...results].sort((a, b) => b.conversionRate - a.conversionRate);
  const best = ranked[0];
  if (!best || ranked.length < 2) return null;
  for (const other of ranked.slice(1)) {
    if (other.conversionRate >= best.conversionRate) return null;
    if (!twoProportionTest(best, other).significant) return null;
  }
  return best.branchId;
}

/** An automatic winner decision, taken once at the split's horizon. */
export interface SplitWinner {
  /** The winning branch; null when the one test found no significant winner (the split stays random). */
  branchId: string | null;
  /** ISO instant the winner was decided. */
  decidedAt: string;
  contacts: number;
}

export const splitWinnerKey = (versionId: string, nodeId: string) => `split_winner:${versionId}:${nodeId}`;

function parseWinner(value: string): SplitWinner | null {
  try {
    const parsed = JSON.parse(value) as Partial<SplitWinner>;
    if (
      (typeof parsed.branchId === "string" || parsed.branchId === null) &&
      typeof parsed.decidedAt === "string"
    )
      return {
        branchId: parsed.branchId,
        decidedAt: parsed.decidedAt,
        contacts: Number(parsed.contacts ?? 0),
      };
  } catch {
    // A malformed value reads as no decision.
  }
  return null;
}

/** Decided winners, keyed by `splitWinnerKey`. */
export async function readSplitWinners(
  db: DbOrTx,
  keys: ReadonlyArray<{ versionId: string; nodeId: string }>,
): Promise<Map<string, SplitWinner>> {
  const out = new Map<string, SplitWinner>();
  if (keys.length === 0) return out;
  const rows = await db
    .select({ key: appSettings.key, value: appSettings.value })
    .from(appSettings)
    .where(
      inArray(
        appSettings.key,
        keys.map((k) => splitWinnerKey(k.versionId, k.nodeId)),
      ),
    );
  for (const row of rows) {
    const winner = parseWinner(row.value);
    if (winner) out.set(row.key, winner);
  }
  return out;
}

/** Records the winner unless one is already recorded; returns the one that stands. */
export async function recordSplitWinner(
  db: DbOrTx,
  input: { versionId: string; nodeId: string; winner: SplitWinner },
): Promise<SplitWinner> {
  const key = splitWinnerKey(input.versionId, input.nodeId);
  await db
    .insert(appSettings)
    .values({ key, value: JSON.stringify(input.winner) })
    .onConflictDoNothing();
  const [row] = await db
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, key));
  return (row && parseWinner(row.value)) ?? input.winner;
}
