import { expect, test, openCreateFlow } from "./fixtures";

test("a coupon pool is filled from a CSV, set on the birthday email, and its next code previewed without using it", async ({
  signedIn: page,
}) => {
  await page.setViewportSize({ width: 1600, height: 1000 });

  // Settings → Coupon codes: a new pool, a CSV refused by line, then a good one.
  await page.goto("/settings");
  const card = page.locator("#coupons");
  await card.getByRole("button", { name: "New pool" }).click();
  await card.getByLabel("Pool name").fill("VIP birthday");
  await card.getByRole("button", { name: "Create pool" }).click();
  const pool = card.getByTestId("coupon-pool").filter({ hasText: "VIP birthday" });
  await expect(pool.getByTestId("coupon-pool-remaining")).toHaveText("0 left");
  const upload = pool.getByRole("form", { name: "Upload codes to VIP birthday" });
  await upload.getByLabel("CSV file").setInputFiles({
    name: "codes.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("code\nVIP-AAA111\n\nVIP-AAA111\n"),
  });
  await upload.getByRole("button", { name: "Upload codes" }).click();
  await expect(upload.getByRole("alert")).toContainText(
    "line 3 is blank; line 4 “VIP-AAA111” repeats line 2",
  );
  await expect(pool.getByTestId("coupon-pool-remaining")).toHaveText("0 left");
  await upload.getByLabel("CSV file").setInputFiles({
    name: "codes.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("code,expires_at\nVIP-AAA111,2031-01-31\nVIP-BBB222,2031-01-31\n"),
  });
  await upload.getByRole("button", { name: "Upload codes" }).click();
  await expect(pool.getByRole("status")).toHaveText("Added 2 codes to “VIP birthday”.");
  await expect(pool.getByTestId("coupon-pool-remaining")).toHaveText("2 left");

  // The birthday template: its email draws from a pool; pick ours and preview the next code.
  await page.goto("/flows");
  await openCreateFlow(page);
  await page.getByTestId("template-birthday").click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  await page.getByRole("button", { name: "Fit View" }).click();
  // Its email, text and reminder draw from the workspace's Birthday pool, still empty: a problem on each.
  await expect(page.getByTestId("issues-toggle")).toHaveText("3 problems");
  await page.locator('.react-flow__node[data-id="birthday_email"]').click();
  const inspector = page.getByTestId("step-inspector");
  await expect(inspector).toHaveAttribute("data-node-id", "birthday_email");
  const field = inspector.getByTestId("coupon-pool-field");
  await expect(field.getByRole("checkbox", { name: "Give each message a unique coupon code" })).toBeChecked();
  // The template came with the workspace's (empty) Birthday pool.
  await expect(field.getByTestId("coupon-pool-remaining-hint")).toHaveText("Remaining in “Birthday”: 0");
  const preview = inspector.locator('[data-slot="email-preview"]').getByTestId("email-preview");
  await expect(preview.getByTestId("coupon-preview")).toContainText("Coupon pool “Birthday” is empty");

  await field.getByLabel("Coupon pool").selectOption({ label: "VIP birthday (2 left)" });
  await expect(field.getByTestId("coupon-pool-remaining-hint")).toHaveText("Remaining in “VIP birthday”: 2");
  await expect(page.getByTestId("issues-toggle")).toHaveText("2 problems");
  const note = preview.getByTestId("coupon-preview");
  await expect(note).toHaveAttribute("data-code", "VIP-AAA111");
  await expect(note).toContainText("does not use it up");
  const frame = page.frameLocator('iframe[title="Email preview"]');
  await expect(frame.getByText("VIP-AAA111").first()).toBeVisible();
  await expect(frame.getByText(/January 31, 2031/).first()).toBeVisible();
  await page.screenshot({ path: "test-results/coupons-inspector.png" });

  // Previewing used nothing up.
  await page.goto("/settings");
  await expect(
    page
      .locator("#coupons")
      .getByTestId("coupon-pool")
      .filter({ hasText: "VIP birthday" })
      .getByTestId("coupon-pool-remaining"),
  ).toHaveText("2 left");
});
