import { test, expect } from "./fixtures";

test("a shopper checks out in the demo store and the marketer sees the events on the contact", async ({
  signedIn: page,
  browser,
}) => {
  const email = `shopper.${Date.now()}@example.com`;
  const shop = await browser.newPage();

  await shop.goto("/store/demo");
  await expect(shop.getByTestId("store-product").first()).toBeVisible();
  await shop.getByRole("link", { name: /House Espresso Blend/ }).click();
  await expect(shop.getByRole("heading", { name: /House Espresso Blend/ })).toBeVisible();
  await shop.getByRole("button", { name: "Add to cart" }).click();
  await expect(shop.getByRole("status")).toContainText("Added");
  await expect(shop.getByTestId("cart-count")).toHaveText("1");

  await shop.getByRole("link", { name: /^Cart/ }).click();
  await expect(shop.getByTestId("cart-items")).toContainText("House Espresso Blend");
  await shop.getByRole("button", { name: "Check out" }).click();
  await expect(shop).toHaveURL(/\/store\/demo\/checkout\/cart_/);
  await shop.getByLabel("Email").fill(email);
  await shop.getByLabel("Name").fill("Robin Shopper");
  await shop.getByRole("button", { name: "Place order" }).click();
  await expect(shop.getByTestId("order-id")).toHaveText(/^ord_/);
  await expect(shop.getByTestId("cart-count")).toHaveText("0");
  await shop.close();

  await page.goto(`/contacts?q=${encodeURIComponent(email)}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await page.getByTestId("contact-row").getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Robin Shopper" })).toBeVisible();
  const timeline = page.getByTestId("contact-timeline");
  for (const name of ["Placed Order", "Started Checkout", "Added to Cart", "Viewed Product"]) {
    await expect(timeline.getByTestId("timeline-event").filter({ hasText: name }).first()).toBeVisible();
  }
  await expect(timeline.getByTestId("timeline-event").first()).toContainText("Placed Order");
  await expect(timeline).toContainText("1 × House Espresso Blend");
});

test("a signed-up shopper turns on notifications; the contact's push consent becomes subscribed", async ({
  signedIn: page,
  browser,
}) => {
  const email = `notify.${Date.now()}@example.com`;
  const context = await browser.newContext();
  await context.grantPermissions(["notifications"]);
  // The browser's push service is out of reach here: subscribe() answers a subscription as a
  // browser would (a real P-256 key and auth secret, an https endpoint), the rest is real.
  await context.addInitScript(() => {
    const b64 = (bytes: ArrayBuffer | Uint8Array) =>
      btoa(String.fromCharCode(...new Uint8Array(bytes)))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    PushManager.prototype.subscribe = async function () {
      const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
        "deriveBits",
      ]);
      const p256dh = b64(await crypto.subtle.exportKey("raw", pair.publicKey));
      const json = {
        endpoint: `https://push.example/send/${crypto.randomUUID()}`,
        expirationTime: null,
        keys: { p256dh, auth: b64(crypto.getRandomValues(new Uint8Array(16))) },
      };
      return { toJSON: () => json } as unknown as PushSubscription;
    };
  });
  const shop = await context.newPage();
  await shop.goto("/store/demo/sign-up");
  await shop.getByLabel("Name").fill("Nora Notify");
  await shop.getByLabel("Email").fill(email);
  await shop.getByRole("button", { name: "Sign up" }).click();
  await expect(shop.getByRole("status")).toContainText("You are signed up");

  const saved = shop.waitForResponse(
    (r) => r.url().endsWith("/api/v1/push/subscriptions") && r.request().method() === "POST",
  );
  await shop.getByRole("button", { name: "Get notified" }).click();
  expect((await saved).status()).toBe(201);
  await expect(shop.getByTestId("store-notify")).toHaveAttribute("data-state", "on");
  await shop.screenshot({ path: "test-results/store-notifications-on.png" });
  await context.close();

  await page.goto(`/contacts?q=${encodeURIComponent(email)}`);
  await page.getByTestId("contact-row").getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Nora Notify" })).toBeVisible();
  await expect(page.getByText("Push: subscribed")).toBeVisible();
});

test("a shopper signs up on the demo storefront in two browsers with one email: one contact, and the welcome series starts", async ({
  signedIn: page,
  browser,
}) => {
  const email = `welcome.${Date.now()}@example.com`;
  for (const typed of [email, email.toUpperCase()]) {
    const context = await browser.newContext();
    const shop = await context.newPage();
    await shop.goto("/store/demo/sign-up");
    await shop.getByLabel("Name").fill("Wren Welcome");
    await shop.getByLabel("Email").fill(typed);
    const signedUp = shop.waitForResponse(
      (r) =>
        r.url().endsWith("/api/v1/track") &&
        (r.request().postDataJSON() as { event?: string } | null)?.event === "Signed Up",
    );
    await shop.getByRole("button", { name: "Sign up" }).click();
    expect((await signedUp).status()).toBe(200);
    await expect(shop.getByRole("status")).toContainText("You are signed up");
    await context.close();
  }

  await page.goto(`/contacts?q=${encodeURIComponent(email)}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await page.getByTestId("contact-row").getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Wren Welcome" })).toBeVisible();
  await expect(
    page.getByTestId("contact-timeline").getByTestId("timeline-event").filter({ hasText: "Signed Up" }),
  ).toHaveCount(2);
  // The executor enrolls her moments after the event; the page shows it on a reload.
  await expect(async () => {
    await page.reload();
    const flows = page.getByTestId("contact-flows");
    // One journey per live welcome flow (other specs publish the gallery's copy too).
    await expect(flows.getByRole("link", { name: "Welcome series" }).first()).toBeVisible({ timeout: 1_000 });
    // Steps by their card titles; the welcome email waits for her double opt-in.
    await expect(flows).toContainText("When Signed Up", { timeout: 1_000 });
    await expect(flows).not.toContainText("welcome_email", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
});
