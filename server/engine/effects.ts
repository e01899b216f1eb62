/**
 * What the interpreter asks the executor to do: plain data, carried out (and recorded)
 * outside the engine.
 */
import type { Channel, EnrollmentState, MessageCategory, WaitReason } from "./facts";
import type { ContactActionConfig, WebhookActionConfig } from "./nodes/action";
import type { EmailConfig } from "./nodes/email";
import type { PushConfig } from "./nodes/push";
import type { SmsConfig } from "./nodes/sms";

export type StepDetail = {
  /** For outcome `wait`: when the enrollment wakes (null: only an event wakes it). */
  wakeAt?: number | null;
  waitingFor?: WaitReason;
  /** Why a step went the way it did when that is not obvious ("birthday not set"). */
  note?: string;
};

/** One line of the path log: the contact passed `nodeId` and left by `outcome`. */
export type StepEffect = {
  type: "step";
  nodeId: string;
  visit: number;
  /** The output taken (`next`, `yes`, `timeout`, a branch id), or `wait` / `exit` for where it stopped. */
  outcome: string;
  detail?: StepDetail;
};

type SendBase = { type: "send"; nodeId: string; visit: number; category: MessageCategory };

/** Send a message. The executor keys it by (enrollment, nodeId, visit) so a retry never sends twice. */
export type SendEffect =
  | (SendBase & { channel: "email"; to: string; content: EmailConfig })
  | (SendBase & { channel: "sms"; to: string; content: SmsConfig })
  | (SendBase & { channel: "push"; to: null; content: PushConfig });

/**
 * Why a message was not sent. The engine decides all but `coupon_pool_empty`, which the
 * executor records when the step's coupon pool has no code left as the message is queued.
 */
export type SkipReason = "no_consent" | "suppressed" | "smart_sending" | "no_address" | "coupon_pool_empty";

/** A message not sent; the contact moved on. */
export type SkipEffect = {
  type: "skip";
  nodeId: string;
  visit: number;
  channel: Channel;
  category: MessageCategory;
  reason: SkipReason;
};

/** Change the contact: a property or a tag. */
export type ActionEffect = { type: "action"; nodeId: string; visit: number; action: ContactActionConfig };

/** Set or clear the contact's consent on a channel, recorded as a consent change. */
export type ConsentEffect = {
  type: "consent";
  nodeId: string;
  visit: number;
  channel: Channel;
  status: "subscribed" | "unsubscribed";
};

/**
 * Call the shop's webhook. The executor writes the call in the step's transaction, keyed by
 * (enrollment, nodeId, visit), and sends it after commit, signed, with retries.
 */
export type WebhookEffect = { type: "webhook"; nodeId: string; visit: number; call: WebhookActionConfig };

/** Effects that change the contact; `applyAction` applies them. */
export type ContactEffect = ActionEffect | ConsentEffect;

/** The goal was reached: record a conversion. */
export type ConvertEffect = {
  type: "convert";
  /** Where the contact was when it converted. */
  nodeId: string;
  eventId: string;
  /** From the event's `value` (currency units) or `value_cents`; 0 when absent. */
  valueCents: number;
  currency: string;
  occurredAt: number;
};

export type ExitReason = "goal" | "filter" | "exit_node" | "end" | "node_removed";

export type ExitEffect = { type: "exit"; nodeId: string; reason: ExitReason };

export type Effect =
  | StepEffect
  | SendEffect
  | SkipEffect
  | ActionEffect
  | ConsentEffect
  | WebhookEffect
  | ConvertEffect
  | ExitEffect;

export type AdvanceStatus = "active" | "completed" | "exited" | "failed";

export type Advance = {
  status: AdvanceStatus;
  currentNodeId: string;
  /** When to run the enrollment again; null when it has ended (or waits for an event only). */
  nextRunAt: number | null;
  state: EnrollmentState;
  effects: Effect[];
  /** Why the enrollment failed (status `failed`), for the UI. */
  error: string | null;
};
