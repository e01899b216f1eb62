/**
 * The flows procedures the builder and the flows list use: templates, duplicate, archive,
 * restore a version as the draft, the list's columns and the event catalog. Each is
 * workspace-scoped (B never touches A's flow) and bad input names the field.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { contacts, conversions, enrollments, events, messages } from "@/server/db/schema";
import { flowTemplates, FLOW_TEMPLATE_KEYS } from "@/server/engine/templates";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { callHttp, createMember } from "@/server/testing/fixtures";

let t: TestDb;
let a: Awaited<ReturnType<typeof createMember>>;
let b: Awaited<ReturnType<typeof createMember>>;

beforeAll(async () => {
  t = await createTestDb();
  a = await createMember(t.db, "Alice");
  b = await createMember(t.db, "Bob");
});
afterAll(() => t.close());

async function expectCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === code);
}

async function fieldErrors(path: string, input: unknown, method: "query" | "mutation" = "mutation") {
  const res = await callHttp(t.db, a.user, path, input, method);
  expect(res.status).toBe(400);
  return res.body.error?.json.data.fieldErrors ?? {};
}

describe(`flows from templates (${testDriver()})`, () => {
  it("creates a draft from every template, named after it, holding its graph", async () => {
    for (const template of flowTemplates()) {
      const flow = await a.caller.flows.createFromTemplate({ templateKey: template.key });
      expect(flow.name).toBe(template.name);
      expect(flow.status).toBe("draft");
      expect(flow.templateKey).toBe(template.key);
      // A template names its coupon pools; the draft holds the workspace's pool of that name.
      const draft = (await a.caller.flows.get({ id: flow.id })).draftGraph;
      const poolName = new Map((await a.caller.coupons.list()).map((p) => [p.id, p.name]));
      const named = draft.nodes.map((n) =>
        "couponPool" in n.config && typeof n.config.couponPool === "string"
          ? { ...n, config: { ...n.config, couponPool: poolName.get(n.config.couponPool) } }
          : n,
      );
      expect({ ...draft, nodes: named }).toEqual(template.graph);
    }
    expect((await a.caller.flows.list()).filter((f) => f.templateKey !== null)).toHaveLength(
      FLOW_TEMPLATE_KEYS.length,
    );
    expect(await b.caller.flows.list()).toEqual([]);
  });

  it("takes a name of one's own, and refuses an unknown template naming the field", async () => {
    const flow = await a.caller.flows.createFromTemplate({
      templateKey: "birthday",
      name: "Birthday treats",
    });
    expect(flow.name).toBe("Birthday treats");
    expect(
      Object.keys(await fieldErrors("flows.createFromTemplate", { templateKey: "black_friday" })),
    ).toEqual(["templateKey"]);
    expect(
      Object.keys(await fieldErrors("flows.createFromTemplate", { templateKey: "birthday", name: " " })),
    ).toEqual(["name"]);
  });
});

describe(`duplicate (${testDriver()})`, () => {
  it("copies the draft into a new draft flow", async () => {
    const source = await a.caller.flows.createFromTemplate({ templateKey: "abandoned_cart" });
    await a.caller.flows.publish({ id: source.id });
    const copy = await a.caller.flows.duplicate({ id: source.id });
    expect(copy.id).not.toBe(source.id);
    expect(copy.name).toBe("Abandoned cart (copy)");
    expect(copy.status).toBe("draft");
    expect(copy.liveVersionId).toBeNull();
    expect((await a.caller.flows.get({ id: copy.id })).draftGraph).toEqual(
      (await a.caller.flows.get({ id: source.id })).draftGraph,
    );
    expect(await a.caller.flows.versions({ id: copy.id })).toEqual([]);
  });

  it("keeps a long name under the limit", async () => {
    const long = await a.caller.flows.create({ name: "n".repeat(120) });
    const copy = await a.caller.flows.duplicate({ id: long.id });
    expect(copy.name).toHaveLength(120);
    expect(copy.name.endsWith(" (copy)")).toBe(true);
  });

  it("lets nobody duplicate another workspace's flow", async () => {
    const mine = await a.caller.flows.create({ name: "Private" });
    await expectCode(b.caller.flows.duplicate({ id: mine.id }), "NOT_FOUND");
    expect(await b.caller.flows.list()).toEqual([]);
    expect(Object.keys(await fieldErrors("flows.duplicate", { id: "nope" }))).toEqual(["id"]);
  });
});

describe(`archive (${testDriver()})`, () => {
  it("takes a flow off the list and back, stopping a live one", async () => {
    const flow = await a.caller.flows.createFromTemplate({ templateKey: "welcome_series" });
    await a.caller.flows.publish({ id: flow.id });
    const archived = await a.caller.flows.archive({ id: flow.id });
    expect(archived.status).toBe("archived");
    expect((await a.caller.flows.list()).some((f) => f.id === flow.id)).toBe(false);
    expect((await a.caller.flows.list({ archived: true })).map((f) => f.id)).toContain(flow.id);
    await expectCode(a.caller.flows.publish({ id: flow.id }), "BAD_REQUEST");
    // A published flow comes back paused; a draft comes back a draft.
    expect((await a.caller.flows.unarchive({ id: flow.id })).status).toBe("paused");
    const draft = await a.caller.flows.create({ name: "Never published" });
    await a.caller.flows.archive({ id: draft.id });
    expect((await a.caller.flows.unarchive({ id: draft.id })).status).toBe("draft");
    await expectCode(a.caller.flows.unarchive({ id: draft.id }), "BAD_REQUEST");
  });

  it("lets nobody archive another workspace's flow", async () => {
    const mine = await a.caller.flows.create({ name: "Keep out" });
    await expectCode(b.caller.flows.archive({ id: mine.id }), "NOT_FOUND");
    await expectCode(b.caller.flows.unarchive({ id: mine.id }), "NOT_FOUND");
    expect((await a.caller.flows.get({ id: mine.id })).status).toBe("draft");
    expect(Object.keys(await fieldErrors("flows.archive", {}))).toEqual(["id"]);
  });
});

describe(`versions and restore as draft (${testDriver()})`, () => {
  it("lists who published each version and restores one into the draft", async () => {
    const flow = await a.caller.flows.createFromTemplate({ templateKey: "order_confirmation" });
    const v1 = await a.caller.flows.publish({ id: flow.id });
    const first = (await a.caller.flows.get({ id: flow.id })).draftGraph;
    const changed = { ...first, settings: { ...first.settings, attributionDays: 9 } };
    const saved = await a.caller.flows.saveDraft({ id: flow.id, graph: changed, baseRevision: 1 });
    await a.caller.flows.publish({ id: flow.id });

    const versions = await a.caller.flows.versions({ id: flow.id });
    expect(versions.map((v) => [v.version, v.publishedByName])).toEqual([
      [2, "Alice"],
      [1, "Alice"],
    ]);

    const restored = await a.caller.flows.restoreVersion({ id: flow.id, versionId: v1.versionId });
    expect(restored.restoredVersion).toBe(1);
    expect(restored.draftRevision).toBe(saved.draftRevision + 1);
    const after = await a.caller.flows.get({ id: flow.id });
    expect(after.draftGraph).toEqual(first);
    expect(after.status).toBe("live");
    // A tab still holding the pre-restore draft is told it is stale.
    await expectCode(
      a.caller.flows.saveDraft({ id: flow.id, graph: changed, baseRevision: saved.draftRevision }),
      "CONFLICT",
    );
  });

  it("lets nobody restore or list another workspace's versions", async () => {
    const flow = await a.caller.flows.createFromTemplate({ templateKey: "shipping_notice" });
    const v1 = await a.caller.flows.publish({ id: flow.id });
    await expectCode(b.caller.flows.restoreVersion({ id: flow.id, versionId: v1.versionId }), "NOT_FOUND");
    await expectCode(b.caller.flows.versions({ id: flow.id }), "NOT_FOUND");
    // B's own flow with A's version id: not found either.
    const theirs = await b.caller.flows.create({ name: "Bob's" });
    await expectCode(b.caller.flows.restoreVersion({ id: theirs.id, versionId: v1.versionId }), "NOT_FOUND");
    expect(Object.keys(await fieldErrors("flows.restoreVersion", { id: flow.id, versionId: "v1" }))).toEqual([
      "versionId",
    ]);
  });
});

describe(`flows list columns (${testDriver()})`, () => {
  it("shows the trigger, and over the last 30 days who entered, credited conversions and revenue, per workspace", async () => {
    const member = await createMember(t.db, "Carol");
    const flow = await member.caller.flows.createFromTemplate({ templateKey: "abandoned_cart" });
    const { versionId } = await member.caller.flows.publish({ id: flow.id });
    const other = await member.caller.flows.create({ name: "Quiet" });
    const [contact] = await t.db
      .insert(contacts)
      .values({ workspaceId: member.workspace.id, email: "c@example.com" })
      .returning();
    const now = Date.now();
    const enroll = (daysAgo: number, i: number) => ({
      workspaceId: member.workspace.id,
      flowId: flow.id,
      versionId,
      contactId: contact!.id,
      currentNodeId: "exit",
      status: "completed" as const,
      occurrenceKey: `test:${i}`,
      enteredAt: new Date(now - daysAgo * 86_400_000),
    });
    await t.db.insert(enrollments).values([enroll(1, 1), enroll(6, 2), enroll(8, 3), enroll(30, 4)]);
    // Orders credited to the flow's email (the conversions every page counts), and one nobody touched.
    const [email] = await t.db
      .insert(messages)
      .values({
        workspaceId: member.workspace.id,
        flowId: flow.id,
        nodeId: "email_1",
        contactId: contact!.id,
        channel: "email",
        status: "sent",
        sentAt: new Date(now - 2 * 86_400_000),
      })
      .returning();
    const credited = { messageId: email!.id, nodeId: "email_1" };
    await t.db.insert(conversions).values([
      {
        workspaceId: member.workspace.id,
        flowId: flow.id,
        contactId: contact!.id,
        eventId: randomUUID(),
        valueCents: 999,
        currency: "USD",
        occurredAt: new Date(),
      },
      {
        ...credited,
        workspaceId: member.workspace.id,
        flowId: flow.id,
        contactId: contact!.id,
        eventId: randomUUID(),
        valueCents: 700,
        currency: "USD",
        occurredAt: new Date(now - 31 * 86_400_000),
      },
      {
        ...credited,
        workspaceId: member.workspace.id,
        flowId: flow.id,
        contactId: contact!.id,
        eventId: randomUUID(),
        valueCents: 4200,
        currency: "USD",
        occurredAt: new Date(),
      },
      {
        ...credited,
        workspaceId: member.workspace.id,
        flowId: flow.id,
        contactId: contact!.id,
        eventId: randomUUID(),
        valueCents: 1800,
        currency: "USD",
        occurredAt: new Date(),
      },
      {
        ...credited,
        workspaceId: member.workspace.id,
        flowId: flow.id,
        contactId: contact!.id,
        eventId: randomUUID(),
        valueCents: 500,
        currency: "EUR",
        occurredAt: new Date(),
      },
    ]);

    const list = await member.caller.flows.list();
    const row = list.find((f) => f.id === flow.id)!;
    expect(row).toMatchObject({
      name: "Abandoned cart",
      status: "live",
      trigger: "When Started Checkout",
      updatedByName: "Carol",
    });
    // Entered 1, 6 and 8 days ago (not 30); orders of today credited (not the untouched one, not the one 31 days ago).
    expect(row.numbers).toMatchObject({
      entered: 3,
      conversions: 3,
      revenue: [
        { currency: "USD", cents: 6000 },
        { currency: "EUR", cents: 500 },
      ],
      currency: "USD",
      revenueCents: 6000,
      recipients: 1,
      revenuePerRecipientCents: 6000,
    });
    expect(list.find((f) => f.id === other.id)).toMatchObject({
      trigger: null,
      numbers: { entered: 0, conversions: 0, revenue: [] },
    });
    // Nothing of Carol's shows up for Bob.
    expect((await b.caller.flows.list()).some((f) => f.id === flow.id)).toBe(false);
  });
});

describe(`event catalog (${testDriver()})`, () => {
  it("lists the workspace's own event names with their property keys and contact fields", async () => {
    const member = await createMember(t.db, "Dora");
    const [contact] = await t.db
      .insert(contacts)
      .values({
        workspaceId: member.workspace.id,
        email: "d@example.com",
        country: "US",
        tags: ["vip"],
        properties: { favorite_category: "Tea", orders: 3 },
      })
      .returning();
    await t.db.insert(contacts).values({
      workspaceId: b.workspace.id,
      email: "b@example.com",
      country: "FR",
      properties: { bob_only: true },
    });
    const at = (i: number) => new Date(Date.now() - i * 60_000);
    await t.db.insert(events).values([
      {
        workspaceId: member.workspace.id,
        contactId: contact!.id,
        name: "Started Checkout",
        properties: { cart_id: "c1", value: 42.5, items: [{ sku: "a" }] },
        occurredAt: at(3),
        idempotencyKey: "e1",
      },
      {
        workspaceId: member.workspace.id,
        contactId: contact!.id,
        name: "Started Checkout",
        properties: { cart_id: "c2", value: 10 },
        occurredAt: at(2),
        idempotencyKey: "e2",
      },
      {
        workspaceId: member.workspace.id,
        contactId: contact!.id,
        name: "Placed Order",
        properties: { order_id: "o1", value: 10 },
        occurredAt: at(1),
        idempotencyKey: "e3",
      },
      {
        workspaceId: b.workspace.id,
        name: "Bob Secret Event",
        properties: { secret: 1 },
        occurredAt: at(1),
        idempotencyKey: "e4",
      },
    ]);

    const catalog = await member.caller.flows.eventCatalog();
    expect(catalog.events.map((e) => [e.name, e.count])).toEqual([
      ["Started Checkout", 2],
      ["Placed Order", 1],
    ]);
    const checkout = catalog.events[0]!;
    expect(checkout.properties.map((p) => [p.key, p.type, p.seen])).toEqual([
      ["cart_id", "string", 2],
      ["value", "number", 2],
      ["items", "array", 1],
    ]);
    expect(checkout.properties[0]!.examples.sort()).toEqual(["c1", "c2"]);
    expect(checkout.properties[1]!.examples.sort()).toEqual([10, 42.5]);
    expect(checkout.lastSeenAt).toBeInstanceOf(Date);

    const fields = new Map(catalog.contactFields.map((f) => [f.key, f]));
    expect(fields.get("favorite_category")).toMatchObject({
      type: "string",
      builtIn: false,
      examples: ["Tea"],
    });
    expect(fields.get("orders")).toMatchObject({ type: "number", examples: [3] });
    expect(fields.get("country")).toMatchObject({ builtIn: true, examples: ["US"] });
    expect(fields.get("tags")?.examples).toEqual(["vip"]);
    expect(fields.has("bob_only")).toBe(false);

    const bob = await b.caller.flows.eventCatalog();
    expect(bob.events.map((e) => e.name)).toEqual(["Bob Secret Event"]);
    expect(bob.contactFields.some((f) => f.key === "favorite_category")).toBe(false);
  });

  it("needs a session", async () => {
    const res = await callHttp(t.db, null, "flows.eventCatalog", undefined, "query");
    expect(res.status).toBe(401);
  });
});

describe(`publish checks message steps against the catalog (${testDriver()})`, () => {
  it("refuses a misspelled merge field or an unknown template, naming the step", async () => {
    const flow = await a.caller.flows.createFromTemplate({ templateKey: "welcome_series" });
    const { draftGraph, draftRevision } = await a.caller.flows.get({ id: flow.id });
    const graph = draftGraph as {
      nodes: Array<{ id: string; kind: string; config: Record<string, unknown> }>;
    };
    const step = graph.nodes.find((n) => n.kind === "email")!;
    const broken = {
      ...graph,
      nodes: graph.nodes.map((n) =>
        n.id === step.id
          ? { ...n, config: { ...n.config, subject: "Hi {{ frist_name }}", template: "welcom" } }
          : n,
      ),
    };
    await a.caller.flows.saveDraft({ id: flow.id, graph: broken, baseRevision: draftRevision });

    const preview = await a.caller.flows.previewPublish({ id: flow.id });
    expect(preview.issues.map((i) => [i.nodeId, i.code]).sort()).toEqual([
      [step.id, "unknown_merge_field"],
      [step.id, "unknown_template"],
    ]);
    const refused = await a.caller.flows.publish({ id: flow.id }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("BAD_REQUEST");
    expect((refused as TRPCError).message).toContain(`step “${step.id}”`);
    expect((refused as TRPCError).message).toContain("{{ frist_name }}");
    expect((refused as TRPCError).message).toContain("“welcom”");
    expect((await a.caller.flows.versions({ id: flow.id })).length).toBe(0);
  });
});
