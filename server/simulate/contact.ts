/**
 * "Test with a contact": the draft runs for one real contact on a virtual clock, from a
 * trigger (one of the contact's events, an edited copy, or "now" for a time trigger),
 * driven by the contact's real later events and what the marketer injects. Consent,
 * suppression, quiet hours and smart sending are the contact's real ones. Each message is
 * rendered with the dispatcher's renderers; coupon codes are peeked, never drawn. Nothing
 * is written and nothing is sent.
 */
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { contacts, workspaces } from "@/server/db/schema";
import type { FlowGraph, FlowSettings } from "@/server/engine";
import type { Effect } from "@/server/engine/effects";
import type { EngagementFact, EventFact } from "@/server/engine/facts";
import { nodesById } from "@/server/engine/graph";
import { loadFacts } from "@/server/executor/load";
import { emailWorkspaceFor } from "@/server/channels/message-render";
import { renderEmail } from "@/server/channels/render-email";
import { renderPush, renderSms } from "@/server/channels/render-text";
import { peekCoupon } from "@/server/coupons/coupons";
import { appUrl } from "@/server/env";
import { notFound } from "@/server/errors";
import type { ContactSimulation, SimInjection, SimMessage, SimStep, SimTrigger } from "./types";
import { pastSends } from "./backtest";
import { contactAsOfStart, contactHistories } from "./history";
import { runVirtual } from "./virtual";
import { describeEffect } from "./describe";

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

const DAY = 86_400_000;

/** Where the contact's consent or suppression then, not today's, decided a step. */
const ASOF_NOTE = {
  consent: (sent: boolean) =>
    sent
      ? "Consent as it was then: the contact has unsubscribed since, so today this would be skipped."
      : "Consent as it was then: the contact has subscribed since, so today this would be sent.",
  suppression: (sent: boolean) =>
    sent
      ? "The address was not suppressed yet then: today this would be skipped."
      : "The address was suppressed then (it is not today).",
} as const;

