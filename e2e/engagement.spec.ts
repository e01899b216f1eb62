/**
 * Engagement in the predicate editor: a condition "opened the thank-you email" chosen by
 * step, an "opened no email in the last 60 days" row, and the email step's smart-sending
 * switch — all kept after a reload.
 */
import type { Page } from "@playwright/test";
import { expect, signIn, test, openCreateFlow } from "./fixtures";

const AUTH_STATE = "test-results/engagement-auth-state.json";
test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage({ storageState: { cookies: [], origins: [] } });
  await signIn(page);
  await expect(page).toHaveURL(/\/flows$/);
  await page.context().storageState({ path: AUTH_STATE });
  await page.close();
});
test.use({ viewport: { width: 1600, height: 1000 }, storageState: AUTH_STATE });

const pane = (page: Page) => page.locator(".react-flow__pane");
const inspector = (page: Page) => page.getByTestId("inspector");
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

async function dropStep(page: Page, kind: string, x: number, y: number): Promise<string> {
  const cards = page.locator(`.react-flow__node-${kind}`);
  const before = await cards.count();
  await page.getByTestId(`palette-${kind}`).dragTo(pane(page), { targetPosition: { x, y } });
  await expect(cards).toHaveCount(before + 1);
  const id = await cards.nth(before).getAttribute("data-id");
  expect(id).toBeTruthy();
  await expect(page.getByTestId("step-inspector")).toHaveAttribute("data-node-id", id!);
  return id!;
}

test("builds “opened the thank-you email” and “opened no email in 60 days”, and turns smart sending off for the thank-you", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto("/flows");
  await openCreateFlow(page);
  await page.getByLabel("Flow name").fill("Thank-you follow-up");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("canvas")).toBeVisible();
  const panel = inspector(page);

  const trigger = await dropStep(page, "trigger", 170, 70);
  await panel.getByLabel("Event", { exact: true }).selectOption("Placed Order");
  await expect(node(page, trigger).getByTestId("node-summary")).toHaveText("When Placed Order");

  const thanks = await dropStep(page, "email", 170, 260);
  await panel.getByLabel("Subject", { exact: true }).fill("Thank you for your order");
  const smart = panel.getByLabel("Smart sending", { exact: true });
  await expect(smart).toBeChecked();
  await smart.uncheck();
  await expect(panel.getByText(/Always sent, even if they got another marketing email/)).toBeVisible();

  const condition = await dropStep(page, "condition", 560, 70);
  await panel.getByRole("button", { name: "Add condition" }).click();
  const row = panel.getByTestId("condition-row").first();
  await row.getByLabel("Condition", { exact: true }).selectOption("engaged");
  // The flow's own email step is offered by name; it is chosen by default.
  await expect(row.getByLabel("Message", { exact: true })).toHaveValue(`step:${thanks}`);
  await expect(
    row.getByLabel("Message", { exact: true }).locator("option", { hasText: "Thank you for your order" }),
  ).toHaveCount(1);
  await row.getByLabel("The contact", { exact: true }).selectOption("opened");
  // The card names the message by its step's title, never its id.
  await expect(node(page, condition).getByTestId("node-summary")).toHaveText(
    "If opened “Email: Thank you for your order”",
  );

  await panel.getByRole("button", { name: "Add condition" }).click();
  const second = panel.getByTestId("condition-row").nth(1);
  await second.getByLabel("Condition", { exact: true }).selectOption("not_engaged");
  await second.getByLabel("Message", { exact: true }).selectOption("any:email");
  await second.getByLabel("When", { exact: true }).selectOption("last_days");
  await second.getByLabel("Days", { exact: true }).fill("60");
  const summary =
    "If opened “Email: Thank you for your order” and not (opened any email in the last 60 days)";
  await expect(node(page, condition).getByTestId("node-summary")).toHaveText(summary);

  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await page.reload();
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  await expect(node(page, condition).getByTestId("node-summary")).toHaveText(summary);
  await node(page, thanks).click();
  await expect(inspector(page).getByLabel("Smart sending", { exact: true })).not.toBeChecked();
  await page.screenshot({ path: "test-results/engagement-condition.png" });
});
