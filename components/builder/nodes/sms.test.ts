import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleContact, sampleTriggers, sampleWorkspace } from "@/emails/samples";
import { renderSms } from "@/server/channels/render-text";
import { smsSegmentCount } from "./sms";

function billed(body: string): number {
  return renderSms({
    workspace: sampleWorkspace,
    contact: sampleContact,
    trigger: sampleTriggers.abandoned_cart_2,
    content: { body, category: "transactional" },
  }).segments.segments;
}

describe("the SMS inspector's segment count", () => {
  it("says what the sender bills: 159 × a plus € is two segments in both", () => {
    const text = "a".repeat(159) + "€";
    expect(smsSegmentCount(text)).toBe(2);
    expect(billed(text)).toBe(2);
    expect(smsSegmentCount("a".repeat(160))).toBe(1);
    expect(smsSegmentCount("’".repeat(160))).toBe(billed("’".repeat(160)));
  });

  it("equals the sender's billed count for any text (property)", () => {
    const char = fc.oneof(
      fc.constantFrom(..."aZ09 .,!?@£$èéÇØÅΔ_ÆßÉÄÖÑÜ§¿äöñüà\n\t".split("")),
      fc.constantFrom(..."€[]{}~^|\\\f".split("")),
      fc.constantFrom(..."‘’“”–—…\u00A0\u2009\u200B×".split("")),
      fc.constantFrom("ç", "😀", "👋🏽", "ж", "中", "\u0301"),
    );
    fc.assert(
      fc.property(
        fc.array(char, { maxLength: 400 }).map((cs) => cs.join("")),
        (text) => {
          fc.pre(!text.includes("{{") && !text.includes("{%"));
          expect(smsSegmentCount(text)).toBe(billed(text));
        },
      ),
      { numRuns: 500 },
    );
  });
});
