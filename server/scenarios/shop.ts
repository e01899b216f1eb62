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
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { signToken } from "@/server/channels/signed-token";
import {
  consentConfirmations,
  conversions,
  enrollments,
  enrollmentSteps,
  messages,
} from "@/server/db/schema";
import { getFlowTemplate, type FlowTemplateKey } from "@/server/engine";
import type { FlowGraph } from "@/server/engine/graph";
import { toText } from "@/server/engine/json";
import type { Executor } from "@/server/executor/executor";
import { nextInactivityDue } from "@/server/executor/scheduler";
import { publishFlow } from "@/server/flows/publish";
import { linkSigningKey } from "@/server/messages/consent";
import { confirmOptIn, requestEmailOptIn } from "@/server/messages/opt-in";
import { upsertProduct } from "@/server/ingest/catalog";
import { ingestMessages } from "@/server/ingest/ingest";
import { parseBatchItem, type IngestMessage, type ProductInput } from "@/server/ingest/schemas";
import { ingestShopifyDelivery, type ShopifyTopic } from "@/server/ingest/shopify";
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

/** What a journey is about: its trigger's order id (and product, for a line item), else its cart id. */
function aboutOf(properties: Record<string, unknown>): string {
  const order = toText(properties.order_id);
  const product = properties.line_item !== undefined ? toText(properties.product_id) : undefined;
  if (order !== undefined && product !== undefined) return `${order} ${product}`;
  return order ?? toText(properties.cart_id) ?? "";
}

/** A flow graph, or one built in the new workspace (its coupon pools, say). */
type ShopGraph = FlowGraph | ((workspaceId: string) => Promise<FlowGraph>);

export class Shop {
  private readonly customers = new Map<string, string>();
  /** The template's flow, once published. */
  flowId = "";

  private constructor(
    private readonly t: TestDb,
    readonly clock: FakeClock,
    readonly workspaceId: string,
    private readonly userId: string,
    private readonly template: { name: string; graph: FlowGraph },
    private readonly executor: Executor,
  ) {}

  /**
   * A fresh workspace with the template published as it ships. `graph` replaces it; as a
   * function it is built in the new workspace first (coupon pools, for one).
   */
  static async open(t: TestDb, template: FlowTemplateKey, graph?: ShopGraph): Promise<Shop> {
    const shop = await Shop.prepare(t, template, { graph });
    await shop.publish();
    return shop;
  }

  /**
   * A fresh workspace whose clock starts at `from` (default day 0 00:00), the template not
   * published yet: customers and their history can come first, then `publish()`.
   */
  static async prepare(
    t: TestDb,
    template: FlowTemplateKey,
    options: { graph?: ShopGraph | undefined; from?: number } = {},
  ): Promise<Shop> {
    const found = getFlowTemplate(template);
    if (!found) throw new Error(`no template ${template}`);
    const member = await createMember(t.db, "Marketer");
    const clock = new FakeClock(options.from ?? at(0, "00:00"));
    const graph =
      typeof options.graph === "function" ? await options.graph(member.workspace.id) : options.graph;
    return new Shop(
      t,
      clock,
      member.workspace.id,
      member.user.id,
      { name: found.name, graph: graph ?? found.graph },
      testExecutor(t, clock),
    );
  }

  /** The marketer publishes the template now, or republishes it (for an inactivity flow: whether those already inactive enter). */
  async publish(options: { catchUpInactive?: boolean } = {}): Promise<void> {
    if (this.flowId) {
      await publishFlow(this.t.db, {
        workspaceId: this.workspaceId,
        flowId: this.flowId,
        userId: this.userId,
        moveInFlight: false,
        catchUpInactive: options.catchUpInactive,
        now: new Date(this.clock.t),
      });
      return;
    }
    const flow = await publishGraph(this.t.db, {
      workspaceId: this.workspaceId,
      userId: this.userId,
      graph: this.template.graph,
      name: this.template.name,
      now: this.clock.t,
      catchUpInactive: options.catchUpInactive,
    });
    this.flowId = flow.flowId;
  }

  /**
   * Moves the clock to `time`, running every step and send that falls due on the way. The
   * clock stops at each moment an inactivity trigger falls due, as the executor's sweep
   * (every 30 s live) would find it.
   */
  async runUntil(time: number): Promise<void> {
    if (time < this.clock.t) throw new Error(`${dayTime(time)} is before ${dayTime(this.clock.t)}`);
    for (;;) {
      const due = await nextInactivityDue(this.t.db, { workspaceId: this.workspaceId, now: this.clock.t });
      const until = due === null ? time : Math.min(due, time);
      await runUntilIdle(this.t.db, this.executor, this.clock, { until });
      if (until >= time) return;
    }
  }

