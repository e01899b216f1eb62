import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyAction } from "../actions";
import type { Effect } from "../effects";
import { CHANNELS, type Channel, type ConsentStatus } from "../facts";
import { advance } from "../step";
import { chain, emailCopy, graph, node } from "../templates/build";
import { at, contact, enrollment, event, facts, triggerData } from "../testing/fixtures";
import { validateGraph } from "../validate";
import { consent } from "./consent";
import { BRANCHING_KINDS, MESSAGE_KINDS, nodeDefinitions, NodeKind, PALETTE, WAITING_KINDS } from "./index";

const ctx = { nodeId: "n", trigger: null };
const T0 = at("2025-06-10T18:00:00Z");
const signup = event("Signed Up", T0, {}, "ev_signup");

const path = (effects: readonly Effect[]) =>
  effects.flatMap((e) => (e.type === "step" ? [`${e.nodeId}:${e.outcome}`] : []));

/** Trigger → unsubscribe from marketing email → a marketing email → a transactional email. */
function unsubscribeThenEmail(channel: Channel = "email") {
  return graph(
    [
      node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
      node("u", "consent", 0, 1, { channel, status: "unsubscribed" }),
      node("m", "email", 0, 2, emailCopy({ template: "welcome", subject: "Welcome", body: "Hello" })),
    ],
    chain("t", "u", "m"),
  );
}

describe("consent", () => {
  it("summarises and validates: unsubscribing is allowed, subscribing is refused", () => {
    expect(consent.summary({ channel: "email", status: "unsubscribed" })).toBe(
      "Unsubscribe from marketing email",
    );
    expect(consent.validate({ channel: "sms", status: "unsubscribed" }, ctx)).toEqual([]);
    const refused = consent.validate({ channel: "sms", status: "subscribed" }, ctx);
    expect(refused.map((i) => i.code)).toEqual(["invalid_value"]);
    expect(refused[0]?.message).toContain("can't subscribe");
    expect(consent.configSchema.safeParse({ channel: "fax", status: "unsubscribed" }).success).toBe(false);
    expect(consent.configSchema.safeParse({ channel: "email", status: "none" }).success).toBe(false);
  });

  it("the validator names the step that would subscribe", () => {
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("u", "consent", 0, 1, { channel: "email", status: "subscribed" }),
      ],
      chain("t", "u"),
    );
    expect(
      validateGraph(g)
        .filter((i) => i.nodeId === "u")
        .map((i) => i.code),
    ).toContain("invalid_value");
    expect(validateGraph(unsubscribeThenEmail()).filter((i) => i.nodeId === "u")).toEqual([]);
  });

  it("emits the consent effect, and a later marketing email in the same run is skipped for consent", () => {
    const g = unsubscribeThenEmail();
    const result = advance(g, enrollment(g, triggerData(signup), T0), facts({ events: [signup] }), T0);
    expect(result.effects).toContainEqual({
      type: "consent",
      nodeId: "u",
      visit: 1,
      channel: "email",
      status: "unsubscribed",
    });
    expect(result.effects).toContainEqual({
      type: "step",
      nodeId: "u",
      visit: 1,
      outcome: "next",
      detail: { note: "Unsubscribed from marketing email" },
    });
    expect(result.effects.filter((e) => e.type === "send")).toEqual([]);
    expect(result.effects).toContainEqual(
      expect.objectContaining({ type: "skip", nodeId: "m", channel: "email", reason: "no_consent" }),
    );
    expect(path(result.effects)).toEqual(["t:next", "u:next", "m:next"]);
  });

  it("unsubscribing from SMS leaves marketing email alone", () => {
    const g = unsubscribeThenEmail("sms");
    const result = advance(g, enrollment(g, triggerData(signup), T0), facts({ events: [signup] }), T0);
    expect(result.effects.filter((e) => e.type === "send").map((e) => e.nodeId)).toEqual(["m"]);
  });

  it("takes back only a yes: a contact who never opted in keeps 'none' and nothing is emitted", () => {
    const g = unsubscribeThenEmail();
    const never = facts({
      events: [signup],
      contact: contact({ consent: { email: "none", sms: "subscribed", push: "subscribed" } }),
    });
    const result = advance(g, enrollment(g, triggerData(signup), T0), never, T0);
    expect(result.effects.filter((e) => e.type === "consent")).toEqual([]);
    expect(result.effects).toContainEqual({
      type: "step",
      nodeId: "u",
      visit: 1,
      outcome: "next",
      detail: { note: "Not subscribed to marketing email; nothing changed" },
    });
  });

  it("a graph that skipped validation and subscribes fails the enrollment instead of doing nothing", () => {
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("u", "consent", 0, 1, { channel: "email", status: "subscribed" }),
      ],
      chain("t", "u"),
    );
    const result = advance(g, enrollment(g, triggerData(signup), T0), facts({ events: [signup] }), T0);
    expect(result.status).toBe("failed");
    expect(result.error).toContain("can't subscribe");
  });
});

