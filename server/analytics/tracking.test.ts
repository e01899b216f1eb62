import { createElement } from "react";
import { render } from "@react-email/render";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emailTemplateKeys, emailTemplates } from "@/emails";
import { sampleEmailProps } from "@/server/channels/email-samples";
import { addTracking, readLink, signLink } from "./tracking";

const APP = "https://app.tidings.example";
const KEY = "k".repeat(32);
const MESSAGE = "3f1c0a52-7d0e-4a57-9a4f-0f4c1b9b2a11";
const keep = (url: string) => url.startsWith(`${APP}/u/`);

/** The link rewriting as it was done before the HTML parser, kept as the reference output. */
function regexTracking(html: string): { html: string; links: string[] } {
  const links = new Set<string>();
  const rewritten = html.replace(/href="(https?:\/\/[^"]+)"/g, (whole, raw: string) => {
    const url = raw.replace(/&amp;/g, "&");
    if (keep(url)) return whole;
    links.add(url);
    return `href="${APP}/r/${signLink({ m: MESSAGE, u: url }, KEY)}"`;
  });
  const pixel = `<img src="${APP}/o/${signLink({ m: MESSAGE }, KEY)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" />`;
  const withPixel = rewritten.includes("</body>")
    ? rewritten.replace("</body>", `${pixel}</body>`)
    : rewritten + pixel;
  return { html: withPixel, links: [...links] };
}

describe("addTracking", () => {
  it("gives every email template exactly the tracked HTML it had before", async () => {
    for (const key of emailTemplateKeys) {
      const template = emailTemplates[key];
      const props = sampleEmailProps(key);
      const html = await render(
        createElement(template.component, {
          ...props,
          unsubscribeUrl: `${APP}/u/abc.def`,
          preferencesUrl: `${APP}/u/abc.def/preferences`,
        }),
      );
      const tracked = addTracking(html, { messageId: MESSAGE, appUrl: APP, key: KEY, keep });
      expect(tracked.links.length, key).toBeGreaterThan(0);
      expect(tracked, key).toEqual(regexTracking(html));
    }
  });

  it("reads links in any quoting and case, with entities decoded, and only clickable ones", () => {
    const html =
      `<a HREF='https://shop.example/a?x=1&amp;y=2'>a</a><a href=https://shop.example/b>b</a>` +
      `<link rel="stylesheet" href="https://cdn.example/x.css"><area href="https://shop.example/c">` +
      `<a href="mailto:hi@shop.example">m</a><a data-href="https://nope.example">n</a>`;
    const tracked = addTracking(html, { messageId: MESSAGE, appUrl: APP, key: KEY });
    expect(tracked.links).toEqual([
      "https://shop.example/a?x=1&y=2",
      "https://shop.example/b",
      "https://shop.example/c",
    ]);
    expect(tracked.html).toContain('<link rel="stylesheet" href="https://cdn.example/x.css">');
    expect(tracked.html).toContain('href="mailto:hi@shop.example"');
    expect(tracked.html).toContain('data-href="https://nope.example"');
    const tokens = [...tracked.html.matchAll(/href="https:\/\/app\.tidings\.example\/r\/([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(tokens.map((t) => readLink(t, KEY)?.payload.u)).toEqual(tracked.links);
  });

  it("changes nothing but the link attributes (property)", () => {
    const url = fc.webUrl({ withQueryParameters: true });
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.string({ maxLength: 20 }).map((s) => s.replace(/[<>&"']/g, "")),
            url,
          ),
          { maxLength: 6 },
        ),
        (parts) => {
          const html = `<html><body>${parts.map(([text, u]) => `<p>${text}</p><a href="${u.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}">${text}</a>`).join("")}</body></html>`;
          const tracked = addTracking(html, { messageId: MESSAGE, appUrl: APP, key: KEY });
          expect(tracked.links).toEqual([...new Set(parts.map(([, u]) => u))]);
          const back = tracked.html.replace(
            /href="https:\/\/app\.tidings\.example\/r\/([^"]+)"/g,
            (_w, t: string) => {
              const u = readLink(t, KEY)!.payload.u!;
              return `href="${u.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"`;
            },
          );
          expect(back.replace(/<img src="https:\/\/app\.tidings\.example\/o\/[^"]+"[^>]*\/>/, "")).toBe(html);
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);
});
