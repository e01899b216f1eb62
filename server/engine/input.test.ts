import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Day, firstUnstorable, int32, isStorableText, jsonByteLength, storableString } from "./input";

const nest = (depth: number) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe("jsonByteLength", () => {
  it("is the UTF-8 length of JSON.stringify for any value", () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const s = JSON.stringify(v);
        if (s !== undefined) expect(jsonByteLength(v)).toBe(Buffer.byteLength(s, "utf8"));
      }),
      { numRuns: 2000 },
    );
  });

  it("counts a value nested 100,000 deep without overflowing the stack, and stops past the limit", () => {
    const deep = nest(100_000);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(jsonByteLength(deep, 32 * 1024)).toBeGreaterThan(32 * 1024);
  });
});

describe("firstUnstorable", () => {
  it("names the path of a NUL, a lone surrogate or a bad key, and accepts storable values", () => {
    expect(firstUnstorable({ a: [1, { b: "x\u0000" }] })?.path).toEqual(["a", 1, "b"]);
    expect(firstUnstorable(["\ud800"])?.path).toEqual([0]);
    expect(firstUnstorable({ "k\u0000": 1 })?.path).toEqual(["k\u0000"]);
    expect(firstUnstorable({ a: "😀", b: [new Date(0), null, 1.5] })).toBeNull();
    expect(firstUnstorable(nest(100_000))?.message).toMatch(/deeper/);
  });

  it("agrees with isStorableText on every string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(firstUnstorable(s) === null).toBe(isStorableText(s));
      }),
    );
  });
});

describe("shared input schemas", () => {
  it("refuse NUL and lone surrogates, keep the usual string methods", () => {
    const name = storableString().trim().min(1, "empty").max(5, "long");
    expect(name.parse(" ab ")).toBe("ab");
    expect(name.safeParse("a\u0000").success).toBe(false);
    expect(name.safeParse("a\udc00").success).toBe(false);
  });

  it("bound integers to a 32-bit column and days to what Postgres stores", () => {
    expect(int32().safeParse(2 ** 31 - 1).success).toBe(true);
    expect(int32().safeParse(2 ** 31).success).toBe(false);
    for (const day of ["0000-01-01", "0001-01-01", "9999-12-31", "1969-12-31"])
      expect(Day.safeParse(day).success, day).toBe(false);
    expect(Day.safeParse("2026-11-23").success).toBe(true);
  });
});
