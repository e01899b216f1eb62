/**
 * Per-step forecast numbers from virtual journeys, counted as the live metrics count real
 * ones (server/analytics/metrics.ts): a step's outputs taken, where journeys stopped and
 * why, who is still waiting at the window's end, messages sent and skipped, and conversions
 * credited to the message opened or clicked before the order.
 */
import { engagementPredicatesIn } from "@/server/engine/predicate";
import type { FlowGraph } from "@/server/engine/graph";
import type { NodeForecast } from "./types";
import type { VirtualJourney } from "./virtual";

/** Outcomes that hold or stop a contact at a step rather than pass it on (as metrics.ts). */
const NOT_PASSED = new Set(["wait", "exit", "goal"]);

export function emptyForecast(): NodeForecast {
  return {
    entered: 0,
    waiting: 0,
    passedOn: 0,
    outcomes: {},
    exited: {},
    sent: 0,
    skipped: {},
    conversions: 0,
    revenueCents: 0,
    estimated: false,
  };
}

/** Steps whose way depends on opens or clicks: a forecast can only estimate them. */
export function estimatedNodes(graph: FlowGraph): Set<string> {
  return new Set(graph.nodes.filter((n) => engagementPredicatesIn([n.config]).length > 0).map((n) => n.id));
}

export class ForecastCounter {
  readonly nodes: Record<string, NodeForecast> = {};
  private readonly estimated: Set<string>;

  constructor(graph: FlowGraph, engagementEstimated: boolean) {
    this.estimated = engagementEstimated ? estimatedNodes(graph) : new Set();
    for (const node of graph.nodes) {
      const f = emptyForecast();
      f.estimated = this.estimated.has(node.id);
      this.nodes[node.id] = f;
    }
  }

  private at(nodeId: string): NodeForecast {
    let f = this.nodes[nodeId];
    if (!f) {
      f = emptyForecast();
      this.nodes[nodeId] = f;
    }
    return f;
  }

  /** An order credited to the message this step sent (see `creditConversions` in backtest.ts). */
  credit(nodeId: string, valueCents: number) {
    const f = this.at(nodeId);
    f.conversions++;
    f.revenueCents += valueCents;
  }

  add(journey: VirtualJourney) {
    const arrived = new Set<string>();
    for (const { effect, asOf } of journey.records) {
      if (asOf) {
        const f = this.at(effect.nodeId);
        f.asOf ??= { consent: 0, suppression: 0 };
        f.asOf[asOf]++;
      }
      switch (effect.type) {
        case "step": {
          const key = `${effect.nodeId}#${effect.visit}`;
          const f = this.at(effect.nodeId);
          if (!arrived.has(key)) {
            arrived.add(key);
            f.entered++;
          }
          if (!NOT_PASSED.has(effect.outcome)) {
            f.passedOn++;
            f.outcomes[effect.outcome] = (f.outcomes[effect.outcome] ?? 0) + 1;
          }
          break;
        }
        case "send":
          this.at(effect.nodeId).sent++;
          break;
        case "skip": {
          const f = this.at(effect.nodeId);
          f.skipped[effect.reason] = (f.skipped[effect.reason] ?? 0) + 1;
          break;
        }
        case "exit": {
          // A goal or filter can stop a contact at a step before it runs: it still got there.
          const f = this.at(effect.nodeId);
          if (![...arrived].some((k) => k.startsWith(`${effect.nodeId}#`))) f.entered++;
          break;
        }
        default:
          break;
      }
    }
    const end = this.at(journey.currentNodeId);
    if (journey.status === "active") end.waiting++;
    else if (journey.status !== "failed" && journey.exitReason)
      end.exited[journey.exitReason] = (end.exited[journey.exitReason] ?? 0) + 1;
  }
}