  /**
   * The shop's workers are down until `time`: the clock moves on and nothing runs, so every
   * step that fell due meanwhile runs late, at `time`, on the next `runUntil`.
   */
  outage(time: number): void {
    if (time < this.clock.t) throw new Error(`${dayTime(time)} is before ${dayTime(this.clock.t)}`);
    this.clock.t = time;
  }

  /**
   * A customer signs in on the storefront (identify): email, phone, London time, consent to
   * email and SMS, and any further `traits` (a birthday, say).
   */
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
   * The shop's catalog sync sets a product (`PUT /api/v1/products/{id}`; `daysPerUnit`: how many
   * days one unit lasts); a restock from 0
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

  /** A Shopify webhook delivered now (verified upstream), as the webhook route stores it. */
  async shopify(topic: ShopifyTopic, payload: unknown, webhookId = `wh_${Math.random()}`): Promise<void> {
    const { result, stored } = await ingestShopifyDelivery(this.t.db, {
      workspaceId: this.workspaceId,
      topic,
      webhookId,
      payload,
      shopDomain: "juniper.myshopify.com",
      now: new Date(this.clock.t),
    });
    if (!result.ok) throw new Error(`Shopify delivery refused: ${result.message}`);
    await this.executor.handleEvents(stored);
  }

  /**
   * A shopper signs up in a browser session, as the demo storefront does it: identify the
   * session's anonymous id with the email (asking to subscribe), then `Signed Up`. The
   * storefront uses the publishable key (the subscription waits for the double opt-in);
   * a shop's own server may use its secret key (subscribed at once).
   */
  async signUp(input: { session: string; email: string; name: string; key?: "publishable" | "secret" }) {
    await this.ingest(
      [
        {
          type: "identify",
          anonymousId: input.session,
          traits: { email: input.email, first_name: input.name, email_consent: "subscribed" },
          context: { timezone: "Europe/London" },
        },
        {
          type: "track",
          anonymousId: input.session,
          event: "Signed Up",
          properties: { source: "storefront" },
        },
      ],
      input.key ?? "publishable",
    );
  }

  /** Raw messages delivered now in one batch (secret key unless told). */
  async send(items: unknown[], keyKind: "secret" | "publishable" = "secret"): Promise<void> {
    await this.ingest(items, keyKind);
  }

  private async ingest(items: unknown[], keyKind: "secret" | "publishable" = "secret"): Promise<void> {
    const parsed: IngestMessage[] = items.map((item, index) => {
      const result = parseBatchItem(item, index);
      if (!result.ok) throw new Error(`batch.${index}: ${JSON.stringify(result.issues)}`);
      return result.message;
    });
    const report = await ingestMessages(this.t.db, {
      workspaceId: this.workspaceId,
      messages: parsed,
      now: new Date(this.clock.t),
      keyKind,
    });
    const refused = report.outcomes.find((o) => !o.ok);
    if (refused && !refused.ok) throw new Error(`ingest refused a message: ${refused.error.message}`);
    // As the batch route does: the confirmation email first, then the executor hears of the events.
    for (const contactId of new Set(report.optIns)) {
      await requestEmailOptIn(this.t.db, {
        workspaceId: this.workspaceId,
        contactId,
        now: new Date(this.clock.t),
      });
    }
    await this.executor.handleEvents(report.stored);
  }

  /** The shopper clicks the confirmation link of her latest double opt-in email now. */
  async confirmSubscription(email: string): Promise<void> {
    const [row] = await this.t.db
      .select({ id: consentConfirmations.id })
      .from(consentConfirmations)
      .where(
        and(
          eq(consentConfirmations.workspaceId, this.workspaceId),
          sql`lower(${consentConfirmations.address}) = lower(${email})`,
        ),
      )
      .orderBy(desc(consentConfirmations.createdAt))
      .limit(1);
    if (!row) throw new Error(`no confirmation email for ${email}`);
    const token = signToken(
      "opt-in.v1",
      { w: this.workspaceId, id: row.id },
      await linkSigningKey(this.t.db),
    );
    const result = await confirmOptIn(this.t.db, { token, now: new Date(this.clock.t) });
    if (result.kind !== "done" || result.outcome !== "subscribed") throw new Error(`confirmation refused`);
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
