import { createElement } from "react";
import { render } from "@react-email/render";
import { describe, expect, it } from "vitest";
import { checkMergeFields, mergeKeysForTrigger } from "@/server/channels/merge";
import { renderEmail } from "@/server/channels/render-email";
import { sampleEmailProps } from "@/server/channels/email-samples";
import { emailCatalog, emailTemplateKeys, emailTemplates, type EmailTemplateKey } from "./index";
import { sampleTriggers, sampleUnsubscribeUrl } from "./samples";

/** Every href and src value in the HTML. */
function links(html: string): string[] {
  return [...html.matchAll(/\b(?:href|src)="([^"]*)"/g)].map((m) => m[1] ?? "");
}

/** Fails with the offending snippet, not the whole email. */
function expectClean(s: string) {
  const bad = /\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]|\{\{|\{%/.exec(s);
  expect(bad ? s.slice(Math.max(0, bad.index - 60), bad.index + 40) : null).toBeNull();
}

const transactional = new Set<EmailTemplateKey>(["order_confirmation", "shipping_notice"]);

describe("email template registry", () => {
  it("has one template per seed flow email, each with copy of its own category", () => {
    expect(emailTemplateKeys).toHaveLength(21);
    for (const key of emailTemplateKeys) {
      const t = emailTemplates[key];
      expect(t.key).toBe(key);
      expect(t.defaultContent.template).toBe(key);
      expect(t.defaultContent.category).toBe(transactional.has(key) ? "transactional" : "marketing");
      expect(t.name).not.toBe("");
    }
  });

  it("default copy only uses merge fields its sample trigger can fill (or has fallbacks)", () => {
    for (const key of emailTemplateKeys) {
      const content = emailCatalog[key].defaultContent;
      const problems = checkMergeFields(content, mergeKeysForTrigger(sampleTriggers[key].name));
      expect({ key, problems }).toEqual({ key, problems: [] });
    }
  });
});

describe.each(emailTemplateKeys)("template %s", (key) => {
  const template = emailTemplates[key];

  it("renders its sample props with absolute links and no empty values", async () => {
    const props = sampleEmailProps(key);
    const el = createElement(template.component, props);
    const html = await render(el);
    const text = await render(el, { plainText: true });
    expectClean(html);
    expectClean(text);
    expect(html).toContain(props.content.heading.replace(/&/g, "&amp;"));
    const all = links(html);
    expect(all.length).toBeGreaterThan(0);
    for (const l of all) expect(l).toMatch(/^(https?:|mailto:)/);
  });

  it("renders for a contact with no name and an event with missing data", async () => {
    const props = sampleEmailProps(key);
    const out = await renderEmail({
      content: template.defaultContent,
      workspace: { ...props.workspace, logoUrl: undefined, brandColor: "not-a-colour" },
      contact: { email: "someone@example.com" },
      trigger: {
        name: sampleTriggers[key].name,
        properties: {
          cart: { items: [{ title: "Mystery", price: "abc" }] },
          order: { items: [{ title: "Mystery", quantity: "x" }] },
          product: { title: "Mystery", url: "javascript:alert(1)" },
        },
      },
      products: [{ title: "Mystery" }, { name: 42 }, null],
      unsubscribeUrl: sampleUnsubscribeUrl,
    });
    for (const s of [out.subject, out.preheader, out.html, out.text]) expectClean(s);
    for (const l of links(out.html)) expect(l).toMatch(/^(https?:|mailto:)/);
    expect(out.subject.trim()).not.toBe("");
  });

  it("escapes a hostile first name", async () => {
    const props = sampleEmailProps(key);
    const out = await renderEmail({
      content: {
        ...template.defaultContent,
        heading: "Hi {{ first_name }}",
        body: 'Dear {{ first_name | default: "you" }},\n\nthanks.',
      },
      workspace: props.workspace,
      contact: { firstName: "<script>alert(1)</script>", email: "x@example.com" },
      trigger: props.trigger,
      products: props.products,
      unsubscribeUrl: sampleUnsubscribeUrl,
    });
    expect(out.html).not.toContain("<script>alert(1)</script>");
    expect(out.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out.text).toContain("<script>alert(1)</script>");
  });

  it(
    transactional.has(key)
      ? "has no unsubscribe link (transactional)"
      : "has the unsubscribe link and postal address (marketing)",
    async () => {
      const props = sampleEmailProps(key);
      const out = await renderEmail({
        ...props,
        content: template.defaultContent,
        unsubscribeUrl: sampleUnsubscribeUrl,
      });
      expect(out.html).toContain(props.workspace.postalAddress);
      if (transactional.has(key)) {
        expect(out.html.toLowerCase().includes("unsubscribe")).toBe(false);
        expect(out.text.toLowerCase().includes("unsubscribe")).toBe(false);
      } else {
        expect(links(out.html)).toContain(sampleUnsubscribeUrl);
        expect(out.text).toContain(sampleUnsubscribeUrl);
      }
    },
  );
});
