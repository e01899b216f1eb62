import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { twilioSignature, verifyTwilioSignature } from "./twilio-signature";

// The worked example from Twilio's security documentation.
const TOKEN = "12345";
const URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS = {
  CallSid: "CA1234567890ABCDE",
  Caller: "+12349013030",
  Digits: "1234",
  From: "+12349013030",
  To: "+18005551212",
};

describe("Twilio signatures", () => {
  it("matches Twilio's documented example", () => {
    expect(twilioSignature(URL, PARAMS, TOKEN)).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  });

  it("sorts names and includes every value of a repeated name", () => {
    const params = new URLSearchParams([
      ["b", "2"],
      ["a", "9"],
      ["a", "1"],
    ]);
    const expected = createHmac("sha1", TOKEN).update("https://x.example/ha1a9b2").digest("base64");
    expect(twilioSignature("https://x.example/h", params, TOKEN)).toBe(expected);
  });

  it("verifies against any of the candidate URLs, with or without the default port", () => {
    const signature = twilioSignature("https://app.example:443/api/webhooks/twilio", PARAMS, TOKEN);
    expect(
      verifyTwilioSignature({
        urls: ["http://internal:3000/api/webhooks/twilio", "https://app.example/api/webhooks/twilio"],
        params: PARAMS,
        signature,
        authToken: TOKEN,
      }),
    ).toBe(true);
  });

  it("refuses a changed parameter, another token, another URL or no signature", () => {
    const signature = twilioSignature(URL, PARAMS, TOKEN);
    expect(
      verifyTwilioSignature({
        urls: [URL],
        params: { ...PARAMS, Digits: "9999" },
        signature,
        authToken: TOKEN,
      }),
    ).toBe(false);
    expect(verifyTwilioSignature({ urls: [URL], params: PARAMS, signature, authToken: "54321" })).toBe(false);
    expect(
      verifyTwilioSignature({
        urls: ["https://mycompany.com/other.php"],
        params: PARAMS,
        signature,
        authToken: TOKEN,
      }),
    ).toBe(false);
    expect(verifyTwilioSignature({ urls: [URL], params: PARAMS, signature: null, authToken: TOKEN })).toBe(
      false,
    );
    expect(verifyTwilioSignature({ urls: [URL], params: PARAMS, signature, authToken: "" })).toBe(false);
  });
});
