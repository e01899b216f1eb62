/**
 * Pure helpers that turn loosely shaped event data into the typed, safe values the
 * templates and merge fields use: absolute links only, numbers that are numbers,
 * no `undefined` / `null` / `NaN` ever reaching the output.
 */
import type {
  Address,
  Cart,
  CartItem,
  EmailContact,
  EmailTemplateProps,
  EmailWorkspace,
  Order,
  Product,
  ProductSource,
  TriggerEvent,
} from "./types";

export const DEFAULT_BRAND_COLOR = "#4f46e5";
export const DEFAULT_CURRENCY = "USD";

type Loose = Record<string, unknown>;

function isRecord(v: unknown): v is Loose {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A trimmed non-empty string, or undefined. Numbers are accepted as ids. */
export function str(v: unknown): string | undefined {
  if (typeof v === "string") {
    const t = v.trim();
    return t === "" ? undefined : t;
  }
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A finite number (numeric strings accepted), or undefined. */
export function num(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/**
 * Resolves `url` against `base` and returns it only if the result is an http(s) or
 * mailto link. `javascript:`, `data:` and unparsable values come back undefined.
 */
export function absoluteUrl(url: unknown, base: string): string | undefined {
  const raw = typeof url === "string" ? str(url) : undefined;
  if (raw === undefined) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(raw, shopBase(base));
  } catch {
    return undefined;
  }
  return ALLOWED_PROTOCOLS.has(resolved.protocol) ? resolved.href : undefined;
}

/** The shop base as an absolute URL with a trailing slash, for `new URL(rel, base)`. */
function shopBase(base: string): string | undefined {
  try {
    const u = new URL(base);
    if (u.protocol !== "http:" && u.protocol !== "https:") return undefined;
    if (!u.pathname.endsWith("/")) u.pathname = `${u.pathname}/`;
    return u.href;
  } catch {
    return undefined;
  }
}

/** The shop's home page link (the workspace appUrl, normalised). */
export function shopUrl(workspace: EmailWorkspace): string {
  return absoluteUrl(workspace.appUrl, workspace.appUrl) ?? "https://example.com/";
}

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export function brandColor(color: string | undefined | null): string {
  return color && HEX_COLOR.test(color) ? color : DEFAULT_BRAND_COLOR;
}

/** White or near-black text, whichever reads better on `background`. */
export function textColorOn(background: string): string {
  let hex = brandColor(background).slice(1);
  if (hex.length === 3) hex = hex.replace(/./g, (c) => c + c);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return luminance > 0.45 ? "#111827" : "#ffffff";
}

const CURRENCY_CODE = /^[A-Z]{3}$/;

export function currencyCode(v: unknown, fallback: string = DEFAULT_CURRENCY): string {
  const c = str(v)?.toUpperCase();
  return c && CURRENCY_CODE.test(c) ? c : fallback;
}

/** `$24.00`; an empty string for a missing amount, never `NaN`. */
export function formatMoney(amount: number | undefined, currency: string = DEFAULT_CURRENCY): string {
  if (amount === undefined || !Number.isFinite(amount)) return "";
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

export function firstName(contact: EmailContact): string | undefined {
  return str(contact.firstName);
}

export function fullName(contact: EmailContact): string | undefined {
  const parts = [str(contact.firstName), str(contact.lastName)].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(" ") : undefined;
}

/** The nested object `properties[key]` if the event carries one, else the properties themselves. */
function section(trigger: TriggerEvent, key: string, marker: string): Loose | undefined {
  const props = isRecord(trigger.properties) ? trigger.properties : {};
  const nested = props[key];
  if (isRecord(nested)) return nested;
  return marker in props ? props : undefined;
}

function readItem(v: unknown, base: string): CartItem | undefined {
  if (!isRecord(v)) return undefined;
  const title = str(v.title) ?? str(v.name);
  if (title === undefined) return undefined;
  const productId = str(v.product_id) ?? str(v.id) ?? title;
  const quantity = Math.max(1, Math.round(num(v.quantity) ?? 1));
  const url = absoluteUrl(v.url, base) ?? shopBase(base) ?? "https://example.com/";
  const image = absoluteUrl(v.image_url, base);
  const item: CartItem = { product_id: productId, title, price: num(v.price) ?? 0, quantity, url };
  if (image !== undefined && !image.startsWith("mailto:")) item.image_url = image;
  return item;
}

function readItems(v: unknown, base: string): CartItem[] {
  return Array.isArray(v)
    ? v.map((i) => readItem(i, base)).filter((i): i is CartItem => i !== undefined)
    : [];
}

function itemsTotal(items: CartItem[]): number {
  return Math.round(items.reduce((sum, i) => sum + i.price * i.quantity, 0) * 100) / 100;
}

export function readCart(trigger: TriggerEvent, workspace: EmailWorkspace): Cart | undefined {
  const raw = section(trigger, "cart", "checkout_url") ?? section(trigger, "cart", "cart_id");
  if (raw === undefined) return undefined;
  const base = workspace.appUrl;
  const items = readItems(raw.items, base);
  return {
    cart_id: str(raw.cart_id) ?? str(raw.id) ?? "",
    items,
    value: num(raw.value) ?? itemsTotal(items),
    currency: currencyCode(raw.currency, currencyCode(workspace.currency)),
    checkout_url: absoluteUrl(raw.checkout_url, base) ?? absoluteUrl("cart", base) ?? shopUrl(workspace),
  };
}

function readAddress(v: unknown): Address | undefined {
  if (typeof v === "string") {
    const line = str(v);
    return line === undefined ? undefined : { address1: line };
  }
  if (!isRecord(v)) return undefined;
  const a: Address = {};
  const name = str(v.name) ?? ([str(v.first_name), str(v.last_name)].filter(Boolean).join(" ") || undefined);
  if (name) a.name = name;
  const fields: Array<[keyof Address, unknown]> = [
    ["address1", v.address1 ?? v.line1],
    ["address2", v.address2 ?? v.line2],
    ["city", v.city],
    ["province", v.province ?? v.state ?? v.region],
    ["zip", v.zip ?? v.postal_code],
    ["country", v.country],
  ];
  for (const [k, value] of fields) {
    const s = str(value);
    if (s !== undefined) a[k] = s;
  }
  return Object.keys(a).length > 0 ? a : undefined;
}

/** Address lines for display, empty parts skipped. */
export function addressLines(a: Address | undefined): string[] {
  if (!a) return [];
  const cityLine = [a.city, [a.province, a.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return [a.name, a.address1, a.address2, cityLine, a.country].filter((l): l is string => !!l);
}

export function readOrder(trigger: TriggerEvent, workspace: EmailWorkspace): Order | undefined {
  const raw = section(trigger, "order", "order_id");
  if (raw === undefined) return undefined;
  const base = workspace.appUrl;
  const items = readItems(raw.items, base);
  const order: Order = {
    order_id: str(raw.order_id) ?? str(raw.id) ?? "",
    items,
    value: num(raw.value) ?? num(raw.total) ?? itemsTotal(items),
    currency: currencyCode(raw.currency, currencyCode(workspace.currency)),
  };
  const optionalNumbers = ["subtotal", "shipping", "tax", "discount"] as const;
  for (const k of optionalNumbers) {
    const n = num(raw[k]);
    if (n !== undefined) order[k] = n;
  }
  const address = readAddress(raw.shipping_address);
  if (address) order.shipping_address = address;
  const tracking = absoluteUrl(raw.tracking_url, base);
  if (tracking) order.tracking_url = tracking;
  const carrier = str(raw.carrier);
  if (carrier) order.carrier = carrier;
  const orderUrl = absoluteUrl(raw.order_url, base);
  if (orderUrl) order.order_url = orderUrl;
  return order;
}

export function readProduct(v: unknown, base: string): Product | undefined {
  if (!isRecord(v)) return undefined;
  const title = str(v.title) ?? str(v.name);
  if (title === undefined) return undefined;
  const p: Product = {
    product_id: str(v.product_id) ?? str(v.id) ?? title,
    title,
    url: absoluteUrl(v.url, base) ?? shopBase(base) ?? "https://example.com/",
  };
  const price = num(v.price);
  if (price !== undefined) p.price = price;
  const compareAt = num(v.compare_at_price);
  if (compareAt !== undefined && price !== undefined && compareAt > price) p.compare_at_price = compareAt;
  const image = absoluteUrl(v.image_url, base);
  if (image !== undefined && !image.startsWith("mailto:")) p.image_url = image;
  return p;
}

/** The product the event is about (`Viewed Product`, back in stock, …). */
export function readTriggerProduct(trigger: TriggerEvent, workspace: EmailWorkspace): Product | undefined {
  const raw = section(trigger, "product", "product_id");
  return raw === undefined ? undefined : readProduct(raw, workspace.appUrl);
}

export function readProducts(products: readonly unknown[] | undefined, workspace: EmailWorkspace): Product[] {
  return (products ?? [])
    .map((p) => readProduct(p, workspace.appUrl))
    .filter((p): p is Product => p !== undefined);
}

/** A product shown in a grid, optionally with the quantity the contact chose. */
export type DisplayProduct = Product & { quantity?: number };

export type EmailData = {
  shopName: string;
  shopUrl: string;
  color: string;
  onColor: string;
  logoUrl?: string;
  currency: string;
  firstName?: string;
  cart?: Cart;
  order?: Order;
  product?: Product;
  products: Product[];
  /** What the product block shows, per the content's `productSource`. */
  shown: DisplayProduct[];
  /** Where the call-to-action button goes; always absolute. */
  buttonUrl: string;
  unsubscribeUrl?: string;
  preferencesUrl?: string;
};

function fromItems(items: CartItem[]): DisplayProduct[] {
  return items.map((i) => {
    const p: DisplayProduct = {
      product_id: i.product_id,
      title: i.title,
      price: i.price,
      url: i.url,
      quantity: i.quantity,
    };
    if (i.image_url) p.image_url = i.image_url;
    return p;
  });
}

export function productsFor(
  source: ProductSource,
  d: {
    cart?: Cart | undefined;
    order?: Order | undefined;
    product?: Product | undefined;
    products: Product[];
  },
): DisplayProduct[] {
  switch (source) {
    case "cart":
      return fromItems(d.cart?.items ?? []);
    case "order":
      return fromItems(d.order?.items ?? []);
    case "last_viewed":
      return d.product ? [d.product] : d.products.slice(0, 1);
    case "recommendations":
      return d.products.slice(0, 6);
    case "none":
      return [];
  }
}

/** Everything a template needs, derived once from its props. */
export function resolveEmailData(props: EmailTemplateProps): EmailData {
  const { workspace, trigger, content } = props;
  const color = brandColor(workspace.brandColor);
  const home = shopUrl(workspace);
  const cart = readCart(trigger, workspace);
  const order = readOrder(trigger, workspace);
  const product = readTriggerProduct(trigger, workspace);
  const products = readProducts(props.products, workspace);
  const logo = absoluteUrl(workspace.logoUrl, workspace.appUrl);
  const data: EmailData = {
    shopName: str(workspace.name) ?? "Our shop",
    shopUrl: home,
    color,
    onColor: textColorOn(color),
    currency: currencyCode(workspace.currency),
    cart,
    order,
    product,
    products,
    shown: productsFor(content.productSource, { cart, order, product, products }),
    buttonUrl: absoluteUrl(content.buttonUrl, workspace.appUrl) ?? home,
  };
  if (logo && !logo.startsWith("mailto:")) data.logoUrl = logo;
  const first = firstName(props.contact);
  if (first) data.firstName = first;
  const unsubscribe = absoluteUrl(props.unsubscribeUrl, workspace.appUrl);
  if (unsubscribe) data.unsubscribeUrl = unsubscribe;
  const preferences = absoluteUrl(props.preferencesUrl, workspace.appUrl);
  if (preferences) data.preferencesUrl = preferences;
  return data;
}

/** Appends query parameters to an absolute URL. */
export function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}
