/**
 * Fuzzing every tRPC procedure, listed from the router itself (a new procedure is covered
 * without editing this file): hostile inputs through a server-side caller signed in as a
 * member and through the HTTP handler must give a 4xx (never a 5xx), and a refused call
 * must leave every table's row count as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import superjson from "superjson";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { createMember } from "@/server/testing/fixtures";
import { hostileValue, mutated, tableCounts } from "@/server/testing/fuzz";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { handleIdentify, handleTrack } from "@/server/ingest/handlers";
import { apiRequest, createShop } from "@/server/testing/ingest-requests";
import { FLOW_TEMPLATE_KEYS } from "@/server/engine/templates";

type Procedure = {
  _def: { type: "query" | "mutation" | "subscription"; inputs: Array<{ shape?: Record<string, unknown> }> };
};
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);

let t: TestDb;
let member: Awaited<ReturnType<typeof createShop>>;
/** Plausible valid values by input key, from the member's own rows. */
let valid: Record<string, fc.Arbitrary<unknown>>;
const RUNS = Number(process.env.FUZZ_RUNS ?? 10);

/** Reports the first failure as it was thrown: a counterexample nested 20,000 deep cannot be printed. */
const settings = (seed: number): fc.Parameters<[unknown]> => ({
  numRuns: RUNS,
  seed,
  endOnFailure: true,
  reporter(details) {
    if (details.failed) throw details.errorInstance ?? new Error("property failed");
  },
});

/** Row counts now, refreshed after each call that succeeded (and so may have written). */
let counts: Record<string, number> | null = null;
async function expectUnchangedUnless(succeeded: boolean, label: string) {
  if (succeeded || !counts) {
    counts = await tableCounts(t.db);
    return;
  }
  expect(await tableCounts(t.db), label).toEqual(counts);
}

beforeAll(async () => {
  t = await createTestDb();
  member = await createShop(t.db, "Fuzzer");
  await createMember(t.db, "Other");
  const flow = await member.caller.flows.createFromTemplate({ templateKey: FLOW_TEMPLATE_KEYS[0] });
  const full = await member.caller.flows.get({ id: flow.id });
  const identify = await handleIdentify(
    t.db,
    apiRequest("/api/v1/identify", {
      key: member.secretKey,
      body: { userId: "fz1", traits: { email: "fz1@example.com", first_name: "Fay", plan: "gold" } },
    }),
  );
  const contactId = ((await identify.json()) as { id: string }).id;
  const track = await handleTrack(
    t.db,
    apiRequest("/api/v1/track", {
      key: member.secretKey,
      body: { userId: "fz1", event: "Placed Order", properties: { order_id: "o1", value: 12.5 } },
    }),
  );
  const eventId = ((await track.json()) as { id: string }).id;
  const graph = full.draftGraph as { nodes: Array<{ kind?: string; config?: unknown }> };
  const configOf = (kind: string) => graph.nodes.find((n) => n.kind === kind)?.config ?? {};
  const uuid = fc.uuid();
  valid = {
    id: fc.oneof(fc.constant(flow.id), fc.constant(contactId), uuid),
    flowId: fc.oneof(fc.constant(flow.id), uuid),
    contactId: fc.oneof(fc.constant(contactId), uuid),
    eventId: fc.oneof(fc.constant(eventId), uuid),
    versionId: uuid,
    name: fc.constantFrom("Fuzzed flow", "Key"),
    templateKey: fc.constantFrom(...FLOW_TEMPLATE_KEYS),
    from: fc.constant("2026-01-01"),
    to: fc.constant("2026-02-01"),
    days: fc.constantFrom(7, 30, 90),
    limit: fc.constantFrom(1, 10),
    offset: fc.constant(0),
    archived: fc.boolean(),
    graph: fc.constant(full.draftGraph),
    baseRevision: fc.constant(full.draftRevision ?? 1),
    expectedRevision: fc.constant(undefined),
    moveInFlight: fc.constant(false),
    search: fc.constantFrom("fay", "a"),
    consent: fc.constant({ channel: "email", status: "subscribed" }),
    hasProperty: fc.constant("plan"),
    didEvent: fc.constant("Placed Order"),
    eventName: fc.constant("Placed Order"),
    triggerEventName: fc.constant("Placed Order"),
    csv: fc.constant("email,first_name\nfz2@example.com,Zed\n"),
    status: fc.constantFrom("sent", "active"),
    channel: fc.constant("email"),
    kind: fc.constantFrom("secret", "publishable"),
    secret: fc.constant("shpss_abcdef0123456789"),
    content: fc.constantFrom(configOf("email"), configOf("sms"), configOf("push")),
  };
});
afterAll(() => t.close());

/** An input for a procedure: its keys with valid values, some hostile changes planted. */
function inputFor(procedure: Procedure): fc.Arbitrary<unknown> {
  const shape = procedure._def.inputs[0]?.shape ?? {};
  const base = fc.record(
    Object.fromEntries(Object.keys(shape).map((key) => [key, valid[key] ?? hostileValue()])),
  ) as fc.Arbitrary<unknown>;
  return fc.oneof(
    { weight: 6, arbitrary: mutated(base, { rich: true }) },
    { weight: 1, arbitrary: hostileValue({ rich: true }) },
  );
}

