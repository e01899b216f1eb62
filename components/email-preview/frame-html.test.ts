import { describe, expect, it } from "vitest";
import { withLinksInNewTab } from "./frame-html";

describe("withLinksInNewTab", () => {
  it("adds a base target right after <head>", () => {
    expect(
      withLinksInNewTab(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body><a href="https://x">x</a></body></html>',
      ),
    ).toBe(
      '<!DOCTYPE html><html lang="en"><head><base target="_blank"><meta charset="utf-8"></head><body><a href="https://x">x</a></body></html>',
    );
  });

  it("adds a head when there is none, and keeps a fragment working", () => {
    expect(withLinksInNewTab("<html><body>hi</body></html>")).toBe(
      '<html><head><base target="_blank"></head><body>hi</body></html>',
    );
    expect(withLinksInNewTab("<p>hi</p>")).toBe('<base target="_blank"><p>hi</p>');
  });

  it("leaves an email that already sets a base target alone", () => {
    const html = '<html><head><base target="_self"></head></html>';
    expect(withLinksInNewTab(html)).toBe(html);
  });
});
