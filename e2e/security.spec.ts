import type { ConsoleMessage, Page } from "@playwright/test";
import { test, expect } from "./fixtures";

/** Collects the page's Content-Security-Policy violations from the console. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (message: ConsoleMessage) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  return seen;
}

test("app pages carry a nonce-based CSP, no framing, nosniff and a referrer policy", async ({ page }) => {
  for (const path of ["/sign-in", "/sign-up", "/store/demo"]) {
    const res = await page.request.get(path);
    expect(res.status()).toBe(200);
    const headers = res.headers();
    const csp = headers["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    // Served over plain http here: no HSTS.
    expect(headers["strict-transport-security"]).toBeUndefined();
    // The nonce is fresh per request and on Next's own scripts.
    const body = await res.text();
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
    expect(body).toContain(`nonce="${nonce}"`);
    const again = (await page.request.get(path)).headers()["content-security-policy"];
    expect(again).not.toBe(csp);
  }
  // Behind an https proxy, HSTS too; API responses get the plain headers.
  const https = await page.request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
  expect(https.headers()["strict-transport-security"]).toMatch(/max-age=\d+/);
  const api = await page.request.get("/api/v1/openapi.json");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
});

test("signed-in pages and the email previews work under the CSP", async ({ signedIn: page }) => {
  const violations = cspViolations(page);
  await page.goto("/preview?template=abandoned_cart_1");
  await expect(
    page.frameLocator('iframe[title="Email preview"]').getByText("Organic Sencha Green Tea"),
  ).toBeVisible();
  await expect(page.locator('iframe[title="Email preview"]')).toHaveAttribute("sandbox", /.*/);
  await page.getByRole("link", { name: "Contacts" }).click();
  await expect(page.getByTestId("contact-row").first()).toBeVisible();
  await page.getByRole("link", { name: "Flows" }).click();
  await expect(page.getByRole("heading", { name: "Flows", level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});

test("sign-up with a taken email does not say so", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Someone Else");
  await page.getByLabel("Email").fill("demo@tidings.dev");
  await page.getByLabel("Password").fill("a-different-password");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "If you already have an account, check your email" }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
});

test("a new sign-up with a strong password opens its workspace; a common one is refused", async ({
  page,
}) => {
  const email = `owner.${Date.now()}@example.com`;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("New Owner");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("password1234");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /most common/ })).toBeVisible();
  await page.getByLabel("Password").fill("a-strong-new-password");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/flows$/);
});

test("a storefront sign-up subscribes only once the shopper confirms the emailed link", async ({
  signedIn: page,
  browser,
}) => {
  const email = `optin.${Date.now()}@example.com`;
  const shop = await browser.newPage();
  const violations = cspViolations(shop);
  await shop.goto("/store/demo/sign-up");
  await shop.getByLabel("Name").fill("Olive Optin");
  await shop.getByLabel("Email").fill(email);
  await shop.getByRole("button", { name: "Sign up" }).click();
  await expect(shop.getByRole("status")).toContainText("confirm the link we emailed you");
  expect(violations).toEqual([]);
  await shop.close();

  await page.goto(`/contacts?q=${encodeURIComponent(email)}`);
  const contact = page.getByTestId("contact-row").filter({ hasText: email });
  await expect(contact.getByText("Email: none")).toBeVisible();

  await page.goto("/outbox");
  const subject = "Confirm your subscription to Juniper Roasters";
  const row = page.getByTestId("outbox-row").filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await row.getByRole("link", { name: subject }).click();
  const popupOpened = page.waitForEvent("popup");
  await page
    .frameLocator('iframe[title="Sent email"]')
    .getByRole("link", { name: "Confirm my subscription" })
    .click();
  const confirm = await popupOpened;
  await expect(confirm).toHaveURL(/\/c\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  await expect(confirm.getByRole("heading", { name: "Confirm your subscription" })).toBeVisible();
  await confirm.getByRole("button", { name: "Yes, subscribe me" }).click();
  await expect(confirm.getByRole("heading", { name: "You’re subscribed" })).toBeVisible();

  await page.goto(`/contacts?q=${encodeURIComponent(email)}`);
  await expect(contact.getByText("Email: subscribed")).toBeVisible();
});

test("a path segment that cannot be decoded answers 400 on pages, the API and link handlers", async ({
  page,
}) => {
  for (const path of ["/contacts/%ZZ", "/r/%ED%A0%80", "/api/trpc/%ZZ", "/store/demo/products/%E0%A4%A"]) {
    const res = await page.request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(400);
  }
});
