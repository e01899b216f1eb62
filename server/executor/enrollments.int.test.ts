/**
 * The executor's view through tRPC: enrollments of a flow, a journey, retry and cancel —
 * scoped by workspace, bad input named; and publishing a new version with contacts in
 * flight (stay by default, move on request, a removed node exits them, counted).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";
import {
  createContact,
  FakeClock,
  HOUR,
  publishGraph,
  storeEvent,
  testExecutor,
} from "@/server/testing/flows";
import { enrollments, flows, messages } from "@/server/db/schema";
import { getFlowTemplate } from "@/server/engine";
import type { FlowGraph } from "@/server/engine/graph";

let t: TestDb;
const START = Date.UTC(2026, 4, 5, 15, 0, 0);
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

async function cartInFlight() {
  const a = await createMember(t.db, "Alice");
  const b = await createMember(t.db, "Bob");
  const clock = new FakeClock(START);
  const graph = getFlowTemplate("abandoned_cart")!.graph;
  const flow = await publishGraph(t.db, {
    workspaceId: a.workspace.id,
    userId: a.user.id,
    graph,
    now: clock.t,
  });
  const executor = testExecutor(t, clock);
  const contact = await createContact(t.db, a.workspace.id);
  await executor.handleEvents([
    await storeEvent(t.db, {
      workspaceId: a.workspace.id,
      contactId: contact.id,
      name: "Started Checkout",
      properties: { cart_id: "c1", value: 20 },
      at: clock.t,
    }),
  ]);
  return { a, b, flow, executor, clock, graph };
}

describe(`enrollments router (${testDriver()})`, () => {
  it("lists a flow's enrollments and a journey, only in the owner's workspace", async () => {
    const { a, b, flow } = await cartInFlight();
    const list = await a.caller.enrollments.list({ flowId: flow.flowId });
    expect(list.map((e) => [e.status, e.currentNodeId])).toEqual([["active", "wait_1h"]]);
    const journey = await a.caller.enrollments.journey({ id: list[0]!.id });
    expect(journey.steps.map((s) => [s.nodeId, s.outcome])).toEqual([
      ["trigger", "next"],
      ["wait_1h", "wait"],
    ]);
    expect(await b.caller.enrollments.list({ flowId: flow.flowId })).toEqual([]);
    await expect(b.caller.enrollments.journey({ id: list[0]!.id })).rejects.toSatisfy(
      (e: unknown) => e instanceof TRPCError && e.code === "NOT_FOUND",
    );
    await expect(b.caller.enrollments.cancel({ id: list[0]!.id })).rejects.toSatisfy(
      (e: unknown) => e instanceof TRPCError && e.code === "NOT_FOUND",
    );
    const contactView = await a.caller.enrollments.forContact({ contactId: list[0]!.contactId });
    expect(contactView[0]?.path.map((p) => p.nodeId)).toEqual(["trigger", "wait_1h"]);
  });

  it("cancels an active enrollment; retry refuses anything but a failed one", async () => {
    const { a, flow, executor, clock } = await cartInFlight();
    const [e] = await a.caller.enrollments.list({ flowId: flow.flowId });
    await expect(a.caller.enrollments.retry({ id: e!.id })).rejects.toSatisfy(
      (x: unknown) => x instanceof TRPCError && x.code === "BAD_REQUEST",
    );
    expect((await a.caller.enrollments.cancel({ id: e!.id }))?.status).toBe("cancelled");
    clock.advance(2 * HOUR);
    await executor.drain();
    expect(await t.db.select().from(messages).where(eq(messages.flowId, flow.flowId))).toHaveLength(0);
    await expect(a.caller.enrollments.cancel({ id: e!.id })).rejects.toSatisfy(
      (x: unknown) => x instanceof TRPCError && x.code === "BAD_REQUEST",
    );
  });

  it("retries a failed enrollment from where it stopped", async () => {
    const { a, flow, executor, clock } = await cartInFlight();
    const [e] = await a.caller.enrollments.list({ flowId: flow.flowId });
    await t.db
      .update(enrollments)
      .set({ status: "failed", lastError: "email not sent" })
      .where(eq(enrollments.id, e!.id));
    const retried = await a.caller.enrollments.retry({ id: e!.id });
    expect([retried?.status, retried?.lastError]).toEqual(["active", null]);
    clock.t = Date.now() + 1000; // retry makes it due now (wall clock)
    await executor.drain();
    expect(
      (await t.db.select().from(messages).where(eq(messages.flowId, flow.flowId))).map((m) => m.nodeId),
    ).toEqual(["email_1"]);
  });

  it("names the field on bad input", async () => {
    const { a } = await cartInFlight();
    const res = await callHttp(
      t.db,
      a.user,
      "enrollments.list",
      { flowId: "nope", status: "sleeping" },
      "query",
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error?.json.data.fieldErrors ?? {}).sort()).toEqual(["flowId", "status"]);
  });
});

describe(`publishing with contacts in flight (${testDriver()})`, () => {
  it("keeps them on their version by default; moves them on request; a removed node exits them", async () => {
    const { a, flow, graph } = await cartInFlight();
    // v2 drops the 1-hour wait where the contact sits.
    const v2: FlowGraph = {
      ...graph,
      nodes: graph.nodes.filter((n) => n.id !== "wait_1h"),
      edges: [
        ...graph.edges.filter((e) => e.source !== "wait_1h" && e.target !== "wait_1h"),
        { id: "e_new", source: "trigger", sourceHandle: "next", target: "email_1" },
      ],
    };
    await t.db.update(flows).set({ draftGraph: v2 }).where(eq(flows.id, flow.flowId));
    const preview = await a.caller.flows.previewPublish({ id: flow.flowId });
    expect(preview.issues).toEqual([]);
    expect(preview.inFlight).toEqual({ total: 1, stay: 0, move: 0, exit: 1, exitByNode: { wait_1h: 1 } });

    const kept = await a.caller.flows.publish({ id: flow.flowId });
    expect([kept.version, kept.moved, kept.exited]).toEqual([2, 0, 0]);
    const [still] = await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId));
    expect([still?.status, still?.versionId]).toEqual(["active", flow.versionId]);

    const moved = await a.caller.flows.publish({ id: flow.flowId, moveInFlight: true });
    expect([moved.version, moved.exited]).toEqual([3, 1]);
    const [gone] = await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId));
    expect([gone?.status, gone?.exitReason]).toEqual(["exited", "node_removed"]);
  });

  it("refuses to publish an invalid draft, naming the problems", async () => {
    const { a, flow } = await cartInFlight();
    const broken = { schema: 1, nodes: [], edges: [], settings: {} };
    await t.db
      .update(flows)
      .set({ draftGraph: broken as unknown as FlowGraph })
      .where(eq(flows.id, flow.flowId));
    const res = await callHttp(t.db, a.user, "flows.publish", { id: flow.flowId });
    expect(res.status).toBe(400);
    expect(res.body.error?.json.message).toMatch(/trigger/i);
  });
});
