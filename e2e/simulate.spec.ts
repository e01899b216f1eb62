/**
 * Test a draft with a contact: Abandoned cart, tested with a shopper who ordered
 * this cart after the second email, stops at the goal with the path lit on the canvas; an
 * order injected before the second email changes the path. Nothing is sent or saved.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const HOUR = 3_600_000;

/**
 * Abandoned cart, from the template gallery as the demo shop has it: a draft, so the shopper
 * this spec sends in is not enrolled for real while the panel tests them.
 */
async function openAbandonedCart(page: Page) {
  const res = await page.request.post("/api/trpc/flows.createFromTemplate", {
    data: { json: { templateKey: "abandoned_cart", name: "Abandoned cart" } },
  });
  expect(res.status()).toBe(200);
  const id = ((await res.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
  await page.goto(`/flows/${id}`);
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
}

/** A shopper who checked out ten days ago (midday UTC) and ordered that cart 30 hours later. */
async function shopperWhoOrderedAfterTheSecondEmail(page: Page) {
  const created = await page.request.post("/api/trpc/apiKeys.create", {
    data: { json: { name: `Test panel ${Date.now()}`, kind: "secret" } },
  });
  expect(created.status()).toBe(200);
  const key = ((await created.json()) as { result: { data: { json: { key: string } } } }).result.data.json
    .key;
  const headers = { authorization: `Bearer ${key}` };
  const userId = `lucas-${Date.now()}`;
  const email = `${userId}@example.com`;
  const day = new Date(Date.now() - 10 * 24 * HOUR);
  const checkoutAt = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 14);
  const cart = `c_${userId}`;
  const post = async (path: string, data: unknown) => {
    const res = await page.request.post(path, { headers, data });
    expect(res.status(), await res.text()).toBe(200);
  };
  await post("/api/v1/identify", {
    userId,
    traits: {
      email,
      phone: "+393331234567",
      firstName: "Lucas",
      lastName: "Moreau",
      timezone: "Europe/Rome",
      email_consent: "subscribed",
      sms_consent: "subscribed",
    },
  });
  await post("/api/v1/track", {
    userId,
    event: "Started Checkout",
    timestamp: new Date(checkoutAt).toISOString(),
    properties: {
      cart_id: cart,
      value: 37,
      currency: "USD",
      checkout_url: `/store/demo/checkout/${cart}`,
      items: [{ product_id: "p1", title: "Kenya AA Whole Bean", price: 18.5, quantity: 2 }],
    },
  });
  await post("/api/v1/track", {
    userId,
    event: "Placed Order",
    timestamp: new Date(checkoutAt + 30 * HOUR).toISOString(),
    properties: { order_id: `o_${userId}`, cart_id: cart, value: 37, currency: "USD" },
  });
  return { email };
}

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

test("tests Abandoned cart with a shopper who ordered after the second email, then injects an earlier order", async ({
  signedIn: page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  const { email } = await shopperWhoOrderedAfterTheSecondEmail(page);
  await openAbandonedCart(page);

  await page.getByTestId("test-toggle").click();
  const panel = page.getByTestId("test-panel");
  await expect(panel.getByTestId("test-nothing-sent")).toContainText("Nothing is sent or saved.");
  await panel.getByTestId("test-contact-search").fill(email);
  await panel.getByTestId("test-contact-option").filter({ hasText: email }).click();
  await expect(panel.getByTestId("test-contact")).toHaveText("Lucas Moreau");
  await expect(panel.getByTestId("test-trigger-event")).toHaveCount(1);
  await expect(panel.getByTestId("test-trigger-event")).toHaveAttribute("aria-checked", "true");

  await panel.getByTestId("test-run").click();
  const result = panel.getByTestId("test-result");
  await expect(result).toHaveAttribute("data-status", "exited");
  await expect(result.locator('[data-testid="test-step"][data-kind="send"]')).toHaveCount(3);
  await expect(result.locator('[data-testid="test-step"][data-kind="send"]').first()).toContainText(
    "+1 h · Email “Lucas, you left something behind”",
  );
  await expect(result.locator('[data-testid="test-step"][data-kind="convert"]')).toHaveCount(1);

  // The path on the canvas: through the second email, not to the coupon email.
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-testing", "true");
  await expect(node(page, "email_2")).toHaveClass(/sim-visited/);
  await expect(node(page, "email_3")).toHaveClass(/sim-dimmed/);

  // The first email as it would be sent, at phone width.
  await result.getByTestId("test-open-message").first().click();
  const dialog = page.getByTestId("test-message");
  await expect(dialog.getByTestId("preview-subject")).toHaveText("Lucas, you left something behind");
  await dialog.getByRole("button", { name: "Mobile" }).click();
  await expect(dialog.getByTestId("phone-frame")).toBeVisible();
  await dialog.getByRole("button", { name: "Plain text" }).click();
  await expect(dialog.getByTestId("preview-text")).toContainText("Kenya AA Whole Bean");
  await page.keyboard.press("Escape");

  await panel.screenshot({ path: "test-results/simulate-panel.png" });
  await page.screenshot({ path: "test-results/simulate-canvas.png" });

  // What they do next: an order of this cart 2 hours in, before the second email.
  await panel.getByTestId("test-add-order").click();
  await panel.getByTestId("test-next").getByLabel("Hours after the trigger").fill("2");
  await panel.getByTestId("test-run").click();
  await expect(result.locator('[data-testid="test-step"][data-kind="send"]')).toHaveCount(1);
  await expect(node(page, "email_1")).toHaveClass(/sim-visited/);
  await expect(node(page, "email_2")).toHaveClass(/sim-dimmed/);
  await panel.screenshot({ path: "test-results/simulate-panel-injected.png" });

  // Closing the panel leaves the canvas as it was.
  await page.getByRole("button", { name: "Close the test panel" }).click();
  await expect(node(page, "email_2")).not.toHaveClass(/sim-dimmed|sim-visited/);
});