describe("applyAction", () => {
  const statuses: ConsentStatus[] = ["subscribed", "unsubscribed", "none"];
  it("sets exactly the consent of the effect's channel (property)", () => {
    fc.assert(
      fc.property(
        fc.record({
          email: fc.constantFrom(...statuses),
          sms: fc.constantFrom(...statuses),
          push: fc.constantFrom(...statuses),
        }),
        fc.constantFrom(...CHANNELS),
        (before, channel) => {
          const c = contact({ consent: before });
          const after = applyAction(c, {
            type: "consent",
            nodeId: "u",
            visit: 1,
            channel,
            status: "unsubscribed",
          });
          for (const other of CHANNELS)
            expect(after.consent[other]).toBe(other === channel ? "unsubscribed" : before[other]);
          expect(c.consent).toEqual(before); // pure
        },
      ),
    );
  });

  it("adds a tag once, removes it, sets a property", () => {
    const c = contact({ tags: ["vip"] });
    const tag = (type: "add_tag" | "remove_tag", t: string) =>
      ({ type: "action", nodeId: "a", visit: 1, action: { type, tag: t } }) as const;
    expect(applyAction(c, tag("add_tag", "vip"))).toBe(c);
    expect(applyAction(c, tag("add_tag", "new")).tags).toEqual(["vip", "new"]);
    expect(applyAction(c, tag("remove_tag", "vip")).tags).toEqual([]);
    expect(
      applyAction(c, {
        type: "action",
        nodeId: "a",
        visit: 1,
        action: { type: "update_property", property: "tier", value: 2 },
      }).properties,
    ).toEqual({ tier: 2 });
  });
});

describe("kind traits", () => {
  it("derive the kind sets the validator and the canvas use", () => {
    expect([...WAITING_KINDS].sort()).toEqual(["wait", "wait_for_event"]);
    expect([...BRANCHING_KINDS].sort()).toEqual(["condition", "split", "wait_for_event"]);
    expect([...MESSAGE_KINDS].sort()).toEqual(["email", "push", "sms"]);
    for (const kind of MESSAGE_KINDS) expect(nodeDefinitions[kind].traits.channel).toBe(kind);
  });

  it("place every kind in the palette exactly once, in the familiar order", () => {
    expect(PALETTE.map((g) => [g.title, g.kinds])).toEqual([
      ["Start", ["trigger"]],
      ["Timing", ["wait", "wait_for_event"]],
      ["Logic", ["condition", "split"]],
      ["Messages", ["email", "sms", "push"]],
      ["Other", ["action", "consent", "exit"]],
    ]);
    expect(PALETTE.flatMap((g) => g.kinds).sort()).toEqual([...NodeKind.options].sort());
  });

  it("the kind enum is the registry's keys, and each key is its definition's kind", () => {
    for (const kind of NodeKind.options) expect(nodeDefinitions[kind].kind).toBe(kind);
  });

  it("a webhook action is its own effect, not a contact change", () => {
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("w", "action", 0, 1, { type: "webhook", url: "https://hooks.example/x", method: "POST" }),
      ],
      chain("t", "w"),
    );
    const result = advance(g, enrollment(g, triggerData(signup), T0), facts({ events: [signup] }), T0);
    expect(result.effects).toContainEqual({
      type: "webhook",
      nodeId: "w",
      visit: 1,
      call: { type: "webhook", url: "https://hooks.example/x", method: "POST" },
    });
    expect(result.effects.some((e) => e.type === "action")).toBe(false);
  });
});