const describeInput = (input: unknown) => {
  try {
    return superjson.stringify(input).slice(0, 300);
  } catch {
    try {
      return String(input).slice(0, 300);
    } catch {
      // e.g. an object whose own `toString` is not a function
      return Object.prototype.toString.call(input);
    }
  }
};

async function callHttp(path: string, type: string, input: unknown) {
  let encoded: string;
  try {
    encoded = JSON.stringify(superjson.serialize(input));
  } catch {
    // Too deep to serialize here; a client can still send it: the same depth as raw JSON.
    encoded = `{"json":${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
  }
  const url = `http://test/api/trpc/${path}`;
  const req =
    type === "query" && encoded.length < 4_000
      ? new Request(`${url}?input=${encodeURIComponent(encoded)}`)
      : new Request(url, {
          method: "POST",
          body: encoded,
          headers: {
            "content-type": "application/json",
            ...(type === "query" && { "x-trpc-method-override": "GET" }),
          },
        });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext({ db: t.db, user: member.user }),
    allowMethodOverride: true,
  });
  return { status: res.status, text: await res.text() };
}

describe(`fuzzing every tRPC procedure (${testDriver()})`, () => {
  it("finds the procedures in the router", () => {
    expect(procedures.length).toBeGreaterThan(30);
  });

  it(
    "a signed-in caller gets a 4xx for hostile input, never a 5xx, and a refusal writes nothing",
    {
      timeout: 300_000,
    },
    async () => {
      const outcomes: Record<string, number> = {};
      counts = null;
      for (const [path, procedure] of procedures) {
        await fc.assert(
          fc.asyncProperty(inputFor(procedure), async (input) => {
            const call = path
              .split(".")
              .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], member.caller) as (
              input: unknown,
            ) => Promise<unknown>;
            let error: unknown = null;
            try {
              await call(input);
            } catch (e) {
              error = e;
            }
            const code = error instanceof TRPCError ? error.code : error ? "THROWN" : "OK";
            outcomes[code] = (outcomes[code] ?? 0) + 1;
            const label = `${path} ${describeInput(input)}: ${String(error instanceof TRPCError ? (error.cause ?? error) : error)}`;
            expect(error === null || error instanceof TRPCError, label).toBe(true);
            expect(code, label).not.toBe("INTERNAL_SERVER_ERROR");
            await expectUnchangedUnless(!error, label);
          }),
          settings(20261203),
        );
      }
      console.log("caller outcomes:", outcomes);
      expect(outcomes.BAD_REQUEST ?? 0).toBeGreaterThan(procedures.length);
      expect(outcomes.OK ?? 0).toBeGreaterThan(procedures.length / 2);
    },
  );

  it(
    "over HTTP: hostile input gives a 4xx, never a 5xx, and a refusal writes nothing",
    {
      timeout: 300_000,
    },
    async () => {
      const statuses: Record<number, number> = {};
      counts = null;
      for (const [path, procedure] of procedures) {
        await fc.assert(
          fc.asyncProperty(inputFor(procedure), async (input) => {
            const res = await callHttp(path, procedure._def.type, input);
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            const label = `${path} ${describeInput(input)}: ${res.status} ${res.text.slice(0, 300)}`;
            expect(res.status, label).toBeLessThan(500);
            await expectUnchangedUnless(res.status < 400, label);
          }),
          settings(20261204),
        );
      }
      console.log("HTTP statuses:", statuses);
      expect(statuses[400] ?? 0).toBeGreaterThan(procedures.length);
    },
  );

  it("over HTTP: malformed requests (paths, escapes, bodies) give a 4xx", async () => {
    const handler = (req: Request) =>
      fetchRequestHandler({
        endpoint: "/api/trpc",
        req,
        router: appRouter,
        createContext: () => createContext({ db: t.db, user: member.user }),
        allowMethodOverride: true,
      });
    const requests = [
      new Request("http://test/api/trpc/%ZZ"),
      new Request("http://test/api/trpc/flows.list?input=%ZZ"),
      new Request("http://test/api/trpc/flows.list?input=%7B"),
      new Request("http://test/api/trpc/flows.nope"),
      new Request("http://test/api/trpc/flows.list,flows.get?batch=1&input=%7B%220%22%3A1%7D"),
      new Request("http://test/api/trpc/flows.create", { method: "POST", body: "{" }),
      new Request("http://test/api/trpc/flows.create", { method: "POST", body: "\u0000" }),
      new Request("http://test/api/trpc/flows.create", {
        method: "POST",
        body: `{"json":${"[".repeat(20_000)}${"]".repeat(20_000)}}`,
      }),
      new Request("http://test/api/trpc/flows.create", { method: "PUT", body: "{}" }),
      new Request("http://test/api/trpc/flows.create", { method: "GET" }),
    ];
    for (const req of requests) {
      const label = `${req.method} ${req.url.slice(0, 120)}`;
      const res = await handler(req);
      const text = await res.text();
      // A batch answers 207 with a result per call; none of them may be a 5xx.
      expect(res.status === 207 ? text : String(res.status), label).not.toMatch(/^5|"httpStatus":5/);
      if (res.status !== 207) expect(res.status, label).toBeGreaterThanOrEqual(400);
      expect(res.status, label).toBeLessThan(500);
    }
  });
});
