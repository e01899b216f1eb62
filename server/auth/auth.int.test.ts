/**
 * Sign-in against a real database through the HTTP entry: the per-address limit keys on the
 * socket's address (X-Forwarded-For is ignored unless TRUSTED_PROXIES names the peer), the
 * per-account limit backs off whatever the address, new passwords must be long and not
 * common, and sign-up with a taken email answers as a new sign-up does and emails a notice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb, testDriver, type TestDb } from "@/server/testing/db";
import { messages } from "@/server/db/schema";
import { appUrl } from "@/server/env";
import { createAuth, type Auth } from "./auth";
import { clientAddress, parseTrustedProxies, PEER_HEADER } from "@/server/http/client-address";
import { handleAuthRequest } from "./http";
import { FREE_FAILURES } from "./throttle";

let t: TestDb;
let auth: Auth;

beforeAll(async () => {
  t = await createTestDb();
  auth = await createAuth(t.db);
});
afterAll(() => t.close());

function post(path: string, body: unknown, headers: Record<string, string>) {
  return new Request(`${appUrl()}/api/auth${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: appUrl(), ...headers },
    body: JSON.stringify(body),
  });
}

async function signUp(email: string, password: string, peer: string) {
  const res = await handleAuthRequest(
    auth,
    t.db,
    post("/sign-up/email", { email, password, name: "Owner" }, { [PEER_HEADER]: peer }),
    { trustedProxies: null },
  );
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    cookie: res.headers.get("set-cookie"),
  };
}

describe(`client address (${testDriver()})`, () => {
  it("is the socket's peer unless the peer is a trusted proxy", () => {
    const headers = (peer: string, xff?: string) =>
      new Headers({ [PEER_HEADER]: peer, ...(xff !== undefined && { "x-forwarded-for": xff }) });
    expect(clientAddress(headers("203.0.113.9", "1.2.3.4"), null)).toBe("203.0.113.9");
    expect(clientAddress(headers("::ffff:203.0.113.9"), null)).toBe("203.0.113.9");
    const proxies = parseTrustedProxies("10.0.0.0/8, 127.0.0.1");
    expect(clientAddress(headers("203.0.113.9", "1.2.3.4"), proxies)).toBe("203.0.113.9");
    expect(clientAddress(headers("10.0.0.2", "1.2.3.4"), proxies)).toBe("1.2.3.4");
    // A client-supplied hop in front of the real one is not believed: the walk stops at the first untrusted hop.
    expect(clientAddress(headers("127.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.7"), proxies)).toBe("1.2.3.4");
    expect(clientAddress(new Headers({ "x-forwarded-for": "1.2.3.4" }), proxies)).toBeNull();
    expect(() => parseTrustedProxies("10.0.0.0/40")).toThrow(/10\.0\.0\.0\/40/);
    expect(() => parseTrustedProxies("proxy.example")).toThrow(/proxy\.example/);
  });
});

describe(`sign-in limits (${testDriver()})`, () => {
  it("keys the per-address limit on the socket: twelve X-Forwarded-For values still get a 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await handleAuthRequest(
        auth,
        t.db,
        post(
          "/sign-in/email",
          { email: `nobody.${i}@example.com`, password: "not-the-password" },
          { [PEER_HEADER]: "198.51.100.7", "x-forwarded-for": `203.0.113.${i + 1}` },
        ),
        { trustedProxies: null },
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
  });

  it("believes X-Forwarded-For only from a trusted proxy", async () => {
    const trustedProxies = parseTrustedProxies("198.51.100.0/24");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await handleAuthRequest(
        auth,
        t.db,
        post(
          "/sign-in/email",
          { email: `someone.${i}@example.com`, password: "not-the-password" },
          { [PEER_HEADER]: "198.51.100.8", "x-forwarded-for": `192.0.2.${i + 1}` },
        ),
        { trustedProxies },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
  });

  it("backs off per account whatever the address, and a good password clears the count", async () => {
    const email = "guarded.owner@example.com";
    expect((await signUp(email, "a-long-good-password", "192.0.2.200")).status).toBe(200);
    let clock = new Date("2026-12-01T10:00:00Z").getTime();
    const attempt = (password: string, i: number) =>
      handleAuthRequest(
        auth,
        t.db,
        post("/sign-in/email", { email, password }, { [PEER_HEADER]: `100.64.0.${i + 1}` }),
        { trustedProxies: null, now: () => new Date(clock) },
      );
    for (let i = 0; i < FREE_FAILURES; i++) expect((await attempt("wrong-password", i)).status).toBe(401);
    const blocked = await attempt("a-long-good-password", 20);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    clock += 1_000;
    expect((await attempt("wrong-password", 21)).status).toBe(401);
    // The wait doubles after every failure.
    clock += 1_000;
    expect((await attempt("a-long-good-password", 22)).status).toBe(429);
    clock += 1_000;
    expect((await attempt("a-long-good-password", 23)).status).toBe(200);
    expect((await attempt("wrong-password", 24)).status).toBe(401);
  });
});

describe(`passwords and sign-up (${testDriver()})`, () => {
  it("refuses short and common passwords", async () => {
    const short = await signUp("short.pw@example.com", "abc12345", "192.0.2.101");
    expect(short.status).toBe(400);
    expect(String(short.body.message)).toMatch(/at least 10 characters/);
    const common = await signUp("common.pw@example.com", "password1234", "192.0.2.102");
    expect(common.status).toBe(400);
    expect(String(common.body.message)).toMatch(/most common/);
    expect((await signUp("fine.pw@example.com", "tidings-demo", "192.0.2.103")).status).toBe(200);
  });

  it("answers a taken email exactly as a new sign-up, and emails the owner instead", async () => {
    const fresh = await signUp("first.owner@example.com", "first-owner-password", "192.0.2.110");
    const taken = await signUp("first.owner@example.com", "another-password-9", "192.0.2.111");
    const other = await signUp("second.owner@example.com", "second-owner-password", "192.0.2.112");
    expect(taken.status).toBe(fresh.status);
    expect(taken.status).toBe(200);
    const shape = (b: Record<string, unknown>) => ({
      keys: Object.keys(b).sort(),
      token: b.token,
      user: Object.keys(b.user as object).sort(),
    });
    expect(shape(taken.body)).toEqual(shape(other.body));
    expect(taken.cookie).toBe(other.cookie);
    expect((taken.body.user as { id: string }).id).not.toBe((fresh.body.user as { id: string }).id);

    const notices = await t.db
      .select()
      .from(messages)
      .where(eq(messages.toAddress, "first.owner@example.com"));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      subject: "You already have a Tidings account",
      category: "transactional",
    });
  });
});
