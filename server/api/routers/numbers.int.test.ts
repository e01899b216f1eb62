/**
 * What the builder and the dashboard read besides the numbers: errors as sentences without
 * field keys (the key stays in fieldErrors), the live graph that tells a draft with nothing
 * to publish, and the dashboard's "All time" range.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import { publishGraph } from "@/server/testing/flows";
import { getFlowTemplate } from "@/server/engine";
import { sameFlowGraph } from "@/server/engine/graph-compare";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe(`builder and dashboard words (${testDriver()})`, () => {
  it("an empty flow name reads 'Give the flow a name', the field named in fieldErrors only", async () => {
    const member = await createMember(t.db, "Namer");
    const flow = await member.caller.flows.create({ name: "Welcome" });
    const res = await callHttp(t.db, member.user, "flows.rename", { id: flow.id, name: "  " });
    expect(res.status).toBe(400);
    expect(res.body.error?.json.message).toBe("Give the flow a name");
    expect(res.body.error?.json.data.fieldErrors).toEqual({ name: ["Give the flow a name"] });
    // zod's own wording keeps the field's name in words.
    const days = await callHttp(
      t.db,
      member.user,
      "dashboard.summary",
      { flowId: flow.id, days: 14 },
      "query",
    );
    expect(days.status).toBe(400);
    expect(days.body.error?.json.message).toBe("Choose 7, 30 or 90 days, or all time");
    expect(Object.keys(days.body.error?.json.data.fieldErrors ?? {})).toEqual(["days"]);
  });

  it("after publishing, the flow opens with its live graph equal to the draft; an edit makes them differ", async () => {
    const member = await createMember(t.db, "Publisher");
    const graph = getFlowTemplate("abandoned_cart")!.graph;
    const published = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph,
      now: Date.UTC(2026, 2, 2),
    });
    const opened = await member.caller.flows.get({ id: published.flowId });
    expect(opened.liveGraph).not.toBeNull();
    expect(sameFlowGraph(opened.draftGraph, opened.liveGraph!)).toBe(true);
    const moved = {
      ...opened.draftGraph,
      nodes: opened.draftGraph.nodes.map((n, i) =>
        i === 0 ? { ...n, position: { x: n.position.x + 80, y: n.position.y } } : n,
      ),
    };
    await member.caller.flows.saveDraft({
      id: published.flowId,
      graph: moved,
      baseRevision: opened.draftRevision,
    });
    const edited = await member.caller.flows.get({ id: published.flowId });
    expect(sameFlowGraph(edited.draftGraph, edited.liveGraph!)).toBe(false);

    const never = await member.caller.flows.create({ name: "Never published" });
    expect((await member.caller.flows.get({ id: never.id })).liveGraph).toBeNull();
  });

  it("the dashboard offers all time, with revenue per recipient", async () => {
    const member = await createMember(t.db, "Reader");
    const flow = await member.caller.flows.create({ name: "Quiet" });
    const all = await member.caller.dashboard.summary({ flowId: flow.id, days: "all" });
    expect(all.range.days).toBe("all");
    expect(all.series.length).toBeGreaterThanOrEqual(1);
    expect(all.totals).toMatchObject({ entered: 0, conversions: 0, revenuePerRecipientCents: 0 });
  });
});
