import { describe, expect, it } from "vitest";
import { isTransientConflict } from "./executor";

describe("isTransientConflict", () => {
  it("knows Postgres's deadlock and serialization failures, wrapped or not", () => {
    expect(isTransientConflict(Object.assign(new Error("deadlock detected"), { code: "40P01" }))).toBe(true);
    expect(
      isTransientConflict(
        new Error("Failed query", {
          cause: Object.assign(new Error("could not serialize access"), { code: "40001" }),
        }),
      ),
    ).toBe(true);
  });

  it("leaves every other error to be reported", () => {
    expect(isTransientConflict(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isTransientConflict(new Error("boom"))).toBe(false);
    expect(isTransientConflict(null)).toBe(false);
    expect(isTransientConflict("40P01")).toBe(false);
  });
});
