/**
 * What one executor keeps between batches. Each executor instance owns one of these (no
 * module-level state), so tests start clean and several executors in one process do not
 * share stale entries.
 * - graphs: flow versions are immutable once published, so they are kept for good;
 * - live flows per workspace: dropped when the flows service NOTIFYs a publish, pause,
 *   resume or archive (`server/db/flow-changes.ts`); the TTL is only a backstop for a
 *   notification lost while the LISTEN connection was down;
 * - split winners: a decided winner never changes; undecided splits are re-examined at most
 *   every `WINNER_CHECK_EVERY_MS`.
 */
import type { FlowGraph } from "@/server/engine/graph";
import { EmailDesignCache } from "@/server/channels/email-designs";
import { EmailBodyBases } from "@/server/channels/email-bodies";

export interface LiveFlow {
  flowId: string;
  versionId: string;
  graph: FlowGraph;
  watches: Set<string>;
}

const MAX_CACHED_GRAPHS = 5_000;
const MAX_REMEMBERED = 10_000;

export class ExecutorCaches {
  /**
   * How long a workspace's live flows are trusted without a notification: long while this
   * executor listens for flow changes, short (the old behaviour) when it cannot listen.
   */
  liveTtlMs: number;
  private readonly graphs = new Map<string, FlowGraph>();
  private readonly live = new Map<string, { at: number; flows: LiveFlow[] }>();
  /** Split decisions, which never change: `splitWinnerKey(version, node)` → branch id (null: no winner). */
  readonly splitWinners = new Map<string, string | null>();
  /** When an undecided split was last examined. */
  readonly splitCheckedAt = new Map<string, number>();
  /** Email steps' designs, rendered once and filled in per contact. */
  readonly emailDesigns = new EmailDesignCache();
  /** The bases sent emails are stored against, one per step. */
  readonly emailBodyBases = new EmailBodyBases();

  constructor(options: { liveTtlMs?: number } = {}) {
    this.liveTtlMs = options.liveTtlMs ?? 2_000;
  }

  graph(versionId: string): FlowGraph | undefined {
    return this.graphs.get(versionId);
  }

  rememberGraph(versionId: string, graph: FlowGraph) {
    if (this.graphs.size >= MAX_CACHED_GRAPHS) this.graphs.clear();
    this.graphs.set(versionId, graph);
  }

  liveFlows(workspaceId: string, now: number): LiveFlow[] | undefined {
    const cached = this.live.get(workspaceId);
    // A clock that went back (tests, a replay) also re-reads.
    if (!cached || now < cached.at || now - cached.at >= this.liveTtlMs) return undefined;
    return cached.flows;
  }

  rememberLiveFlows(workspaceId: string, now: number, flows: LiveFlow[]) {
    this.live.set(workspaceId, { at: now, flows });
  }

  /** A publish, pause, resume or archive in this workspace (or, without one, anywhere). */
  invalidateLiveFlows(workspaceId?: string) {
    if (workspaceId) this.live.delete(workspaceId);
    else this.live.clear();
  }

  /** Keeps the split memo bounded. */
  trimSplitMemo() {
    if (this.splitWinners.size > MAX_REMEMBERED) this.splitWinners.clear();
    if (this.splitCheckedAt.size > MAX_REMEMBERED) this.splitCheckedAt.clear();
  }
}
