/**
 * Comparing with the trigger in the predicate editor: "viewed this product at least twice
 * in the last day" built on a browse trigger's filter, the goal tied to this trigger, and
 * both kept after a reload.
 */
import type { Page } from "@playwright/test";
import { expect, signIn, test, openCreateFlow } from "./fixtures";

const AUTH_STATE = "test-results/trigger-aware-auth-state.json";
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

test("builds 'same product viewed twice' with the trigger as the operand", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/flows");
  await openCreateFlow(page);
  await page.getByLabel("Flow name").fill("Viewed twice");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("canvas")).toBeVisible();

  await page.getByTestId("palette-trigger").dragTo(pane(page), { targetPosition: { x: 170, y: 70 } });
  await expect(page.locator(".react-flow__node-trigger")).toHaveCount(1);
  const trigger = (await page.locator(".react-flow__node-trigger").getAttribute("data-id"))!;
  const panel = inspector(page);
  await panel.getByLabel("Event", { exact: true }).selectOption("Viewed Product");

  // Filter: Viewed Product at least 2 times in the last 1 day, where product_id = the trigger's product_id.
  await panel.getByRole("button", { name: "Only when the event matches…" }).click();
  const row = panel.getByTestId("condition-row").first();
  await row.getByLabel("Condition", { exact: true }).selectOption("event_count");
  await row.getByLabel("Event", { exact: true }).selectOption("Viewed Product");
  await row.getByLabel("How often", { exact: true }).selectOption("gte");
  await row.getByLabel("Times", { exact: true }).fill("2");
  await row.getByLabel("When", { exact: true }).selectOption("last_days");
  await row.getByLabel("Days", { exact: true }).fill("1");
  await row.getByRole("button", { name: "Only when the event matches…" }).click();

  const where = row.getByTestId("condition-row");
  await expect(where).toHaveCount(1);
  await where.getByLabel("Event property", { exact: true }).selectOption("product_id");
  await where.getByLabel("Compare with", { exact: true }).selectOption("trigger");
  await expect(where.getByLabel("Trigger's property", { exact: true })).toHaveValue("product_id");
  await expect(where.getByLabel("Value", { exact: true })).toHaveCount(0);

  const summary =
    "When Viewed Product where Viewed Product count ≥ 2 in the last 1 day where product_id is the trigger's product_id";
  await expect(node(page, trigger).getByTestId("node-summary")).toHaveText(summary);

  // The goal, tied to this trigger: only an order of the viewed product ends the flow.
  await panel.getByRole("tab", { name: "Flow settings" }).click();
  await panel.getByLabel("End the flow when the contact converts").check();
  await panel.getByLabel("Only when it is about this trigger").check();
  await expect(panel.getByLabel("Same value of")).toHaveValue("product_id");

  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await page.reload();
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  await expect(node(page, trigger).getByTestId("node-summary")).toHaveText(summary);
  await inspector(page).getByRole("tab", { name: "Flow settings" }).click();
  await expect(inspector(page).getByLabel("Only when it is about this trigger")).toBeChecked();
  await expect(inspector(page).getByLabel("Same value of")).toHaveValue("product_id");
  await page.screenshot({ path: "test-results/trigger-aware-goal.png" });
});
