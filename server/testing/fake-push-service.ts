/**
 * A local stand-in for a browser push service (RFC 8030) and the browsers behind it, for
 * tests: the real `web-push` library posts to it over TLS (a throw-away self-signed
 * certificate; pass `agent` to the provider).
 *
 * `browser()` makes a subscription as a browser would (a P-256 key pair and a 16-byte auth
 * secret; the endpoint is this server). Each push is checked like a push service does —
 * `Authorization: vapid t=<JWT>, k=<key>` with an ES256 signature by that key, audience =
 * this server's origin, expiry within 24 h; `Content-Encoding: aes128gcm`; a `TTL` header —
 * and its payload decrypted with the browser's private key (RFC 8291), so tests see exactly
 * what the browser would get.
 *
 * Switches: `unsubscribe(endpoint)` answers 410 Gone for that browser from now on;
 * `failNext(n, status, retryAfterSeconds?)` answers the next n pushes with that status.
 */
import { createECDH, createPublicKey, randomBytes, randomUUID, verify, type ECDH } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { Agent, createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { WebPushSubscription } from "@/server/channels/types";

type Ece = {
  decrypt(buffer: Buffer, params: { version: "aes128gcm"; privateKey: ECDH; authSecret: string }): Buffer;
};
const ece = createRequire(import.meta.url)("http_ece") as Ece;

export type ReceivedPush = {
  endpoint: string;
  /** The decrypted payload, as the browser's service worker gets it. */
  payload: string;
  ttl: number;
  urgency: string | null;
  topic: string | null;
  /** The VAPID public key the push was signed with (`k=`). */
  vapidKey: string;
  claims: { aud: string; exp: number; sub: string };
};

export type FakePushRequest = { endpoint: string; status: number; error?: string };

export type FakeBrowser = { subscription: WebPushSubscription };

export type FakePushService = {
  url: string;
  /** An https agent trusting this server's certificate. */
  agent: Agent;
  browser: () => FakeBrowser;
  unsubscribe: (endpoint: string) => void;
  failNext: (n: number, status: number, retryAfterSeconds?: number) => void;
  received: () => ReceivedPush[];
  requests: () => FakePushRequest[];
  close: () => Promise<void>;
};

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "fake-push-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Verifies a VAPID JWT (ES256) against the raw P-256 public key `k`; returns its claims or why not. */
export function verifyVapidJwt(
  token: string,
  key: string,
  origin: string,
  now = Date.now(),
): { ok: true; claims: ReceivedPush["claims"] } | { ok: false; error: string } {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, error: "malformed JWT" };
  const [header64, claims64, signature64] = parts as [string, string, string];
  const raw = Buffer.from(key, "base64url");
  if (raw.length !== 65 || raw[0] !== 4) return { ok: false, error: "k is not an uncompressed P-256 point" };
  const publicKey = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: raw.subarray(1, 33).toString("base64url"),
      y: raw.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  const header = JSON.parse(Buffer.from(header64, "base64url").toString("utf8")) as { alg?: string };
  if (header.alg !== "ES256") return { ok: false, error: `alg ${header.alg} is not ES256` };
  const signed = verify(
    "sha256",
    Buffer.from(`${header64}.${claims64}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature64, "base64url"),
  );
  if (!signed) return { ok: false, error: "signature does not match k" };
  const claims = JSON.parse(Buffer.from(claims64, "base64url").toString("utf8")) as ReceivedPush["claims"];
  if (claims.aud !== origin) return { ok: false, error: `aud ${claims.aud} is not ${origin}` };
  const seconds = now / 1000;
  if (typeof claims.exp !== "number" || claims.exp < seconds || claims.exp > seconds + 24 * 3600)
    return { ok: false, error: "exp missing, past or more than 24 h ahead" };
  if (typeof claims.sub !== "string" || !/^(mailto:|https:)/.test(claims.sub))
    return { ok: false, error: "sub must be mailto: or https:" };
  return { ok: true, claims };
}

export async function startFakePushService(): Promise<FakePushService> {
  const { key, cert } = selfSignedCertificate();
  const browsers = new Map<string, { ecdh: ECDH; auth: string }>();
  const gone = new Set<string>();
  const received: ReceivedPush[] = [];
  const requests: FakePushRequest[] = [];
  let failures: { n: number; status: number; retryAfter?: number } = { n: 0, status: 0 };
  let origin = "";

  const answer = (
    res: ServerResponse,
    endpoint: string,
    status: number,
    error?: string,
    headers: Record<string, string> = {},
  ) => {
    requests.push({ endpoint, status, ...(error && { error }) });
    res.writeHead(status, { "content-type": "text/plain", ...headers });
    res.end(error ?? "");
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const endpoint = `${origin}${req.url ?? ""}`;
    const id = /^\/push\/([\w-]+)$/.exec(req.url ?? "")?.[1];
    const browser = id ? browsers.get(id) : undefined;
    if (req.method !== "POST" || !id || !browser) return answer(res, endpoint, 404, "no such subscription");
    if (failures.n > 0) {
      failures.n--;
      return answer(
        res,
        endpoint,
        failures.status,
        "failing on request",
        failures.retryAfter === undefined ? {} : { "retry-after": String(failures.retryAfter) },
      );
    }
    if (gone.has(endpoint))
      return answer(res, endpoint, 410, "push subscription has unsubscribed or expired");
    const auth = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(req.headers.authorization ?? "");
    if (!auth) return answer(res, endpoint, 401, "Authorization must be `vapid t=<jwt>, k=<key>`");
    const jwt = verifyVapidJwt(auth[1]!, auth[2]!, origin);
    if (!jwt.ok) return answer(res, endpoint, 403, `VAPID: ${jwt.error}`);
    const ttl = Number(req.headers.ttl);
    if (req.headers.ttl === undefined || !Number.isInteger(ttl) || ttl < 0)
      return answer(res, endpoint, 400, "TTL header required");
    if (req.headers["content-encoding"] !== "aes128gcm")
      return answer(res, endpoint, 415, "Content-Encoding must be aes128gcm");
    let payload: string;
    try {
      payload = ece
        .decrypt(body, { version: "aes128gcm", privateKey: browser.ecdh, authSecret: browser.auth })
        .toString("utf8");
    } catch (error) {
      return answer(
        res,
        endpoint,
        400,
        `cannot decrypt: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === "string" ? value : null;
    };
    received.push({
      endpoint,
      payload,
      ttl,
      urgency: header("urgency"),
      topic: header("topic"),
      vapidKey: auth[2]!,
      claims: jwt.claims,
    });
    answer(res, endpoint, 201, undefined, { location: `${origin}/message/${randomUUID()}` });
  };

  const server: Server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ ca: cert, keepAlive: false });

  return {
    url: origin,
    agent,
    browser: () => {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16).toString("base64url");
      const id = randomUUID();
      browsers.set(id, { ecdh, auth });
      return {
        subscription: {
          endpoint: `${origin}/push/${id}`,
          keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth },
        },
      };
    },
    unsubscribe: (endpoint) => void gone.add(endpoint),
    failNext: (n, status, retryAfterSeconds) => {
      failures = { n, status, ...(retryAfterSeconds !== undefined && { retryAfter: retryAfterSeconds }) };
    },
    received: () => [...received],
    requests: () => [...requests],
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
