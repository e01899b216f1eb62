/**
 * Renders an email step's design once and fills in each contact.
 *
 * A step sent to a whole segment renders the same react-email design thousands of times;
 * only the contact's names, address, drawn coupon code and signed unsubscribe link change.
 * The design is rendered once with a placeholder in each of those places (an ASCII word no
 * text carries, made from a random nonce per cache) and kept, keyed by a hash of everything
 * else the render reads: the template and the step's content, the workspace's brand, the
 * trigger event, the products, which of the contact's fields are empty, and the merged
 * preheader (react-email pads the preview text by its length). Each email is then the kept
 * HTML with every placeholder replaced by the contact's value, escaped exactly as React
 * escapes text and attributes; the plain text the same way, unescaped.
 *
 * The result is byte for byte what `renderEmail` gives (a property test holds this over every
 * template). Whenever that cannot be guaranteed the email is rendered whole instead:
 * - the content does more with a contact's field than print it (a filter other than
 *   `default`, a condition, a loop): the design is not kept;
 * - a placeholder came out of the render changed (upper-cased, cut): the design is not kept
 *   (for the plain text alone, the text is derived from each email's HTML);
 * - a value could render differently from a placeholder: whitespace other than single
 *   spaces, characters a URL would re-encode where the value sits in a link, a token that is
 *   not URL-safe.
 */
import { createHash, randomBytes } from "node:crypto";
import { str } from "@/emails/data";
import type { EmailContact } from "@/emails/types";
import { printsPlainly } from "./merge";
import {
  checkedTemplate,
  mergeForRender,
  plainTextOf,
  renderEmail,
  renderMergedDesign,
  subjectOf,
  type RenderEmailInput,
  type RenderedEmail,
} from "./render-email";

/** The places a contact's own value goes into a design. */
type Slot = "first" | "last" | "email" | "coupon" | "token";
const SLOT_LETTER: Record<Slot, string> = { first: "F", last: "L", email: "E", coupon: "C", token: "U" };
/** Merge fields whose values come from those places. */
const CONTACT_FIELDS = new Set(["first_name", "last_name", "full_name", "email", "coupon", "coupon_code"]);

type Design = {
  html: string;
  /** Null: the plain text is derived from each email's HTML. */
  text: string | null;
  /** Placeholders the HTML holds, and whether any sits inside a tag (a link, an attribute). */
  slots: Array<{ slot: Slot; placeholder: string; inTag: boolean }>;
};

const MAX_DESIGNS = 2_000;

/** Only single spaces between non-space characters: whitespace handling cannot tell it apart. */
const PLAIN_TEXT_VALUE =
  /^[^\s\u00ad\u180e\u200b-\u200d\u2060\ufeff\ue000-\uf8ff]+(?: [^\s\u00ad\u180e\u200b-\u200d\u2060\ufeff\ue000-\uf8ff]+)*$/;
/**
 * Characters every URL serialisation keeps as they are, URLSearchParams' form encoding included
 * (a link whose query a template rebuilds, as the rating stars do, turns `@` into `%40`).
 */
const URL_INERT_VALUE = /^[A-Za-z0-9._*-]+$/;
const TOKEN = /^[A-Za-z0-9_.-]+$/;

const REACT_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#x27;",
};

