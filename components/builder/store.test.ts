import { describe, expect, it } from "vitest";
import { emptyGraph } from "@/server/engine/graph";
import { flowTemplates } from "@/server/engine/templates";
import { canvasToGraph } from "./graph-canvas";
import { createBuilderStore, createClipboardSlot } from "./store";

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t, tick: (ms = 5_000) => (c.t += ms) };
  return c;
}

function blank() {
  const c = clock();
  const store = createBuilderStore(emptyGraph(), { now: c.now });
  return { store, s: () => store.getState(), c };
}

describe("builder store", () => {
  it("adds steps, connects them and validates as it goes", () => {
    const { s } = blank();
    expect(s().issues.map((i) => i.code)).toEqual(["no_trigger"]);
    const trigger = s().addNode("trigger", { x: 0, y: 0 })!;
    const wait = s().addNode("wait", { x: 0, y: 200 })!;
    expect(s().nodes.map((n) => [n.id, n.type])).toEqual([
      ["trigger", "trigger"],
      ["wait_1", "wait"],
    ]);
    expect(s().selectedNodeId).toBe(wait);
    expect(s().issuesByNode[wait]?.map((i) => i.code)).toEqual(
      expect.arrayContaining(["unreachable", "unconnected_output"]),
    );

    expect(s().connect({ source: trigger, sourceHandle: "next", target: wait })).toBeNull();
    expect(s().edges).toEqual([
      expect.objectContaining({
        id: "e_trigger_next",
        source: "trigger",
        sourceHandle: "next",
        target: "wait_1",
        type: "flow",
      }),
    ]);
    expect(s().issuesByNode[wait]?.map((i) => i.code)).toEqual(["unconnected_output"]);
    expect(s().changeCount).toBe(3);
  });

  it("refuses a second trigger, a loop without a wait and a second edge from one output", () => {
    const { s } = blank();
    s().addNode("trigger", { x: 0, y: 0 });
    expect(s().addNode("trigger", { x: 0, y: 200 })).toBeNull();
    expect(s().notice?.text).toMatch(/exactly one trigger/);
    const a = s().addNode("email", { x: 0, y: 200 })!;
    const b = s().addNode("sms", { x: 0, y: 400 })!;
    expect(s().connect({ source: a, sourceHandle: "next", target: b })).toBeNull();
    expect(s().connect({ source: b, sourceHandle: "next", target: a })?.code).toBe("cycle_without_wait");
    expect(s().connect({ source: a, sourceHandle: "next", target: "trigger" })?.code).toBe(
      "edge_into_trigger",
    );
    expect(s().connect({ source: a, sourceHandle: "next", target: b })?.code).toBe(
      "handle_already_connected",
    );
    expect(s().edges).toHaveLength(1);
  });

  it("deletes the selection with the edges that touch it", () => {
    const store = createBuilderStore(flowTemplates().find((t) => t.key === "abandoned_cart")!.graph);
    const s = () => store.getState();
    s().selectNode("email_1");
    s().deleteSelection();
    expect(s().nodes.some((n) => n.id === "email_1")).toBe(false);
    expect(s().edges.some((e) => e.source === "email_1" || e.target === "email_1")).toBe(false);
    expect(s().selectedNodeId).toBeNull();
    expect(s().issues.length).toBeGreaterThan(0);
  });

  it("marks a step whose coupon pool is empty once the workspace's pools arrive, without counting a change", () => {
    const template = flowTemplates().find((t) => t.key === "birthday")!.graph;
    const poolId = "6f1c1d8e-0000-4000-8000-000000000001";
    const graph = {
      ...template,
      nodes: template.nodes.map((n) =>
        "couponPool" in n.config ? ({ ...n, config: { ...n.config, couponPool: poolId } } as typeof n) : n,
      ),
    };
    const store = createBuilderStore(graph);
    const s = () => store.getState();
    expect(s().issues).toEqual([]);
    s().setCouponPools([{ id: poolId, name: "Birthday", remaining: 0 }]);
    expect(Object.keys(s().issuesByNode).sort()).toEqual([
      "birthday_email",
      "birthday_sms",
      "reminder_email",
    ]);
    expect(s().issuesByNode.birthday_email?.[0]?.message).toContain("Coupon pool “Birthday” is empty");
    expect(s().changeCount).toBe(0);
    s().setCouponPools([{ id: poolId, name: "Birthday", remaining: 40 }]);
    expect(s().issues).toEqual([]);
  });

  it("undoes and redoes every kind of change", () => {
    const { s, c } = blank();
    const states: string[] = [];
    const snap = () => JSON.stringify(canvasToGraph(s()));
    states.push(snap());
    s().addNode("trigger", { x: 0, y: 0 });
    states.push(snap());
    c.tick();
    s().addNode("wait", { x: 0, y: 200 });
    states.push(snap());
    s().connect({ source: "trigger", sourceHandle: "next", target: "wait_1" });
    states.push(snap());
    s().updateConfig("wait_1", { mode: "duration", amount: 1, unit: "hours" });
    states.push(snap());
    c.tick();
    s().updateSettings({ ...s().settings, smartSendingHours: 0 });
    states.push(snap());
    s().selectNode("wait_1");
    s().deleteSelection();
    states.push(snap());

    for (let i = states.length - 2; i >= 0; i--) {
      s().undo();
      expect(snap()).toBe(states[i]);
    }
    s().undo(); // nothing left: no change
    expect(snap()).toBe(states[0]);
    for (let i = 1; i < states.length; i++) {
      s().redo();
      expect(snap()).toBe(states[i]);
    }
    expect(s().future).toHaveLength(0);
  });

  it("merges quick edits of one step into one undo step, and a new change clears redo", () => {
    const { s, c } = blank();
    const wait = s().addNode("wait", { x: 0, y: 0 })!;
    c.tick();
    for (const amount of [2, 23, 230]) {
      s().updateConfig(wait, { mode: "duration", amount, unit: "minutes" });
      c.tick(200);
    }
    expect(s().past).toHaveLength(2);
    s().undo();
    expect(s().nodes[0]?.data).toEqual({ mode: "duration", amount: 1, unit: "days" });
    s().redo();
    expect(s().nodes[0]?.data).toEqual({ mode: "duration", amount: 230, unit: "minutes" });
    s().undo();
    s().addNode("exit", { x: 0, y: 200 });
    expect(s().future).toHaveLength(0);
  });

  it("ignores a config its schema refuses, and drops edges of outputs that are gone", () => {
    const store = createBuilderStore(flowTemplates().find((t) => t.key === "review_request")!.graph);
    const s = () => store.getState();
    const before = s().changeCount;
    s().updateConfig("wait_review", { event: "Review Submitted", timeout: { amount: "5", unit: "days" } });
    expect(s().changeCount).toBe(before);
    const rating = s().nodes.find((n) => n.id === "rating")!;
    expect(rating.type).toBe("condition");
    if (rating.type !== "condition" || rating.data.mode !== "branches") throw new Error("expected branches");
    s().updateConfig("rating", { ...rating.data, branches: rating.data.branches.slice(0, 1) });
    expect(
      s()
        .edges.filter((e) => e.source === "rating")
        .map((e) => e.sourceHandle)
        .sort(),
    ).toEqual(["else", "happy"]);
  });

  it("inserts a step on an edge and makes room below it", () => {
    const store = createBuilderStore(flowTemplates().find((t) => t.key === "abandoned_cart")!.graph);
    const s = () => store.getState();
    const exitY = s().nodes.find((n) => n.id === "exit")!.position.y;
    const id = s().insertOnEdge("e_email_1_next", "condition")!;
    expect(id).toBe("condition_1");
    const from = s()
      .edges.filter((e) => e.source === "email_1" || e.source === id)
      .map((e) => [e.source, e.sourceHandle, e.target]);
    expect(from).toEqual(
      expect.arrayContaining([
        ["email_1", "next", id],
        [id, "yes", "wait_1d"],
      ]),
    );
    expect(s().nodes.find((n) => n.id === "exit")!.position.y).toBeGreaterThan(exitY);
    s().undo();
    expect(s().nodes.some((n) => n.id === id)).toBe(false);
    expect(s().edges.find((e) => e.id === "e_email_1_next")?.target).toBe("wait_1d");
  });

  it("appends after the selected step on its first free output", () => {
    const { s } = blank();
    s().addNode("trigger", { x: 0, y: 0 });
    const cond = s().appendNode("condition")!;
    expect(s().edges.map((e) => [e.source, e.target])).toEqual([["trigger", cond]]);
    const yes = s().appendNode("email")!;
    s().selectNode(cond);
    const no = s().appendNode("exit")!;
    expect(s().edges.map((e) => [e.source, e.sourceHandle, e.target])).toEqual([
      ["trigger", "next", cond],
      [cond, "yes", yes],
      [cond, "no", no],
    ]);
  });

  it("copies and pastes steps with fresh ids, never a second trigger", () => {
    const store = createBuilderStore(flowTemplates().find((t) => t.key === "abandoned_cart")!.graph);
    const s = () => store.getState();
    store.setState({
      nodes: s().nodes.map((n) => ({ ...n, selected: ["trigger", "wait_1h", "email_1"].includes(n.id) })),
    });
    expect(s().copySelection()).toBe(3);
    const pasted = s().paste();
    expect(pasted).toEqual(["wait_1", "email_4"]);
    expect(s().nodes.filter((n) => n.type === "trigger")).toHaveLength(1);
    expect(s().edges.filter((e) => pasted.includes(e.source) && pasted.includes(e.target))).toHaveLength(1);
    expect(
      s()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual(pasted);
    s().undo();
    expect(s().nodes.some((n) => pasted.includes(n.id))).toBe(false);
  });

  it("copies between flows that share the app's clipboard, and only those", () => {
    const cart = flowTemplates().find((t) => t.key === "abandoned_cart")!.graph;
    const slot = createClipboardSlot();
    const from = createBuilderStore(cart, { clipboard: slot });
    const into = createBuilderStore(emptyGraph(), { clipboard: slot });
    const alone = createBuilderStore(emptyGraph());
    from.setState({ nodes: from.getState().nodes.map((n) => ({ ...n, selected: n.id === "email_1" })) });
    expect(from.getState().copySelection()).toBe(1);
    expect(into.getState().paste()).toEqual(["email_1"]);
    expect(alone.getState().paste()).toEqual([]);
  });

  it("auto-lays out as one undoable step", () => {
    const graph = flowTemplates().find((t) => t.key === "post_purchase")!.graph;
    const store = createBuilderStore({
      ...graph,
      nodes: graph.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })),
    });
    const s = () => store.getState();
    s().autoLayout();
    const ys = new Set(s().nodes.map((n) => `${n.position.x},${n.position.y}`));
    expect(ys.size).toBe(graph.nodes.length);
    s().undo();
    expect(s().nodes.every((n) => n.position.x === 0 && n.position.y === 0)).toBe(true);
  });

  it("counts a drag as one undo step and saves the new position", () => {
    const { s } = blank();
    const id = s().addNode("wait", { x: 0, y: 0 })!;
    const count = s().changeCount;
    const past = s().past.length;
    s().onNodesChange([{ type: "position", id, position: { x: 10, y: 10 }, dragging: true }]);
    s().onNodesChange([{ type: "position", id, position: { x: 40, y: 50 }, dragging: true }]);
    s().onNodesChange([{ type: "position", id, dragging: false }]);
    expect(s().nodes[0]?.position).toEqual({ x: 40, y: 50 });
    expect(s().past).toHaveLength(past + 1);
    expect(s().changeCount).toBeGreaterThan(count);
    s().onNodesChange([{ type: "dimensions", id, dimensions: { width: 264, height: 90 } }]);
    s().undo();
    expect(s().nodes[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it("replaces the graph from the server without history", () => {
    const { s } = blank();
    s().addNode("trigger", { x: 0, y: 0 });
    s().replaceGraph(flowTemplates()[0]!.graph);
    expect(s().past).toHaveLength(0);
    expect(canvasToGraph(s())).toEqual(flowTemplates()[0]!.graph);
    expect(s().issues).toEqual([]);
  });

  it("names an unknown template or a misspelled merge field on the email step, before publish", () => {
    const store = createBuilderStore(flowTemplates().find((t) => t.key === "abandoned_cart")!.graph);
    const s = () => store.getState();
    expect(s().issues).toEqual([]);
    const email = s().nodes.find((n) => n.id === "email_1")!;
    s().updateConfig("email_1", {
      ...email.data,
      subject: "Hi {{ frist_name }}",
      template: "abandoned_cart_9",
    });
    expect(
      s()
        .issuesByNode.email_1?.map((i) => i.code)
        .sort(),
    ).toEqual(["unknown_merge_field", "unknown_template"]);
    expect(
      s()
        .issuesByNode.email_1?.map((i) => i.message)
        .join(" "),
    ).toContain("{{ frist_name }}");
  });
});
