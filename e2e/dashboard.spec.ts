/**
 * The flow dashboard: reached from the flows list and from the builder header, it shows the
 * totals, the daily chart, the funnel from trigger to goal, the A/B section and the newest
 * enrollments, and follows the chosen date range.
 */
import { expect, test, openCreateFlow } from "./fixtures";

test.use({ viewport: { width: 1440, height: 1000 } });

test("a flow's dashboard shows its chart, funnel and enrollments by date range", async ({
  signedIn: page,
}) => {
  // A flow of its own, from the abandoned-cart template; the builder header links to its dashboard.
  await openCreateFlow(page);
  await page.getByTestId("template-abandoned_cart").click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  const flowUrl = page.url();
  const name = await page.getByLabel("Flow name").inputValue();
  await page.getByTestId("dashboard-link").click();
  await expect(page).toHaveURL(`${flowUrl}/dashboard`);
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();

  const range = page.getByRole("radiogroup", { name: "Date range" });
  await expect(range.getByRole("radio", { name: "Last 30 days" })).toHaveAttribute("aria-checked", "true");
  for (const id of ["entered", "sent", "conversions", "conversion-rate", "revenue"])
    await expect(page.getByTestId(`total-${id}`)).toBeVisible();
  await expect(page.getByTestId("daily-chart").getByRole("application")).toBeVisible();
  await expect(page.getByTestId("funnel").getByRole("listitem")).toHaveText([
    /^Entered the flow/,
    /^Received a message/,
    /^Opened/,
    /^Clicked/,
    /^Converted/,
  ]);
  await expect(page.getByText("This flow has no random split.")).toBeVisible();
  await expect(page.getByText("No one has entered this flow yet.")).toBeVisible();

  await range.getByRole("radio", { name: "Last 90 days" }).click();
  await expect(range.getByRole("radio", { name: "Last 90 days" })).toHaveAttribute("aria-checked", "true");
  // The range shown follows: 90 calendar days ending today.
  await expect(async () => {
    const text = await page.getByTestId("range-days").innerText();
    const [from, to] = text.match(/\d{4}-\d{2}-\d{2}/g) ?? [];
    expect((Date.parse(to ?? "") - Date.parse(from ?? "")) / 86_400_000).toBe(89);
  }).toPass();

  // The flows list reaches it too, from the row's menu.
  await page.getByRole("link", { name: "Flows" }).first().click();
  const flowId = new URL(flowUrl).pathname.split("/").pop() ?? "";
  await page
    .locator(`[data-testid="flow-row"][data-flow-id="${flowId}"]`)
    .getByRole("button", { name: `Actions for ${name}` })
    .click();
  await page.getByRole("menuitem", { name: "Dashboard" }).click();
  await expect(page).toHaveURL(`${flowUrl}/dashboard`);
  await expect(page.getByTestId("flow-dashboard")).toBeVisible();
  await page.screenshot({ path: "test-results/dashboard.png", fullPage: true });
});

test("the seeded abandoned-cart flow shows its history on the dashboard", async ({ signedIn: page }) => {
  const row = page
    .getByTestId("flow-row")
    .filter({ has: page.getByRole("link", { name: "Abandoned cart", exact: true }) })
    .filter({ hasText: "live" })
    // Other specs publish the gallery's "Abandoned cart" too; the list is newest first, so the
    // seeded flow (edited 60 days ago) is the last row of that name.
    .last();
  test.skip((await row.count()) === 0, "the demo shop was seeded without its history (E2E_SEED_HISTORY=off)");
  await row.getByRole("button", { name: "Actions for Abandoned cart" }).click();
  await page.getByRole("menuitem", { name: "Dashboard" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}\/dashboard$/);
  const range = page.getByRole("radiogroup", { name: "Date range" });
  await range.getByRole("radio", { name: "Last 90 days" }).click();
  await expect(range.getByRole("radio", { name: "Last 90 days" })).toHaveAttribute("aria-checked", "true");
  await expect(page.getByText("Updating…")).toHaveCount(0);
  await expect(page.getByTestId("total-entered").locator("dd")).not.toHaveText("0");
  await expect(page.getByTestId("total-sent").locator("dd")).not.toHaveText("0");
  await expect(page.getByTestId("funnel-received").getByTestId("funnel-count")).not.toHaveText("0");
  const first = page.getByTestId("enrollment-row").first().getByRole("link");
  await expect(first).toHaveAttribute("href", /^\/contacts\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("enrollment-row")).toHaveCount(50);
  await page.screenshot({ path: "test-results/dashboard-history.png", fullPage: true });
});
