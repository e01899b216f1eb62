/**
 * The scenario harness: one shop running one gallery template, driven the way a live shop
 * drives it. Customers and their events come in through the real ingest path (the batch
 * schema, `ingestMessages`, then the executor's events-stored hook), the clock is fake, and
 * the real executor runs every wait, condition and send. Sends are read back from the
 * messages table (the Outbox) with their times, written the way the scenarios speak:
 * "day 1 21:30".
 *
 * Scenario times are UTC wall clock on day 0 = Monday 2 March 2026; customers live in
 * Europe/London, which is UTC in March, so the times read the same in the customer's zone.
 */
import { and, asc, eq } from "drizzle-orm";
import { conversions, enrollments, enrollmentSteps, messages } from "@/server/db/schema";
import { getFlowTemplate, type FlowTemplateKey } from "@/server/engine";
import type { FlowGraph } from "@/server/engine/graph";
import { toText } from "@/server/engine/json";
import type { Executor } from "@/server/executor/executor";
import { ingestMessages } from "@/server/ingest/ingest";
import { upsertProduct } from "@/server/ingest/catalog";
import { parseBatchItem, type IngestMessage, type ProductInput } from "@/server/ingest/schemas";
import type { TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { FakeClock, publishGraph, runUntilIdle, testExecutor } from "@/server/testing/flows";

export const DAY0 = Date.UTC(2026, 2, 2);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Epoch ms of "day N HH:MM" (UTC wall clock). */
export function at(day: number, clock: string): number {
  const [h, m] = clock.split(":").map(Number);
  return DAY0 + day * DAY + (h ?? 0) * HOUR + (m ?? 0) * MINUTE;
}

/** "day 1 21:30" for an epoch ms. */
export function dayTime(ms: number): string {
  const day = Math.floor((ms - DAY0) / DAY);
  const rest = ms - DAY0 - day * DAY;
  const h = Math.floor(rest / HOUR);
  const m = Math.floor((rest % HOUR) / MINUTE);
  return `day ${day} ${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

export type Track = {
  customer: string;
  event: string;
  properties?: Record<string, unknown>;
  /** When it happened; default: when it arrives. */
  timestamp?: number;
  /** The sender's message id: a retried delivery repeats it. */
  messageId?: string;
};

export type Send = {
  /** The step that sent it. */
  step: string;
  channel: string;
  status: string;
  /** When the message was written ("day 1 21:30"). */
  at: string;
  /** Which order or cart the journey is about (the trigger's `order_id` or `cart_id`). */
  about: string;
  skipReason: string | null;
};

/** What a journey is about: its trigger's order id, else its cart id. */
function aboutOf(properties: Record<string, unknown>): string {
  return toText(properties.order_id) ?? toText(properties.cart_id) ?? "";
}

export class Shop {
  private readonly customers = new Map<string, string>();

  private constructor(
    private readonly t: TestDb,
    readonly clock: FakeClock,
    readonly workspaceId: string,
    readonly flowId: string,
    private readonly executor: Executor,
  ) {}

  /** A fresh workspace with the template published as it ships. */
  static async open(t: TestDb, template: FlowTemplateKey, graph?: FlowGraph): Promise<Shop> {
    const found = getFlowTemplate(template);
    if (!found) throw new Error(`no template ${template}`);
    const member = await createMember(t.db, "Marketer");
    const clock = new FakeClock(at(0, "00:00"));
    const flow = await publishGraph(t.db, {
      workspaceId: member.workspace.id,
      userId: member.user.id,
      graph: graph ?? found.graph,
      name: found.name,
      now: clock.t,
    });
    return new Shop(t, clock, member.workspace.id, flow.flowId, testExecutor(t, clock));
  }

  /** Moves the clock to `time`, running every step and send that falls due on the way. */
  async runUntil(time: number): Promise<void> {
    if (time < this.clock.t) throw new Error(`${dayTime(time)} is before ${dayTime(this.clock.t)}`);
    await runUntilIdle(this.t.db, this.executor, this.clock, { until: time });
  }

  /**
   * The shop's workers are down until `time`: the clock moves on and nothing runs, so every
   * step that fell due meanwhile runs late, at `time`, on the next `runUntil`.
   */
  outage(time: number): void {
    if (time < this.clock.t) throw new Error(`${dayTime(time)} is before ${dayTime(this.clock.t)}`);
    this.clock.t = time;
  }

  /** A customer signs in on the storefront (identify): email, phone, London time, consent to email and SMS. */
  async customer(name: string, traits: Record<string, unknown> = {}): Promise<string> {
    const userId = `cust_${name.toLowerCase()}_${Math.random().toString(36).slice(2, 8)}`;
    this.customers.set(name, userId);
    await this.ingest([
      {
        type: "identify",
        userId,
        traits: {
          email: `${name.toLowerCase()}.${userId.slice(-6)}@example.com`,
          phone: "+447700900123",
          first_name: name,
          timezone: "Europe/London",
          email_consent: "subscribed",
          sms_consent: "subscribed",
          ...traits,
        },
      },
    ]);
    return userId;
  }

  /**
   * Moves the clock to `time` an hour at a time (or `step`), so that scheduled flows fire on
   * the hour they are due rather than when a long jump lands.
   */
  async runStepwise(time: number, step = HOUR): Promise<void> {
    while (this.clock.t + step <= time) await this.runUntil(this.clock.t + step);
    await this.runUntil(time);
  }

  /**
   * The shop's catalog sync sets a product (`PUT /api/v1/products/{id}`); a restock from 0
   * tells every waiting subscriber with one `Back in Stock` event each.
   */
  async product(productId: string, product: ProductInput): Promise<number> {
    const result = await upsertProduct(this.t.db, {
      workspaceId: this.workspaceId,
      productId,
      product,
      now: new Date(this.clock.t),
    });
    if (result.backInStock.length) await this.executor.handleEvents(result.backInStock);
    return result.backInStock.length;
  }

  /** Events delivered now, in one `/api/v1/batch` call. */
  async deliver(...tracks: Track[]): Promise<void> {
    await this.ingest(
      tracks.map((track) => {
        const userId = this.customers.get(track.customer);
        if (!userId) throw new Error(`no customer ${track.customer}`);
        return {
          type: "track",
          userId,
          event: track.event,
          properties: track.properties ?? {},
          ...(track.timestamp !== undefined && { timestamp: new Date(track.timestamp).toISOString() }),
          ...(track.messageId !== undefined && { messageId: track.messageId }),
        };
      }),
    );
  }

  private async ingest(items: unknown[]): Promise<void> {
    const parsed: IngestMessage[] = items.map((item, index) => {
      const result = parseBatchItem(item, index);
      if (!result.ok) throw new Error(`batch.${index}: ${JSON.stringify(result.issues)}`);
      return result.message;
    });
    const report = await ingestMessages(this.t.db, {
      workspaceId: this.workspaceId,
      messages: parsed,
      now: new Date(this.clock.t),
    });
    const refused = report.outcomes.find((o) => !o.ok);
    if (refused && !refused.ok) throw new Error(`ingest refused a message: ${refused.error.message}`);
    await this.executor.handleEvents(report.stored);
  }

  /** Every message the flow wrote, in time order. */
  async sends(): Promise<Send[]> {
    const rows = await this.t.db
      .select({
        step: messages.nodeId,
        channel: messages.channel,
        status: messages.status,
        at: messages.createdAt,
        skipReason: messages.skipReason,
        trigger: enrollments.triggerData,
      })
      .from(messages)
      .innerJoin(enrollments, eq(enrollments.id, messages.enrollmentId))
      .where(eq(messages.flowId, this.flowId))
      .orderBy(asc(messages.createdAt), asc(messages.nodeId));
    return rows.map((r) => {
      const props = (r.trigger.properties ?? {}) as Record<string, unknown>;
      return {
        step: r.step ?? "",
        channel: r.channel,
        status: r.status,
        at: dayTime(r.at.getTime()),
        about: aboutOf(props),
        skipReason: r.skipReason,
      };
    });
  }

  /** Sent messages as "step at day N HH:MM" lines (skipped ones are left out). */
  async sent(): Promise<string[]> {
    return (await this.sends())
      .filter((s) => s.status === "sent" || s.status === "delivered")
      .map(
        (s) =>
          `${s.step} ${s.channel === "email" ? "" : `(${s.channel}) `}at ${s.at}${s.about ? ` for ${s.about}` : ""}`,
      );
  }

  /** Each journey: what it was about, its status, why it ended, and the branches it took. */
  async journeys() {
    const rows = await this.t.db
      .select()
      .from(enrollments)
      .where(eq(enrollments.flowId, this.flowId))
      .orderBy(asc(enrollments.enteredAt), asc(enrollments.id));
    const out = [];
    for (const row of rows) {
      const props = (row.triggerData.properties ?? {}) as Record<string, unknown>;
      const steps = await this.t.db
        .select({ nodeId: enrollmentSteps.nodeId, outcome: enrollmentSteps.outcome })
        .from(enrollmentSteps)
        .where(and(eq(enrollmentSteps.enrollmentId, row.id)))
        .orderBy(asc(enrollmentSteps.id));
      out.push({
        about: aboutOf(props),
        status: row.status,
        exitReason: row.exitReason,
        path: steps.filter((s) => s.outcome !== "wait").map((s) => `${s.nodeId}:${s.outcome}`),
      });
    }
    return out;
  }

  async conversions() {
    return this.t.db
      .select({ valueCents: conversions.valueCents, occurredAt: conversions.occurredAt })
      .from(conversions)
      .where(eq(conversions.flowId, this.flowId));
  }
}
