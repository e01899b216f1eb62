/**
 * What the interpreter is given: the enrollment it moves and the facts about the contact
 * that the executor loaded. Plain data; nothing here reads a clock or a database.
 */
import { z } from "zod";

/** The channels a message goes out on; every list of channels (db enum, forms, filters) is this one. */
export const CHANNELS = ["email", "sms", "push"] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const MessageCategory = z.enum(["marketing", "transactional"]);
export type MessageCategory = z.infer<typeof MessageCategory>;

export const CONSENT_STATUSES = ["subscribed", "unsubscribed", "none"] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export type ContactFacts = {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  /** IANA zone; null (or an unknown zone) falls back to the workspace zone, then UTC. */
  timezone: string | null;
  /** Calendar date, `YYYY-MM-DD`. */
  birthday: string | null;
  country: string | null;
  properties: Record<string, unknown>;
  tags: string[];
  consent: Record<Channel, ConsentStatus>;
  /** Hard bounce, complaint or manual suppression of the contact's address on a channel. */
  suppressed: Record<Channel, boolean>;
  /**
   * A double opt-in the contact asked for and has not confirmed yet, per channel: until when
   * its link is valid (epoch ms). Marketing messages wait for it instead of being skipped.
   */
  consentPending?: Partial<Record<Channel, number>>;
};

export type EventFact = {
  id: string;
  name: string;
  properties: Record<string, unknown>;
  /** Epoch ms. */
  occurredAt: number;
};

/** What a contact did with a message: the engagements a flow can ask about. */
export const ENGAGEMENTS = ["delivered", "opened", "clicked", "bounced", "unsubscribed"] as const;
export const Engagement = z.enum(ENGAGEMENTS);
export type Engagement = z.infer<typeof Engagement>;

/** One recorded engagement with one message sent to the contact (from any flow). */
export type EngagementFact = {
  messageId: string;
  /** The journey that sent the message (null: a test send or another source). */
  enrollmentId: string | null;
  /** The step that sent it. */
  nodeId: string | null;
  channel: Channel;
  type: Engagement;
  /** When it happened (the provider's time, not when it arrived), epoch ms. */
  occurredAt: number;
};

export type Facts = {
  contact: ContactFacts;
  /** IANA zone of the workspace, used when the contact has none. */
  workspaceTimezone: string;
  /** The contact's events whose names `requiredEventNames(graph)` lists. */
  events: EventFact[];
  /** Opens, clicks, bounces… of messages sent to the contact, when the graph asks about them. */
  engagement?: EngagementFact[];
  /** Last marketing message sent to the contact per channel, from any flow (epoch ms). */
  lastMarketingSentAt: Partial<Record<Channel, number>>;
  /** The event that woke a `wait_for_event`, if that is why the enrollment runs now. */
  wakeEvent?: EventFact | null;
  /**
   * Splits of this flow version whose automatic winner the executor has decided:
   * node id → winning branch id. Everyone who reaches such a split takes that branch.
   */
  splitWinners?: Readonly<Record<string, string>>;
};

/** The event (or schedule) that enrolled the contact, as stored on the enrollment. */
export const TriggerData = z.object({
  /** The trigger event's id; null for date-property, schedule and inactivity triggers. */
  eventId: z.string().nullable().default(null),
  name: z.string(),
  properties: z.record(z.string(), z.unknown()).default({}),
  /** Epoch ms. */
  occurredAt: z.number(),
});
export type TriggerData = z.infer<typeof TriggerData>;

export function triggerDataFromEvent(event: EventFact): TriggerData {
  return { eventId: event.id, name: event.name, properties: event.properties, occurredAt: event.occurredAt };
}

export const WaitReason = z.enum(["delay", "event", "quiet_hours", "opt_in"]);
export type WaitReason = z.infer<typeof WaitReason>;

/** What a parked enrollment is waiting for. */
export const WaitingState = z.object({
  nodeId: z.string(),
  visit: z.number().int().min(1),
  reason: WaitReason,
  /** When the wait began (epoch ms); a `wait_for_event` only accepts events from then on. */
  since: z.number(),
  /** When it wakes (epoch ms); null waits for an event only. */
  until: z.number().nullable(),
  /** The output taken when `until` passes; null re-runs the node (a message held by quiet hours). */
  then: z.string().nullable(),
});
export type WaitingState = z.infer<typeof WaitingState>;

/** Engine state carried between steps (stored as jsonb on the enrollment). */
export const EnrollmentState = z.object({
  /** How many times each node has been entered; the visit number keys messages. */
  visits: z.record(z.string(), z.number().int().min(0)).default({}),
  waiting: WaitingState.nullable().default(null),
  /**
   * The journey's event time at the current step (epoch ms): the trigger's timestamp, then
   * each wait's due time. Waits count from here, not from when a worker got to the step, so
   * a checkout at 20:30 that arrives at 20:50 has its 1-hour reminder due at 21:30. Null on
   * enrollments from before it was kept (they count from when their wait began).
   */
  clock: z.number().nullish(),
});
export type EnrollmentState = z.infer<typeof EnrollmentState>;

export function emptyState(): EnrollmentState {
  return { visits: {}, waiting: null };
}

export type Enrollment = {
  id: string;
  currentNodeId: string;
  /** Epoch ms. */
  enteredAt: number;
  state: EnrollmentState;
  triggerData: TriggerData;
};
