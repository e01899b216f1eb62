import type { DbOrTx } from "@/server/db/client";
import type { FlowGraph, FlowSettings } from "@/server/engine";
import type { BacktestOptions, BacktestResult } from "./types";

export type BacktestInput = {
  workspaceId: string;
  graph: FlowGraph;
  settings: FlowSettings;
  from: number;
  to: number;
  flowId?: string;
};

/** Replay the draft over the workspace's events in [from, to): per-node forecast counts. */
export async function backtest(db: DbOrTx, input: BacktestInput, options?: BacktestOptions): Promise<BacktestResult> {
  void db;
  void input;
  void options;
  throw new Error("backtest: not built yet");
}