/** Run the draft for one contact on a virtual clock: nothing written, nothing sent. */
export async function simulateContact(db: DbOrTx, input: SimulateContactInput): Promise<ContactSimulation> {
  const graph: FlowGraph = { ...input.graph, settings: input.settings };
  const start = input.trigger.occurredAt;
  const horizon = start + (input.horizonDays ?? 60) * DAY;
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, input.workspaceId), eq(contacts.id, input.contactId)));
  if (!row) throw notFound("contact");
  const [workspace] = await db.select().from(workspaces).where(eq(workspaces.id, input.workspaceId));
  if (!workspace) throw notFound("workspace");

  const facts = (
    await loadFacts(db, [{ workspaceId: input.workspaceId, contactId: input.contactId, graph }], start)
  ).get(input.contactId);
  if (!facts) throw notFound("contact");

  // The contact's events: history, the trigger as given (an edited copy replaces the real
  // one), real later events unless left out, and what the marketer injects.
  const useLater = input.useRealLaterEvents ?? true;
  const events: EventFact[] = facts.events.filter(
    (e) => e.id !== input.trigger.eventId && (useLater || e.occurredAt <= start),
  );
  if (input.trigger.eventId)
    events.push({
      id: input.trigger.eventId,
      name: input.trigger.name,
      properties: input.trigger.properties,
      occurredAt: input.trigger.occurredAt,
    });
  const injectedEngagement: Array<Extract<SimInjection, { kind: "engagement" }>> = [];
  input.injections.forEach((injection, i) => {
    if (injection.kind === "event")
      events.push({
        id: `injected-${i + 1}`,
        name: injection.name,
        properties: injection.properties,
        occurredAt: injection.at,
      });
    else injectedEngagement.push(injection);
  });

  const sends = await pastSends(db, {
    workspaceId: input.workspaceId,
    contactIds: [input.contactId],
    from: start,
  });
  // Consent and suppression as they were at the trigger's time, changed as the clock passes
  // what was recorded since.
  const recorded = await contactHistories(db, {
    workspaceId: input.workspaceId,
    contactIds: [input.contactId],
    from: start,
  });
  const { contact: asOfStart, history } = contactAsOfStart(facts.contact, recorded.get(input.contactId));

  const run = runVirtual(
    {
      contact: asOfStart,
      workspaceTimezone: facts.workspaceTimezone,
      events,
      engagement: facts.engagement ?? [],
      pastSends: sends.get(input.contactId) ?? [],
      ...(history ? { history } : {}),
    },
    {
      graph,
      from: start,
      to: horizon,
      entries: {
        kind: "fixed",
        trigger: {
          eventId: input.trigger.eventId,
          name: input.trigger.name,
          properties: input.trigger.properties,
          occurredAt: input.trigger.occurredAt,
        },
        entryRules: false,
      },
      // Only what the marketer injects: a test cannot know whether the contact would open.
      engagementOf: (send) =>
        injectedEngagement
          .filter((e) => e.nodeId === send.nodeId)
          .map((e): EngagementFact => ({
            messageId: `${send.enrollmentId}:${send.nodeId}:${send.visit}`,
            enrollmentId: send.enrollmentId,
            nodeId: send.nodeId,
            channel: send.channel,
            type: e.type,
            occurredAt: Math.max(e.at, send.at),
          })),
      idPrefix: `test-${input.contactId}`,
    },
  );

  const journey = run.journeys[0];
  if (!journey) {
    return {
      contactId: input.contactId,
      trigger: input.trigger,
      entered: false,
      entryReason: run.refused[0]?.reason ?? "no_trigger",
      steps: [],
      path: [],
      status: "exited",
      horizon,
    };
  }

  const app = appUrl();
  const emailWorkspace = emailWorkspaceFor(workspace, app);
  const emailContact = { firstName: row.firstName, lastName: row.lastName, email: row.email ?? "" };
  const trigger = { name: input.trigger.name, properties: input.trigger.properties };
  const nodes = nodesById(graph);
  const render = async (effect: Extract<Effect, { type: "send" }>): Promise<SimMessage | undefined> => {
    const poolId = "couponPool" in effect.content ? effect.content.couponPool : undefined;
    const coupon =
      typeof poolId === "string" && poolId !== ""
        ? await peekCoupon(db, { workspaceId: input.workspaceId, poolId, now: new Date(start) })
        : null;
    try {
      if (effect.channel === "email") {
        const r = await renderEmail({
          content: effect.content,
          workspace: emailWorkspace,
          contact: emailContact,
          trigger,
          coupon,
          unsubscribeUrl: `${app}/u/preview`,
          preferencesUrl: `${app}/u/preview/preferences`,
        });
        return { channel: "email", subject: r.subject, html: r.html, text: r.text };
      }
      if (effect.channel === "sms") {
        const r = renderSms({
          content: effect.content,
          workspace: emailWorkspace,
          contact: emailContact,
          trigger,
          coupon,
        });
        return { channel: "sms", text: r.body };
      }
      const r = renderPush({
        content: effect.content,
        workspace: emailWorkspace,
        contact: emailContact,
        trigger,
      });
      return { channel: "push", title: r.title, text: r.body, ...(r.url ? { url: r.url } : {}) };
    } catch {
      return undefined;
    }
  };

  const steps: SimStep[] = [
    {
      at: journey.enteredAt,
      nodeId: journey.path[0] ?? "",
      kind: "enter",
      text: `Entered on ${input.trigger.name}`,
    },
  ];
  for (const { at, effect, asOf } of journey.records) {
    const step = describeEffect(effect, at, {
      nodes,
      contact: facts.contact,
      zone: facts.contact.timezone ?? facts.workspaceTimezone,
    });
    if (!step) continue;
    if (asOf) {
      const past = ASOF_NOTE[asOf](effect.type === "send");
      step.note = step.note ? `${step.note} ${past}` : past;
    }
    if (effect.type === "send") {
      const message = await render(effect);
      if (message) {
        step.message = message;
        if (message.subject) step.text = `${step.text} “${message.subject}”`;
        else if (message.title) step.text = `${step.text} “${message.title}”`;
      }
    }
    steps.push(step);
  }

  return {
    contactId: input.contactId,
    trigger: input.trigger,
    entered: true,
    entryReason: "ok",
    steps,
    path: journey.path,
    status: journey.status === "active" ? "active" : journey.status === "completed" ? "completed" : "exited",
    horizon,
  };
}
