import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readToken, signToken, verifyToken, type TokenPurpose } from "./signed-token";

const key = "a-link-signing-key-0123456789abcdef";
const PURPOSES: TokenPurpose[] = ["unsubscribe.v1", "click.v2", "open.v2", "opt-in.v1"];
const payload = fc.dictionary(
  fc.string({ maxLength: 8 }),
  fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean()),
  { maxKeys: 5 },
);

describe("signed tokens", () => {
  it("round-trip any payload, URL safe, for their own purpose only", () => {
    fc.assert(
      fc.property(
        payload,
        fc.constantFrom(...PURPOSES),
        fc.constantFrom(...PURPOSES),
        (body, purpose, other) => {
          const token = signToken(purpose, body, key);
          expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
          expect(verifyToken(purpose, token, key)).toEqual(JSON.parse(JSON.stringify(body)));
          if (other !== purpose) expect(verifyToken(other, token, key)).toBeNull();
          expect(verifyToken(purpose, token, `${key}-other`)).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuse any change to the payload or the signature", () => {
    fc.assert(
      fc.property(payload, fc.nat(), fc.constantFrom(..."ABCxyz019_-"), (body, at, ch) => {
        const token = signToken("click.v2", body, key);
        const i = at % token.length;
        if (token[i] === ch || token[i] === ".") return;
        const changed = token.slice(0, i) + ch + token.slice(i + 1);
        expect(verifyToken("click.v2", changed, key)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it("read an unverified payload only as unverified, and never garbage", () => {
    const token = signToken("click.v2", { m: "m-1", u: "https://shop.example/" }, key);
    const [part] = token.split(".");
    expect(readToken("click.v2", `${part}.${"A".repeat(43)}`, key)).toEqual({
      payload: { m: "m-1", u: "https://shop.example/" },
      verified: false,
    });
    for (const junk of ["", ".", "a.b.c", "%%.##", `${"A".repeat(5000)}.x`, "W10.abc", "bnVsbA.abc"])
      expect(readToken("click.v2", junk, key)).toBeNull();
    expect(() => signToken("click.v2", {}, "short")).toThrow();
  });
});
