import { describe, expect, it } from "vitest";
import {
  customRange,
  edgeShareLabel,
  nodeStatCells,
  presetRange,
  skipReasonLabel,
  skipReasons,
  type NodeStatsLike,
} from "./format";

const zero: NodeStatsLike = {
  entered: 0,
  waiting: 0,
  passed: 0,
  exited: 0,
  sent: 0,
  delivered: 0,
  opened: 0,
  clicked: 0,
  bounced: 0,
  unsubscribed: 0,
  skipped: {},
  conversions: 0,
  revenueCents: 0,
};

describe("analytics formatting", () => {
  it("says skip reasons the way a marketer does, most common first", () => {
    expect(skipReasonLabel("no_consent")).toBe("No consent");
    expect(skipReasonLabel("smart_sending")).toBe("Smart sending");
    expect(skipReasonLabel("suppressed")).toBe("Suppressed");
    expect(skipReasonLabel("quiet_hours")).toBe("Quiet hours");
    expect(skipReasonLabel("cancelled")).toBe("Left the flow first");
    expect(skipReasonLabel("brand_new_reason")).toBe("Brand new reason");
    expect(skipReasons({ suppressed: 2, no_consent: 40, smart_sending: 7, no_address: 0 })).toEqual([
      { key: "no_consent", label: "No consent", count: 40 },
      { key: "smart_sending", label: "Smart sending", count: 7 },
      { key: "suppressed", label: "Suppressed", count: 2 },
    ]);
  });

  it("labels a branch edge with its share and count", () => {
    expect(edgeShareLabel({ count: 1204, share: 0.62 })).toBe("62% · 1,204");
    expect(edgeShareLabel(undefined)).toBe("0% · 0");
  });

  it("turns presets into days, today included, and checks a custom range", () => {
    const now = Date.UTC(2026, 10, 23, 18, 30);
    expect(presetRange("7d", now)).toEqual({ from: "2026-11-17", to: "2026-11-23" });
    expect(presetRange("30d", now)).toEqual({ from: "2026-10-25", to: "2026-11-23" });
    expect(presetRange("90d", now)).toEqual({ from: "2026-08-26", to: "2026-11-23" });
    expect(presetRange("all", now)).toEqual({});
    expect(customRange("2026-11-01", "2026-11-10")).toEqual({
      range: { from: "2026-11-01", to: "2026-11-10" },
    });
    expect(customRange("2026-11-01", "")).toEqual({ range: { from: "2026-11-01" } });
    expect(customRange("2026-11-10", "2026-11-01")).toEqual({
      error: "The end date is before the start date",
    });
    expect(customRange("2026-02-30", "")).toEqual({ error: "The start date is not a date" });
    expect(customRange("", "tomorrow")).toEqual({ error: "The end date is not a date" });
  });

  it("gives every step the flow counts, and message steps their delivery, engagement, money and skips", () => {
    const wait = nodeStatCells("wait", { ...zero, entered: 10, waiting: 3, passed: 6, exited: 1 });
    expect(wait.message).toBeNull();
    expect(wait.flow.map((c) => [c.label, c.value])).toEqual([
      ["Entered", "10"],
      ["Waiting", "3"],
      ["Passed on", "6"],
      ["Exited", "1"],
    ]);

    const email = nodeStatCells(
      "email",
      {
        ...zero,
        sent: 1000,
        delivered: 800,
        opened: 400,
        clicked: 80,
        bounced: 12,
        unsubscribed: 3,
        skipped: { no_consent: 5, smart_sending: 9 },
        conversions: 14,
        revenueCents: 123_450,
      },
      "EUR",
    );
    const cells = Object.fromEntries(email.message!.cells.map((c) => [c.key, [c.value, c.detail]]));
    expect(cells).toEqual({
      sent: ["1,000", undefined],
      delivered: ["800", "80%"],
      bounced: ["12", undefined],
      opened: ["400", "50%"], // of the delivered
      clicked: ["80", "10%"],
      unsubscribed: ["3", undefined],
    });
    expect(email.message!.conversions).toEqual({ count: "14", revenue: "€1,234.50" });
    expect(email.message!.skipped).toEqual({
      total: 14,
      reasons: [
        { key: "smart_sending", label: "Smart sending", count: 9 },
        { key: "no_consent", label: "No consent", count: 5 },
      ],
    });

    // No delivery reports (an outbox or an SMS provider without them): rates of the sent.
    const sms = nodeStatCells("sms", { ...zero, sent: 200, clicked: 30 });
    expect(sms.message!.cells.find((c) => c.key === "clicked")?.detail).toBe("15%");
  });
});
