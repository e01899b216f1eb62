/**
 * The analytics canvas shows the published graph its numbers belong to: the live version
 * for "all versions", a chosen version when asked, the draft only while nothing is
 * published; it says when the draft differs. Bad input names the field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import { publishGraph } from "@/server/testing/flows";
import { getFlowTemplate } from "@/server/engine";
import { publishFlow } from "@/server/flows/publish";

let t: TestDb;
const T0 = Date.UTC(2026, 2, 2, 14, 0, 0);

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe(`analytics canvas graph (${testDriver()})`, () => {
  it("shows the live version, a chosen one, or the draft of a flow never published", async () => {
    const member = await createMember(t.db, "Analyst");
    const ws = member.workspace.id;
    const template = getFlowTemplate("abandoned_cart")!.graph;
    const flow = await publishGraph(t.db, {
      workspaceId: ws,
      userId: member.user.id,
      graph: template,
      now: T0,
    });

    const live = await member.caller.analytics.statsGraph({ flowId: flow.flowId });
    expect(live.version).toEqual({ id: flow.versionId, number: 1, live: true });
    expect(live.graph.nodes.map((n) => n.id)).toEqual(template.nodes.map((n) => n.id));
    expect(live.draftDiffers).toBe(false);
    expect(live.currency).toBe("USD");

    // Moving a card is not a change; dropping the SMS step is.
    const opened = await member.caller.flows.get({ id: flow.flowId });
    const moved = {
      ...opened.draftGraph,
      nodes: opened.draftGraph.nodes.map((n) => ({
        ...n,
        position: { x: n.position.x + 40, y: n.position.y },
      })),
    };
    const saved = await member.caller.flows.saveDraft({
      id: flow.flowId,
      graph: moved,
      baseRevision: opened.draftRevision,
    });
    expect((await member.caller.analytics.statsGraph({ flowId: flow.flowId })).draftDiffers).toBe(false);
    const withoutSms = {
      ...moved,
      nodes: moved.nodes.filter((n) => n.id !== "sms_reminder"),
      edges: [
        ...moved.edges.filter((e) => e.source !== "sms_reminder" && e.target !== "sms_reminder"),
        { id: "e_email_2_next", source: "email_2", sourceHandle: "next", target: "wait_2d" },
      ],
    };
    await member.caller.flows.saveDraft({
      id: flow.flowId,
      graph: withoutSms,
      baseRevision: saved.draftRevision,
    });
    const differs = await member.caller.analytics.statsGraph({ flowId: flow.flowId });
    expect(differs.draftDiffers).toBe(true);
    expect(differs.graph.nodes.some((n) => n.id === "sms_reminder")).toBe(true);

    // Publish version 2: it becomes the one shown; version 1 can still be chosen.
    const v2 = await publishFlow(t.db, {
      workspaceId: ws,
      flowId: flow.flowId,
      userId: member.user.id,
      moveInFlight: false,
      now: new Date(T0 + 1000),
    });
    const now = await member.caller.analytics.statsGraph({ flowId: flow.flowId });
    expect(now.version).toEqual({ id: v2.versionId, number: 2, live: true });
    expect(now.versions.map((v) => [v.number, v.live])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(now.graph.nodes.some((n) => n.id === "sms_reminder")).toBe(false);
    const first = await member.caller.analytics.statsGraph({
      flowId: flow.flowId,
      versionId: flow.versionId,
    });
    expect(first.version).toEqual({ id: flow.versionId, number: 1, live: false });
    expect(first.graph.nodes.some((n) => n.id === "sms_reminder")).toBe(true);
    expect(first.draftDiffers).toBe(true);

    // Never published: the draft, no version.
    const draft = await member.caller.flows.create({ name: "Not yet" });
    const unpublished = await member.caller.analytics.statsGraph({ flowId: draft.id });
    expect(unpublished).toMatchObject({ version: null, versions: [], draftDiffers: false });
  });

  it("refuses another flow's version, another workspace's flow, and bad input, naming the field", async () => {
    const member = await createMember(t.db, "Careful");
    const other = await createMember(t.db, "Elsewhere");
    const graph = getFlowTemplate("abandoned_cart")!.graph;
    const a = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph,
      now: T0,
    });
    const b = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph,
      now: T0,
    });
    await expect(
      member.caller.analytics.statsGraph({ flowId: a.flowId, versionId: b.versionId }),
    ).rejects.toThrow(/version not found/i);
    await expect(other.caller.analytics.statsGraph({ flowId: a.flowId })).rejects.toThrow(/not found/i);

    const badVersion = await callHttp(
      t.db,
      member.user,
      "analytics.statsGraph",
      { flowId: a.flowId, versionId: "v1" },
      "query",
    );
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.error?.json.data.fieldErrors).toEqual({ versionId: ["Not a version id"] });

    const badDay = await callHttp(
      t.db,
      member.user,
      "analytics.flowStats",
      { flowId: a.flowId, to: "2026-02-30" },
      "query",
    );
    expect(badDay.status).toBe(400);
    expect(Object.keys(badDay.body.error?.json.data.fieldErrors ?? {})).toEqual(["to"]);

    const backwards = await callHttp(
      t.db,
      member.user,
      "analytics.flowStats",
      { flowId: a.flowId, from: "2026-03-10", to: "2026-03-01" },
      "query",
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.error?.json.data.fieldErrors).toEqual({
      to: ["The end date is before the start date"],
    });
  });
});