/** How React writes a string into text or an attribute. */
export function escapeLikeReact(s: string): string {
  return s.replace(/[&<>"']/g, (c) => REACT_ESCAPES[c] ?? c);
}

export type EmailDesignStats = { renders: number; filled: number; designs: number };

export class EmailDesignCache {
  private readonly nonce = randomBytes(8).toString("hex");
  private readonly designs = new Map<string, Design | null>();
  private renders = 0;
  private filled = 0;

  stats(): EmailDesignStats {
    return { renders: this.renders, filled: this.filled, designs: this.designs.size };
  }

  private placeholder(slot: Slot): string {
    return `Zq${this.nonce}${SLOT_LETTER[slot]}Xk`;
  }

  /** The same email `renderEmail(input)` renders, from a kept design when it can be. */
  async render(input: RenderEmailInput): Promise<RenderedEmail> {
    const values = this.values(input);
    if (!values) return this.whole(input);
    const component = checkedTemplate(input);
    const merged = mergeForRender(input);
    const key = designKey(input, values, merged.preheader);
    let design = this.designs.get(key);
    if (design === undefined) {
      design = await this.renderDesign(input, values, merged.preheader, component);
      if (this.designs.size >= MAX_DESIGNS) this.designs.clear();
      this.designs.set(key, design);
    }
    if (!design) return this.whole(input);
    let html = design.html;
    let text = design.text;
    for (const { slot, placeholder, inTag } of design.slots) {
      const value = values.filled[slot];
      if (value === undefined || !PLAIN_TEXT_VALUE.test(value)) return this.whole(input);
      if (inTag && slot !== "token" && !URL_INERT_VALUE.test(value)) return this.whole(input);
      html = html.replaceAll(placeholder, escapeLikeReact(value));
      if (text !== null) text = text.replaceAll(placeholder, value);
    }
    this.filled++;
    return {
      subject: subjectOf(merged, input.workspace),
      preheader: merged.preheader,
      html,
      text: text ?? plainTextOf(html),
    };
  }

  private whole(input: RenderEmailInput) {
    this.renders++;
    return renderEmail(input);
  }

  /** The contact's values, or null when a link is not the signed one a design can take. */
  private values(input: RenderEmailInput) {
    const filled: Partial<Record<Slot, string>> = {};
    const first = str(input.contact.firstName);
    const last = str(input.contact.lastName);
    const email = str(input.contact.email);
    if (first !== undefined) filled.first = first;
    if (last !== undefined) filled.last = last;
    if (email !== undefined) filled.email = email;
    if (input.coupon) filled.coupon = input.coupon.code;
    let linkBase: string | null = null;
    let preferences = false;
    if (input.content.category === "marketing" && input.unsubscribeUrl !== undefined) {
      const at = input.unsubscribeUrl.lastIndexOf("/u/");
      if (at < 0) return null;
      const token = input.unsubscribeUrl.slice(at + 3);
      if (!TOKEN.test(token)) return null;
      if (input.preferencesUrl !== undefined) {
        if (input.preferencesUrl !== `${input.unsubscribeUrl}/preferences`) return null;
        preferences = true;
      }
      linkBase = input.unsubscribeUrl.slice(0, at + 3);
      filled.token = token;
    }
    return { filled, linkBase, preferences };
  }

  private async renderDesign(
    input: RenderEmailInput,
    values: NonNullable<ReturnType<EmailDesignCache["values"]>>,
    preheader: string,
    component: ReturnType<typeof checkedTemplate>,
  ): Promise<Design | null> {
    if (!printsPlainly(input.content, CONTACT_FIELDS)) return null;
    const p = (slot: Slot) => this.placeholder(slot);
    const { filled } = values;
    const contact: EmailContact = {
      firstName: filled.first !== undefined ? p("first") : input.contact.firstName,
      lastName: filled.last !== undefined ? p("last") : input.contact.lastName,
      email: filled.email !== undefined ? p("email") : input.contact.email,
    };
    const unsubscribeUrl =
      values.linkBase !== null ? `${values.linkBase}${p("token")}` : input.unsubscribeUrl;
    const withPlaceholders: RenderEmailInput = {
      ...input,
      contact,
      coupon: input.coupon ? { code: p("coupon"), expiresAt: input.coupon.expiresAt } : input.coupon,
      unsubscribeUrl,
      preferencesUrl: values.preferences ? `${unsubscribeUrl}/preferences` : input.preferencesUrl,
    };
    // The preview text is padded by its length: it goes in as the contact's own (it is in the key).
    const merged = { ...mergeForRender(withPlaceholders), preheader };
    const { html, text } = await renderMergedDesign(component, withPlaceholders, merged);
    const slots: Design["slots"] = [];
    for (const slot of Object.keys(filled) as Slot[]) {
      const placeholder = p(slot);
      if (!html.includes(placeholder)) continue;
      slots.push({ slot, placeholder, inTag: insideTag(html, placeholder) });
    }
    if (!intact(html, this.nonce, slots)) return null;
    return { html, text: intact(text, this.nonce, slots) ? text : null, slots };
  }
}

/** Every trace of a placeholder in `out` is a whole, unchanged placeholder. */
function intact(out: string, nonce: string, slots: Design["slots"]): boolean {
  const traces = count(out.toLowerCase(), nonce.toLowerCase());
  const whole = slots.reduce((n, s) => n + count(out, s.placeholder), 0);
  return traces === whole;
}

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** Whether any occurrence sits between a `<` and its `>` (an attribute value). */
function insideTag(html: string, placeholder: string): boolean {
  for (let at = html.indexOf(placeholder); at >= 0; at = html.indexOf(placeholder, at + 1)) {
    if (html.lastIndexOf("<", at) > html.lastIndexOf(">", at)) return true;
  }
  return false;
}

/** Everything the design reads besides the contact's own values. */
function designKey(
  input: RenderEmailInput,
  values: NonNullable<ReturnType<EmailDesignCache["values"]>>,
  preheader: string,
): string {
  const parts = [
    input.content,
    input.workspace,
    input.trigger,
    input.products ?? null,
    input.coupon ? { expiresAt: input.coupon.expiresAt } : input.coupon === null ? null : "none",
    Object.keys(values.filled).sort(),
    values.linkBase,
    values.preferences,
    // Transactional mail carries no unsubscribe link: the ones given are not rendered.
    preheader,
  ];
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url");
}
