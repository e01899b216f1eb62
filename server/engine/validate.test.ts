import { describe, expect, it } from "vitest";
import type { FlowGraph } from "./graph";
import type { IssueCode } from "./issues";
import { nodeDefinitions } from "./nodes";
import { when } from "./predicate";
import { chain, edge, emailCopy, graph, node } from "./templates/build";
import { canConnect, validateGraph } from "./validate";

const mail = emailCopy({ template: "welcome", subject: "Hello", body: "Hi {{ first_name }}" });

/** trigger → email → wait → condition → (yes: exit_yes, no: exit_no) */
function base(): FlowGraph {
  return graph(
    [
      node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
      node("m", "email", 0, 1, mail),
      node("w", "wait", 0, 2, { mode: "duration", amount: 1, unit: "days" }),
      node("c", "condition", 0, 3, { mode: "if", predicate: when.hasDone("Placed Order") }),
      node("x_yes", "exit", -1, 4, {}),
      node("x_no", "exit", 1, 4, {}),
    ],
    [...chain("t", "m", "w", "c"), edge("c", "yes", "x_yes"), edge("c", "no", "x_no")],
  );
}

function codes(g: unknown): IssueCode[] {
  return validateGraph(g).map((i) => i.code);
}

function only(g: unknown, code: IssueCode) {
  const issues = validateGraph(g);
  expect(issues.map((i) => i.code)).toEqual([code]);
  return issues[0]!;
}

function withConfig(g: FlowGraph, id: string, config: unknown): FlowGraph {
  return { ...g, nodes: g.nodes.map((n) => (n.id === id ? ({ ...n, config } as typeof n) : n)) };
}

