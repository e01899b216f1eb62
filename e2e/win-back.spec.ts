/**
 * Publishing the win-back template asks whether contacts already inactive enter: the
 * dialog counts them, the marketer lets them in, and they are in the flow.
 */
import { expect, test } from "./fixtures";

test("publishes the win-back with catch-up and the contacts already inactive enter", async ({
  signedIn: page,
}) => {
  test.setTimeout(120_000);
  await page.goto("/flows");
  await page.getByRole("button", { name: "Create flow" }).first().click();
  await page.getByTestId("template-win_back").click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  await expect(page.locator('.react-flow__node[data-id="unsubscribe"]')).toContainText(
    "Unsubscribe from marketing email",
  );

  await page.getByRole("button", { name: "Publish", exact: true }).click();
  const dialog = page.getByTestId("publish-dialog");
  const choice = dialog.getByTestId("inactive-catch-up");
  await expect(choice).toContainText(
    /had no Placed Order for 30 days or more already \(or never, since joining\)/,
  );
  const counted = Number((await choice.locator("legend strong").textContent())?.replace(/\D/g, ""));
  // The demo shop has 500 contacts and 60 days of orders: many are lapsed already.
  expect(counted).toBeGreaterThan(0);
  await expect(dialog.getByTestId("inactive-from-now")).toBeChecked();
  await dialog.getByTestId("inactive-catch-up-all").check();
  await dialog.getByTestId("confirm-publish").click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("flow-status")).toHaveText("live");

  // The in-process executor's sweep lets them in: the dialog then finds none left to catch up.
  await expect(async () => {
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    const left = dialog.getByTestId("inactive-catch-up").locator("legend strong");
    await expect(left).toBeVisible();
    const text = await left.textContent();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    expect(text).toBe("0 contacts");
  }).toPass({ timeout: 90_000, intervals: [5_000] });
});
