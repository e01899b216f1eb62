import { describe, expect, it } from "vitest";
import { addTracking } from "@/server/analytics/tracking";
import { linksOf, withoutTracking } from "./outbox";

const APP = "https://app.tidings.example";
const KEY = "k".repeat(32);
const html = [
  "<html><head></head><body>",
  '<a href="https://shop.example/checkout/c_1?utm_source=email&amp;x=1">Return to your cart</a>',
  '<a href="https://shop.example/"><img src="https://cdn.example/logo.png" alt="Shop"></a>',
  `<a href="${APP}/u/abc.def">Unsubscribe</a> · <a href="${APP}/u/abc.def/preferences">Manage preferences</a>`,
  '<a href="mailto:help@shop.example">Email us</a>',
  "</body></html>",
].join("");

describe("withoutTracking", () => {
  it("removes the open pixel and points tracked links at their destinations", () => {
    const tracked = addTracking(html, {
      messageId: "3f1c0a52-7d0e-4a57-9a4f-0f4c1b9b2a11",
      appUrl: APP,
      key: KEY,
      keep: (u) => u.startsWith(`${APP}/u/`),
    });
    expect(tracked.html).toContain(`${APP}/o/`);
    expect(tracked.html).toContain(`${APP}/r/`);
    const shown = withoutTracking(tracked.html, APP, KEY);
    expect(shown).not.toContain(`${APP}/o/`);
    expect(shown).not.toContain(`${APP}/r/`);
    expect(shown).toBe(html);
  });

  it("leaves other links, and everything without an app URL, alone", () => {
    expect(withoutTracking(html, APP, KEY)).toBe(html);
    const odd = `<a href="${APP}/r/not-a-token">x</a>`;
    expect(withoutTracking(odd, APP, KEY)).toBe(odd);
    expect(withoutTracking(`<img src="${APP}/o/x.y">`, undefined, KEY)).toBe(`<img src="${APP}/o/x.y">`);
  });

  it("unwraps only genuine click tokens, and only to http(s) destinations", () => {
    const forged = `${Buffer.from(JSON.stringify({ m: "m", u: "https://evil.example/" })).toString("base64url")}.${"A".repeat(43)}`;
    const link = `<a href="${APP}/r/${forged}">x</a>`;
    expect(withoutTracking(link, APP, KEY)).toBe(link);
    const other = addTracking('<a href="https://shop.example/">x</a>', {
      messageId: "m",
      appUrl: APP,
      key: "o".repeat(32),
    });
    expect(withoutTracking(other.html, APP, KEY)).toContain(`${APP}/r/`);
  });
});

describe("linksOf", () => {
  it("lists web links once, decoded, with the unsubscribe and preference links marked", () => {
    expect(linksOf(html, APP)).toEqual([
      {
        href: "https://shop.example/checkout/c_1?utm_source=email&x=1",
        text: "Return to your cart",
        kind: "link",
      },
      { href: "https://shop.example/", text: "https://shop.example/", kind: "link" },
      { href: `${APP}/u/abc.def`, text: "Unsubscribe", kind: "unsubscribe" },
      { href: `${APP}/u/abc.def/preferences`, text: "Manage preferences", kind: "preferences" },
    ]);
  });

  it("does not mark another site's /u/ links as ours", () => {
    expect(linksOf('<a href="https://elsewhere.example/u/x">x</a>', APP)).toEqual([
      { href: "https://elsewhere.example/u/x", text: "x", kind: "link" },
    ]);
  });
});
