import { describe, expect, it } from "vitest";
import { timeOrderedId } from "./time-ordered-id";

describe("time-ordered ids", () => {
  it("are UUIDv7 whose text sorts by the millisecond they were made in", () => {
    const a = timeOrderedId(Date.UTC(2026, 11, 3, 12, 0, 0, 1));
    const b = timeOrderedId(Date.UTC(2026, 11, 3, 12, 0, 0, 2));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(a.slice(0, 13).replace("-", "")).toBe(
      Date.UTC(2026, 11, 3, 12, 0, 0, 1).toString(16).padStart(12, "0"),
    );
    expect(new Set(Array.from({ length: 1000 }, () => timeOrderedId())).size).toBe(1000);
  });
});
