/**
 * The shapes of a simulation: a contact's journey through a draft on a virtual clock
 * ("test with a contact") and a draft replayed over the shop's past events ("forecast").
 * Nothing here is written or sent.
 */
import type { ExitReason, SkipReason } from "@/server/engine";

/** What started the simulated journey: one of the contact's events (or an edited copy). */
export type SimTrigger = {
  eventId: string | null;
  name: string;
  properties: Record<string, unknown>;
  occurredAt: number;
};

/** Something the contact does next, at virtual time `at` (epoch ms). */
export type SimInjection =
  | { kind: "event"; at: number; name: string; properties: Record<string, unknown> }
  | { kind: "engagement"; at: number; nodeId: string; type: "opened" | "clicked" };

export type SimStepKind =
  "enter" | "step" | "wait" | "held" | "send" | "skip" | "convert" | "exit" | "action";

export type SimMessage = {
  channel: "email" | "sms" | "push";
  subject?: string;
  html?: string;
  text: string;
  title?: string;
  url?: string;
};

export type SimStep = {
  at: number;
  nodeId: string;
  kind: SimStepKind;
  /** In the shop's words: "Email “Lucas, you left something behind”", "skipped: smart sending". */
  text: string;
  /** skip / exit / held reason code. */
  reason?: string;
  /** Rendered exactly as it would be sent. */
  message?: SimMessage;
  /** Why something differs from what the marketer might expect. */
  note?: string;
};

export type ContactSimulation = {
  contactId: string;
  trigger: SimTrigger;
  entered: boolean;
  entryReason?: string;
  steps: SimStep[];
  /** Node ids in the order visited. */
  path: string[];
  status: "active" | "completed" | "exited";
  /** Virtual time the run stopped. */
  horizon: number;
};

export type NodeForecast = {
  entered: number;
  waiting: number;
  passedOn: number;
  /** What `passedOn` is made of: contacts per output taken (`next`, `yes`, a branch id…). */
  outcomes: Record<string, number>;
  exited: Partial<Record<ExitReason, number>>;
  sent: number;
  skipped: Partial<Record<SkipReason, number>>;
  conversions: number;
  revenueCents: number;
  /** True where a branch used observed open/click rates. */
  estimated: boolean;
  /**
   * Sends and skips decided on consent or suppression as they were then, which differ from
   * today's (present only when some were).
   */
  asOf?: { consent: number; suppression: number };
};

export type BacktestResult = {
  from: number;
  to: number;
  contacts: number;
  events: number;
  ms: number;
  nodes: Record<string, NodeForecast>;
  /** Where the time went: reading the window's events, loading contacts' facts, running journeys. */
  phases?: { streamMs: number; factsMs: number; runMs: number };
  /** Per contact (key contactId + entry key) → node path; for the fidelity test (may be omitted by callers). */
  paths?: Map<string, string[]>;
};

export type BacktestOptions = {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  collectPaths?: boolean;
};
