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
