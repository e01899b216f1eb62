import { afterEach, describe, expect, it, vi } from "vitest";
import { notifyEventsStored, onEventsStored, type StoredEvent } from "./hooks";

const row = (name: string): StoredEvent => ({
  id: "00000000-0000-4000-8000-000000000001",
  workspaceId: "ws",
  contactId: null,
  anonymousId: "a1",
  name,
  properties: {},
  occurredAt: new Date(0),
  receivedAt: new Date(0),
  idempotencyKey: "k",
  triggeredAt: null,
});

let off: Array<() => void> = [];
afterEach(() => {
  off.forEach((f) => f());
  off = [];
  vi.restoreAllMocks();
});

describe("events-stored hook", () => {
  it("hands the rows to every listener, in order, until it is removed", async () => {
    const calls: string[] = [];
    const removeA = onEventsStored(
      (ws, rows) => void calls.push(`a:${ws}:${rows.map((r) => r.name).join(",")}`),
    );
    off.push(
      removeA,
      onEventsStored((ws) => Promise.resolve(void calls.push(`b:${ws}`))),
    );
    await notifyEventsStored("ws-1", [row("Signed Up"), row("Placed Order")]);
    removeA();
    await notifyEventsStored("ws-2", [row("Signed Up")]);
    expect(calls).toEqual(["a:ws-1:Signed Up,Placed Order", "b:ws-1", "b:ws-2"]);
  });

  it("says nothing when nothing was stored", async () => {
    const listener = vi.fn();
    off.push(onEventsStored(listener));
    await notifyEventsStored("ws", []);
    expect(listener).not.toHaveBeenCalled();
  });

  it("logs a failing listener and carries on with the others; never throws", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const after = vi.fn();
    off.push(
      onEventsStored(() => {
        throw new Error("sync failure");
      }),
      onEventsStored(() => Promise.reject(new Error("async failure"))),
      onEventsStored(after),
    );
    await expect(notifyEventsStored("ws", [row("Signed Up")])).resolves.toBeUndefined();
    expect(after).toHaveBeenCalledOnce();
    expect(log).toHaveBeenCalledTimes(2);
  });

  it("keeps one registry per process, shared across module copies", async () => {
    const listener = vi.fn();
    off.push(onEventsStored(listener));
    vi.resetModules();
    const copy = await import("./hooks");
    await copy.notifyEventsStored("ws", [row("Signed Up")]);
    expect(listener).toHaveBeenCalledOnce();
  });
});
