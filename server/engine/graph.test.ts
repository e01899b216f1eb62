import { describe, expect, it } from "vitest";
import { emptyGraph, FlowGraph, parseGraph, starterGraph } from "./graph";
import { defaultSettings } from "./settings";
import { getFlowTemplate } from "./templates";

function abandonedCartJson(): Record<string, unknown> {
  const template = getFlowTemplate("abandoned_cart");
  if (!template) throw new Error("missing template");
  return JSON.parse(JSON.stringify(template.graph)) as Record<string, unknown>;
}

function messages(json: unknown): string[] {
  const result = parseGraph(json);
  return result.ok ? [] : result.issues.map((i) => i.message);
}

type Json = {
  nodes: Array<Record<string, unknown> & { config: Record<string, unknown> }>;
  edges: Array<Record<string, unknown>>;
  settings: Record<string, unknown>;
};

describe("graph JSON, schema 1", () => {
  it("parses a template and fills defaults", () => {
    const result = parseGraph(abandonedCartJson());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.graph.settings.smartSendingHours).toBe(16);
  });

  it("gives every setting a sane default", () => {
    const result = parseGraph({ schema: 1, nodes: [], edges: [], settings: {} });
    expect(result.ok && result.graph.settings).toEqual({
      goal: null,
      filter: null,
      reentry: { mode: "every_time" },
      entryKey: null,
      smartSendingHours: 16,
      quietHours: { enabled: true, start: "21:00", end: "08:00" },
      attributionDays: 5,
    });
    expect(defaultSettings()).toEqual(emptyGraph().settings);
    expect(parseGraph({ schema: 1, nodes: [], edges: [] }).ok).toBe(true);
  });

  it("keeps emptyGraph and starterGraph valid JSON for the schema", () => {
    expect(FlowGraph.safeParse(emptyGraph()).success).toBe(true);
    expect(FlowGraph.safeParse(starterGraph()).success).toBe(true);
  });

  it("names the node for an unknown config field", () => {
    const json = abandonedCartJson() as Json;
    const wait = json.nodes.find((n) => n.id === "wait_1h");
    if (!wait) throw new Error("no wait");
    wait.id = "n3";
    wait.config.foo = 1;
    const result = parseGraph(json);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toEqual([
        { nodeId: "n3", code: "invalid_config", message: "Node n3 (wait): unknown field 'foo'" },
      ]);
    }
  });

  it("names unknown fields on the node itself, on edges and in settings", () => {
    const json = abandonedCartJson() as Json;
    json.nodes[0]!.colour = "red";
    json.edges[0]!.label = "go";
    json.settings.sendLimit = 3;
    expect(messages(json)).toEqual([
      "Node trigger (trigger): unknown field 'colour'",
      "Edge e_trigger_next: unknown field 'label'",
      "Flow settings: unknown field 'sendLimit'",
    ]);
  });

  it("rejects an unknown kind, naming the node", () => {
    const json = abandonedCartJson() as Json;
    json.nodes.push({ id: "n9", kind: "fax", position: { x: 0, y: 0 }, config: {} });
    expect(messages(json)).toEqual(["Node n9: unknown step type 'fax'"]);
  });

  it("explains wrong types, missing fields, bad options and nested fields", () => {
    const json = abandonedCartJson() as Json;
    const byId = (id: string) => json.nodes.find((n) => n.id === id)!;
    byId("wait_1h").config.unit = "fortnights";
    delete byId("email_1").config.subject;
    byId("sms_reminder").config.body = 42;
    byId("wait_1d").config = { mode: "sometime" };
    expect(messages(json)).toEqual([
      "Node wait_1h (wait): 'unit' must be one of 'minutes', 'hours', 'days', 'weeks'",
      "Node email_1 (email): missing field 'subject'",
      "Node wait_1d (wait): 'mode' must be one of 'duration', 'until_time', 'until_date_property', 'replenishment'",
      "Node sms_reminder (sms): 'body' should be a string",
    ]);
    const trigger = byId("trigger");
    trigger.config = {
      type: "event",
      event: "Started Checkout",
      filter: { type: "property", source: "trigger", path: "value", op: "gt", value: 50, unit: "usd" },
    };
    expect(messages({ ...json, nodes: [trigger] })).toEqual([
      "Node trigger (trigger): unknown field 'filter.unit'",
    ]);
  });

  it("rejects a graph that is not one", () => {
    expect(messages(null)).toEqual(["Flow: this should be an object"]);
    expect(messages({ schema: 2, nodes: [], edges: [] })).toEqual(["Flow: 'schema' must be 1"]);
    expect(messages({ schema: 1, nodes: {}, edges: [] })).toEqual(["Flow: 'nodes' should be an array"]);
  });

  it("names a missing or malformed config", () => {
    expect(
      messages({ schema: 1, nodes: [{ id: "n1", kind: "wait", position: { x: 0, y: 0 } }], edges: [] }),
    ).toEqual(["Node n1 (wait): missing field 'config'"]);
    expect(
      messages({
        schema: 1,
        nodes: [{ id: "n1", kind: "wait", position: { x: 0, y: 0 }, config: "1 day" }],
        edges: [],
      }),
    ).toEqual(["Node n1 (wait): 'config' should be an object"]);
  });

  it("bounds the numeric settings", () => {
    const settings = (s: Record<string, unknown>) =>
      messages({ schema: 1, nodes: [], edges: [], settings: s });
    expect(settings({ smartSendingHours: 200 })).toEqual([
      "Flow settings: 'smartSendingHours' must be at most 168",
    ]);
    expect(settings({ attributionDays: -1 })).toEqual([
      "Flow settings: 'attributionDays' must be at least 0",
    ]);
    expect(settings({ reentry: { mode: "sometimes" } })).toEqual([
      "Flow settings: 'reentry.mode' must be one of 'once', 'every_time', 'once_per_period'",
    ]);
    expect(settings({ quietHours: { enabled: "yes", start: "21:00", end: "08:00" } })).toEqual([
      "Flow settings: 'quietHours.enabled' should be a boolean",
    ]);
    expect(settings({ smartSendingHours: 0, attributionDays: 7 })).toEqual([]);
  });

  it("refers to a node without an id by its position", () => {
    expect(
      messages({ schema: 1, nodes: [{ kind: "exit", position: { x: 0, y: 0 }, config: {} }], edges: [] }),
    ).toEqual(["Node #1 (exit): missing field 'id'"]);
  });
});
