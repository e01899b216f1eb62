import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey, keyFromAuthorization, kindOfKey } from "./api-keys";

describe("API key format", () => {
  it("prefixes the kind and carries 32 random bytes", () => {
    const secret = generateApiKey("secret");
    const publishable = generateApiKey("publishable");
    expect(secret).toMatch(/^tid_sk_[A-Za-z0-9_-]{43}$/);
    expect(publishable).toMatch(/^tid_pk_[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey("secret")).not.toBe(secret);
    expect(kindOfKey(secret)).toBe("secret");
    expect(kindOfKey(publishable)).toBe("publishable");
    expect(kindOfKey("sk_live_123")).toBeNull();
  });

  it("hashes with SHA-256 (hex), deterministically", () => {
    expect(hashApiKey("tid_sk_abc")).toBe(hashApiKey("tid_sk_abc"));
    expect(hashApiKey("tid_sk_abc")).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey("tid_sk_abc")).not.toBe(hashApiKey("tid_sk_abd"));
  });
});

describe("reading the key from Authorization", () => {
  const key = "tid_sk_0123456789";
  it("accepts Bearer, in any case", () => {
    expect(keyFromAuthorization(`Bearer ${key}`)).toBe(key);
    expect(keyFromAuthorization(`bearer   ${key} `)).toBe(key);
  });

  it("accepts Segment-style Basic auth with the key as user name", () => {
    expect(keyFromAuthorization(`Basic ${Buffer.from(`${key}:`).toString("base64")}`)).toBe(key);
    expect(keyFromAuthorization(`Basic ${Buffer.from(key).toString("base64")}`)).toBe(key);
    expect(keyFromAuthorization(`Basic ${Buffer.from(":password").toString("base64")}`)).toBeNull();
  });

  it("returns null for anything else", () => {
    for (const header of [null, "", "Bearer", "Token abc", `Bearer ${key} extra`, "Basic"])
      expect(keyFromAuthorization(header)).toBeNull();
  });
});
