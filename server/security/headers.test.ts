import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, servedOverHttps } from "./headers";

describe("security headers", () => {
  it("build a nonce-based policy that forbids framing and plugins", () => {
    const nonce = newNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(nonce);
    const csp = contentSecurityPolicy({ nonce, dev: false, https: false });
    expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy({ nonce, dev: true, https: true })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy({ nonce, dev: false, https: true })).toContain("upgrade-insecure-requests");
  });

  it("know when a request came over https", () => {
    expect(servedOverHttps(new URL("https://app.example/"), new Headers())).toBe(true);
    expect(servedOverHttps(new URL("http://app.example/"), new Headers())).toBe(false);
    expect(
      servedOverHttps(new URL("http://app.example/"), new Headers({ "x-forwarded-proto": "https" })),
    ).toBe(true);
  });
});
