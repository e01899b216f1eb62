import { describe, expect, it } from "vitest";
import { emailCatalog } from "@/emails/catalog";
import {
  sampleContact,
  sampleProducts,
  sampleTriggers,
  sampleUnsubscribeUrl,
  sampleWorkspace,
} from "@/emails/samples";
import type { EmailContent } from "@/emails/types";
import { EmailRenderError, renderEmail } from "./render-email";

const base = {
  workspace: sampleWorkspace,
  contact: sampleContact,
  trigger: sampleTriggers.abandoned_cart_3,
  products: sampleProducts,
  unsubscribeUrl: sampleUnsubscribeUrl,
};
const cart3: EmailContent = emailCatalog.abandoned_cart_3.defaultContent;

describe("renderEmail", () => {
  it("merges subject, preheader and body and renders the cart with the coupon", async () => {
    const out = await renderEmail({ ...base, content: cart3 });
    expect(out.subject).toBe("Here’s 10% off to finish your order");
    expect(out.preheader).toBe("Last chance — your cart expires soon.");
    expect(out.html).toContain("Maya, we’d love for you to have these.");
    expect(out.html).toContain("COMEBACK10");
    expect(out.html).toContain('href="https://shop.leafandkettle.example/checkout/c_81234"');
    expect(out.html).toContain("Organic Sencha Green Tea");
    expect(out.html).toContain("$18.00");
    expect(out.text).toContain("Use my 10% off https://shop.leafandkettle.example/checkout/c_81234");
    expect(out.text).not.toContain("<");
  });

  it("keeps the subject on one line and falls back when it merges to nothing", async () => {
    const multi = await renderEmail({ ...base, content: { ...cart3, subject: "Hi\r\n{{ first_name }}" } });
    expect(multi.subject).toBe("Hi Maya");
    const empty = await renderEmail({
      ...base,
      contact: { email: "x@example.com" },
      content: { ...cart3, subject: "{{ first_name }}" },
    });
    expect(empty.subject).toBe(cart3.heading);
  });

  it("resolves relative links against the shop and drops unsafe ones", async () => {
    const rel = await renderEmail({ ...base, content: { ...cart3, buttonUrl: "/collections/tea" } });
    expect(rel.html).toContain('href="https://shop.leafandkettle.example/collections/tea"');
    const evil = await renderEmail({ ...base, content: { ...cart3, buttonUrl: "javascript:alert(1)" } });
    expect(evil.html).not.toContain("javascript:");
    expect(evil.html).toContain('href="https://shop.leafandkettle.example/"');
  });

  it("shows recommendations when the content asks for them", async () => {
    const out = await renderEmail({ ...base, content: { ...cart3, productSource: "recommendations" } });
    expect(out.html).toContain("Ceremonial Matcha");
    expect(out.html).toContain("$72.00"); // compare-at price of the teapot
    const none = await renderEmail({ ...base, content: { ...cart3, productSource: "none" } });
    expect(none.html).not.toContain("Organic Sencha Green Tea");
  });

  it("needs an unsubscribe link for marketing mail and drops it from transactional mail", async () => {
    await expect(renderEmail({ ...base, unsubscribeUrl: undefined, content: cart3 })).rejects.toThrow(
      EmailRenderError,
    );
    await expect(renderEmail({ ...base, unsubscribeUrl: "/u/relative", content: cart3 })).rejects.toThrow(
      EmailRenderError,
    );
    const tx = await renderEmail({
      ...base,
      trigger: sampleTriggers.order_confirmation,
      content: emailCatalog.order_confirmation.defaultContent,
      preferencesUrl: "https://app.example/p",
    });
    expect(tx.html).not.toContain(sampleUnsubscribeUrl);
    expect(tx.html).not.toContain("https://app.example/p");
    expect(tx.subject).toBe("Order #1042 confirmed");
  });

  it("refuses an unknown template", async () => {
    await expect(renderEmail({ ...base, content: { ...cart3, template: "nope" } })).rejects.toThrow(
      /Unknown email template/,
    );
  });

  it("uses the brand colour and logo, with a safe fallback colour", async () => {
    const branded = await renderEmail({
      ...base,
      workspace: { ...sampleWorkspace, logoUrl: "/logo.png" },
      content: cart3,
    });
    expect(branded.html).toContain("background-color:#2f855a");
    expect(branded.html).toContain('src="https://shop.leafandkettle.example/logo.png"');
    const injected = await renderEmail({
      ...base,
      workspace: { ...sampleWorkspace, brandColor: "red;background:url(https://x)" },
      content: cart3,
    });
    expect(injected.html).not.toContain("url(https://x)");
    expect(injected.html).toContain("background-color:#4f46e5");
  });
});
