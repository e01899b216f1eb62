import { describe, expect, it } from "vitest";
import { canSubscribe, nextConsent, type LinkContact } from "./consent";
import { maskAddress } from "./link-pages";
import { mapTwilioStatus } from "./twilio-webhook";

const contact = (
  consent: Partial<LinkContact["consent"]>,
  phone: string | null = "+15550001111",
): LinkContact => ({
  id: "c1",
  email: "maya@example.com",
  phone,
  consent: { email: "subscribed", sms: "subscribed", push: "none", ...consent },
});

describe("preference rules", () => {
  it("turns channels off, and back on only where the contact once opted in", () => {
    expect(nextConsent(contact({}), { email: false, sms: false })).toEqual({
      email: "unsubscribed",
      sms: "unsubscribed",
      push: "none",
    });
    expect(nextConsent(contact({ email: "unsubscribed" }), { email: true })).toMatchObject({
      email: "subscribed",
    });
    expect(nextConsent(contact({ sms: "none" }), { sms: true })).toMatchObject({ sms: "none" });
    expect(nextConsent(contact({ sms: "none" }), { sms: false })).toMatchObject({ sms: "none" });
    expect(nextConsent(contact({}), {})).toEqual(contact({}).consent);
  });

  it("never offers SMS without a phone number", () => {
    expect(canSubscribe(contact({ sms: "unsubscribed" }, null), "sms")).toBe(false);
    expect(canSubscribe(contact({ sms: "unsubscribed" }), "sms")).toBe(true);
  });
});

describe("maskAddress", () => {
  it("keeps enough of an address to recognise it", () => {
    expect(maskAddress("maya.chen@example.com")).toBe("ma•••@example.com");
    expect(maskAddress("m@example.com")).toBe("m•••@example.com");
    expect(maskAddress("+15550001111")).toBe("•••1111");
    expect(maskAddress(null)).toBe("your address");
  });
});

describe("mapTwilioStatus", () => {
  it("maps final statuses and leaves in-flight ones out", () => {
    expect(mapTwilioStatus("delivered", null, null)).toEqual({ type: "delivered" });
    expect(mapTwilioStatus("read", null, null)).toEqual({ type: "opened" });
    expect(mapTwilioStatus("undelivered", "30005", "Unknown destination handset")).toEqual({
      type: "bounced",
      bounce: "hard",
      reason: "Twilio error 30005: Unknown destination handset",
    });
    expect(mapTwilioStatus("failed", "30008", null)).toEqual({
      type: "bounced",
      bounce: "soft",
      reason: "Twilio error 30008",
    });
    expect(mapTwilioStatus("failed", "", null)).toEqual({
      type: "bounced",
      bounce: "soft",
      reason: "Twilio status failed",
    });
    expect(mapTwilioStatus("failed", "21610", null)).toMatchObject({ type: "unsubscribed", optOut: true });
    for (const s of ["queued", "accepted", "sending", "sent", "scheduled", "canceled"])
      expect(mapTwilioStatus(s, null, null)).toBeNull();
  });
});
