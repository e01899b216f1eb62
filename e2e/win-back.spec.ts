/**
 * Publishing the win-back template asks whether contacts already inactive enter: the
 * dialog counts them, the marketer lets them in, and they enter the flow.
 */
import { expect, test, openCreateFlow } from "./fixtures";

test("publishes the win-back with catch-up and the contacts already inactive enter", async ({
  signedIn: page,
}) => {
  test.setTimeout(120_000);
  await page.goto("/flows");
  await openCreateFlow(page);
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

  // Nothing changed since: Publish waits for the next edit.
  await expect(page.getByTestId("issues-toggle")).toHaveText("Published · no changes");

  // The in-process executor's sweep lets them in: the flow's dashboard counts them as entered.
  const url = page.url();
  await expect(async () => {
    await page.goto(`${url}/dashboard`);
    const entered = page.getByTestId("total-entered").locator("dd");
    await expect(entered).toBeVisible();
    expect(Number((await entered.innerText()).replaceAll(",", ""))).toBeGreaterThan(0);
  }).toPass({ timeout: 90_000, intervals: [5_000] });
});
