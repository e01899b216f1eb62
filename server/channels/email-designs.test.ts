import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emailCatalog, emailTemplateKeys, type EmailTemplateKey } from "@/emails/catalog";
import { sampleContact, sampleProducts, sampleTriggers, sampleWorkspace } from "@/emails/samples";
import type { EmailContent } from "@/emails/types";
import { EmailDesignCache, escapeLikeReact } from "./email-designs";
import { renderEmail, type RenderEmailInput } from "./render-email";

const APP = "https://app.tidings.example";

/** Names and addresses as shops really hold them, and as they sometimes arrive. */
const text = fc.oneof(
  fc.constantFrom(
    "Maya",
    "Zoë",
    "O'Brien",
    "Ana María",
    "Jean-Luc",
    "李",
    "Tom & Jerry",
    '<b>"Bo"</b>',
    "A  B",
    " x ",
  ),
  fc.string({ maxLength: 12 }),
  fc.constantFrom("", "   ", null, undefined),
);
const email = fc.oneof(
  fc.constantFrom("maya@example.com", "o'brien+tea@example.co.uk", "a&b@example.com", "x y@example.com"),
  fc.emailAddress(),
);
const coupon = fc.oneof(
  fc.constant(null),
  fc.record({
    code: fc.oneof(fc.constantFrom("BF-7K2Q9", "SAVE<10>", "a b", ""), fc.string({ maxLength: 10 })),
    expiresAt: fc.constantFrom(null, "2026-12-31T00:00:00.000Z"),
  }),
);
const token = fc.oneof(
  fc.constantFrom("eyJ3IjoxfQ.c2ln-_x", "abc.def"),
  fc.stringMatching(/^[A-Za-z0-9_-]{4,20}\.[A-Za-z0-9_-]{4,20}$/),
);

/** The catalog's copy, and copy that prints the contact's fields everywhere, in every way. */
function variants(key: EmailTemplateKey): EmailContent[] {
  const base = emailCatalog[key].defaultContent;
  return [
    base,
    {
      ...base,
      subject: "{{ first_name | default: 'there' }}, for you",
      preheader: "Hi {{ full_name }} <{{ email }}>",
      heading: "Hello {{ first_name }} {{ last_name | default: '' }}",
      body: "Dear {{ full_name | default: 'friend' }},\n\nYour code: {{ coupon.code }} (until {{ coupon.expires_at }}).\n\nWritten to {{ email }}.",
      buttonText: "Go, {{ first_name }}",
      buttonUrl: "{{ shop.url }}/welcome?who={{ email }}&c={{ coupon.code }}",
      couponCode: "{{ coupon.code | default: 'NONE' }}",
    },
    {
      ...base,
      heading: "{{ first_name | upcase }}",
      body: "{% if first_name %}Hi {{ first_name }}{% else %}Hi{% endif %}\n\n{{ email | size }}",
    },
  ];
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const cases = emailTemplateKeys.flatMap((key) => variants(key).map((content) => ({ key, content })));

describe("rendering a step's design once", () => {
  it("gives every email byte for byte what a whole render gives, for every template", async () => {
    const cache = new EmailDesignCache();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...cases),
        fc.record({ firstName: text, lastName: text, email }),
        coupon,
        token,
        fc.boolean(),
        async ({ key, content }, contact, drawn, tok, withProducts) => {
          const input: RenderEmailInput = {
            content,
            workspace: sampleWorkspace,
            contact: { ...contact, email: contact.email },
            trigger: sampleTriggers[key],
            products: withProducts ? sampleProducts : undefined,
            coupon: drawn,
            unsubscribeUrl: `${APP}/u/${tok}`,
            preferencesUrl: `${APP}/u/${tok}/preferences`,
          };
          const whole = await renderEmail(input);
          const once = await cache.render(input);
          expect(once).toEqual(whole);
          expect(once.html).toBe(whole.html);
          expect(once.text).toBe(whole.text);
        },
      ),
      { numRuns: RUNS },
    );
    // The check is only worth something if many emails came from a kept design (a third of the
    // cases print a field through a filter, and random names often need a whole render).
    expect(cache.stats().filled).toBeGreaterThan(RUNS / 5);
  }, 120_000);

  it("renders a segment's offer once and fills in each customer", async () => {
    const cache = new EmailDesignCache();
    const content = emailCatalog.seasonal_offer.defaultContent;
    for (const [i, name] of ["Maya", "Luca", "O'Brien", "Zoë"].entries()) {
      const input: RenderEmailInput = {
        content,
        workspace: sampleWorkspace,
        contact: { ...sampleContact, firstName: name, email: `c${i}@example.com` },
        trigger: sampleTriggers.seasonal_offer,
        unsubscribeUrl: `${APP}/u/tok${i}.sig${i}`,
        preferencesUrl: `${APP}/u/tok${i}.sig${i}/preferences`,
      };
      expect(await cache.render(input)).toEqual(await renderEmail(input));
    }
    expect(cache.stats()).toEqual({ renders: 0, filled: 4, designs: 1 });
  });

  it("renders whole what it cannot fill in safely: a field through a filter or a condition", async () => {
    const cache = new EmailDesignCache();
    const input: RenderEmailInput = {
      content: { ...emailCatalog.welcome.defaultContent, heading: "{{ first_name | upcase }}" },
      workspace: sampleWorkspace,
      contact: sampleContact,
      trigger: sampleTriggers.welcome,
      unsubscribeUrl: `${APP}/u/a.b`,
    };
    const out = await cache.render(input);
    expect(out.html).toContain("MAYA");
    expect(cache.stats().renders).toBe(1);
  });

  it("escapes like React", () => {
    expect(escapeLikeReact(`a&<>"'b`)).toBe("a&amp;&lt;&gt;&quot;&#x27;b");
  });
});
