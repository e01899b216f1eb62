/**
 * A long abandoned-cart flow with branches, for canvas checks on more steps than the seeded
 * flows have: trigger → wait → email → ordered? (yes: exit) → A/B split, then on each path
 * rounds of wait → email → ordered? (yes: exit, no: SMS) → … → exit. Laid out like the
 * builder's Tidy up.
 */
import { layoutGraph } from "../components/builder/layout";
import type { FlowGraph } from "../server/engine/graph";
import { defaultSettings } from "../server/engine/settings";

type Node = FlowGraph["nodes"][number];

const SUBJECTS = [
  "Still thinking it over?",
  "Your cart misses you",
  "A little something to help you decide",
  "Last call: your cart expires soon",
  "We kept your items aside",
  "10% off if you check out today",
];

/** `rounds` rounds per path: 6 + 2 × (5 × rounds + 2) steps (rounds = 3: 40 steps). */
export function longBranchedFlow(rounds = 3): FlowGraph {
  const nodes: Node[] = [];
  const edges: FlowGraph["edges"] = [];
  const at = { x: 0, y: 0 };
  const add = (node: Omit<Node, "position">) => nodes.push({ ...node, position: at } as Node);
  const link = (source: string, sourceHandle: string, target: string) =>
    edges.push({ id: `e_${source}_${sourceHandle}`, source, sourceHandle, target });
  const ordered = (id: string) =>
    add({
      id,
      kind: "condition",
      config: {
        mode: "if",
        predicate: { type: "has_done", event: "Placed Order", since: "flow_start", where: null },
      },
    });
  const email = (id: string, n: number) =>
    add({
      id,
      kind: "email",
      config: {
        template: "abandoned_cart_1",
        subject: SUBJECTS[n % SUBJECTS.length]!,
        preheader: "",
        heading: "Still thinking it over?",
        body: "We saved your cart.",
        buttonText: "Return to your cart",
        buttonUrl: "{{ cart.checkout_url }}",
        productSource: "cart",
        category: "marketing",
      },
    });
  const wait = (id: string, amount: number, unit: "hours" | "days") =>
    add({ id, kind: "wait", config: { mode: "duration", amount, unit } });

  add({ id: "trigger", kind: "trigger", config: { type: "event", event: "Started Checkout", filter: null } });
  wait("wait_0", 1, "hours");
  email("email_0", 0);
  ordered("ordered_0");
  add({ id: "exit_0", kind: "exit", config: {} });
  add({
    id: "split",
    kind: "split",
    config: {
      branches: [
        { id: "a", label: "A", percent: 50 },
        { id: "b", label: "B", percent: 50 },
      ],
    },
  });
  link("trigger", "next", "wait_0");
  link("wait_0", "next", "email_0");
  link("email_0", "next", "ordered_0");
  link("ordered_0", "yes", "exit_0");
  link("ordered_0", "no", "split");
  for (const path of ["a", "b"] as const) {
    let tail: { id: string; handle: string } = { id: "split", handle: path };
    for (let r = 1; r <= rounds; r++) {
      const [w, e, c, x, s] = ["wait", "email", "ordered", "exit", "sms"].map((k) => `${k}_${path}${r}`) as [
        string,
        string,
        string,
        string,
        string,
      ];
      wait(w, path === "a" ? r : r * 12, path === "a" ? "days" : "hours");
      email(e, r + (path === "a" ? 0 : 3));
      ordered(c);
      add({ id: x, kind: "exit", config: {} });
      add({
        id: s,
        kind: "sms",
        config: {
          body: `Your cart is saved: {{ cart.checkout_url }} Reply STOP to opt out.`,
          category: "marketing",
        },
      });
      link(tail.id, tail.handle, w);
      link(w, "next", e);
      link(e, "next", c);
      link(c, "yes", x);
      link(c, "no", s);
      tail = { id: s, handle: "next" };
    }
    wait(`wait_${path}_last`, 2, "days");
    add({ id: `exit_${path}_last`, kind: "exit", config: {} });
    link(tail.id, tail.handle, `wait_${path}_last`);
    link(`wait_${path}_last`, "next", `exit_${path}_last`);
  }
  const graph: FlowGraph = { schema: 1, nodes, edges, settings: defaultSettings() };
  const positions = layoutGraph(graph, (id) =>
    id.startsWith("ordered") || id === "split" ? { width: 264, height: 100 } : { width: 264, height: 72 },
  );
  return { ...graph, nodes: nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })) };
}
