/**
 * The daily counters under concurrent writers (Postgres; PGlite has one connection): many
 * transactions counting steps on the same nodes at once queue on the counter rows in one
 * order and never deadlock, and every step is counted once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sum } from "drizzle-orm";
import postgres from "postgres";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { createContact, publishGraph } from "@/server/testing/flows";
import { enrollments, flowStatsDaily } from "@/server/db/schema";
import { emptyState } from "@/server/engine/facts";
import { getFlowTemplate } from "@/server/engine";

const onPostgres = testDriver() === "postgres";
let t: TestDb;

beforeAll(async () => {
  if (onPostgres) t = await createTestDb();
});
afterAll(async () => {
  if (onPostgres) await t.close();
});

/** A deterministic shuffle, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.runIf(onPostgres)("flow counters under concurrent writers (postgres)", () => {
  it("8 connections × 40 transactions counting steps on the same 24 nodes at once: no deadlock, every step counted", async () => {
    const member = await createMember(t.db, "Counters");
    const template = getFlowTemplate("order_confirmation")!.graph;
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: template,
      now: Date.now(),
    });
    const contact = await createContact(t.db, member.workspace.id);
    const [enrollment] = await t.db
      .insert(enrollments)
      .values({
        workspaceId: member.workspace.id,
        flowId: flow.flowId,
        versionId: flow.versionId,
        contactId: contact.id,
        currentNodeId: "trigger",
        triggerData: { eventId: null, name: "Placed Order", properties: {}, occurredAt: 0 },
        occurrenceKey: "counters",
        state: emptyState(),
      })
      .returning();
    const nodes = Array.from({ length: 24 }, (_, i) => `node_${i}`);
    const at = new Date();
    const sql = postgres(t.url!, { max: 8, onnotice: () => {} });
    let inserted = 0;
    const errors: string[] = [];
    try {
      await Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          for (let round = 0; round < 40; round++) {
            // As the runner does: one statement per transaction, each its own set of nodes in its own order.
            const part = shuffled(nodes, worker * 1000 + round + 1).slice(0, 12 + ((worker + round) % 12));
            try {
              await sql.begin(async (tx) => {
                await tx`insert into enrollment_steps ${tx(
                  part.map((node) => ({
                    workspace_id: member.workspace.id,
                    enrollment_id: enrollment!.id,
                    flow_id: flow.flowId,
                    version_id: flow.versionId,
                    node_id: node,
                    outcome: "next",
                    at,
                  })),
                )}`;
                // Held a moment, as a runner's transaction goes on to write messages and positions.
                await tx`select pg_sleep(0.002)`;
              });
              inserted += part.length;
            } catch (error) {
              errors.push(error instanceof Error ? error.message : String(error));
            }
          }
        }),
      );
    } finally {
      await sql.end();
    }
    expect(errors).toEqual([]);
    const [counted] = await t.db
      .select({ n: sum(flowStatsDaily.value) })
      .from(flowStatsDaily)
      .where(and(eq(flowStatsDaily.flowId, flow.flowId), eq(flowStatsDaily.metric, "step:next")));
    expect(Number(counted?.n)).toBe(inserted);
    expect(inserted).toBeGreaterThan(8 * 40 * 12);
  }, 120_000);
});
