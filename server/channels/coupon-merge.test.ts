/** `{{ coupon.code }}` and `{{ coupon.expires_at }}`: the code a message drew, as the customer reads it. */
import { describe, expect, it } from "vitest";
import { sampleContact, sampleTriggers, sampleWorkspace } from "@/emails/samples";
import { checkMergeFields, couponMergeValue, mergeEmailContent, mergeKeysForTrigger } from "./merge";
import { renderSms } from "./render-text";

const drawn = { code: "BDAY-7KQ2M9XD", expiresAt: "2026-03-31T23:59:59.999Z" };

describe("coupon merge fields", () => {
  it("prints the code and its expiry as a date, the same in every time zone", () => {
    expect(couponMergeValue(drawn)).toEqual({ code: "BDAY-7KQ2M9XD", expires_at: "March 31, 2026" });
    expect(couponMergeValue({ code: "FOREVER", expiresAt: null })).toEqual({
      code: "FOREVER",
      expires_at: undefined,
    });
    expect(couponMergeValue(null)).toBeUndefined();
  });

  it("an SMS prints the drawn code", () => {
    const sms = renderSms({
      content: {
        body: "Your code {{ coupon.code }} works until {{ coupon.expires_at }}. Reply STOP to opt out.",
        category: "marketing",
        couponPool: "p",
      },
      workspace: sampleWorkspace,
      contact: sampleContact,
      trigger: sampleTriggers.birthday,
      coupon: drawn,
    });
    expect(sms.body).toContain("Your code BDAY-7KQ2M9XD works until March 31, 2026.");
  });

  it("an email's coupon block takes {{ coupon.code }}", () => {
    const merged = mergeEmailContent(
      {
        template: "birthday",
        subject: "A gift: {{ coupon.code }}",
        preheader: "",
        heading: "",
        body: "Yours until {{ coupon.expires_at }}.",
        buttonText: "",
        buttonUrl: "",
        couponCode: "{{ coupon.code }}",
        couponPool: "p",
        productSource: "none",
        category: "marketing",
      },
      {
        workspace: sampleWorkspace,
        contact: sampleContact,
        trigger: { name: "", properties: {} },
        coupon: drawn,
      },
    );
    expect([merged.subject, merged.body, merged.couponCode]).toEqual([
      "A gift: BDAY-7KQ2M9XD",
      "Yours until March 31, 2026.",
      "BDAY-7KQ2M9XD",
    ]);
  });

  it("coupon fields are available only to a step with a pool", () => {
    const body = "Code {{ coupon.code }}";
    expect(checkMergeFields({ body }, mergeKeysForTrigger(undefined)).map((p) => p.severity)).toEqual([
      "error",
    ]);
    expect(
      checkMergeFields({ body, couponPool: "p" }, mergeKeysForTrigger(undefined, { hasCouponPool: true })),
    ).toEqual([]);
  });
});
