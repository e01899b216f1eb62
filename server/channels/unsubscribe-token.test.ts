import { describe, expect, it } from "vitest";
import { signUnsubscribe, verifyUnsubscribe } from "./unsubscribe-token";

const key = "an-unsubscribe-signing-key-0123456789";
const payload = { workspaceId: "ws-1", contactId: "c-42", channel: "email" as const };

describe("unsubscribe tokens", () => {
  it("round-trips and is URL safe", () => {
    const token = signUnsubscribe(payload, key);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyUnsubscribe(token, key)).toEqual(payload);
    const withMessage = signUnsubscribe({ ...payload, messageId: "m-7" }, key);
    expect(verifyUnsubscribe(withMessage, key)).toEqual({ ...payload, messageId: "m-7" });
  });

  it("refuses a tampered payload", () => {
    const [, sig] = signUnsubscribe(payload, key).split(".");
    const forged = Buffer.from(JSON.stringify({ w: "ws-1", c: "c-43", ch: "email" })).toString("base64url");
    expect(verifyUnsubscribe(`${forged}.${sig}`, key)).toBeNull();
  });

  it("refuses a tampered, truncated or extended signature", () => {
    const token = signUnsubscribe(payload, key);
    const last = token.slice(-1);
    expect(verifyUnsubscribe(token.slice(0, -1) + (last === "A" ? "B" : "A"), key)).toBeNull();
    expect(verifyUnsubscribe(token.slice(0, -2), key)).toBeNull();
    expect(verifyUnsubscribe(`${token}A`, key)).toBeNull();
  });

  it("refuses another key and garbage", () => {
    const token = signUnsubscribe(payload, key);
    expect(verifyUnsubscribe(token, `${key}-other`)).toBeNull();
    for (const junk of ["", ".", "abc", "a.b.c", "%%%.###"]) expect(verifyUnsubscribe(junk, key)).toBeNull();
  });

  it("refuses a validly signed token with a bad payload", async () => {
    const { createHmac } = await import("node:crypto");
    const part = Buffer.from(JSON.stringify({ w: "ws-1", c: "c-1", ch: "fax" })).toString("base64url");
    const sig = createHmac("sha256", key).update(`unsubscribe.v1.${part}`).digest("base64url");
    expect(verifyUnsubscribe(`${part}.${sig}`, key)).toBeNull();
  });

  it("carries the contact's link version, and refuses a malformed one", async () => {
    const token = signUnsubscribe({ ...payload, version: 3 }, key);
    expect(verifyUnsubscribe(token, key)).toEqual({ ...payload, version: 3 });
    expect(verifyUnsubscribe(signUnsubscribe({ ...payload, version: 0 }, key), key)).toEqual(payload);
    const { signToken } = await import("./signed-token");
    for (const v of [-1, 1.5, "2"])
      expect(
        verifyUnsubscribe(signToken("unsubscribe.v1", { w: "ws-1", c: "c-42", ch: "email", v }, key), key),
      ).toBeNull();
  });

  it("insists on a real key", () => {
    expect(() => signUnsubscribe(payload, "short")).toThrow();
  });
});
