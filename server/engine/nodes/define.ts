/** The contract every node kind fulfils; one file per kind implements it. */
import type { z } from "zod";
import type { ContentCatalog } from "../catalog";
import type { Effect } from "../effects";
import type { Channel, ContactFacts, EventFact, TriggerData, WaitReason, WaitingState } from "../facts";
import type { Issue } from "../issues";
import type { PredicateScope, StepNames } from "../predicate";
import type { FlowSettings } from "../settings";
import type { TriggerConfig } from "./trigger";

export type ValidateContext = {
  nodeId: string;
  /** The flow's trigger config, when there is exactly one valid trigger. */
  trigger: TriggerConfig | null;
  /** Templates and merge fields to check content against; null skips those checks. */
  catalog?: ContentCatalog | null;
  /** The merge fields this flow's trigger can fill (with `catalog`). */
  availableFields?: ReadonlySet<string>;
};

export type StepContext<C> = {
  nodeId: string;
  config: C;
  /** 1 on the first entry into this node, 2 on the second (a loop), … */
  visit: number;
  now: number;
  /**
   * The journey's event time (≤ `now`): the trigger's timestamp, then each wait's due time.
   * Waits count from here; one already past lets the contact continue at once.
   */
  at: number;
  /** Set when the enrollment was parked at this node and is being woken. */
  resumed: WaitingState | null;
  enrollmentId: string;
  enteredAt: number;
  trigger: TriggerData;
  /** The contact as of this step (actions earlier in the same run are applied). */
  contact: ContactFacts;
  /** The contact's events at or before `now`, the wake event included. */
  events: readonly EventFact[];
  settings: FlowSettings;
  /** The contact's zone (or the workspace's, or UTC). */
  zone: string;
  /** Last marketing send per channel, including sends earlier in this run. */
  lastMarketingSentAt: Readonly<Partial<Record<Channel, number>>>;
  scope: PredicateScope;
  /** Decided automatic winners of splits in this flow version: node id → branch id. */
  splitWinners?: Readonly<Record<string, string>>;
};

export type StepResult =
  | {
      type: "next";
      handle: string;
      effects?: Effect[];
      note?: string;
      /**
       * The journey's event time after this step, when the step moves it: a wait's due time,
       * the awaited event's timestamp, or `now` when the step was already overdue (so the
       * steps after a late start do not all fall due at once).
       */
      at?: number;
    }
  | {
      type: "wait";
      reason: WaitReason;
      until: number | null;
      /** The output to take when `until` passes; null runs the node again. */
      then: string | null;
      effects?: Effect[];
    }
  | { type: "exit" };

/** The palette's groups, in display order. */
export const PALETTE_GROUPS = ["Start", "Timing", "Logic", "Messages", "Other"] as const;
export type PaletteGroup = (typeof PALETTE_GROUPS)[number];

/**
 * Facts about a kind that code outside the kind reads: the validator (loops need a wait),
 * the builder's palette, the analytics canvas (branch shares, message stats).
 */
export type NodeTraits = {
  /** Holds a contact over time; a loop must pass through such a step. */
  readonly waits: boolean;
  /** Leaves by more than one output (yes/no, split branches, event/timeout); the canvas shows shares. */
  readonly branches: boolean;
  /** The channel a message step sends on; null for steps that send nothing. */
  readonly channel: Channel | null;
  /** Where the kind sits in the palette: its group, and its place within the group. */
  readonly palette: { readonly group: PaletteGroup; readonly order: number };
};

export type NodeDefinition<K extends string, C> = {
  readonly kind: K;
  readonly traits: NodeTraits;
  /** Palette name. */
  readonly label: string;
  /** Palette help text. */
  readonly description: string;
  readonly configSchema: z.ZodType<C>;
  /** Output handle ids, in display order. */
  outputs(config: C): string[];
  /** The words on an output handle ("Yes", "Timed out", a branch label). */
  outputLabel(config: C, handle: string): string;
  /**
   * A marketer-readable one-liner for the node card. `names` gives other steps' titles, for a
   * config that points at a step ("opened “Email: Happy birthday”"); without it, the step's id.
   */
  summary(config: C, names?: StepNames): string;
  /** What must be fixed before publishing (the schema already holds the shape). */
  validate(config: C, ctx: ValidateContext): Issue[];
  step(ctx: StepContext<C>): StepResult;
  defaultConfig(): C;
  /** Event names this node reads, so the executor loads them. */
  eventNames(config: C): string[];
};

/** Ties a definition's config type to its schema. */
export function defineNode<K extends string, C>(definition: NodeDefinition<K, C>): NodeDefinition<K, C> {
  return definition;
}

/** Ids a marketer can give branches: letters, digits, `_` and `-`. */
export const HANDLE_ID = /^[A-Za-z0-9_-]{1,40}$/;

export const next = (handle: string, effects?: Effect[]): StepResult =>
  effects ? { type: "next", handle, effects } : { type: "next", handle };
