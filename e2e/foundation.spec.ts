import { test, expect, signIn, openCreateFlow } from "./fixtures";

test("signs in with the demo login and sees the sidebar and the flows list", async ({ page }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/flows$/);
  const nav = page.getByRole("complementary", { name: "Main" });
  for (const item of ["Flows", "Contacts", "Outbox", "Settings"])
    await expect(nav.getByRole("link", { name: item })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Flows", level: 1 })).toBeVisible();
  await page.screenshot({ path: "test-results/flows-page.png", fullPage: true });

  const name = `Spring launch ${Date.now()}`;
  await openCreateFlow(page);
  await page.getByLabel("Flow name").fill(name);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  // A new flow opens in the builder; back on the list it has its row.
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByLabel("Flow name")).toHaveValue(name);
  await page.getByRole("link", { name: "Back to flows" }).click();
  await expect(page.getByTestId("flow-row").filter({ hasText: name })).toBeVisible();
});

test("a wrong password shows an error and stays on sign-in", async ({ page }) => {
  await signIn(page, "demo@tidings.dev", "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: /invalid email or password/i })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("pages need a session", async ({ page }) => {
  await page.goto("/contacts");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("the contacts page lists the seeded shop", async ({ signedIn: page }) => {
  await page.getByRole("link", { name: "Contacts" }).click();
  await expect(page.getByText(/500 people in your shop/)).toBeVisible();
  await expect(page.getByTestId("contact-row")).toHaveCount(50);
});