describe("validateGraph", () => {
  it("accepts a complete flow", () => {
    expect(validateGraph(base())).toEqual([]);
  });

  it("invalid_graph: not a graph", () => {
    expect(only("hello", "invalid_graph").message).toBe("Flow: this should be an object");
  });

  it("invalid_node: a node missing its position", () => {
    const g = base() as unknown as { nodes: Record<string, unknown>[] };
    delete g.nodes[1]!.position;
    expect(validateGraph(g).map((i) => i.code)).toContain("invalid_node");
    expect(validateGraph(g)[0]).toMatchObject({
      nodeId: "m",
      message: "Node m (email): missing field 'position'",
    });
  });

  it("unknown_kind: rejected and named", () => {
    const g = base() as unknown as { nodes: Record<string, unknown>[] };
    g.nodes[1]!.kind = "letter";
    expect(validateGraph(g)).toContainEqual({
      nodeId: "m",
      code: "unknown_kind",
      message: "Node m: unknown step type 'letter'",
    });
  });

  it("invalid_config: unknown field", () => {
    const issue = only(
      withConfig(base(), "w", { mode: "duration", amount: 1, unit: "days", foo: true }),
      "invalid_config",
    );
    expect(issue).toEqual({
      nodeId: "w",
      code: "invalid_config",
      message: "Node w (wait): unknown field 'foo'",
    });
  });

  it("invalid_edge: an edge without a target", () => {
    const g = base() as unknown as { edges: Record<string, unknown>[] };
    delete g.edges[0]!.target;
    expect(codes(g)).toContain("invalid_edge");
  });

  it("invalid_settings: unknown field, and incomplete settings", () => {
    expect(
      only({ ...base(), settings: { ...base().settings, colour: "red" } }, "invalid_settings").message,
    ).toBe("Flow settings: unknown field 'colour'");
    expect(
      only(
        { ...base(), settings: { ...base().settings, reentry: { mode: "once_per_period" } } },
        "invalid_settings",
      ).message,
    ).toMatch(/how many days/);
    expect(
      only(
        { ...base(), settings: { ...base().settings, goal: { event: "", filter: null } } },
        "invalid_settings",
      ).message,
    ).toMatch(/goal event/);
    expect(
      only(
        {
          ...base(),
          settings: { ...base().settings, quietHours: { enabled: true, start: "9pm", end: "08:00" } },
        },
        "invalid_settings",
      ),
    ).toBeTruthy();
    expect(
      only(
        { ...base(), settings: { ...base().settings, filter: when.contact("country", "eq") } },
        "invalid_settings",
      ).message,
    ).toMatch(/flow filter/);
  });

  it("duplicate_node_id and duplicate_edge_id", () => {
    const g = base();
    expect(codes({ ...g, nodes: [...g.nodes, { ...g.nodes[5]! }] })).toEqual(["duplicate_node_id"]);
    expect(codes({ ...g, edges: [...g.edges, { ...g.edges[0]!, sourceHandle: "next" }] })).toContain(
      "duplicate_edge_id",
    );
  });

  it("no_trigger", () => {
    const g = base();
    const issues = validateGraph({
      ...g,
      nodes: g.nodes.filter((n) => n.id !== "t"),
      edges: g.edges.filter((e) => e.source !== "t"),
    });
    expect(issues.map((i) => i.code)).toContain("no_trigger");
    expect(validateGraph({ schema: 1, nodes: [], edges: [] })).toEqual([
      { code: "no_trigger", message: "Add a trigger: every flow starts with one." },
    ]);
  });

  it("multiple_triggers", () => {
    const g = base();
    const second = node("t2", "trigger", 2, 0, { type: "event", event: "Placed Order", filter: null });
    const issues = validateGraph({
      ...g,
      nodes: [...g.nodes, second],
      edges: [...g.edges, edge("t2", "next", "m")],
    });
    expect(issues).toEqual([
      {
        nodeId: "t2",
        code: "multiple_triggers",
        message: "A flow has exactly one trigger; remove this one.",
      },
    ]);
  });

  it("unreachable", () => {
    const g = base();
    const stray = node("stray", "exit", 3, 3, {});
    expect(only({ ...g, nodes: [...g.nodes, stray] }, "unreachable")).toMatchObject({ nodeId: "stray" });
  });

  it("unconnected_output: every handle must lead somewhere (an exit has none)", () => {
    const g = base();
    const issue = only(
      {
        ...g,
        edges: g.edges.filter((e) => e.id !== "e_c_no"),
        nodes: g.nodes.filter((n) => n.id !== "x_no"),
      },
      "unconnected_output",
    );
    expect(issue).toEqual({
      nodeId: "c",
      code: "unconnected_output",
      message: "Connect the “No” path to a next step (or an Exit).",
    });
    const cut = validateGraph({ ...g, edges: g.edges.filter((e) => e.id !== "e_m_next") });
    expect(cut[0]).toEqual({
      nodeId: "m",
      code: "unconnected_output",
      message: "Connect this step to a next step (or an Exit).",
    });
    expect(cut.slice(1).map((i) => [i.code, i.nodeId])).toEqual([
      ["unreachable", "w"],
      ["unreachable", "c"],
      ["unreachable", "x_yes"],
      ["unreachable", "x_no"],
    ]);
  });

  it("edge_unknown_source and edge_unknown_target", () => {
    const g = base();
    expect(codes({ ...g, edges: [...g.edges, edge("ghost", "next", "m")] })).toEqual(["edge_unknown_source"]);
    const dangling = {
      ...g,
      edges: g.edges.map((e) => (e.id === "e_c_no" ? { ...e, target: "ghost" } : e)),
      nodes: g.nodes.filter((n) => n.id !== "x_no"),
    };
    expect(codes(dangling)).toEqual(["edge_unknown_target", "unconnected_output"]);
  });

  it("edge_unknown_handle", () => {
    const g = base();
    const issues = validateGraph({
      ...g,
      edges: g.edges.map((e) => (e.id === "e_c_no" ? { ...e, sourceHandle: "maybe" } : e)),
    });
    expect(issues.map((i) => i.code)).toEqual(["edge_unknown_handle", "unconnected_output", "unreachable"]);
    expect(issues[0]).toMatchObject({ nodeId: "c", edgeId: "e_c_no" });
    const fromExit = validateGraph({ ...g, edges: [...g.edges, edge("x_yes", "next", "x_no")] });
    expect(fromExit).toEqual([
      {
        nodeId: "x_yes",
        edgeId: "e_x_yes_next",
        code: "edge_unknown_handle",
        message: "This step ends the flow; nothing can follow it.",
      },
    ]);
  });

  it("edge_into_trigger", () => {
    const g = base();
    expect(
      codes({ ...g, edges: g.edges.map((e) => (e.id === "e_c_no" ? { ...e, target: "t" } : e)) }),
    ).toEqual(["edge_into_trigger", "unconnected_output", "unreachable"]);
  });

  it("handle_already_connected", () => {
    const g = base();
    expect(
      codes({ ...g, edges: [...g.edges, { id: "e_dup", source: "c", sourceHandle: "no", target: "x_yes" }] }),
    ).toEqual(["handle_already_connected"]);
  });

  it("self_loop", () => {
    const g = base();
    const issues = validateGraph({
      ...g,
      edges: [...g.edges.filter((e) => e.id !== "e_m_next"), edge("m", "next", "m")],
    });
    expect(issues.map((i) => i.code)).toContain("self_loop");
  });

  it("cycle_without_wait: a loop of plain steps, but a loop through a wait is fine", () => {
    const loop = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("c", "condition", 0, 1, { mode: "if", predicate: when.contact("tags", "contains", "vip") }),
        node("a", "action", 0, 2, { type: "add_tag", tag: "vip" }),
        node("x", "exit", 1, 2, {}),
      ],
      [edge("t", "next", "c"), edge("c", "no", "a"), edge("a", "next", "c"), edge("c", "yes", "x")],
    );
    const issues = validateGraph(loop);
    expect(issues.map((i) => [i.code, i.nodeId])).toEqual([
      ["cycle_without_wait", "c"],
      ["cycle_without_wait", "a"],
    ]);
    expect(issues[0]!.message).toBe(
      "These steps loop without a wait (c, a). Add a Wait or a Wait for event to the loop.",
    );

    const withWait = graph(
      [...loop.nodes, node("w", "wait", 0, 3, { mode: "duration", amount: 1, unit: "days" })],
      [
        edge("t", "next", "c"),
        edge("c", "no", "a"),
        edge("a", "next", "w"),
        edge("w", "next", "c"),
        edge("c", "yes", "x"),
      ],
    );
    expect(validateGraph(withWait)).toEqual([]);
  });

  it("split_total: percentages must add up to 100", () => {
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("s", "split", 0, 1, {
          branches: [
            { id: "a", label: "A", percent: 50 },
            { id: "b", label: "B", percent: 40 },
          ],
        }),
        node("xa", "exit", -1, 2, {}),
        node("xb", "exit", 1, 2, {}),
      ],
      [edge("t", "next", "s"), edge("s", "a", "xa"), edge("s", "b", "xb")],
    );
    expect(validateGraph(g)).toEqual([
      {
        nodeId: "s",
        code: "split_total",
        message: "The split percentages add up to 90%; they must add up to 100%.",
      },
    ]);
    expect(
      validateGraph(
        withConfig(g, "s", {
          branches: [
            { id: "a", label: "A", percent: 33.34 },
            { id: "b", label: "B", percent: 66.66 },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it("missing_content: message nodes need their copy", () => {
    expect(validateGraph(withConfig(base(), "m", { ...mail, subject: " " }))).toEqual([
      { nodeId: "m", code: "missing_content", message: "Add a subject line." },
    ]);
    expect(codes(withConfig(base(), "m", { ...mail, body: "" }))).toEqual(["missing_content"]);
    expect(codes(withConfig(base(), "m", { ...mail, buttonText: "Shop now" }))).toEqual(["missing_content"]);
  });

  it("invalid_url: button links and webhooks", () => {
    expect(
      codes(withConfig(base(), "m", { ...mail, buttonText: "Go", buttonUrl: "javascript:alert(1)" })),
    ).toEqual(["invalid_url"]);
    expect(
      codes(withConfig(base(), "m", { ...mail, buttonText: "Go", buttonUrl: "{{ cart.checkout_url }}" })),
    ).toEqual([]);
  });

  it("invalid_merge_field: unclosed or empty merge fields", () => {
    expect(validateGraph(withConfig(base(), "m", { ...mail, subject: "Hi {{ first_name" }))).toEqual([
      {
        nodeId: "m",
        code: "invalid_merge_field",
        message: "Subject: a merge field opened with “{{” is never closed with “}}”.",
      },
    ]);
    expect(codes(withConfig(base(), "m", { ...mail, body: "Hello {{ }}" }))).toEqual(["invalid_merge_field"]);
  });

  it("missing_field / invalid_value / invalid_condition: a step's own settings", () => {
    expect(validateGraph(withConfig(base(), "t", { type: "event", event: "", filter: null }))).toEqual([
      { nodeId: "t", code: "missing_field", message: "Choose the event that starts this flow." },
    ]);
    expect(codes(withConfig(base(), "w", { mode: "until_time", time: "9am", weekdays: [1] }))).toEqual([
      "invalid_value",
    ]);
    expect(codes(withConfig(base(), "c", { mode: "if", predicate: when.all() }))).toEqual([
      "invalid_condition",
    ]);
  });

  it("every default config of every kind is at least well-formed", () => {
    for (const definition of Object.values(nodeDefinitions)) {
      expect(definition.configSchema.safeParse(definition.defaultConfig()).success).toBe(true);
    }
  });
});

describe("canConnect", () => {
  const loose = (g: FlowGraph) => ({
    nodes: g.nodes.map((n) => ({ id: n.id, kind: n.kind, config: n.config })),
    edges: g.edges,
  });
  const open = () => {
    const g = base();
    return loose({ ...g, edges: g.edges.filter((e) => e.id !== "e_c_no") });
  };

  it("allows a free output to a new step", () => {
    expect(canConnect(open(), { source: "c", sourceHandle: "no", target: "x_no" })).toBeNull();
  });

  it("refuses a self-loop", () => {
    expect(canConnect(open(), { source: "c", sourceHandle: "no", target: "c" })?.code).toBe("self_loop");
  });

  it("refuses an edge into the trigger", () => {
    expect(canConnect(open(), { source: "c", sourceHandle: "no", target: "t" })?.code).toBe(
      "edge_into_trigger",
    );
  });

  it("refuses a second edge from the same handle", () => {
    expect(canConnect(open(), { source: "c", sourceHandle: "yes", target: "x_no" })?.code).toBe(
      "handle_already_connected",
    );
    // React Flow passes null for a node's only handle.
    expect(canConnect(open(), { source: "m", sourceHandle: null, target: "x_no" })?.code).toBe(
      "handle_already_connected",
    );
  });

  it("refuses a cycle without a wait, allows one through a wait", () => {
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("c", "condition", 0, 1, { mode: "if", predicate: when.firstTimeBuyer() }),
        node("a", "action", 0, 2, { type: "add_tag", tag: "vip" }),
        node("w", "wait", 1, 2, { mode: "duration", amount: 1, unit: "days" }),
      ],
      [edge("t", "next", "c"), edge("c", "no", "a"), edge("c", "yes", "w")],
    );
    expect(canConnect(loose(g), { source: "a", sourceHandle: "next", target: "c" })?.code).toBe(
      "cycle_without_wait",
    );
    expect(canConnect(loose(g), { source: "w", sourceHandle: "next", target: "c" })).toBeNull();
    expect(canConnect(loose(g), { source: "a", sourceHandle: "next", target: "w" })).toBeNull();
  });

  it("refuses unknown handles and outputs of an exit", () => {
    expect(canConnect(open(), { source: "c", sourceHandle: "maybe", target: "x_no" })?.code).toBe(
      "edge_unknown_handle",
    );
    expect(canConnect(open(), { source: "x_yes", sourceHandle: null, target: "x_no" })?.message).toBe(
      "This step ends the flow; nothing can follow it.",
    );
    expect(canConnect(open(), { source: "ghost", sourceHandle: null, target: "x_no" })?.code).toBe(
      "edge_unknown_source",
    );
  });
});
