/**
 * Flow actions through the real executor and database on a fake clock: the consent step
 * changes the contact's consent and records the change, so a later marketing email is
 * skipped; the webhook action is written in the step's transaction and sent after commit
 * to a real HTTP server, signed, with an idempotency key, retried after a 500.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { createChannels } from "@/server/channels";
import { consentChanges, contacts, enrollments, messages, webhookCalls } from "@/server/db/schema";
import type { FlowGraph } from "@/server/engine/graph";
import { chain, emailCopy, graph, node } from "@/server/engine/templates/build";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import {
  createContact,
  DAY,
  FakeClock,
  publishGraph,
  runUntilIdle,
  storeEvent,
} from "@/server/testing/flows";
import { contactJourneys } from "./enrollments";
import { Executor } from "./executor";
import { SIGNATURE_HEADER, webhookSigningSecret } from "./webhooks";

let t: TestDb;
let member: Awaited<ReturnType<typeof createMember>>;
const START = Date.UTC(2026, 2, 2, 14, 0, 0);

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());
beforeEach(async () => {
  member = await createMember(t.db, "Marketer");
});

/** A real HTTP server that answers each request with the next status in `answers` (then 200). */
async function hookServer(answers: number[]) {
  const received: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.statusCode = answers.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The flow's webhook URL must be https; the test's receiver is a plain local HTTP server,
 * so the executor's client sends `https://hooks.test/...` there (everything else as sent).
 */
function toLocal(port: number): typeof fetch {
  return (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    return fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, init);
  };
}

async function setup(g: FlowGraph, clock: FakeClock, webhookFetch?: typeof fetch) {
  const flow = await publishGraph(t.db, {
    workspaceId: member.workspace.id,
    userId: member.user.id,
    graph: g,
    now: clock.t,
  });
  const executor = new Executor({
    handle: t,
    channels: createChannels({}),
    clock,
    appUrl: "https://shop.example.com",
    linkSigningKey: "test-link-signing-key-0123456789",
    sweepEveryMs: 0,
    ...(webhookFetch ? { webhookFetch } : {}),
  });
  return { flow, executor };
}

async function signUp(executor: Executor, contactId: string, at: number) {
  await executor.handleEvents([
    await storeEvent(t.db, { workspaceId: member.workspace.id, contactId, name: "Signed Up", at }),
  ]);
}

