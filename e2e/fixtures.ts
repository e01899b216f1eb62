import { test as base, expect, type Page } from "@playwright/test";

export const DEMO = { email: "demo@tidings.dev", password: "tidings-demo" };

export async function signIn(page: Page, email = DEMO.email, password = DEMO.password) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A page already signed in as the demo marketer. */
export const test = base.extend<{ signedIn: Page }>({
  signedIn: async ({ page }, provide) => {
    await signIn(page);
    await expect(page).toHaveURL(/\/flows$/);
    await provide(page);
  },
});
export { expect };

/**
 * Opens the "Create flow" dialog from the flows list. A click that lands before the page has
 * hydrated does nothing, so it clicks again until the dialog is there.
 */
export async function openCreateFlow(page: Page) {
  const dialog = page.getByRole("dialog");
  await expect(async () => {
    if (!(await dialog.isVisible())) await page.getByRole("button", { name: "Create flow" }).first().click();
    await expect(dialog).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}
