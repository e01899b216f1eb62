import { test as base, expect, type Cookie, type Page } from "@playwright/test";

export const DEMO = { email: "demo@tidings.dev", password: "tidings-demo" };

export async function signIn(page: Page, email = DEMO.email, password = DEMO.password) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * `demoSession`: the demo marketer's session cookies, from one sign-in through the form per
 * worker (a sign-in hashes the password on the server and loads two pages; sign-ins are rate
 * limited too). `signedIn`: a page of the test's own context carrying that session, on the
 * flows list. The sign-in form itself is tested in foundation.spec.ts.
 */
export const test = base.extend<{ signedIn: Page }, { demoSession: Cookie[] }>({
  demoSession: [
    async ({ browser }, provide, workerInfo) => {
      const context = await browser.newContext({ baseURL: workerInfo.project.use.baseURL });
      const page = await context.newPage();
      await signIn(page);
      await expect(page).toHaveURL(/\/flows$/);
      const { cookies } = await context.storageState();
      await context.close();
      await provide(cookies);
    },
    { scope: "worker" },
  ],
  signedIn: async ({ page, demoSession }, provide) => {
    await page.context().addCookies(demoSession);
    await page.goto("/flows");
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