describe(`flow actions through the executor (${testDriver()})`, () => {
  it("a consent step unsubscribes, records the change, and a later marketing email is skipped for consent", async () => {
    const clock = new FakeClock(START);
    const g = graph(
      [
        node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
        node("welcome", "email", 0, 1, emailCopy({ template: "welcome", subject: "Welcome", body: "Hello" })),
        node("unsubscribe", "consent", 0, 2, { channel: "email", status: "unsubscribed" }),
        node("wait", "wait", 0, 3, { mode: "duration", amount: 1, unit: "days" }),
        node("promo", "email", 0, 4, emailCopy({ template: "welcome", subject: "Sale", body: "20% off" })),
        node("receipt", "email", 0, 5, {
          ...emailCopy({ template: "welcome", subject: "Your receipt", body: "Thanks" }),
          category: "transactional",
        }),
        node("end", "exit", 0, 6, {}),
      ],
      chain("t", "welcome", "unsubscribe", "wait", "promo", "receipt", "end"),
    );
    const { flow, executor } = await setup(g, clock);
    const contact = await createContact(t.db, member.workspace.id);
    const bystander = await createContact(t.db, member.workspace.id, { emailConsent: "none" });

    await signUp(executor, contact.id, clock.t);
    await signUp(executor, bystander.id, clock.t);
    await runUntilIdle(t.db, executor, clock);

    const [after] = await t.db.select().from(contacts).where(eq(contacts.id, contact.id));
    expect(after?.emailConsent).toBe("unsubscribed");
    expect(after?.smsConsent).toBe("subscribed");
    const [never] = await t.db.select().from(contacts).where(eq(contacts.id, bystander.id));
    expect(never?.emailConsent).toBe("none");

    const changes = await t.db.select().from(consentChanges).where(eq(consentChanges.flowId, flow.flowId));
    const [enrollment] = await t.db.select().from(enrollments).where(eq(enrollments.contactId, contact.id));
    expect(changes).toEqual([
      expect.objectContaining({
        workspaceId: member.workspace.id,
        contactId: contact.id,
        channel: "email",
        fromStatus: "subscribed",
        toStatus: "unsubscribed",
        source: "flow",
        enrollmentId: enrollment?.id,
        nodeId: "unsubscribe",
        visit: 1,
        occurredAt: new Date(START),
      }),
    ]);

    const sent = await t.db
      .select({ nodeId: messages.nodeId, status: messages.status, skipReason: messages.skipReason })
      .from(messages)
      .where(eq(messages.contactId, contact.id))
      .orderBy(asc(messages.createdAt), asc(messages.nodeId));
    expect(sent).toEqual([
      { nodeId: "welcome", status: "sent", skipReason: null },
      // A day later, read back from the database: no consent for marketing email.
      { nodeId: "promo", status: "skipped", skipReason: "no_consent" },
      { nodeId: "receipt", status: "sent", skipReason: null },
    ]);

    const [journey] = await contactJourneys(t.db, {
      workspaceId: member.workspace.id,
      contactId: contact.id,
    });
    expect(journey?.path.find((s) => s.nodeId === "unsubscribe")).toMatchObject({
      outcome: "next",
      note: "Unsubscribed from marketing email",
    });
    const [untouched] = await contactJourneys(t.db, {
      workspaceId: member.workspace.id,
      contactId: bystander.id,
    });
    expect(untouched?.path.find((s) => s.nodeId === "unsubscribe")?.note).toBe(
      "Not subscribed to marketing email; nothing changed",
    );
  });

  it("a webhook action is sent after commit, signed, keyed, retried after a 500, and shown in the journey", async () => {
    const hooks = await hookServer([500]);
    try {
      const clock = new FakeClock(START);
      const g = graph(
        [
          node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
          node("tag", "action", 0, 1, { type: "add_tag", tag: "new" }),
          node("hook", "action", 0, 2, {
            type: "webhook",
            url: "https://hooks.test/crm?src=flow",
            method: "POST",
          }),
          node("end", "exit", 0, 3, {}),
        ],
        chain("t", "tag", "hook", "end"),
      );
      const { flow, executor } = await setup(g, clock, toLocal(hooks.port));
      const contact = await createContact(t.db, member.workspace.id, { firstName: "Rosa" });

      await signUp(executor, contact.id, clock.t);
      // First attempt: the receiver answers 500; the call waits for its retry.
      expect(hooks.received).toHaveLength(1);
      const [first] = await t.db.select().from(webhookCalls).where(eq(webhookCalls.flowId, flow.flowId));
      expect(first).toMatchObject({ status: "queued", attempts: 1, responseStatus: 500, nodeId: "hook" });
      expect(first?.lastError).toContain("500");
      const retryAt = first!.nextAttemptAt.getTime();
      expect(retryAt).toBeGreaterThan(START);
      expect(retryAt).toBeLessThanOrEqual(START + 5_000);

      // Not before it is due.
      await executor.drain();
      expect(hooks.received).toHaveLength(1);
      clock.t = retryAt;
      await executor.drain();
      expect(hooks.received).toHaveLength(2);

      const [settled] = await t.db.select().from(webhookCalls).where(eq(webhookCalls.flowId, flow.flowId));
      expect(settled).toMatchObject({ status: "sent", attempts: 2, responseStatus: 200, lastError: null });
      expect(settled?.sentAt).toEqual(new Date(retryAt));

      // Both attempts: same body, same idempotency key, each signed with its own timestamp.
      const secret = await webhookSigningSecret(t.db, member.workspace.id);
      for (const [i, request] of hooks.received.entries()) {
        expect(request.method).toBe("POST");
        expect(request.url).toBe("/crm?src=flow");
        expect(request.headers["content-type"]).toBe("application/json");
        expect(request.headers["idempotency-key"]).toBe(settled?.id);
        const at = Math.floor((i === 0 ? START : retryAt) / 1000);
        const mac = createHmac("sha256", secret).update(`${at}.${request.body}`).digest("hex");
        expect(request.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(`t=${at},v1=${mac}`);
      }
      expect(hooks.received[1]?.body).toBe(hooks.received[0]?.body);
      const body = JSON.parse(hooks.received[0]!.body) as Record<string, unknown>;
      const [enrollment] = await t.db.select().from(enrollments).where(eq(enrollments.flowId, flow.flowId));
      expect(body).toMatchObject({
        type: "flow.webhook",
        flow_id: flow.flowId,
        enrollment_id: enrollment?.id,
        node_id: "hook",
        contact: { id: contact.id, email: contact.email, first_name: "Rosa", tags: ["new"] },
        trigger: { name: "Signed Up" },
      });

      const [journey] = await contactJourneys(t.db, {
        workspaceId: member.workspace.id,
        contactId: contact.id,
      });
      expect(journey?.webhooks).toEqual([
        expect.objectContaining({
          nodeId: "hook",
          method: "POST",
          url: "https://hooks.test/crm?src=flow",
          status: "sent",
          attempts: 2,
          responseStatus: 200,
        }),
      ]);
      expect(enrollment?.status).toBe("completed");
    } finally {
      await hooks.close();
    }
  });

  it("a 4xx answer fails the call at once with its reason, and it is not tried again", async () => {
    const hooks = await hookServer([410]);
    try {
      const clock = new FakeClock(START);
      const g = graph(
        [
          node("t", "trigger", 0, 0, { type: "event", event: "Signed Up", filter: null }),
          node("hook", "action", 0, 1, { type: "webhook", url: "https://hooks.test/gone", method: "PUT" }),
          node("end", "exit", 0, 2, {}),
        ],
        chain("t", "hook", "end"),
      );
      const { flow, executor } = await setup(g, clock, toLocal(hooks.port));
      const contact = await createContact(t.db, member.workspace.id);
      await signUp(executor, contact.id, clock.t);
      clock.advance(DAY);
      await executor.drain();
      expect(hooks.received.map((r) => r.method)).toEqual(["PUT"]);
      const calls = await t.db.select().from(webhookCalls).where(eq(webhookCalls.flowId, flow.flowId));
      expect(calls).toEqual([
        expect.objectContaining({
          status: "failed",
          attempts: 1,
          responseStatus: 410,
          lastError: "Answered 410 Gone",
        }),
      ]);
    } finally {
      await hooks.close();
    }
  });
});
