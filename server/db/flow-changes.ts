/**
 * "The live flows of a workspace changed": the one signal from the flows service (publish,
 * pause, resume, archive) to every executor process. The sender issues NOTIFY inside its
 * transaction, so listeners hear it only once the change is committed; each executor
 * LISTENs and drops its cached live flows for that workspace. This replaces an import from
 * the flows service into the executor, and reaches executors in other processes too.
 */
import { sql } from "drizzle-orm";
import type { DbHandle, DbOrTx } from "@/server/db/client";

export const FLOW_CHANGES_CHANNEL = "tidings_flows";

/** Call inside the transaction that publishes, pauses, resumes or archives a flow. */
export async function notifyFlowsChanged(tx: DbOrTx, workspaceId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${FLOW_CHANGES_CHANNEL}, ${workspaceId})`);
}

/** Calls `onChange(workspaceId)` for every committed change; resolves to an unlisten function. */
export async function listenForFlowChanges(
  handle: DbHandle,
  onChange: (workspaceId: string) => void,
): Promise<() => Promise<void>> {
  if (!handle.listen) return async () => {};
  return handle.listen(FLOW_CHANGES_CHANNEL, (payload) => onChange(payload));
}
