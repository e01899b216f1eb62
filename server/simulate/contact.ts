import type { DbOrTx } from "@/server/db/client";
import type { FlowGraph, FlowSettings } from "@/server/engine";
import type { ContactSimulation, SimInjection, SimTrigger } from "./types";

export type SimulateContactInput = {
  workspaceId: string;
  flowId: string;
  graph: FlowGraph;
  settings: FlowSettings;
  contactId: string;
  trigger: SimTrigger;
  injections: SimInjection[];
  /** Default true: the contact's real events after the trigger drive the run too. */
  useRealLaterEvents?: boolean;
  /** Default 60. */
  horizonDays?: number;
};

/** Run the draft for one contact on a virtual clock: nothing written, nothing sent. */
export async function simulateContact(db: DbOrTx, input: SimulateContactInput): Promise<ContactSimulation> {
  void db;
  void input;
  throw new Error("simulateContact: not built yet");
}
