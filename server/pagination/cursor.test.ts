import { describe, expect, it } from "vitest";
import { z } from "zod";
import { cursorField, decodeCursor, encodeCursor, TimestampKey, UuidKey } from "./cursor";

const Key = z.tuple([TimestampKey, UuidKey]);
const id = "7d3c1d2e-5b6a-4c3d-9e8f-0a1b2c3d4e5f";

describe("page cursors", () => {
  it("carry the last row's sort key, opaque and URL-safe", () => {
    const cursor = encodeCursor("outbox", ["2026-11-27 09:00:00.123456+00", id]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor("outbox", Key, cursor)).toEqual(["2026-11-27 09:00:00.123456+00", id]);
  });

  it("belong to one list", () => {
    const cursor = encodeCursor("contacts", ["2026-11-27 09:00:00+00", id]);
    expect(decodeCursor("outbox", Key, cursor)).toBeNull();
  });

  it("refuse anything that is not a cursor of the list's shape", () => {
    for (const bad of [
      "",
      "not a cursor!",
      "e30",
      encodeCursor("outbox", ["yesterday", id]),
      encodeCursor("outbox", []),
    ])
      expect(decodeCursor("outbox", Key, bad)).toBeNull();
  });

  it("name the cursor field when parsed as input", () => {
    const input = z.object({ cursor: cursorField("outbox", Key).optional() });
    const result = input.safeParse({ cursor: "e30" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["cursor"]);
    expect(input.parse({ cursor: encodeCursor("outbox", ["2026-11-27 09:00:00+00", id]) }).cursor?.[1]).toBe(
      id,
    );
  });
});
